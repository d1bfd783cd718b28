"""Reading private files (assets.storage): who may read one, and the response that sends it.

A file is readable by the staff who may read the row that owns it, through the same scoped
selectors and view permissions as the row itself: a print PDF through print_batch_list, a
report photo through report_list, an installation photo through plaque_list. Anyone else
gets a 404, so names cannot be probed.

In development the view streams the file. Behind nginx (QRMAP_PRIVATE_ACCEL_PREFIX set) it
answers an empty response with `X-Accel-Redirect: <prefix><name>`, and nginx sends the bytes
from an `internal` location that aliases QRMAP_PRIVATE_ROOT: no gunicorn worker is held for
the length of a download over 3G.
"""
import mimetypes
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from assets import access, scope, storage
from assets.models import FieldAction, Plaque, PrintBatch, Report

# Shown in the browser; anything else is downloaded, so an odd upload never renders as a page.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def _print_batches(user) -> QuerySet:
    if not access.user_can_print(user=user):
        return PrintBatch.objects.none()
    return scope.print_batch_list(user=user)


def _reports(user) -> QuerySet:
    if not user.has_perm("assets.view_report"):
        return Report.objects.none()
    return scope.report_list(user=user)


def _plaques(user) -> QuerySet:
    if not user.has_perm("assets.view_plaque"):
        return Plaque.objects.none()
    return scope.plaque_list(user=user)


def _field_actions(user) -> QuerySet:
    return FieldAction.objects.filter(plaque__in=_plaques(user))


# Folder (first segment of the name) -> (the rows the user may read, the file field).
OWNERS: dict[str, tuple[Callable[[object], QuerySet], str]] = {
    storage.PRINT: (_print_batches, "file"),
    storage.REPORTS: (_reports, "photo"),
    storage.PLAQUES: (_plaques, "install_photo"),
    storage.FIELD: (_field_actions, "photo_thumbnail"),
}


def private_file_find(*, user, name: str) -> FieldFile | None:
    """The file called `name` when a row the user may read owns it, else None."""
    owner = OWNERS.get(name.split("/", 1)[0])
    if owner is None or not scope.is_staff(user):
        return None
    rows, field = owner
    row = rows(user).filter(**{field: name}).only("pk", field).first()
    return getattr(row, field) if row is not None else None


def private_file_response(*, file: FieldFile, filename: str = "",
                          attachment: bool = False) -> HttpResponse:
    """The file as a response: streamed, or handed to nginx by X-Accel-Redirect."""
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    prefix = settings.QRMAP_PRIVATE_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(b"", content_type=content_type)
        response["X-Accel-Redirect"] = "/" + prefix.strip("/") + "/" + quote(file.name)
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    inline = not attachment and content_type in INLINE_TYPES
    response["Content-Disposition"] = content_disposition_header(
        not inline, filename or PurePosixPath(file.name).name)
    # Staff-only bytes: kept by no shared cache, not sniffed into HTML, never scripted.
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
