"""Where private files live: print PDFs, report photos, plaque installation photos and the
uploads of asset photos that a worker has not processed yet are
kept under QRMAP_PRIVATE_ROOT, outside MEDIA_ROOT, so no URL of the web server reaches them.
Their names are random (192 bits), never derived from an id or the uploaded name, so a name
seen once tells nothing about another. They are read only through the staff view that
checks the scope of the row owning the file (assets.private_files).

The fields name the callables below (storage=private_storage, upload_to=...), so that
migrations refer to them by path: keep the names.
"""
import os
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# The first segment of a name says which rows own the file (assets.private_files.OWNERS).
PRINT = "print"
REPORTS = "reports"
PLAQUES = "plaques"
IMPORTS = "imports"
FIELD = "field"
PHOTOS = "photos"  # an asset photo's upload, until the worker has made its variants
TOKEN_BYTES = 24  # 192 bits: guessing one name among millions stays hopeless


@deconstructible(path="assets.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at QRMAP_PRIVATE_ROOT (read when used, so tests may move it),
    without a public base URL: `.url` is the scoped staff view, wherever a template or the
    admin asks for it."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.QRMAP_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        return reverse("staff:private_file", kwargs={"name": name})


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so migrations do not freeze its settings)."""
    return _storage


def private_name(folder: str, filename: str) -> str:
    """`<folder>/<year>/<month>/<random>.<ext>`: only the extension of `filename` is kept.

    >>> folder, year, month, file = private_name("reports", "IMG 0042.JPG").split("/")
    >>> folder, len(file), file.endswith(".jpg")
    ('reports', 36, True)
    """
    suffix = PurePosixPath(filename or "").suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(TOKEN_BYTES)}{suffix}"


def print_file_name(instance, filename: str) -> str:
    return private_name(PRINT, filename)


def report_photo_name(instance, filename: str) -> str:
    return private_name(REPORTS, filename)


def install_photo_name(instance, filename: str) -> str:
    return private_name(PLAQUES, filename)


def field_thumbnail_name(instance, filename: str) -> str:
    return private_name(FIELD, filename)


def photo_original_name(instance, filename: str) -> str:
    return private_name(PHOTOS, filename)
