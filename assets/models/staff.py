"""Staff scope."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geodata.models import AdminUnit


class StaffScope(models.Model):
    """Which communes a staff user may edit and print for: the communes listed, every current
    commune of the provinces listed, or (all_communes) the whole installation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="qrmap_scope")
    all_communes = models.BooleanField(_("whole installation (every province)"), default=False)
    provinces = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                       verbose_name=_("provinces"),
                                       limit_choices_to={"level": "province",
                                                         "valid_to__isnull": True})
    communes = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                      verbose_name=_("communes"),
                                      limit_choices_to={"level": "commune",
                                                        "valid_to__isnull": True})

    def __str__(self):
        if self.all_communes:
            return f"{self.user}: all"
        return (f"{self.user}: {self.provinces.count()} provinces, "
                f"{self.communes.count()} communes")
