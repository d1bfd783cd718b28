"""Report limits: per client across assets and per asset, counted in the shared cache under a
keyed hash that never reaches the database; a refused photo refuses the whole report."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from assets.models import Report
from qrmap.clients import client_key
from tests.assets.image_samples import bomb_png, jpeg
from tests.conftest import RUN_PREFIX
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

ALICE, BOB = "203.0.113.7", "198.51.100.23"


def post(client, asset, address, lang="en", **data):
    return client.post(f"/a/{asset.code}/report/?lang={lang}",
                       {"problem": "damaged", "start": "1", "end": "1", **data},
                       REMOTE_ADDR=address)


def test_one_client_is_limited_across_assets_while_another_still_reports(client, settings):
    settings.QRMAP_REPORT_CLIENT_RATE_LIMIT = "2/h"
    settings.QRMAP_REPORT_RATE_LIMIT = "5/h"
    first, second, third = AssetFactory(), AssetFactory(), AssetFactory()
    assert post(client, first, ALICE).status_code == 302
    assert post(client, second, ALICE).status_code == 302
    refused = post(client, first, ALICE)
    assert refused.status_code == 429
    assert "You have sent many reports in the last hour" in refused.content.decode()
    assert post(client, third, ALICE).status_code == 429
    # A fresh client object with the same address is the same sender: no cookie involved.
    assert post(Client(), third, ALICE).status_code == 429
    assert post(Client(), first, BOB).status_code == 302
    assert Report.objects.filter(asset=first).count() == 2
    assert Report.objects.count() == 3


def test_the_page_says_so_before_the_sender_types_anything(client, settings):
    settings.QRMAP_REPORT_CLIENT_RATE_LIMIT = "1/h"
    asset = AssetFactory()
    assert post(client, asset, ALICE).status_code == 302
    page = client.get(f"/a/{asset.code}/report/?lang=en", REMOTE_ADDR=ALICE).content.decode()
    assert "You have sent many reports" in page and "<form" not in page
    assert "<form" in client.get(f"/a/{asset.code}/report/", REMOTE_ADDR=BOB).content.decode()


def test_one_sender_cannot_silence_a_place(client, settings):
    """The defaults: a sender's quota ends before the place's does."""
    from qrmap.throttling import rate_parse

    per_client, per_asset = (rate_parse(settings.QRMAP_REPORT_CLIENT_RATE_LIMIT),
                             rate_parse(settings.QRMAP_REPORT_RATE_LIMIT))
    assert per_client[0] < per_asset[0]
    asset = AssetFactory()
    answers = {post(client, asset, ALICE).status_code for _ in range(per_client[0] + 2)}
    assert answers == {302, 429}
    assert post(client, asset, BOB).status_code == 302


def test_a_refused_report_does_not_use_up_the_quota(client, settings):
    settings.QRMAP_REPORT_CLIENT_RATE_LIMIT = "1/h"
    asset = AssetFactory()
    bomb = SimpleUploadedFile("bomb.png", bomb_png(), content_type="image/png")
    assert post(client, asset, ALICE, photo=bomb).status_code == 200
    assert post(client, asset, ALICE).status_code == 302


def test_no_address_and_no_hash_lands_in_the_database(client):
    asset = AssetFactory()
    photo = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
    response = post(client, asset, ALICE, text="Faded", contact="", photo=photo)
    assert response.status_code == 302
    assert set(response.cookies) <= {"csrftoken"}  # no session, no tracking cookie
    traces = {ALICE, _hash_of(ALICE)}
    with connection.cursor() as cursor:
        for table in ("assets_report", "django_session"):
            cursor.execute(f"SELECT * FROM {table}")
            dump = " ".join(str(value) for row in cursor.fetchall() for value in row)
            assert not any(trace in dump for trace in traces), table
    report = Report.objects.get()
    report.photo.delete()


def test_the_sender_hash_lives_in_the_cache_for_the_window_only(client):
    from django.core.cache import cache

    asset = AssetFactory()
    assert post(client, asset, ALICE).status_code == 302
    redis = cache._cache.get_client(write=False)
    keys = [k.decode() for k in redis.scan_iter(match=f"{RUN_PREFIX}:*")]
    (mine,) = [k for k in keys if _hash_of(ALICE) in k]
    assert "report-client" in mine and 0 < redis.ttl(mine) <= 3600
    assert not [k for k in keys if ALICE in k]


def _hash_of(address):
    from django.test import RequestFactory

    return client_key(RequestFactory().get("/", REMOTE_ADDR=address))
