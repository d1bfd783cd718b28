"""Background import jobs: the state of a preview or commit of a large file, which a Celery
worker computes (assets.tasks) while the page shows its progress."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One preview (with its options) or one commit of an uploaded file."""

    class Kind(models.TextChoices):
        PREVIEW = "preview", _("check")
        COMMIT = "commit", _("save")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    token = models.CharField(max_length=64, db_index=True)  # the upload's (uploads.py)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Mapping, coordinate system, swap fix, "commit the good rows": the preview's form.
    options = models.JSONField(default=dict)
    options_key = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")

    def __str__(self):
        return f"{self.kind} {self.token[:8]} ({self.status})"
