"""What the public leaves: daily scan counts and problem reports."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from assets import storage
from assets.models.plaques import Plaque
from assets.models.registry import Asset


class Scan(models.Model):
    """Daily scan count of one code and language. Nothing about the person who scanned."""

    day = models.DateField(_("day"))
    code = models.CharField(_("code"), max_length=8)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="scans",
                              verbose_name=_("asset"))
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="scans", verbose_name=_("plaque"))
    language = models.CharField(_("language"), max_length=10, default="vi")
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "day", "language"], name="scan_daily_unique"),
        ]
        indexes = [models.Index(fields=["asset", "day"])]
        verbose_name = _("daily scan count")
        verbose_name_plural = _("daily scan counts")

    def __str__(self):
        return f"{self.code} {self.day}: {self.count}"


class Report(models.Model):
    class Problem(models.TextChoices):
        DAMAGED = "damaged", _("the plaque is damaged")
        MISSING = "missing", _("the plaque is missing")
        WRONG = "wrong_info", _("the information is wrong")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGED = "triaged", _("triaged")
        RESOLVED = "resolved", _("resolved")
        REJECTED = "rejected", _("rejected")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="reports",
                              verbose_name=_("asset"))
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="reports", verbose_name=_("plaque"))
    code = models.CharField(_("code"), max_length=8, blank=True)
    # What the sender is given to follow the report (/r/<reference>): random, so that one
    # report's page does not lead to the others'. Reports from before it have none.
    reference = models.CharField(_("reference"), max_length=8, unique=True, null=True,
                                 blank=True, editable=False)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices)
    text = models.TextField(_("what is wrong"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), storage=storage.private_storage,
                              upload_to=storage.report_photo_name, blank=True)
    contact = models.CharField(_("contact (optional)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")

    def __str__(self):
        return f"{self.get_problem_display()} — {self.asset}"

    @property
    def grouped_reference(self):
        return f"{self.reference[:4]}-{self.reference[4:]}" if self.reference else ""

    @property
    def public_step(self) -> int:
        """Where the report stands for its sender: 1 received, 2 in progress, 3 fixed
        (a rejected report is closed: 0)."""
        return {self.Status.NEW: 1, self.Status.TRIAGED: 2, self.Status.RESOLVED: 3}.get(
            self.status, 0)
