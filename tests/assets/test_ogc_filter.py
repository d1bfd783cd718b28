"""OGC API – Features Part 3: queryables, CQL2 filters (text and JSON) translated to the ORM
over the queryables only, sortby and properties; every bad filter is a 400 naming `filter`
and touches nothing."""
import datetime
import json
from urllib.parse import urlencode

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client

from assets.models import Asset
from geodata.models import Hamlet
from tests.factories import AssetFactory, HamletFactory

pytestmark = pytest.mark.django_db
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"


@pytest.fixture
def web(geography):
    cache.clear()
    return Client(HTTP_ACCEPT_LANGUAGE="en")  # the messages asserted below are the English


@pytest.fixture
def places(web):
    AssetFactory(name_vi="Chùa Tam Thanh", name_en="Tam Thanh Pagoda",
                 kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
                 heritage_rank=Asset.HeritageRank.NATIONAL)
    AssetFactory(name_vi="Đường Bà Triệu", name_en="Ba Trieu Street", kind=Asset.Kind.STREET,
                 category=Asset.Category.STREET, location=Point(106.75, 21.845, srid=4326))
    AssetFactory(name_vi="Cầu Kỳ Lừa", name_en="Ky Lua Bridge", category=Asset.Category.BRIDGE,
                 location=Point(106.77, 21.86, srid=4326))
    HamletFactory(name="Thôn A", population=100)
    HamletFactory(name="Thôn B", population=250, survey_date=datetime.date(2024, 5, 1))
    HamletFactory(name="Thôn C", population=400, survey_date=datetime.date(2025, 1, 1))
    return web


def get(web, collection, **params):
    return web.get(f"/ogc/collections/{collection}/items?{urlencode(params)}")


def names(web, collection, **params):
    response = get(web, collection, **params)
    assert response.status_code == 200, response.content
    return sorted(f["properties"].get("name") or f["properties"]["name_vi"]
                  for f in response.json()["features"])


CHUA, DUONG, CAU = "Chùa Tam Thanh", "Đường Bà Triệu", "Cầu Kỳ Lừa"
AROUND_CAU = ("POLYGON((106.765 21.855, 106.775 21.855, 106.775 21.865, 106.765 21.865, "
              "106.765 21.855))")
TEXT_CASES = [
    ("assets", "kind='heritage'", [CHUA]),
    ("assets", "kind <> 'heritage'", [CAU, DUONG]),
    ("assets", "NOT kind = 'heritage'", [CAU, DUONG]),
    ("assets", "kind IN ('heritage', 'street')", [CHUA, DUONG]),
    ("assets", "kind NOT IN ('heritage')", [CAU, DUONG]),
    ("assets", "name_vi LIKE 'C%'", [CAU, CHUA]),
    ("assets", "name_vi LIKE '_ầu%'", [CAU]),
    ("assets", "name_vi NOT LIKE 'C%'", [DUONG]),
    ("assets", "CASEI(name_vi) LIKE CASEI('chùa%')", [CHUA]),
    ("assets", "CASEI(name_en) = CASEI('KY LUA BRIDGE')", [CAU]),
    ("assets", "heritage_rank = 'national' AND status = 'active'", [CHUA]),
    ("assets", "kind = 'street' OR category = 'bridge'", [CAU, DUONG]),
    # AND binds tighter than OR (CQL2), and NOT takes a whole condition.
    ("assets", "kind = 'heritage' OR kind = 'street' AND category = 'bridge'", [CHUA]),
    ("assets", "kind = 'street' AND category = 'bridge' OR kind = 'heritage'", [CHUA]),
    ("assets", "(kind = 'heritage' OR kind = 'street') AND category = 'street'", [DUONG]),
    ("assets", "NOT (kind = 'heritage' OR kind = 'street')", [CAU]),
    ("assets", " OR ".join(f"name_vi = 'Tên {n}'" for n in range(200)) + " OR kind = 'street'",
     [DUONG]),
    ("assets", "position_verified = false AND updated_at > TIMESTAMP('2000-01-01T00:00:00Z')",
     [CAU, CHUA, DUONG]),
    ("assets", "updated_at < DATE('2000-01-01')", []),
    ("assets", "commune = '05977' AND name_en > 'L'", [CHUA]),
    ("assets", "S_INTERSECTS(geometry, BBOX(106.765, 21.855, 106.78, 21.87))", [CAU]),
    ("assets", "S_INTERSECTS(geometry, POINT(106.75 21.845))", [DUONG]),
    ("assets", f"S_WITHIN(geometry, {AROUND_CAU})", [CAU]),
    ("assets", f"S_CONTAINS({AROUND_CAU}, geometry)", [CAU]),
    ("assets", f"S_DISJOINT(geometry, {AROUND_CAU}) AND kind <> 'street'", [CHUA]),
    ("hamlets", "population BETWEEN 200 AND 400", ["Thôn B", "Thôn C"]),
    ("hamlets", "population NOT BETWEEN 200 AND 400", ["Thôn A"]),
    ("hamlets", "population >= 250 AND population < 400", ["Thôn B"]),
    ("hamlets", "400 > population", ["Thôn A", "Thôn B"]),
    ("hamlets", "survey_date IS NULL", ["Thôn A"]),
    ("hamlets", "survey_date IS NOT NULL", ["Thôn B", "Thôn C"]),
    # Three-valued logic: a hamlet without a survey date is not "not on 1 May".
    ("hamlets", "NOT survey_date = DATE('2024-05-01')", ["Thôn C"]),
    ("hamlets", "survey_date > DATE('2024-12-31') OR population = 100", ["Thôn A", "Thôn C"]),
    ("hamlets", "survey_date BETWEEN DATE('2024-01-01') AND DATE('2024-12-31')", ["Thôn B"]),
]
JSON_CASES = [
    ("assets", {"op": "=", "args": [{"property": "kind"}, "heritage"]}, [CHUA]),
    ("assets", {"op": "in", "args": [{"property": "category"}, ["bridge", "pagoda"]]},
     [CAU, CHUA]),
    ("assets", {"op": "like", "args": [{"op": "casei", "args": [{"property": "name_vi"}]},
                                       {"op": "casei", "args": ["đường%"]}]}, [DUONG]),
    ("assets", {"op": "s_intersects", "args": [{"property": "geometry"},
                                               {"bbox": [106.765, 21.855, 106.78, 21.87]}]},
     [CAU]),
    ("assets", {"op": "s_intersects", "args": [
        {"property": "geometry"}, {"type": "Point", "coordinates": [106.75, 21.845]}]}, [DUONG]),
    ("assets", {"op": "and", "args": [
        {"op": "not", "args": [{"op": "=", "args": [{"property": "kind"}, "heritage"]}]},
        {"op": "<>", "args": [{"property": "category"}, "bridge"]}]}, [DUONG]),
    ("hamlets", {"op": "between", "args": [{"property": "population"}, 200, 400]},
     ["Thôn B", "Thôn C"]),
    ("hamlets", {"op": "isNull", "args": [{"property": "survey_date"}]}, ["Thôn A"]),
    ("hamlets", {"op": ">", "args": [{"property": "survey_date"}, {"date": "2024-12-31"}]},
     ["Thôn C"]),
]


# One test per table of cases (not one per case): the rows are made once, the suite stays fast.
def test_cql2_text_filters(places):
    found = {(collection, text): names(places, collection, filter=text)
             for collection, text, _expected in TEXT_CASES}
    assert found == {(c, text): sorted(expected) for c, text, expected in TEXT_CASES}


def test_cql2_json_filters(places):
    def found(collection, document):
        return names(places, collection, **{"filter": json.dumps(document),
                                            "filter-lang": "cql2-json"})

    assert [found(c, document) for c, document, _expected in JSON_CASES] == [
        sorted(expected) for _c, _document, expected in JSON_CASES]


def _polygon(vertices):
    ring = [f"{i % 7} {i % 5}" for i in range(vertices - 1)] + ["0 0"]
    return f"POLYGON(({', '.join(ring)}))"


BAD_FILTERS = [
    ("foo = 1", "Unknown queryable foo"),
    ("kind = 1", "kind takes text"),
    ("kind = 'castle'", "kind takes street, public_work, heritage"),
    ("updated_at > '2024-01-01'", "TIMESTAMP("),
    ("position_verified > true", "= and <> only"),
    ("geometry = 'x'", "geometry cannot be used here"),
    ("S_INTERSECTS(kind, POINT(106 21))", "kind cannot be used here"),
    ("updated_at LIKE '2024%'", "LIKE takes a text property"),
    ("CASEI(updated_at) = 'x'", "CASEI takes a text property"),
    ("S_INTERSECTS(geometry, POINT(500 21))", "±180"),
    ("S_INTERSECTS(geometry, BBOX(107, 21, 106, 22))", "minimum"),
    ("S_INTERSECTS(geometry, POLYGON((106 21, 107 22, 107 21, 106 22, 106 21)))",
     "not valid"),
    ("S_INTERSECTS(geometry, SRID=3857;POINT(106 21))", "CRS84"),
    (f"S_INTERSECTS(geometry, {_polygon(1001)})", "at most 1000 vertices"),
    ("kind = 'heritage' OR " * 500 + "kind = 'street'", "longer than 8000"),
    ("NOT " * 100 + "kind = 'street'", "nests deeper than 40"),
    # Injection attempts: SQL never sees them.
    ("kind = 'heritage'; DROP TABLE assets_asset", "not valid cql2-text"),
    ("kind = 'heritage' -- AND status = 'retired'", "not valid cql2-text"),
    ("kind = 'heritage' /* comment */", "not valid cql2-text"),
    ("kind = 'x'' OR ''1''=''1'", "not valid cql2-text"),
    ("kind = \"code\"", "kind takes text in single quotes, not Attribute"),
    ("1 = 1", "Expected a queryable"),
    ("pg_sleep(5) = 1", "Expected a queryable, found the function PG_SLEEP"),
    ("kind = upper('heritage')", "UPPER"),
    ("ACCENTI(name_vi) = 'chua'", "ACCENTI"),
    ("population + 1 > 3", "Add"),
]


def test_bad_filters_are_400_naming_the_problem_and_touch_nothing(places):
    before = Asset.objects.count(), Hamlet.objects.count()
    for text, fragment in BAD_FILTERS:
        response = get(places, "assets", filter=text)
        assert response.status_code == 400, (text, response.content)
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "InvalidParameterValue" and body["parameter"] == "filter"
        assert fragment in body["description"], (text, body)
    assert (Asset.objects.count(), Hamlet.objects.count()) == before
    assert names(places, "assets", filter="kind = 'heritage'") == [CHUA]
    # Vietnamese by default, and Chinese when asked.
    vietnamese = Client().get("/ogc/collections/assets/items?filter=foo=1").json()
    assert vietnamese["description"].startswith("Không có thuộc tính truy vấn foo.")
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh").get("/ogc/collections/assets/items?filter=foo=1")
    assert chinese.json()["description"].startswith("没有可查询属性 foo。")


BAD_JSON = [
    ({"filter": "not json"}, "filter", "not valid cql2-json"),
    ({"filter": '{"op": "drop", "args": []}'}, "filter", "not valid cql2-json"),
    ({"filter": '{"op": "=", "args": [{"property": "name_vi"}, "a\\u0000b"]}'}, "filter",
     "name_vi takes text"),
    ({"filter": '{"op": "=", "args": [{"property": "population"}, 1e999]}'}, "filter",
     "Unknown queryable"),
    ({"filter": '{"op": "=", "args": [{"property": "kind"}, {"function": {"name": "sleep", '
                '"arguments": [5]}}]}'}, "filter", "SLEEP"),
    ({"filter": '{"op": "not", "args": [' * 200 + "true" + "]}" * 200}, "filter", "nests"),
]
BAD_OTHERS = [
    ({"filter": "kind='heritage'", "filter-lang": "sql"}, "filter-lang"),
    ({"filter": "kind='heritage'",
      "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"}, "filter-crs"),
    ({"sortby": "geometry"}, "sortby"), ({"sortby": "-bogus"}, "sortby"),
    ({"properties": "name_vi,password"}, "properties"),
]


def test_bad_cql2_json_languages_sorts_and_properties_are_400(places):
    for params, parameter, fragment in BAD_JSON:
        response = get(places, "assets", **{"filter-lang": "cql2-json", **params})
        assert response.status_code == 400, (params, response.content)
        body = response.json()
        assert body["parameter"] == parameter and fragment in body["description"], body
    for params, parameter in BAD_OTHERS:
        response = get(places, "assets", **params)
        assert response.status_code == 400, (params, response.content)
        assert response.json()["parameter"] == parameter


def test_sortby_and_properties_keep_through_stable_pages(places):
    HamletFactory(name="Thôn D", population=250)
    body = get(places, "hamlets", sortby="-population,name", properties="name,population",
               limit=1, filter="population > 50").json()
    seen = []
    while True:
        assert all(set(f["properties"]) == {"name", "population"} for f in body["features"])
        seen += [f["properties"]["name"] for f in body["features"]]
        nexts = [link["href"] for link in body["links"] if link["rel"] == "next"]
        if not nexts:
            break
        assert "sortby=-population%2Cname" in nexts[0] and "properties=" in nexts[0]
        body = places.get(nexts[0]).json()
    assert seen == ["Thôn C", "Thôn B", "Thôn D", "Thôn A"]
    # A "+" that was not percent-encoded arrives as a space; empty dates sort last.
    dated = places.get("/ogc/collections/hamlets/items?sortby=+survey_date").json()
    assert [f["properties"]["name"] for f in dated["features"]][:2] == ["Thôn B", "Thôn C"]


def test_queryables_schema_linked_from_the_collection(places):
    collection = places.get("/ogc/collections/assets").json()
    link = next(link for link in collection["links"] if link["rel"] == QUERYABLES_REL)
    assert link["type"] == "application/schema+json"
    response = places.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == link["href"] and schema["type"] == "object"
    properties = schema["properties"]
    assert properties["kind"]["enum"] == ["street", "public_work", "heritage"]
    assert properties["updated_at"] == {"title": properties["updated_at"]["title"],
                                        "type": "string", "format": "date-time"}
    assert properties["position_verified"]["type"] == "boolean"
    assert properties["geometry"]["format"] == "geometry-point"
    communes = places.get("/ogc/collections/communes/queryables").json()["properties"]
    assert communes["geometry"]["format"] == "geometry-multipolygon"
    assert communes["population"]["type"] == "integer"
    assert communes["area_km2"]["type"] == "number"
    assert "technologies" not in places.get(
        "/ogc/collections/cellsites/queryables").json()["properties"]
    page = places.get("/ogc/collections/assets/queryables?f=html")
    assert page["Content-Type"].startswith("text/html")
    assert "public_work" in page.content.decode()
    assert places.get("/ogc/collections/nothing/queryables").status_code == 404


def test_conformance_declares_filtering(places):
    classes = places.get("/ogc/conformance").json()["conformsTo"]
    for name in ("ogcapi-features-3/1.0/conf/queryables", "ogcapi-features-3/1.0/conf/filter",
                 "ogcapi-features-3/1.0/conf/features-filter", "cql2/1.0/conf/cql2-text",
                 "cql2/1.0/conf/cql2-json", "cql2/1.0/conf/basic-cql2",
                 "cql2/1.0/conf/advanced-comparison-operators"):
        assert f"http://www.opengis.net/spec/{name}" in classes
