"""/maps/...: the assets map here; the coverage map is in geodata.urls."""
from django.urls import path

from assets import map_views

urlpatterns = [
    path("assets/", map_views.asset_map_view, name="asset-map"),
]
