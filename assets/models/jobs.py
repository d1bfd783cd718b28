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

    token = models.CharField(_("upload"), max_length=64, db_index=True)  # the upload's (uploads.py)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Mapping, coordinate system, swap fix, "commit the good rows": the preview's form.
    options = models.JSONField(_("options"), default=dict)
    options_key = models.CharField(_("options key"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("asked by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return _("%(kind)s %(token)s (%(status)s)") % {
            "kind": self.get_kind_display(), "token": self.token[:8],
            "status": self.get_status_display()}
