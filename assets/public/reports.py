"""Problem reports from the public: the form, the rate limit and the write.

Nothing about the sender is kept: no IP, no cookie-bound id. The rate limit is a fixed
window counted from the reports already stored for the asset, so it holds across any
number of gunicorn workers without a shared cache and without knowing who sent what.
The photo is re-encoded, which drops its EXIF block (phones write GPS position and device
serials there) and caps its size.
"""
import datetime
import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from assets.models import Asset, Plaque, Report

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 1600
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limit() -> tuple[int, datetime.timedelta]:
    """(reports, window) from QRMAP_REPORT_RATE_LIMIT, e.g. "5/h"."""
    count, _, period = settings.QRMAP_REPORT_RATE_LIMIT.partition("/")
    return int(count), datetime.timedelta(seconds=_PERIODS.get(period[:1] or "h", 3600))


def report_rate_limited(*, asset: Asset) -> bool:
    """True when the asset already got its quota of reports in the current window."""
    limit, window = rate_limit()
    since = timezone.now() - window
    return Report.objects.filter(asset=asset, created_at__gte=since).count() >= limit


class ReportForm(forms.Form):
    problem = forms.ChoiceField(label=_("What is the problem?"), choices=Report.Problem.choices,
                                widget=forms.RadioSelect)
    text = forms.CharField(label=_("Details"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.ImageField(label=_("Photo (optional, up to 5 MB)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    contact = forms.CharField(
        label=_("Contact (optional)"), required=False, max_length=200,
        help_text=_("Only if you want an answer. Nothing else about you is recorded."),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("The photo is %(size)s; the limit is 5 MB. Please send a smaller one."),
                params={"size": filesizeformat(photo.size)},
            )
        return photo

    def clean(self):
        cleaned = super().clean()
        problem, text = cleaned.get("problem"), (cleaned.get("text") or "").strip()
        if problem in (Report.Problem.WRONG, Report.Problem.OTHER) and not text:
            self.add_error("text", _("Please say what is wrong."))
        return cleaned


def _clean_photo(upload):
    """Re-encode as JPEG without metadata, at most MAX_PHOTO_SIDE pixels on a side."""
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82, optimize=True)
    return SimpleUploadedFile("report.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def report_create(*, asset: Asset, code: str, problem: str, text: str = "",
                  photo=None, contact: str = "", plaque: Plaque | None = None) -> Report:
    """Store a public problem report (photo stripped of its metadata)."""
    report = Report(asset=asset, plaque=plaque, code=code, problem=problem,
                    text=text.strip(), contact=contact.strip())
    if photo:
        report.photo = _clean_photo(photo)
    report.full_clean()
    report.save()
    return report
