"""OGC API – Features: landing page, conformance, collections, items with paging, bbox,
datetime and filters, single items, errors, content types, HTML."""
import datetime
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.test import Client

from assets.models import Asset
from geodata.models import AdminUnit, Availability
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def web(geography):
    return Client()


def rels(body):
    return {link["rel"]: link for link in body["links"]}


def test_landing_page_links_to_definition_conformance_and_data(web):
    response = web.get("/ogc/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    links = rels(response.json())
    for rel in ("self", "alternate", "service-desc", "service-doc", "conformance", "data"):
        assert rel in links
    assert links["service-desc"]["type"].startswith("application/vnd.oai.openapi+json")
    definition = web.get(links["service-desc"]["href"])
    assert definition.status_code == 200
    document = definition.json()
    assert document["openapi"].startswith("3.0")
    assert "/collections/assets/items" in document["paths"]


def test_conformance_declares_core_and_geojson(web):
    classes = web.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes


def test_collections_describe_every_layer_with_extent(web):
    AssetFactory()
    body = web.get("/ogc/collections").json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["assets", "hamlets", "cellsites", "communes", "districts-before-2025",
                   "communes-before-2025"]
    assets = body["collections"][0]
    assert assets["itemType"] == "feature"
    assert assets["extent"]["spatial"]["bbox"][0] == pytest.approx([106.7615, 21.853] * 2)
    items = [link for link in assets["links"] if link["rel"] == "items"]
    assert {link["type"] for link in items} == {"application/geo+json", "text/html"}
    communes = web.get("/ogc/collections/communes").json()
    min_lon, min_lat, max_lon, max_lat = communes["extent"]["spatial"]["bbox"][0]
    assert 106 < min_lon < max_lon < 108 and 21 < min_lat < max_lat < 23
    assert web.get("/ogc/collections/nothing").status_code == 404


def test_items_page_with_next_and_prev_links_until_every_feature(web):
    made = {AssetFactory().code for _ in range(7)}
    response = web.get("/ogc/collections/assets/items?limit=3")
    assert response["Content-Type"] == "application/geo+json"
    seen, url, pages = set(), "/ogc/collections/assets/items?limit=3", 0
    while url:
        body = web.get(url).json()
        assert body["type"] == "FeatureCollection"
        assert body["numberMatched"] == 7
        assert body["numberReturned"] == len(body["features"])
        seen |= {f["id"] for f in body["features"]}
        pages += 1
        url = rels(body).get("next", {}).get("href")
    assert seen == made and pages == 3
    middle = web.get("/ogc/collections/assets/items?limit=3&offset=3").json()
    assert "offset=0" in rels(middle)["prev"]["href"]
    assert "offset=6" in rels(middle)["next"]["href"]


def test_items_bbox_datetime_and_property_filters(web):
    commune = AdminUnit.objects.current().communes().get(code="05977")
    HamletFactory(name="Gap", commune=commune, mobile_status=Availability.NO)
    HamletFactory(name="Far", location=Point(106.35, 22.05, srid=4326))
    AssetFactory(name_vi="Old")
    Asset.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    AssetFactory(name_vi="New", kind=Asset.Kind.STREET, category=Asset.Category.STREET)

    def names(url):
        response = web.get(url)
        assert response.status_code == 200, response.content
        return sorted(f["properties"].get("name") or f["properties"]["name_vi"]
                      for f in response.json()["features"])

    assert names("/ogc/collections/hamlets/items?bbox=106.3,22.0,106.4,22.1") == ["Far"]
    assert names("/ogc/collections/hamlets/items?bbox=106.3,22.0,0,106.4,22.1,1000") == ["Far"]
    assert names("/ogc/collections/hamlets/items?mobile_status=no") == ["Gap"]
    assert names("/ogc/collections/hamlets/items?commune=05977") == ["Gap"]
    assert names("/ogc/collections/assets/items?datetime=2025-01-01T00:00:00Z/..") == ["New"]
    assert names("/ogc/collections/assets/items?datetime=../2024-06-30") == ["Old"]
    assert names("/ogc/collections/assets/items?kind=street") == ["New"]
    # Units answer the datetime with their validity: the 2024 districts, not today's.
    districts = web.get("/ogc/collections/districts-before-2025/items?datetime=2025-08-01")
    assert districts.json()["numberMatched"] == 0
    communes = web.get("/ogc/collections/communes/items?datetime=2025-08-01&limit=1").json()
    assert communes["numberMatched"] == 65


def test_next_links_page_by_keyset_in_the_default_order(web):
    """A client following `next` gets the rows after the last id seen (the unique index
    finds them: a deep page costs what the first does); a sorted list pages by offset."""
    made = sorted(AssetFactory().code for _ in range(7))
    first = web.get("/ogc/collections/assets/items?limit=3").json()
    after = rels(first)["next"]["href"]
    assert f"after={made[2]}" in after and "offset=3" in after
    second = web.get(after).json()
    assert [f["id"] for f in second["features"]] == made[3:6]
    assert second["numberMatched"] == 7 and "offset=0" in rels(second)["prev"]["href"]
    by_offset = web.get("/ogc/collections/assets/items?limit=3&offset=3").json()
    assert [f["id"] for f in by_offset["features"]] == made[3:6]
    last = web.get(rels(second)["next"]["href"]).json()
    assert [f["id"] for f in last["features"]] == made[6:] and "next" not in rels(last)
    ordered = web.get("/ogc/collections/assets/items?limit=3&sortby=-code").json()
    assert "after=" not in rels(ordered)["next"]["href"]
    assert [f["id"] for f in ordered["features"]] == made[::-1][:3]
    # Hamlets are numbered: their `after` is a number.
    for hamlet in range(3):
        HamletFactory(name=f"H{hamlet}")
    page = web.get("/ogc/collections/hamlets/items?limit=2").json()
    assert web.get(rels(page)["next"]["href"]).json()["numberReturned"] == 1
    refused = web.get("/ogc/collections/hamlets/items?after=abc").json()
    assert refused["parameter"] == "after"


def test_a_counted_page_is_one_statement_with_its_data_version(web, django_assert_num_queries):
    """Once a filter's count is kept, a page is one statement: the rows, written by
    PostgreSQL, with the data version the count is kept under. Names go out as UTF-8."""
    made = sorted(AssetFactory(name_vi="Đình Kỳ Lừa", name_zh="祁禄亭").code for _ in range(3))
    url = "/ogc/collections/assets/items?limit=2&kind=public_work"
    web.get(url)  # counts the matches
    with django_assert_num_queries(1):
        response = web.get(url)
    body = json.loads(response.content.decode("utf-8"))
    assert [f["id"] for f in body["features"]] == made[:2] and body["numberMatched"] == 3
    assert body["features"][0]["properties"]["name_zh"] == "祁禄亭"
    assert f"after={made[1]}" in rels(body)["next"]["href"]
    AssetFactory(name_vi="Chùa Mới")  # a write moves the version: counted afresh
    assert web.get(url).json()["numberMatched"] == 4
    empty = web.get("/ogc/collections/assets/items?kind=public_work&after=ZZZZZZZZ").json()
    assert empty["features"] == [] and "next" not in rels(empty)


def test_a_keyset_page_reads_the_code_index():
    from assets.ogc import collections as ogc

    AssetFactory()
    rows, limit, _offset, after = ogc.items_query(ogc.COLLECTIONS["assets"],
                                                  {"limit": "100", "after": "7PJ2QXRF"})
    page = rows.filter(code__gt=after)[:limit + 1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    assert "Index" in plan and "Sort" not in plan, plan


@pytest.mark.parametrize("query, parameter", [
    ("limit=0", "limit"), ("limit=10001", "limit"), ("limit=ten", "limit"),
    ("offset=-1", "offset"), ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"),
    ("bbox=107,22,106,21", "bbox"), ("datetime=yesterday", "datetime"),
    ("f=xml", "f"), ("colour=red", "colour"),
    ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857", "bbox-crs"),
])
def test_items_errors_are_400_naming_the_parameter(web, query, parameter):
    response = web.get(f"/ogc/collections/assets/items?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["parameter"] == parameter and body["description"]


def test_single_item_by_code_or_id(web):
    asset = AssetFactory(name_vi="Cầu Kỳ Lừa")
    site = CellSiteFactory(technologies=["3G", "4G"])
    response = web.get(f"/ogc/collections/assets/items/{asset.code}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "Feature" and body["id"] == asset.code
    assert body["properties"]["name_vi"] == "Cầu Kỳ Lừa"
    assert rels(body)["collection"]["href"].endswith("/ogc/collections/assets")
    cell = web.get(f"/ogc/collections/cellsites/items/{site.pk}").json()
    assert cell["properties"]["technologies"] == "3G,4G"
    commune = web.get("/ogc/collections/communes/items/05977").json()
    assert commune["geometry"]["type"] == "MultiPolygon"
    for url in ("/ogc/collections/assets/items/NOPE", "/ogc/collections/hamlets/items/abc",
                "/ogc/collections/nothing/items/1"):
        missing = web.get(url)
        assert missing.status_code == 404 and missing.json()["code"] == "NotFound"


def test_html_for_browsers(web):
    asset = AssetFactory(name_vi="Chợ Kỳ Lừa")
    page = web.get("/ogc/collections/assets/items", HTTP_ACCEPT="text/html,*/*")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "Chợ Kỳ Lừa" in text and f"items/{asset.code}?f=html" in text
    one = web.get(f"/ogc/collections/assets/items/{asset.code}?f=html").content.decode()
    assert "Chợ Kỳ Lừa" in one
    landing = web.get("/ogc/?f=html").content.decode()
    assert 'href="http://testserver/ogc/collections"' in landing


def test_gdal_accept_header_gets_geojson(web):
    response = web.get("/ogc/collections/assets/items",
                       HTTP_ACCEPT="application/geo+json, application/json")
    assert response["Content-Type"] == "application/geo+json"


def test_writes_are_not_allowed(web):
    assert web.post("/ogc/collections/assets/items", {}).status_code == 405


def test_anonymous_clients_are_throttled_with_an_ogc_error(web, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}
    statuses = [web.get("/ogc/collections").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = web.get("/ogc/collections")
    assert refused.json()["code"] == "TooManyRequests"
    assert int(refused["Retry-After"]) >= 1
