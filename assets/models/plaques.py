"""Plaques and the print batches that made them."""
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assets import codes, storage
from assets.models.registry import Asset


class PrintBatch(models.Model):
    """One print job: the PDF handed to the sign maker and the plaques it created."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("asked by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    template = models.CharField(_("template"), max_length=20)
    paper = models.CharField(_("paper"), max_length=20)
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    skipped = models.JSONField(_("skipped"), default=list, blank=True)
    # Written by the worker while it runs the job; a stale heartbeat means the worker died.
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), storage=storage.private_storage,
                            upload_to=storage.print_file_name, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self):
        return _("Print batch %(id)s (%(day)s)") % {
            "id": self.pk, "day": date_format(localtime(self.created_at), "SHORT_DATE_FORMAT")}


class Plaque(models.Model):
    class Template(models.TextChoices):
        STREET_SIGN = "street_sign", _("street sign")
        HERITAGE = "heritage", _("heritage plaque")
        STICKER = "sticker", _("small sticker")

    class Status(models.TextChoices):
        DESIGNED = "designed", _("designed")
        PRINTED = "printed", _("printed")
        INSTALLED = "installed", _("installed")
        DAMAGED = "damaged", _("damaged")
        REPLACED = "replaced", _("replaced")
        REMOVED = "removed", _("removed")

    code = models.CharField(_("code"), max_length=8, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="plaques",
                              verbose_name=_("asset"))
    template = models.CharField(_("template"), max_length=20, choices=Template.choices)
    width_mm = models.PositiveIntegerField(_("width (mm)"))
    height_mm = models.PositiveIntegerField(_("height (mm)"))
    languages = models.CharField(_("languages"), max_length=20, default="vi,en,zh")
    mount_distance_m = models.FloatField(_("scan distance (m)"), default=1.0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DESIGNED)
    batch = models.ForeignKey(PrintBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="plaques", verbose_name=_("print batch"))
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaces", verbose_name=_("replaced by"))
    designed_at = models.DateTimeField(_("designed at"), auto_now_add=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    install_photo = models.ImageField(_("installation photo"), storage=storage.private_storage,
                                      upload_to=storage.install_photo_name, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["asset", "id"]
        verbose_name = _("plaque")
        verbose_name_plural = _("plaques")
        constraints = [
            models.CheckConstraint(condition=Q(width_mm__gte=20, height_mm__gte=20),
                                   name="plaque_min_size"),
        ]

    def __str__(self):
        return f"{self.code} ({self.get_template_display()})"

    @property
    def grouped_code(self):
        return codes.group(self.code) if self.code else ""
