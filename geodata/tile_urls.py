"""/tiles/<layer>/<z>/<x>/<y>.pbf and /tiles/<layer>/features/<id>.json. The parts are
matched loosely and checked in the views, so that a bad one gets a message, not a bare 404."""
from django.urls import re_path

from geodata import tile_views

app_name = "tiles"
urlpatterns = [
    re_path(r"^(?P<layer>[^/]+)/features/(?P<pk>[^/]+)\.json$", tile_views.feature_view,
            name="feature"),
    re_path(r"^(?P<layer>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.pbf$",
            tile_views.tile_view, name="tile"),
]
