"""Staff scope."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from geodata.models import AdminUnit


class StaffScope(models.Model):
    """Which communes a staff user may edit and print for; the province office sees all."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="qrmap_scope", verbose_name=_("user"))
    all_communes = models.BooleanField(_("all communes (province office)"), default=False)
    communes = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                      limit_choices_to={"level": "commune",
                                                        "valid_to__isnull": True},
                                      verbose_name=_("communes"))

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")

    def __str__(self):
        if self.all_communes:
            return _("%(user)s: all communes") % {"user": self.user}
        count = self.communes.count()
        return ngettext("%(user)s: %(count)s commune", "%(user)s: %(count)s communes",
                        count) % {"user": self.user, "count": count}
