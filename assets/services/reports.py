"""Public problem reports: the public form's write and staff triage. See assets.services."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import access, images
from assets.errors import DomainError
from assets.models import Asset, Plaque, Report


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


@transaction.atomic
def report_create(*, asset: Asset, plaque: Plaque | None, code: str, problem: str, text: str,
                  photo, contact: str) -> Report:
    """Store a report from the public, its photo re-encoded without metadata, or refuse it
    whole: a report is never stored without the photo its sender attached."""
    report = Report(asset=asset, plaque=plaque, code=code, problem=problem,
                    text=(text or "").strip(), contact=(contact or "").strip())
    if photo:
        try:
            report.photo = images.image_clean(photo, max_side=settings.QRMAP_PHOTO_MAX_SIDE,
                                              name="report.jpg")
        except images.ImageRefused as refusal:
            raise DomainError(str(refusal), errors={"photo": [str(refusal)]}) from None
    try:
        report.full_clean()
    except ValidationError as error:
        raise DomainError(_("The report is not valid."), errors=error.message_dict) from None
    report.save()
    return report
