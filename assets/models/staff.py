"""Staff scope."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from geodata.models import AdminUnit


class StaffScope(models.Model):
    """Which communes a staff user may edit and print for: the communes listed, every current
    commune of the provinces listed, or (all_communes) the whole installation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="qrmap_scope", verbose_name=_("user"))
    all_communes = models.BooleanField(_("whole installation (every province)"), default=False)
    provinces = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                       verbose_name=_("provinces"),
                                       limit_choices_to={"level": "province",
                                                         "valid_to__isnull": True})
    communes = models.ManyToManyField(AdminUnit, blank=True, related_name="+",
                                      verbose_name=_("communes"),
                                      limit_choices_to={"level": "commune",
                                                        "valid_to__isnull": True})

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")

    def __str__(self):
        if self.all_communes:
            return _("%(user)s: all communes") % {"user": self.user}
        count = self.communes.count()
        provinces = self.provinces.count()
        if provinces:
            return _("%(user)s: %(provinces)s provinces and %(count)s more communes") % {
                "user": self.user, "provinces": provinces, "count": count}
        return ngettext("%(user)s: %(count)s commune", "%(user)s: %(count)s communes",
                        count) % {"user": self.user, "count": count}
