"""Staff scope."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geodata.models import AdminUnit


class StaffScope(models.Model):
    """Which communes a staff user may edit and print for; the province office sees all."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="qrmap_scope")
    all_communes = models.BooleanField(_("all communes (province office)"), default=False)
    communes = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                      limit_choices_to={"level": "commune",
                                                        "valid_to__isnull": True})

    def __str__(self):
        return f"{self.user}: {'all' if self.all_communes else self.communes.count()} communes"
