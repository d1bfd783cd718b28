"""Public problem reports: the public form's write and staff triage. See assets.services."""
import logging
import secrets

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import access, codes, images
from assets.errors import DomainError
from assets.models import Asset, Plaque, Report

log = logging.getLogger(__name__)
REFERENCE_TRIES = 5


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
    _save_with_reference(report)
    if settings.QRMAP_REPORT_RECIPIENTS:
        # By name, not by import: the task module imports the printing and import engines.
        transaction.on_commit(lambda: current_app.send_task(
            "assets.tasks.report_notify_task", args=[report.pk]))
    return report


def _save_with_reference(report: Report) -> None:
    # 40 random bits: a clash is rare, and the unique index settles it.
    for attempt in range(REFERENCE_TRIES):
        report.reference = "".join(secrets.choice(codes.ALPHABET) for _ in range(8))
        try:
            with transaction.atomic():
                report.save()
            return
        except IntegrityError:
            if attempt == REFERENCE_TRIES - 1:
                raise


def report_notify(*, report: Report) -> int:
    """E-mail the staff in QRMAP_REPORT_RECIPIENTS about a new report (Django's mail: the
    console in development); returns the number of messages sent."""
    recipients = list(settings.QRMAP_REPORT_RECIPIENTS)
    if not recipients:
        return 0
    base = settings.QRMAP_PUBLIC_BASE_URL
    subject = _("New report %(reference)s: %(problem)s") % {
        "reference": report.grouped_reference, "problem": report.get_problem_display()}
    body = _("A report was sent about %(asset)s (code %(code)s).\n\nProblem: %(problem)s\n"
             "Text: %(text)s\n\nHandle it in the admin: %(url)s") % {
        "asset": report.asset.name_vi, "code": report.asset.grouped_code,
        "problem": report.get_problem_display(), "text": report.text or "—",
        "url": f"{base}/admin/assets/report/{report.pk}/change/"}
    return send_mail(subject, body, None, recipients, fail_silently=False)
