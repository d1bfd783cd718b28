"""OWSLib, the OGC client library QGIS plugins use, against a live server: it lists the
queryables of the assets and fetches the heritage sites by a CQL2 filter (text and JSON),
sorted and with fewer properties; the counts and ids are the ORM's."""
import json

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.cache import cache
from owslib.ogcapi.features import Features

from assets.models import Asset
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(live_server, geography, monkeypatch):
    # Only the local server: no proxy may intercept 127.0.0.1.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    cache.clear()
    for i in range(5):
        AssetFactory(name_vi=f"Đền số {i}", kind=Asset.Kind.HERITAGE,
                     category=Asset.Category.TEMPLE, heritage_rank=Asset.HeritageRank.PROVINCIAL,
                     location=Point(106.74 + i * 0.004, 21.84, srid=4326))
    for i in range(7):
        AssetFactory(name_vi=f"Đường số {i}", kind=Asset.Kind.STREET,
                     category=Asset.Category.STREET)
    return Features(f"{live_server.url}/ogc")


def _codes(result):
    return {feature["id"] for feature in result["features"]}


def test_owslib_queryables_and_cql2_filters_match_the_orm(api):
    queryables = api.collection_queryables("assets")
    assert queryables["type"] == "object"
    assert "heritage" in queryables["properties"]["kind"]["enum"]
    assert queryables["properties"]["geometry"]["format"] == "geometry-point"

    heritage = set(Asset.objects.filter(kind=Asset.Kind.HERITAGE).values_list("code", flat=True))
    text = api.collection_items("assets", filter="kind='heritage'", limit=100)
    assert text["numberMatched"] == text["numberReturned"] == len(heritage) == 5
    assert _codes(text) == heritage

    east = "kind='heritage' AND S_INTERSECTS(geometry, BBOX(106.747, 21.83, 106.76, 21.85))"
    box = Polygon.from_bbox((106.747, 21.83, 106.76, 21.85))
    orm_east = set(Asset.objects.filter(kind=Asset.Kind.HERITAGE, location__intersects=box)
                   .values_list("code", flat=True))
    assert _codes(api.collection_items("assets", filter=east)) == orm_east
    assert len(orm_east) == 3

    document = {"op": "and", "args": [
        {"op": "=", "args": [{"property": "kind"}, "heritage"]},
        {"op": "like", "args": [{"property": "name_vi"}, "Đền%"]}]}
    as_json = api.collection_items("assets", **{"filter-lang": "cql2-json",
                                                "filter": json.dumps(document)})
    assert _codes(as_json) == heritage

    # OWSLib's sortby is (property, order); properties narrows what each feature carries.
    sorted_page = api.collection_items("assets", filter="kind='heritage'",
                                       sortby=("name_vi", "desc"), properties="name_vi",
                                       limit=2)
    assert [f["properties"] for f in sorted_page["features"]] == [
        {"name_vi": "Đền số 4"}, {"name_vi": "Đền số 3"}]
    next_page = next(link for link in sorted_page["links"] if link["rel"] == "next")
    assert "filter=" in next_page["href"] and "sortby=-name_vi" in next_page["href"]
