"""/field/: field mode for staff on a phone (assets.staff.field, assets.staff.field_sync)."""
from django.urls import path

from assets.staff import field, field_sync

app_name = "field"
urlpatterns = [
    path("", field.field_page, name="page"),
    path("todo.json", field.todo_json, name="todo"),
    path("sync/", field_sync.field_sync, name="sync"),
    # Served from under /field/ so that its scope is /field/ and nothing wider.
    path("sw.js", field.service_worker, name="worker"),
]
