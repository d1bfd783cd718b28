"""The public's problem reports: the form of a code, and the status page its sender follows
by the reference the form gave."""
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from assets import codes
from assets.errors import DomainError
from assets.models import Report
from assets.public.reports import (
    LIMIT_CLIENT,
    ReportForm,
    report_limit_count,
    report_limit_reached,
    report_script_config,
)
from assets.public.views import language_activate, not_found, nul_refusal
from assets.selectors import code_resolve, report_by_reference, report_sent
from assets.services.reports import report_create
from qrmap.i18n import localized


@csrf_protect
def report(request, code):
    """The "report a problem" form of a code; this page, unlike the asset page, sets the
    CSRF cookie, since it posts. A refused report comes back with what was typed and why."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    lang = language_activate(request)
    resolved = code_resolve(code=code)
    if resolved is None:
        return not_found(request, code, lang)
    limited = report_limit_reached(asset=resolved.asset, request=request)
    form = ReportForm()
    if request.method == "POST" and not limited:
        form = ReportForm(request.POST, request.FILES)
        stored = _report_store(request, form, resolved) if form.is_valid() else None
        if stored is not None:
            url = (reverse("public:asset-report", args=[resolved.code])
                   + f"?sent=1&ref={stored.reference}")
            return redirect(url + (f"&lang={lang['lang_param']}" if lang["lang_param"] else ""))
    context = {"resolved": resolved, "form": form, "limited": limited,
               "limited_client": limited == LIMIT_CLIENT, "script": report_script_config(),
               "sent": request.GET.get("sent") == "1",
               "sent_report": report_sent(asset=resolved.asset, reference=request.GET.get("ref")),
               "name": localized(resolved.asset, "name", lang["lang"])[0],
               "grouped": codes.group(resolved.code), **lang}
    status = 429 if limited and request.method == "POST" else 200
    response = render(request, "assets/report.html", context, status=status)
    response["Content-Language"] = lang["lang"]
    response["Cache-Control"] = "private, no-store"
    return response


def _report_store(request, form, resolved) -> Report | None:
    """Store the report and count it, or put the service's refusal on the form."""
    data = form.cleaned_data
    try:
        report = report_create(asset=resolved.asset, plaque=resolved.plaque, code=resolved.code,
                      problem=data["problem"], text=data["text"], photo=data["photo"],
                      contact=data["contact"])
    except DomainError as error:
        for field, messages in (error.errors or {None: [error.message]}).items():
            form.add_error(field if field in form.fields else None, messages)
        return None
    report_limit_count(asset=resolved.asset, request=request)
    return report


@require_safe
def report_status(request, reference):
    """Where a report stands, for its sender (received, in progress, fixed), by the
    reference the report page gave: the place, the problem and the dates, nothing else."""
    lang = language_activate(request)
    refused = nul_refusal(request, lang, reference=reference)
    if refused:
        return refused
    report = report_by_reference(reference=reference)
    if report is None:
        response = render(request, "assets/report_status.html", {
            "reference": reference[:20], **lang}, status=404)
    else:
        response = render(request, "assets/report_status.html", {
            "report": report, "name": localized(report.asset, "name", lang["lang"])[0],
            **lang})
    response["Content-Language"] = lang["lang"]
    response["Cache-Control"] = "private, max-age=60"
    patch_vary_headers(response, ("Accept-Language",))
    return response
