"""What the public leaves: daily scan counts and problem reports."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from assets import storage
from assets.models.plaques import Plaque
from assets.models.registry import Asset


class Scan(models.Model):
    """Daily scan count of one code and language. Nothing about the person who scanned."""

    day = models.DateField()
    code = models.CharField(max_length=8)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="scans")
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="scans")
    language = models.CharField(max_length=10, default="vi")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "day", "language"], name="scan_daily_unique"),
        ]
        indexes = [models.Index(fields=["asset", "day"])]

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

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="reports")
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="reports")
    code = models.CharField(max_length=8, blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        ordering = ["-created_at"]

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
