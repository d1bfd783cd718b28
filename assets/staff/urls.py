"""/staff/: the print centre, plaque pages and health, file import and export (the admin
lives under /admin/)."""
from django.urls import path

from assets.staff import imports, places, verify, views

app_name = "staff"
urlpatterns = [
    path("print/", views.print_centre, name="print_centre"),
    path("print/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("print/<int:pk>/status.json", views.batch_status, name="batch_status"),
    path("print/<int:pk>/plaques.pdf", views.batch_download, name="batch_download"),
    # Private files (assets.storage): what a FieldFile's .url points to, in the admin too.
    path("files/<path:name>", views.private_file, name="private_file"),
    path("verify/", verify.verify_queue, name="verify_queue"),
    path("plaques/health/", views.plaque_health, name="plaque_health"),
    path("plaques/<str:code>/", views.plaque_detail, name="plaque_detail"),
    path("plaques/<str:code>/plaque.<str:fmt>", views.plaque_file, name="plaque_file"),
    # The admin map widget's place search (communes, hamlets, assets of the user's scope).
    path("places.json", places.place_search_json, name="place_search"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/export/<str:layer>.<str:fmt>", imports.export_download, name="import_export"),
    path("import/<str:token>/", imports.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<str:token>/result/", imports.import_result, name="import_result"),
    path("import/<str:token>/job/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<str:token>/report.csv", imports.import_report, name="import_report"),
]
