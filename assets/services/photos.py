"""Writes on an asset's photos: add one, make its variants, change its captions or place,
delete it. See assets.services.

Adding is two steps, so that no web request decodes and encodes images: asset_photo_add
checks what costs nothing (scope, captions, the file's size, the image header and its pixel
caps), keeps the upload privately (assets.storage, no URL reaches it) and queues the photo;
a Celery worker (assets.tasks.asset_photo_task) then runs asset_photo_process, which
publishes it or marks it failed with the reason in the sender's language.

The worker decodes the upload once with the pixel caps of assets.images, turns it upright,
and writes four public files without metadata (phones put the GPS position and device serials in
EXIF): a large variant (at most QRMAP_PHOTO_MAX_SIDE a side) and a thumbnail 480 px wide,
each as WebP and as JPEG for the browsers without WebP. The thumbnail is what the asset page
shows below its first screen; its quality is lowered until each file fits THUMB_BYTES, so a
visitor on weak 3G waits about a second for it."""
import io
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image

from assets import access
from assets.errors import DomainError
from assets.images import ImageRefused, image_check, image_decode
from assets.models import Asset, AssetPhoto
from geodata import jobs
from qrmap.i18n import languages

log = logging.getLogger(__name__)

THUMB_WIDTH, THUMB_MAX_HEIGHT = 480, 640
THUMB_BYTES = 30 * 1024
# Qualities tried in turn for the thumbnail. A 480 × 640 crop of pure noise still fits at
# quality 30 (JPEG 29.6 KB, WebP 26 KB); a thumbnail that does not is made smaller.
THUMB_QUALITIES = {"WEBP": (70, 60, 50, 40, 30), "JPEG": (75, 65, 55, 45, 35, 30)}
LARGE_QUALITY = {"WEBP": 78, "JPEG": 82}
CAPTION_CHARS = 300
VARIANTS = ("image", "large_webp", "thumb_jpeg", "thumb_webp")
SIZES = ("width", "height", "thumb_width", "thumb_height")


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


def caption_fields() -> list[str]:
    """caption_vi, caption_en, caption_zh: one per site language."""
    return [f"caption_{language.suffix}" for language in languages()]


def _editable(*, user, asset: Asset, kind: str = AssetPhoto.Kind.SITE) -> None:
    access.require(access.asset_photo_can_add(user=user, asset=asset, kind=kind),
                   _("You may not change the photos of assets of this commune."))


def _kind_check(kind: str) -> None:
    if kind not in AssetPhoto.Kind.values:
        message = _("A photo shows the site or the plaque.")
        raise DomainError(message, errors={"kind": [message]})


def _captions_check(captions: dict | None) -> dict:
    """The captions, trimmed, each at most CAPTION_CHARS of text; blank ones as ""."""
    clean = {}
    for name in caption_fields():
        text = str((captions or {}).get(name) or "").strip()
        if "\x00" in text or len(text) > CAPTION_CHARS:
            message = _("The caption must be text of at most %(n)d characters.") % {
                "n": CAPTION_CHARS}
            raise DomainError(message, errors={name: [message]})
        clean[name] = text
    return clean


def asset_photo_add_check(*, user, asset: Asset, upload, captions: dict | None = None,
                          kind: str = AssetPhoto.Kind.SITE) -> dict:
    """The clean captions, after the checks that read no pixel: scope, captions, the
    file's size, its image header and the pixel caps (assets.images.image_check)."""
    _editable(user=user, asset=asset, kind=kind)
    _kind_check(kind)
    captions = _captions_check(captions)
    try:
        image_check(upload)
    except ImageRefused as refusal:
        raise DomainError(str(refusal), errors={"image": [str(refusal)]}) from None
    return captions


@transaction.atomic
def asset_photo_add(*, user, asset: Asset, upload, captions: dict | None = None,
                    kind: str = AssetPhoto.Kind.SITE, position: int | None = None,
                    inline: bool | None = None) -> AssetPhoto:
    """Keep the upload privately and queue the photo for a worker, which publishes it
    (`inline`: process it here; QRMAP_JOBS_INLINE by default)."""
    captions = asset_photo_add_check(user=user, asset=asset, upload=upload, captions=captions,
                                     kind=kind)
    if position is None:
        position = asset.photos.count()  # after the photos it has
    photo = AssetPhoto(asset=asset, kind=kind, position=_position(position),
                       language=translation.get_language() or "", **captions)
    photo.original.save(upload.name or "photo", upload, save=False)
    try:
        photo.save()
        asset_photo_start(photo=photo, inline=inline)
    except Exception:
        # No row will own the private copy of the sender's file: it goes now. (A rollback
        # of the caller's own transaction after this returns still leaves it behind.)
        photo.original.storage.delete(photo.original.name)
        raise
    return photo


def asset_photo_start(*, photo: AssetPhoto, inline: bool | None = None) -> None:
    """Queue the photo for a worker once committed; inline (QRMAP_JOBS_INLINE: tests,
    one-off scripts) claim and process it here, as a worker would."""
    if not (settings.QRMAP_JOBS_INLINE if inline is None else inline):
        jobs.job_enqueue(photo)
        return
    claimed = jobs.job_claim(AssetPhoto, photo.pk)
    if claimed is not None:
        asset_photo_process(photo=claimed)
    photo.refresh_from_db()


def asset_photo_process(*, photo: AssetPhoto) -> AssetPhoto:
    """Make and publish the variants of a claimed photo, or mark it failed with the reason,
    in the language of its sender; the private upload goes either way."""
    with translation.override(photo.language or settings.LANGUAGE_CODE):
        try:
            with photo.original.open("rb") as handle:
                data = handle.read()
            variants = photo_variants(ContentFile(data, name="upload"))
        except ImageRefused as refusal:
            return _failed(photo, str(refusal))
        except FileNotFoundError:
            return _failed(photo, _("The uploaded file is gone. Please upload the photo again."))
        except Exception:  # noqa: BLE001 - any decoder crash on an untrusted file
            log.exception("asset photo %s could not be processed", photo.pk)
            return _failed(photo, _("The photo could not be processed. Please send it again, "
                                    "or another one."))
    with transaction.atomic():
        if not AssetPhoto.objects.select_for_update().filter(pk=photo.pk).exists():
            return photo  # deleted while the worker made its variants: nothing to publish
        for name in VARIANTS:
            getattr(photo, name).save(variants[name].name, variants[name], save=False)
        for name in SIZES:
            setattr(photo, name, variants[name])
        _original_drop(photo)
        jobs.job_end(photo, fields=(*VARIANTS, *SIZES, "original"))
    return photo


def _failed(photo: AssetPhoto, message: str) -> AssetPhoto:
    with transaction.atomic():
        if not AssetPhoto.objects.select_for_update().filter(pk=photo.pk).exists():
            return photo  # deleted meanwhile
        _original_drop(photo)
        jobs.job_end(photo, failed=message, fields=("original",))
    return photo


def _original_drop(photo: AssetPhoto) -> None:
    """Forget the private upload; its file goes once that is committed."""
    if photo.original:
        storage, name = photo.original.storage, photo.original.name
        transaction.on_commit(lambda: storage.delete(name))
    photo.original = ""


def _position(position) -> int:
    return max(0, min(int(position), 32767))


def asset_photo_update(*, user, photo: AssetPhoto, captions: dict, position: int,
                       kind: str | None = None) -> AssetPhoto:
    """Change a photo's captions, place in the gallery or what it shows."""
    _editable(user=user, asset=photo.asset)
    _kind_check(kind or photo.kind)
    for name, text in _captions_check(captions).items():
        setattr(photo, name, text)
    photo.position, photo.kind = _position(position), kind or photo.kind
    photo.save(update_fields=[*caption_fields(), "position", "kind"])
    return photo


def asset_photo_delete(*, user, photo: AssetPhoto) -> None:
    """Remove a photo; its files go with the row (photo_files_delete)."""
    _editable(user=user, asset=photo.asset)
    photo.delete()


def photo_files_delete(sender, instance: AssetPhoto, **kwargs) -> None:
    """post_delete of AssetPhoto, also when an asset's deletion takes its photos: the files
    go once the deletion is committed (a rolled-back one keeps them)."""
    for name in (*VARIANTS, "original"):
        stored = getattr(instance, name)
        if stored:
            transaction.on_commit(lambda s=stored.storage, n=stored.name: s.delete(n))
