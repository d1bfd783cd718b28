"""/ogc/: OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0)."""
from django.urls import path

from assets.ogc import views as ogc_views

app_name = "ogc"
urlpatterns = [
    path("", ogc_views.landing, name="landing"),
    path("api", ogc_views.api_definition, name="api"),
    path("conformance", ogc_views.conformance, name="conformance"),
    path("collections", ogc_views.collections, name="collections"),
    path("collections/<str:collection_id>", ogc_views.collection, name="collection"),
    path("collections/<str:collection_id>/items", ogc_views.items, name="items"),
    path("collections/<str:collection_id>/queryables", ogc_views.queryables,
         name="queryables"),
    path("collections/<str:collection_id>/items/<str:feature_id>", ogc_views.item,
         name="item"),
]
