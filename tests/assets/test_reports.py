"""The "report a problem" form: validation, photo limits, rate limit, CSRF, no personal data."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from assets.models import Report
from tests.assets.image_samples import bomb_png
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def _jpeg(size=(64, 48), exif=True):
    image = Image.new("RGB", size, (120, 160, 90))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "PhoneMaker"  # Make
        info[0x8825] = {2: (21.0, 51.0, 0.0)}  # GPSInfo: latitude
        kwargs["exif"] = info.tobytes()
    image.save(buffer, "JPEG", **kwargs)
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_form_page_sets_the_csrf_cookie_and_the_post_needs_it():
    asset = AssetFactory()
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/a/{asset.code}/report/")
    assert page.status_code == 200 and "csrftoken" in page.cookies
    forged = Client(enforce_csrf_checks=True).post(f"/a/{asset.code}/report/",
                                                   {"problem": "damaged"})
    assert forged.status_code == 403
    token = page.cookies["csrftoken"].value
    sent = client.post(f"/a/{asset.code}/report/", {"problem": "damaged",
                                                    "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    assert Report.objects.count() == 1


def test_a_report_through_a_plaque_code_with_a_photo_is_stored_without_metadata(client):
    plaque = PlaqueFactory()
    response = client.post(f"/Q/{plaque.code}".replace("/Q/", "/a/") + "/report/?lang=en", {
        "problem": "damaged", "text": "  Bent and faded  ", "photo": _jpeg(),
    })
    assert response.status_code == 302
    assert re.search(r"\?sent=1&ref=[0-9A-Z]{8}&lang=en$", response["Location"])
    assert "Thank you" in client.get(response["Location"]).content.decode()
    report = Report.objects.get()
    assert (report.asset, report.plaque, report.code) == (plaque.asset, plaque, plaque.code)
    assert report.text == "Bent and faded" and report.status == Report.Status.NEW
    with Image.open(report.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    report.photo.delete()


def test_an_oversized_photo_is_refused_with_a_clear_message_and_nothing_saved(client):
    asset = AssetFactory()
    # A real 6 MB upload: a valid JPEG followed by padding (image readers ignore it).
    big = SimpleUploadedFile("big.jpg", _jpeg().read() + b"\0" * (6 * 1024 * 1024),
                             content_type="image/jpeg")
    response = client.post(f"/a/{asset.code}/report/?lang=en",
                           {"problem": "damaged", "photo": big})
    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused(client):
    asset = AssetFactory()
    fake = SimpleUploadedFile("p.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(f"/a/{asset.code}/report/", {"problem": "missing", "photo": fake})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert Report.objects.count() == 0


def test_wrong_information_needs_a_text(client):
    asset = AssetFactory()
    response = client.post(f"/a/{asset.code}/report/?lang=en", {"problem": "wrong_info"})
    assert "Please say what is wrong." in response.content.decode()
    assert Report.objects.count() == 0


def test_reports_are_rate_limited_per_asset(client, settings):
    settings.QRMAP_REPORT_RATE_LIMIT = "3/h"
    plaque = PlaqueFactory()
    codes = [plaque.asset.code, plaque.code, plaque.asset.code]
    for code in codes:
        assert client.post(f"/a/{code}/report/", {"problem": "damaged"}).status_code == 302
    refused = client.post(f"/a/{plaque.code}/report/?lang=en", {"problem": "damaged"})
    assert refused.status_code == 429
    assert "many reports in the last hour" in refused.content.decode()
    assert Report.objects.count() == 3
    other = AssetFactory()
    assert client.post(f"/a/{other.code}/report/", {"problem": "damaged"}).status_code == 302


def test_report_rows_hold_nothing_about_the_sender(client):
    asset = AssetFactory()
    client.post(f"/a/{asset.code}/report/", {"problem": "missing"},
                REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="SecretPhone/1.0")
    values = " ".join(str(v) for v in Report.objects.values().get().values())
    assert "203.0.113.7" not in values and "SecretPhone" not in values


# --- A report is never stored without the photo its sender attached --------------------

def _form(**data):
    return {"problem": "damaged", "text": "The QR code is faded", "start": "1", "end": "1",
            **data}


def test_a_decompression_bomb_refuses_the_whole_report_and_keeps_the_text(client):
    asset = AssetFactory()
    bomb = SimpleUploadedFile("b.png", bomb_png(), content_type="image/png")
    response = client.post(f"/a/{asset.code}/report/?lang=en", _form(photo=bomb))
    page = response.content.decode()
    assert response.status_code == 200 and "too many pixels" in page
    assert "The QR code is faded</textarea>" in page
    assert Report.objects.count() == 0


def test_a_photo_that_cannot_be_decoded_refuses_the_whole_report(client):
    """Its header is fine (the form passes it); the service's decoding is not."""
    asset = AssetFactory()
    cut = SimpleUploadedFile("p.jpg", _jpeg(size=(400, 300)).read()[:1500],
                             content_type="image/jpeg")
    response = client.post(f"/a/{asset.code}/report/?lang=vi", _form(photo=cut))
    page = response.content.decode()
    assert response.status_code == 200 and "Ảnh gửi đến không đầy đủ hoặc bị lỗi" in page
    assert "The QR code is faded</textarea>" in page
    assert Report.objects.count() == 0


def test_a_body_cut_off_in_the_photo_is_refused_not_stored_without_it(client):
    """What a dropped 3G link leaves: the fields before the photo and half of it. Django
    parses that and silently drops the half file; the missing end marker refuses it."""
    asset = AssetFactory()
    photo = SimpleUploadedFile("p.jpg", _jpeg(size=(800, 600)).read() + b"\0" * 200_000,
                               content_type="image/jpeg")
    # In page order, as a browser sends them: the start marker first, the end marker last.
    body = encode_multipart(BOUNDARY, {"start": "1", "problem": "damaged",
                                       "text": "The QR code is faded", "photo": photo,
                                       "end": "1"})
    response = client.generic("POST", f"/a/{asset.code}/report/?lang=en",
                              body[: len(body) // 2], content_type=MULTIPART_CONTENT)
    page = response.content.decode()
    assert response.status_code == 200 and "arrived incomplete" in page
    assert "The QR code is faded</textarea>" in page
    assert Report.objects.count() == 0
    complete = client.generic("POST", f"/a/{asset.code}/report/", body,
                              content_type=MULTIPART_CONTENT)
    assert complete.status_code == 302 and Report.objects.get().photo
    Report.objects.get().photo.delete()
