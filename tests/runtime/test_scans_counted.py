"""Scans are counted exactly: N concurrent scans through the live server, one flush, N in the
database; a flush interrupted after taking the counts or after committing them, then flushed
again, still gives N."""
import threading
import urllib.request

import pytest
from django.db.models import Sum

from assets.models import Scan
from assets.scans import _key, _redis, scan_record, scans_flush, scans_pending
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, EACH = 8, 25


def _total():
    return Scan.objects.aggregate(n=Sum("count"))["n"] or 0


def test_concurrent_scans_are_all_counted(live_server, geography):
    plaque = PlaqueFactory(asset=AssetFactory())
    url = f"{live_server.url}/Q/{plaque.code}"

    def scan_many():
        for _ in range(EACH):
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
                assert response.status == 200

    threads = [threading.Thread(target=scan_many) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _total() == 0 and scans_pending() == THREADS * EACH  # nothing written per request
    assert scans_flush() == THREADS * EACH
    assert _total() == THREADS * EACH
    assert Scan.objects.get().plaque == plaque
    assert scans_flush() == 0 and _total() == THREADS * EACH


@pytest.mark.parametrize("stop", ["after taking the counts", "after committing them"])
def test_an_interrupted_flush_neither_loses_nor_doubles(geography, stop):
    asset = AssetFactory()
    for _ in range(7):
        scan_record(code=asset.code, asset=asset)
    if stop == "after taking the counts":
        # What step 1 of a flush does before it is killed: the counts sit under a flush key.
        _redis().rename(_key("pending"), _key("flush:20260101000000-killed"))
    else:
        scans_flush(stop_after_commit=True)  # committed, but its key was never deleted
    assert scans_pending() == 7  # still in Redis one way or the other
    for _ in range(3):
        scan_record(code=asset.code, asset=asset)  # scans keep arriving meanwhile
    scans_flush()
    assert _total() == 10 and scans_pending() == 0
    scans_flush()
    assert _total() == 10
