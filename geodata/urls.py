"""Coverage map and the planner dashboard (the assets map lives in assets.map_urls)."""
from django.urls import path, re_path

from geodata import views

urlpatterns = [
    path("maps/coverage/", views.coverage_map_view, name="coverage-map"),
    path("planning/", views.planning_dashboard, name="planning-dashboard"),
    path("planning/print/", views.planning_print, name="planning-print"),
    re_path(r"^planning/export/(?P<dataset>[a-z-]+)\.(?P<fmt>csv|geojson)$",
            views.planning_export, name="planning-export"),
]
