"""Scans: one daily count per code and language, nothing about the person."""
import datetime

import pytest
from django.apps import apps
from django.db import models

from assets.models import Scan
from assets.scans import scan_record, scans_flush
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def flushed():
    """The Scan rows once Redis's pending counts are flushed (beat does it every minute)."""
    scans_flush()
    return Scan.objects


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The page caches neighbours and addresses per asset; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


def test_each_request_counts_one_scan(client):
    asset = AssetFactory()
    for _ in range(3):
        assert client.get(f"/Q/{asset.code}").status_code == 200
    rows = list(flushed().values("code", "language", "count", "plaque"))
    assert rows == [{"code": asset.code, "language": "vi", "count": 3, "plaque": None}]


def test_a_plaque_code_counts_for_that_plaque(client):
    plaque = PlaqueFactory()
    client.get(f"/q/{plaque.code.lower()}")
    client.get(f"/Q/{plaque.asset.code}")
    scans = {s.code: s for s in flushed().all()}
    assert scans[plaque.code].plaque == plaque and scans[plaque.code].count == 1
    assert scans[plaque.code].asset == plaque.asset
    assert scans[plaque.asset.code].plaque is None


def test_scans_are_split_by_language(client):
    asset = AssetFactory()
    client.get(f"/Q/{asset.code}?lang=en")
    client.get(f"/Q/{asset.code}?lang=zh")
    client.get(f"/Q/{asset.code}", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    counts = dict(flushed().values_list("language", "count"))
    assert counts == {"en": 2, "zh-hans": 1}


def test_a_revalidation_304_counts_but_head_and_unknown_codes_do_not(client):
    asset = AssetFactory()
    etag = client.get(f"/Q/{asset.code}")["ETag"]
    assert client.get(f"/Q/{asset.code}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.head(f"/Q/{asset.code}").status_code == 200
    assert client.get("/Q/ZZZZZZZZ").status_code == 404
    assert list(flushed().values_list("code", "count")) == [(asset.code, 2)]


def test_scan_record_increments_one_row_per_day():
    asset = AssetFactory()
    day = datetime.date(2026, 1, 2)
    for _ in range(5):
        scan_record(code=asset.code, asset=asset, day=day)
    scan_record(code=asset.code, asset=asset, day=day + datetime.timedelta(days=1))
    assert dict(flushed().filter(asset=asset).values_list("day", "count")) == {
        day: 5, day + datetime.timedelta(days=1): 1}


def test_no_model_can_hold_an_ip_address_and_scans_hold_only_counts():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.GenericIPAddressField), (model, field.name)
            assert "ip_" not in field.name and field.name not in ("ip", "ip_address"), (
                model, field.name)
    names = {f.name for f in Scan._meta.get_fields()}
    assert names == {"id", "day", "code", "asset", "plaque", "language", "count"}
