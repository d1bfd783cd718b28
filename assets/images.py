"""Uploaded images: the one place that checks them and re-encodes them.

Limits before work (DESIGN.md): an image is refused from its header, before a pixel is
decoded, when it is not a format we take, when its file is too big or when it declares
more pixels than pixel_cap allows (QRMAP_MAX_IMAGE_PIXELS; PNG and WebP a quarter of it).
A 23 KB PNG can declare 10000 × 9500 pixels and would take ~560 MB and two seconds to
decode; here it costs the header read, well under a millisecond.

image_clean then decodes what passed (a JPEG at a reduced scale straight from the
decoder), turns it upright, shrinks it and writes a new JPEG without any metadata: phones
put the GPS position and device serials in EXIF.
"""
import io
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Decoders we let untrusted files reach: what cameras and phones write (the JPEG decoder
# also opens MPO, the multi-picture JPEG of some cameras). Pillow would otherwise try
# every plugin it has (EPS runs Ghostscript).
FORMATS = ("JPEG", "PNG", "WEBP")
REDUCED_DECODING = ("JPEG", "MPO")
MB = 1024 * 1024


def upload_size_refusal(request) -> str | None:
    """Why a request carrying one photo is refused for its size, or None; read from its
    Content-Length before a byte of the body is (the form fields beside the photo get a
    little room on top)."""
    limit = settings.QRMAP_MAX_PHOTO_BYTES + 64 * 1024
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = limit + 1
    if length <= limit:
        return None
    return _("The upload is too big: at most %(mb)s MB.") % {
        "mb": settings.QRMAP_MAX_PHOTO_BYTES // MB}


class ImageRefused(ValueError):
    """An upload we do not take; str() is the sentence to show the sender."""


def pillow_limits_apply() -> None:
    """Make Pillow's own bomb check (which warns above the cap and refuses above twice
    the cap, in every Image.open, Django's ImageField included) follow our cap."""
    Image.MAX_IMAGE_PIXELS = settings.QRMAP_MAX_IMAGE_PIXELS


def pixel_cap(image_format: str | None) -> int:
    """The most pixels an image of this format may declare. JPEG is decoded straight at
    1/2, 1/4 or 1/8 scale (image_clean asks for it), so a 40 MP photo costs a few MP of
    memory; PNG and WebP are decoded at full size, so they get a quarter of the cap (10 MP
    by default, more than any phone screenshot) for a similar cost."""
    cap = settings.QRMAP_MAX_IMAGE_PIXELS
    return cap if image_format in REDUCED_DECODING else cap // 4


def _too_many(cap: int) -> ImageRefused:
    return ImageRefused(
        _("The photo has too many pixels (more than %(limit)s megapixels). "
          "Please send a smaller one.") % {"limit": cap // 1_000_000})


@contextmanager
def _opened(upload, *, max_bytes: int | None = None):
    size = getattr(upload, "size", None)
    limit = settings.QRMAP_MAX_PHOTO_BYTES if max_bytes is None else max_bytes
    if size is not None and size > limit:
        raise ImageRefused(
            _("The photo is %(size)s; the limit is %(limit)s MB. Please send a smaller one.")
            % {"size": filesizeformat(size), "limit": limit // MB})
    upload.seek(0)
    try:
        image = Image.open(upload, formats=FORMATS)  # reads the header only
    except Image.DecompressionBombError:  # Pillow's own check, at twice the cap
        upload.seek(0)
        is_jpeg = upload.read(2) == b"\xff\xd8"
        raise _too_many(pixel_cap("JPEG" if is_jpeg else None)) from None
    except Exception:  # any parser error of an untrusted file means "not an image"
        raise ImageRefused(_("This file is not a photo we can read. Please send a JPEG, "
                             "PNG or WebP image.")) from None
    try:
        with image:  # leaves the upload open (Image.close() would close it)
            width, height = image.size
            if width * height > pixel_cap(image.format):
                raise _too_many(pixel_cap(image.format))
            yield image
    finally:
        upload.seek(0)


def image_check(upload, *, max_bytes: int | None = None) -> tuple[int, int]:
    """(width, height) of an uploaded image, or ImageRefused; reads the header, decodes
    nothing. max_bytes defaults to QRMAP_MAX_PHOTO_BYTES."""
    with _opened(upload, max_bytes=max_bytes) as image:
        return image.size


def image_decode(upload, *, max_side: int) -> Image.Image:
    """The upload decoded once: upright (EXIF orientation applied), at most max_side pixels
    a side, RGB, with no metadata carried over; or ImageRefused."""
    with _opened(upload) as image:
        if image.format in REDUCED_DECODING:
            image.draft("RGB", (max_side, max_side))  # a 12 MP photo: 9 MB of RAM, not 48
        try:
            image.load()
        except Exception:  # truncated or corrupt pixel data
            raise ImageRefused(_("The photo arrived incomplete or damaged. "
                                 "Please send it again.")) from None
        # Shrink first and convert last, so that no full-size copy is made on the way
        # (1-bit and palette images cannot be resized smoothly as they are).
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode == "1":
            image = image.convert("L")
        elif image.mode == "P":
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        clean = image.convert("RGB")
    clean.info = {}  # no EXIF, XMP or ICC profile rides along into what we write
    return clean


def image_clean(upload, *, max_side: int, name: str = "photo.jpg") -> ContentFile:
    """The upload re-encoded: upright, at most max_side pixels a side, JPEG without metadata."""
    small = image_decode(upload, max_side=max_side)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=82, optimize=True)  # no exif= argument: no EXIF
    return ContentFile(buffer.getvalue(), name=name)


class ImageUploadField(forms.FileField):
    """A form field for photos: image_check on the upload, the file itself returned as is."""

    def __init__(self, *, max_bytes: int | None = None, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)
        self.max_bytes = max_bytes

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            try:
                image_check(upload, max_bytes=self.max_bytes)
            except ImageRefused as refusal:
                raise forms.ValidationError(str(refusal), code="invalid_image") from None
        return upload
