"""Problem reports from the public: the form and the rate limits (the write is
assets.services.reports.report_create).

Nothing about the sender is kept: no IP, no cookie-bound id. Two limits, both counted in
the shared cache (qrmap.throttling) so that they hold across every gunicorn worker: one per
client, keyed by a keyed hash of its address (qrmap.clients) that lives only as long as the
window, and a higher one per asset, so that one sender cannot silence a place. Only stored
reports count; a form refused for a bad photo does not use up the sender's quota.
"""
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.images import MB, ImageUploadField
from assets.models import Asset, Report
from qrmap.clients import client_key
from qrmap.throttling import limit_count, limit_reached

# Markers around the form's fields. Browsers send fields in page order, so a body cut off
# on the way (a dropped 3G link) has the first and lacks the last; Django then parses what
# arrived and silently drops a half-received file. Such a report is refused, not stored
# without the photo its sender attached. (A post with neither marker, from a page of an
# older version or a script, is taken as it is.)
START, END = "start", "end"
INCOMPLETE = gettext_lazy("The report arrived incomplete (the connection was cut). Nothing "
                          "was saved; please send it again.")

LIMIT_ASSET = "asset"
LIMIT_CLIENT = "client"


def _limits(*, asset: Asset, request) -> list[tuple[str, str, str]]:
    return [(LIMIT_CLIENT, client_key(request), settings.QRMAP_REPORT_CLIENT_RATE_LIMIT),
            (LIMIT_ASSET, str(asset.pk), settings.QRMAP_REPORT_RATE_LIMIT)]


def report_limit_reached(*, asset: Asset, request) -> str | None:
    """Which limit (LIMIT_CLIENT or LIMIT_ASSET) a new report would break, or None."""
    for scope, ident, rate in _limits(asset=asset, request=request):
        if limit_reached(scope=f"report-{scope}", ident=ident, rate=rate):
            return scope
    return None


def report_limit_count(*, asset: Asset, request) -> None:
    """Count a stored report against both limits."""
    for scope, ident, rate in _limits(asset=asset, request=request):
        limit_count(scope=f"report-{scope}", ident=ident, rate=rate)


class ReportForm(forms.Form):
    problem = forms.ChoiceField(label=gettext_lazy("What is the problem?"),
                                choices=Report.Problem.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=gettext_lazy("Details"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photo = ImageUploadField(label=gettext_lazy("Photo (optional)"), required=False)
    contact = forms.CharField(
        label=gettext_lazy("Contact (optional)"), required=False, max_length=200,
        help_text=gettext_lazy("Only if you want an answer. Nothing else about you is recorded."),
    )
    start = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    end = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _(
            "Up to %(limit)s MB. The page makes a large photo smaller before sending it."
        ) % {"limit": settings.QRMAP_MAX_PHOTO_BYTES // MB}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(START) and not cleaned.get(END):
            raise forms.ValidationError(INCOMPLETE, code="incomplete")
        problem, text = cleaned.get("problem"), (cleaned.get("text") or "").strip()
        if problem in (Report.Problem.WRONG, Report.Problem.OTHER) and not text:
            self.add_error("text", _("Please say what is wrong."))
        return cleaned



def report_script_config() -> dict:
    """What static/assets/report.js needs (through json_script): the size to shrink photos
    to, the byte limit, and its messages in the page's language."""
    limit = settings.QRMAP_MAX_PHOTO_BYTES
    return {
        "maxSide": settings.QRMAP_PHOTO_MAX_SIDE, "maxBytes": limit,
        # A phone photo of a few hundred KB crosses a 90 KB/s uplink in seconds.
        "targetBytes": 450 * 1024,
        "messages": {
            # Put before the page's title when the report was not sent.
            "errorTitle": _("Error:"),
            "preparing": _("Making the photo smaller…"),
            # {percent} is filled in by the page while the report is on its way.
            "sending": _("Sending… {percent}%"),
            "network": _("The report was not sent: the connection was lost. What you typed "
                         "is still here; please try again."),
            "refused": _("The report was not sent: the server answered with error {status}. "
                         "What you typed is still here; please try again later."),
            "tooBig": _("The photo is too big to send (the limit is %(limit)s MB). Please "
                        "choose a smaller photo.") % {"limit": limit // MB},
        },
    }
