"""Plaque health: silent plaques, reported plaques, scans per commune per week."""
import datetime

import pytest
from django.utils import timezone

from assets.access import SYSTEM
from assets.models import Report
from assets.scans import scan_record, scans_flush
from assets.services.plaques import plaque_install
from assets.staff import health
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def test_never_scanned_lists_only_silent_installed_plaques(communes, clerk_a, clerk_b):
    today = timezone.localdate()
    month_ago = today - datetime.timedelta(days=30)
    asset = AssetFactory(location=inside(communes[0]))
    silent = plaque_install(user=SYSTEM, plaque=PlaqueFactory(asset=asset), installed_on=month_ago)
    scanned = plaque_install(user=SYSTEM, plaque=PlaqueFactory(asset=asset), installed_on=month_ago)
    fresh = plaque_install(user=SYSTEM, plaque=PlaqueFactory(asset=asset), installed_on=today)
    PlaqueFactory(asset=asset)  # printed, not installed: not expected to be scanned
    scan_record(code=scanned.code, asset=asset, plaque=scanned, day=today)
    scans_flush()
    assert health.plaques_never_scanned(user=clerk_a) == [silent]
    assert fresh not in health.plaques_never_scanned(user=clerk_a)
    assert health.plaques_never_scanned(user=clerk_b) == []  # other commune


def test_open_reports_and_weekly_scans_per_commune(communes, province):
    today = timezone.localdate()
    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])))
    Report.objects.create(asset=plaque.asset, plaque=plaque, problem="damaged")
    Report.objects.create(asset=plaque.asset, plaque=plaque, problem="wrong_info",
                          status="resolved")
    reported = health.plaques_with_open_reports(user=province)
    assert reported == [plaque] and reported[0].open_reports == 1
    for day in (today, today, today - datetime.timedelta(days=7)):
        scan_record(code=plaque.code, asset=plaque.asset, plaque=plaque, day=day)
    scans_flush()
    weeks, rows = health.scans_per_commune_week(user=province, weeks=4)
    assert len(weeks) == 4 and weeks[-1] <= today
    assert rows == [{"commune": communes[0].name, "counts": [0, 0, 1, 2], "total": 3}]
