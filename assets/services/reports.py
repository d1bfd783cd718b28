"""Staff handling of public problem reports. See assets.services."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import access
from assets.errors import DomainError
from assets.models import Report


@transaction.atomic
def report_moderate(*, user, report: Report, status: str, staff_note: str | None = None
                    ) -> Report:
    """Triage, resolve or reject a report on an asset of the user's communes."""
    access.require(access.report_can_moderate(user=user, report=report),
                   _("You may not handle reports of this commune."))
    if status not in Report.Status.values:
        raise DomainError(_("Unknown status %(s)s.") % {"s": status},
                          errors={"status": [_("Unknown status.")]})
    report.status = status
    fields = ["status"]
    if staff_note is not None:
        report.staff_note = staff_note
        fields.append("staff_note")
    if status != Report.Status.NEW:
        report.handled_by = None if user is access.SYSTEM else user
        report.handled_at = timezone.now()
        fields += ["handled_by", "handled_at"]
    report.save(update_fields=fields)
    return report
