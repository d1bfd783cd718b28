"""Writes on an asset's photos: add one (with its variants), change its caption or place,
delete it. See assets.services.

An upload is decoded once with the pixel caps of assets.images, turned upright, and written
as four public files without metadata (phones put the GPS position and device serials in
EXIF): a large variant (at most QRMAP_PHOTO_MAX_SIDE a side) and a thumbnail 480 px wide,
each as WebP and as JPEG for the browsers without WebP. The thumbnail is what the asset page
shows below its first screen; its quality is lowered until each file fits THUMB_BYTES, so a
visitor on weak 3G waits about a second for it."""
import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from assets import access
from assets.errors import DomainError
from assets.images import ImageRefused, image_decode
from assets.models import Asset, AssetPhoto

THUMB_WIDTH, THUMB_MAX_HEIGHT = 480, 640
THUMB_BYTES = 30 * 1024
# Qualities tried in turn for the thumbnail. A 480 × 640 crop of pure noise still fits at
# quality 30 (JPEG 29.6 KB, WebP 26 KB); a thumbnail that does not is made smaller.
THUMB_QUALITIES = {"WEBP": (70, 60, 50, 40, 30), "JPEG": (75, 65, 55, 45, 35, 30)}
LARGE_QUALITY = {"WEBP": 78, "JPEG": 82}
CAPTION_CHARS = 300


def _encode(image: Image.Image, image_format: str, qualities) -> bytes:
    for quality in qualities:
        buffer = io.BytesIO()
        # No exif= or icc_profile= argument: the files carry no metadata.
        image.save(buffer, image_format, quality=quality, optimize=image_format == "JPEG",
                   **({"method": 6} if image_format == "WEBP" else {}))
        if buffer.tell() <= THUMB_BYTES:
            break
    return buffer.getvalue()


def _thumbnail(large: Image.Image) -> tuple[Image.Image, bytes, bytes]:
    """(thumbnail, its JPEG, its WebP), each file within THUMB_BYTES."""
    width = THUMB_WIDTH
    while True:
        thumb = large.copy()
        thumb.thumbnail((width, width * THUMB_MAX_HEIGHT // THUMB_WIDTH),
                        Image.Resampling.LANCZOS)
        jpeg = _encode(thumb, "JPEG", THUMB_QUALITIES["JPEG"])
        webp = _encode(thumb, "WEBP", THUMB_QUALITIES["WEBP"])
        if max(len(jpeg), len(webp)) <= THUMB_BYTES or width <= 160:
            return thumb, jpeg, webp
        width = width * 4 // 5


def photo_variants(upload) -> dict:
    """The model fields of the photo's variants: unsaved files and their sizes."""
    large = image_decode(upload, max_side=settings.QRMAP_PHOTO_MAX_SIDE)
    thumb, thumb_jpeg, thumb_webp = _thumbnail(large)
    stem = uuid.uuid4().hex[:16]  # never the sender's file name
    return {
        "image": ContentFile(_encode(large, "JPEG", [LARGE_QUALITY["JPEG"]]), f"{stem}.jpg"),
        "large_webp": ContentFile(_encode(large, "WEBP", [LARGE_QUALITY["WEBP"]]),
                                  f"{stem}.webp"),
        "thumb_jpeg": ContentFile(thumb_jpeg, f"{stem}-thumb.jpg"),
        "thumb_webp": ContentFile(thumb_webp, f"{stem}-thumb.webp"),
        "width": large.width, "height": large.height,
        "thumb_width": thumb.width, "thumb_height": thumb.height,
    }


def _editable(*, user, asset: Asset) -> None:
    access.require(access.asset_can_edit(user=user, asset=asset),
                   _("You may not change the photos of assets of this commune."))


def _caption_check(caption: str) -> str:
    caption = (caption or "").strip()
    if "\x00" in caption or len(caption) > CAPTION_CHARS:
        message = _("The caption must be text of at most %(n)d characters.") % {
            "n": CAPTION_CHARS}
        raise DomainError(message, errors={"caption": [message]})
    return caption


def asset_photo_add_check(*, user, asset: Asset, upload, caption: str = "") -> dict:
    """The variants the upload would store (unsaved), after the scope and image checks."""
    _editable(user=user, asset=asset)
    _caption_check(caption)
    try:
        return photo_variants(upload)
    except ImageRefused as refusal:
        raise DomainError(str(refusal), errors={"image": [str(refusal)]}) from None


def asset_photo_add(*, user, asset: Asset, upload, caption: str = "",
                    position: int | None = None) -> AssetPhoto:
    """Store a photo of the asset: its variants, no original, no metadata."""
    variants = asset_photo_add_check(user=user, asset=asset, upload=upload, caption=caption)
    return asset_photo_save(user=user, asset=asset, variants=variants, caption=caption,
                            position=position)


@transaction.atomic
def asset_photo_save(*, user, asset: Asset, variants: dict, caption: str = "",
                     position: int | None = None) -> AssetPhoto:
    """Store the variants asset_photo_add_check made (a form checks first, so that a refused
    photo is an error beside its field, and the photo is still decoded once)."""
    _editable(user=user, asset=asset)
    if position is None:
        position = asset.photos.count()  # after the photos it has
    photo = AssetPhoto(asset=asset, caption=_caption_check(caption), position=position,
                       **{k: v for k, v in variants.items() if not hasattr(v, "read")})
    for name, content in variants.items():
        if hasattr(content, "read"):
            getattr(photo, name).save(content.name, content, save=False)
    photo.save()
    return photo


def asset_photo_update(*, user, photo: AssetPhoto, caption: str, position: int) -> AssetPhoto:
    """Change a photo's caption or place in the gallery."""
    _editable(user=user, asset=photo.asset)
    photo.caption, photo.position = _caption_check(caption), max(0, min(int(position), 32767))
    photo.save(update_fields=["caption", "position"])
    return photo


def asset_photo_delete(*, user, photo: AssetPhoto) -> None:
    """Remove a photo; its files go with the row (photo_files_delete)."""
    _editable(user=user, asset=photo.asset)
    photo.delete()


def photo_files_delete(sender, instance: AssetPhoto, **kwargs) -> None:
    """post_delete of AssetPhoto, also when an asset's deletion takes its photos: the files
    go once the deletion is committed (a rolled-back one keeps them)."""
    for stored in (instance.image, instance.large_webp, instance.thumb_jpeg,
                   instance.thumb_webp):
        if stored:
            transaction.on_commit(lambda s=stored.storage, n=stored.name: s.delete(n))
