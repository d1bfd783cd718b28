"""/planning/: the planner dashboard, its print view and exports (the coverage map is
mounted with the other maps under /maps/ in qrmap.urls)."""
from django.urls import path, re_path

from geodata import views

app_name = "planning"
urlpatterns = [
    path("", views.planning_dashboard, name="dashboard"),
    path("print/", views.planning_print, name="print"),
    path("analyses/<int:pk>/status.json", views.analysis_job_status, name="analysis_status"),
    re_path(r"^export/(?P<dataset>[a-z-]+)\.(?P<fmt>csv|geojson)$",
            views.planning_export, name="export"),
]
