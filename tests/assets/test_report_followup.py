"""After a report: the sender's reference and status page, the staff's count of new reports
in the admin, and the e-mail to the staff."""
import re

import pytest
from django.core import mail

from assets.access import SYSTEM
from assets.models import Report
from assets.services.reports import report_create, report_moderate, report_notify
from tests.assets.staff_fixtures import clerk_a, communes, inside  # noqa: F401
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def _send(client, asset, lang="en", **data):
    response = client.post(f"/a/{asset.code}/report/?lang={lang}",
                           {"problem": "damaged", "text": "Faded", **data})
    assert response.status_code == 302
    return response


def test_the_sender_gets_a_reference_and_follows_the_status(client, geography):
    asset = AssetFactory(name_vi="Cầu Kỳ Lừa", name_en="Ky Lua Bridge")
    thanks = client.get(_send(client, asset)["Location"]).content.decode()
    report = Report.objects.get()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", report.reference)
    assert f"Its reference is {report.grouped_reference}." in thanks
    status_url = f"/r/{report.reference}/?lang=en"
    assert f'href="{status_url}"' in thanks

    steps = [(None, "Received"), (Report.Status.TRIAGED, "In progress"),
             (Report.Status.RESOLVED, "Fixed")]
    for status, current in steps:
        if status:
            report_moderate(user=SYSTEM, report=report, status=status)
        response = client.get(status_url)
        html = response.content.decode()
        assert response.status_code == 200
        assert f'aria-current="step">{current}<' in html
        assert "Ky Lua Bridge" in html and "Faded" not in html  # no text, no contact
    report_moderate(user=SYSTEM, report=report, status=Report.Status.REJECTED)
    assert "closed this report" in client.get(status_url).content.decode()
    # Typed forgivingly, in Vietnamese; an unknown reference is a 404 page, not a 500.
    typed = client.get(f"/r/{report.grouped_reference.lower()}/").content.decode()
    assert "Phản ánh " + report.grouped_reference in typed
    missing = client.get("/r/ZZZZ-ZZZZ/?lang=en")
    assert missing.status_code == 404 and "Report not found" in missing.content.decode()
    assert client.get("/r/%3Cb%3E/").status_code == 404
    assert "<b>" not in client.get("/r/%3Cb%3E/").content.decode()


def test_the_thank_you_note_names_only_a_report_of_this_asset(client, geography):
    first, second = AssetFactory(), AssetFactory()
    _send(client, first)
    other = Report.objects.get()
    html = client.get(f"/a/{second.code}/report/?sent=1&ref={other.reference}&lang=en")
    assert other.grouped_reference not in html.content.decode()


def test_staff_see_the_count_of_new_reports_of_their_communes(client, communes, clerk_a):  # noqa: F811
    a, b = communes
    mine, theirs = AssetFactory(location=inside(a)), AssetFactory(location=inside(b))
    for asset in (mine, mine, theirs):
        report_create(asset=asset, plaque=None, code=asset.code, problem="damaged", text="",
                      photo=None, contact="")
    report_moderate(user=SYSTEM, report=Report.objects.filter(asset=mine).first(),
                    status=Report.Status.TRIAGED)
    client.force_login(clerk_a)
    html = client.get("/admin/assets/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reports: 1 new" in html


def test_staff_are_emailed_about_a_new_report(settings, geography,
                                             django_capture_on_commit_callbacks):
    settings.QRMAP_REPORT_RECIPIENTS = ["staff@example.org"]
    asset = AssetFactory(name_vi="Chùa Tiên")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_create(asset=asset, plaque=None, code=asset.code, problem="missing",
                               text="<b>gone</b>", photo=None, contact="")
    assert len(callbacks) == 1  # the mail task is queued once the report is stored
    assert report_notify(report=report) == 1
    message = mail.outbox[-1]
    assert message.to == ["staff@example.org"]
    assert report.grouped_reference in message.subject
    assert "Chùa Tiên" in message.body and f"/admin/assets/report/{report.pk}/" in message.body
    settings.QRMAP_REPORT_RECIPIENTS = []
    assert report_notify(report=report) == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_create(asset=asset, plaque=None, code=asset.code, problem="missing", text="",
                      photo=None, contact="")
    assert callbacks == []


def test_the_admin_edits_practical_information_through_the_service(client, communes, clerk_a):  # noqa: F811
    asset = AssetFactory(location=inside(communes[0]))
    client.force_login(clerk_a)
    page = client.get(f"/admin/assets/asset/{asset.pk}/change/").content.decode()
    for name in ("opening_hours_vi", "fee_zh", "access_en", "accessibility_vi",
                 "heritage_inscription", "heritage_year"):
        assert f'name="{name}"' in page
