"""An asset's photos: the site or its plaque, captioned in the three languages.

An upload is a background job (geodata.jobs): the request keeps the sender's file privately
(`original`, assets.storage) and a Celery worker makes the public variants without metadata
(assets.services.photos). Until the worker is done the row is queued or running and no
public page shows it; a file the worker cannot read ends failed, with the reason."""
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from assets.models.registry import Asset
from assets.storage import photo_original_name, private_storage


def _caption(label):
    return models.CharField(label, max_length=300, blank=True)


class AssetPhotoQuerySet(models.QuerySet):
    def published(self):
        """The photos the public pages and the offline pack show: those with variants."""
        return self.filter(status=AssetPhoto.Status.DONE)


class AssetPhoto(models.Model):
    class Kind(models.TextChoices):
        SITE = "site", _("the site")
        PLAQUE = "plaque", _("the plaque")

    class Status(models.TextChoices):
        # The job machinery's states (geodata.jobs); "done" is a published photo.
        QUEUED = "queued", _("processing")
        RUNNING = "running", _("processing")
        DONE = "done", _("published")
        FAILED = "failed", _("failed")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("asset"))
    kind = models.CharField(_("photo of"), max_length=10, choices=Kind.choices,
                            default=Kind.SITE)
    # The upload as sent (EXIF, GPS and all), private, kept only until the variants exist.
    original = models.FileField(_("upload"), storage=private_storage,
                                upload_to=photo_original_name, blank=True)
    # `image` is the large JPEG (the one every browser reads); the other variants are made
    # with it by assets.services.photos, all without metadata. Photos are public media.
    image = models.ImageField(_("image"), upload_to="assets/%Y/%m/", blank=True)
    large_webp = models.FileField(_("large WebP"), upload_to="assets/%Y/%m/", blank=True)
    thumb_jpeg = models.FileField(_("thumbnail JPEG"), upload_to="assets/%Y/%m/", blank=True)
    thumb_webp = models.FileField(_("thumbnail WebP"), upload_to="assets/%Y/%m/", blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    thumb_width = models.PositiveIntegerField(_("thumbnail width"), null=True, blank=True)
    thumb_height = models.PositiveIntegerField(_("thumbnail height"), null=True, blank=True)
    # All optional, like the practical information: a blank one falls back to Vietnamese
    # (qrmap.i18n.localized), and a photo without any caption is described by the asset name.
    caption_vi = _caption(_("caption (Vietnamese)"))
    caption_en = _caption(_("caption (English)"))
    caption_zh = _caption(_("caption (Chinese)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The job's fields (geodata.jobs). `language` is the sender's interface language, the
    # one the worker writes a failure's message in.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = AssetPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("asset photo")
        verbose_name_plural = _("asset photos")

    def __str__(self):
        return self.caption_vi or self.caption_en or self.caption_zh or self.image.name or str(
            _("photo %(n)s") % {"n": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def thumb_url(self) -> str:
        """The thumbnail JPEG's address; the image itself for a photo stored before variants."""
        return (self.thumb_jpeg or self.image).url
