"""Staff pages: the print centre and plaque health (the admin lives under /admin/)."""
from django.urls import path

from assets import staff_views

app_name = "staff"
urlpatterns = [
    path("print/", staff_views.print_centre, name="print_centre"),
    path("print/<int:pk>/", staff_views.batch_detail, name="batch_detail"),
    path("print/<int:pk>/status.json", staff_views.batch_status, name="batch_status"),
    path("print/<int:pk>/plaques.pdf", staff_views.batch_download, name="batch_download"),
    path("plaques/health/", staff_views.plaque_health, name="plaque_health"),
    path("plaques/<str:code>/", staff_views.plaque_detail, name="plaque_detail"),
    path("plaques/<str:code>/plaque.<str:fmt>", staff_views.plaque_file, name="plaque_file"),
]
