"""OWSLib, the OGC client QGIS plugins use, reads the live server's features in VN-2000 TM-3
and in CRS84: the counts are the database's and the positions pyproj's (within 1 cm)."""
import os

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from owslib.ogcapi.features import Features

from assets.models import Asset
from tests.assets.test_ogc_crs import CRS84, EPSG, _expected
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_proxy(monkeypatch):
    # Only the local server: no proxy may intercept 127.0.0.1.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    assert os.environ["NO_PROXY"]


def test_owslib_reads_items_in_tm3_and_crs84(live_server, geography, no_proxy):
    cache.clear()
    placed = {}
    for i in range(12):
        lon, lat = 106.70 + i * 0.02, 21.80 + (i % 5) * 0.03
        kind = Asset.Kind.HERITAGE if i % 3 == 0 else Asset.Kind.STREET
        placed[AssetFactory(location=Point(lon, lat, srid=4326), kind=kind).code] = (lon, lat)
    service = Features(f"{live_server.url}/ogc")
    collection = service.collection("assets")
    assert collection["crs"][0] == f"{EPSG}9215"
    for uri in (f"{EPSG}9215", CRS84):
        items = service.collection_items("assets", crs=uri, limit=5)
        assert service.response_headers["Content-Crs"] == f"<{uri}>"
        assert items["numberMatched"] == Asset.objects.count() == len(placed)
        tolerance = 0.01 if uri != CRS84 else 0.01 / 111_000
        for feature in items["features"]:
            assert feature["geometry"]["coordinates"] == pytest.approx(
                _expected(uri, *placed[feature["id"]]), abs=tolerance)
    heritage = service.collection_items("assets", crs="EPSG:9215", kind="heritage",
                                        limit=100)
    assert heritage["numberReturned"] == Asset.objects.filter(kind=Asset.Kind.HERITAGE).count()
    easting, northing = heritage["features"][0]["geometry"]["coordinates"]
    assert 400_000 < easting < 600_000 and 2_300_000 < northing < 2_500_000
