"""Staff file import (/staff/import/...) and export (/staff/import/export/...)."""
from django.urls import path

from assets import import_views as views

urlpatterns = [
    path("", views.import_upload, name="import_upload"),
    path("export/<str:layer>.<str:fmt>", views.export_download, name="import_export"),
    path("<str:token>/", views.import_preview, name="import_preview"),
    path("<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<str:token>/result/", views.import_result, name="import_result"),
    path("<str:token>/report.csv", views.import_report, name="import_report"),
]
