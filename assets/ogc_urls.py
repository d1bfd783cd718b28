"""/ogc/: OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0)."""
from django.urls import path

from assets import ogc_views

urlpatterns = [
    path("", ogc_views.landing, name="ogc-landing"),
    path("api", ogc_views.api_definition, name="ogc-api"),
    path("conformance", ogc_views.conformance, name="ogc-conformance"),
    path("collections", ogc_views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", ogc_views.collection, name="ogc-collection"),
    path("collections/<str:collection_id>/items", ogc_views.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", ogc_views.item,
         name="ogc-item"),
]
