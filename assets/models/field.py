"""Field mode: the actions staff record on a phone at the site, applied when a signal returns."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from assets import storage
from assets.models.plaques import Plaque
from assets.models.registry import Asset


class FieldAction(models.Model):
    """One action a clerk took at the site (verify, move, install, damage), as applied by
    field sync. The client's own id makes a replayed upload a no-op; the row keeps who, when
    (on the phone and on arrival) and where (the measured position and its accuracy)."""

    class Kind(models.TextChoices):
        VERIFY = "verify", _("position accepted")
        MOVE = "move", _("moved to the measured position")
        INSTALL = "install", _("plaque installed")
        DAMAGE = "damage", _("plaque damaged")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    client_id = models.CharField(_("client action id"), max_length=64)
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="field_actions",
                              verbose_name=_("asset"))
    plaque = models.ForeignKey(Plaque, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="field_actions", verbose_name=_("plaque"))
    client_time = models.DateTimeField(_("time on the phone"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    location = models.PointField(_("measured position"), srid=4326)
    accuracy_m = models.FloatField(_("accuracy (m)"))
    note = models.TextField(_("note"), blank=True)
    # The history row this action wrote: later actions of the same clerk on the same object
    # were based on the version before it, and are not conflicts with it.
    version_after = models.PositiveBigIntegerField(_("version after"), null=True, blank=True)
    photo_thumbnail = models.ImageField(_("photo thumbnail"), storage=storage.private_storage,
                                        upload_to=storage.field_thumbnail_name, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("field action")
        verbose_name_plural = _("field actions")
        constraints = [models.UniqueConstraint(fields=["user", "client_id"],
                                               name="fieldaction_client_once")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.asset_id} · {self.client_time:%Y-%m-%d %H:%M}"
