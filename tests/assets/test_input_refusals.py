"""Malformed input is a 4xx with a message, never a 500 (issue #11), at every door: the REST
API (/api/), OGC API – Features (/ogc/) and the public pages. Each case names the parameter
or field it refuses, and no refused write leaves a row behind."""
import json
import math

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets.models import Asset
from tests.assets.staff_fixtures import communes, inside, make_staff  # noqa: F401 (fixture)
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


# The messages are checked in English (the site's default language is Vietnamese; the API
# speaks the language of its `lang` parameter once it has read it).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
EN_ASSETS = "/api/assets/?lang=en"


@pytest.fixture
def api(geography):
    return APIClient(**ENGLISH)


@pytest.fixture
def office(communes):  # noqa: F811 (the fixture imported above)
    """A client with the token of the province office (every commune)."""
    client = APIClient(**ENGLISH)
    token = Token.objects.create(user=make_staff("province", all_communes=True))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def feature(point=(106.7615, 21.853), **properties):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {"kind": "public_work", "category": "school", "name_vi": "Trường",
                           **properties}}


def refused(response, name):
    """The 400 names `name` with a reason."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body[name] and all(isinstance(m, str) and m for m in body[name]), body
    return body[name][0]


# --- NUL (0x00): PostgreSQL text cannot hold it -------------------------------------------

@pytest.mark.parametrize("url, name", [
    ("/api/assets/?q=a%00b", "q"),
    ("/api/assets/?commune=%00", "commune"),
    ("/api/assets/?kind=street&kind=%00", "kind"),  # a repeated key, NUL in the last
    ("/api/hamlets/?updated_since=%00", "updated_since"),
    ("/api/units/?code=%00", "code"),
    ("/api/coverage/communes/?commune=%00", "commune"),
    ("/api/lookup/point/?point=106.7%00,21.8", "point"),
    ("/api/assets/?a%00=1", "a\x00"),
    ("/api/assets/AB%00CDEFG/", "code"),
    ("/api/hamlets/1%00/", "id"),
])
def test_nul_in_an_api_query_or_path_is_a_400(api, url, name):
    assert "Null characters" in refused(api.get(url), name)


@pytest.mark.parametrize("url, parameter", [
    ("/ogc/collections/assets/items?kind=%00", "kind"),
    ("/ogc/collections/assets/items?datetime=2025-01-01%00", "datetime"),
    ("/ogc/collections/assets/items?f=html&bbox=%00", "bbox"),
    ("/ogc/collections/assets/items/AB%00CDEFG", "featureId"),
    ("/ogc/collections/communes/items/%00", "featureId"),
    ("/ogc/collections/hamlets/items/1%00", "featureId"),
    ("/ogc/collections/%00", "collectionId"),
])
def test_nul_in_an_ogc_query_or_item_id_is_a_400(api, url, parameter):
    response = api.get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["parameter"] == parameter


@pytest.mark.parametrize("url", ["/search/?q=%00", "/search/?q=chua%00", "/near/?lat=%00",
                                 "/a/%00", "/Q/7PJ2%00QXRF", "/a/7PJ2QXRF?lang=%00"])
def test_nul_on_a_public_page_is_a_400_page(client, geography, url):
    response = client.get(url, **ENGLISH)
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()


# --- Date-times -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2025-01-01T00:00:00%2B99:00", "2025-01-01T00:00:00%2B16:00",
                                   "2025-01-01T00:00:00-20:30"])
def test_an_offset_beyond_15_59_is_a_400(api, value):
    for url in ("/api/assets/", "/api/hamlets/", "/api/cellsites/"):
        assert "UTC offset" in refused(api.get(f"{url}?lang=en&updated_since={value}"),
                                       "updated_since")
    for collection in ("assets", "communes"):
        response = api.get(f"/ogc/collections/{collection}/items?datetime={value}")
        assert response.status_code == 400 and response.json()["parameter"] == "datetime"


def test_offsets_within_15_59_and_utc_are_read(api):
    AssetFactory(name_vi="Mới")
    for value in ("2000-01-01T00:00:00%2B15:59", "2000-01-01T00:00:00-15:59",
                  "2000-01-01T00:00:00Z", "0001-01-01T00:00:00%2B14:00"):
        response = api.get(f"/api/assets/?updated_since={value}")
        assert response.status_code == 200 and response.json()["count"] == 1, value


def test_an_unescaped_plus_gets_told_how_to_write_it(api):
    message = refused(api.get("/api/assets/?lang=en&updated_since=2025-01-01T00:00:00+07:00"),
                      "updated_since")
    assert "%2B" in message


@pytest.mark.parametrize("url", ["/api/assets/?updated_since=", "/api/hamlets/?updated_since=",
                                 "/api/assets/?kind=", "/api/units/?valid_on=",
                                 "/api/assets/?page="])
def test_an_empty_value_is_a_400(api, url):
    name = url.split("?")[1].rstrip("=")
    assert "Empty" in refused(api.get(url), name)


# --- Request bodies -----------------------------------------------------------------------

@pytest.mark.parametrize("body, kind", [("false", "a boolean"), ("1", "a number"),
                                        ('"x"', "a string"), ("[]", "an array"),
                                        ("[1, 2]", "an array"), ("2.5", "a number")])
def test_a_body_that_is_not_an_object_is_a_400_naming_the_problem(office, body, kind):
    asset = AssetFactory()
    for method, url in (("post", EN_ASSETS), ("put", f"/api/assets/{asset.code}/?lang=en"),
                        ("patch", f"/api/assets/{asset.code}/?lang=en")):
        response = getattr(office, method)(url, body, content_type="application/json")
        message = refused(response, "non_field_errors")
        assert "JSON object" in message and kind in message
    assert Asset.objects.count() == 1


def test_a_form_post_is_refused_as_not_json(office):
    response = office.post("/api/assets/", "kind=street", content_type="application/x-www-"
                                                                       "form-urlencoded")
    assert response.status_code == 415


@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [106.7615, 21.853, 300]},
    {"type": "Point", "coordinates": [106.7615, 21.853, 300, 1]},
    "POINT Z (106.7615 21.853 300)",
    "POINT M (106.7615 21.853 1)",
])
def test_a_3d_point_is_a_400(office, geometry):
    body = {**feature(), "geometry": geometry}
    assert "2-D" in refused(office.post(EN_ASSETS, body, format="json"), "location")
    assert Asset.objects.count() == 0


def test_a_3d_or_out_of_range_shape_is_a_400(office):
    line = {"type": "LineString", "coordinates": [[106.76, 21.85, 1], [106.77, 21.86, 2]]}
    assert "2-D" in refused(office.post(EN_ASSETS, feature(shape=line), format="json"),
                            "shape")
    far = {"type": "LineString", "coordinates": [[106.76, 21.85], [200, 95]]}
    assert "Longitude" in refused(office.post(EN_ASSETS, feature(shape=far), format="json"),
                                  "shape")
    assert Asset.objects.count() == 0


@pytest.mark.parametrize("x, y", [(math.nan, 21.85), (106.76, math.inf), (-math.inf, 21.85)])
def test_nan_or_infinite_coordinates_are_a_400(office, x, y):
    # JSON has no NaN (see below); WKB has, and WKT has NaN (GEOS reads no "Infinity").
    point = Point(x, y, srid=4326)
    for geometry in (point.hexewkb.decode(), *([point.wkt] if math.isnan(x) else [])):
        body = {**feature(), "geometry": geometry}
        assert "finite" in refused(office.post(EN_ASSETS, body, format="json"), "location")
    line = LineString((106.76, 21.85), (x, y), srid=4326).hexewkb.decode()
    assert "finite" in refused(office.post(EN_ASSETS, feature(shape=line), format="json"),
                               "shape")


def test_nan_in_json_is_a_parse_error(office):
    text = json.dumps(feature()).replace("106.7615", "NaN")
    response = office.post("/api/assets/", text, content_type="application/json")
    assert response.status_code == 400 and "NaN" in response.json()["detail"]


def test_another_crs_is_a_400_not_a_silent_reprojection(office):
    body = {**feature(), "geometry": "SRID=3857;POINT (11884000 2494000)"}
    assert "EPSG:4326" in refused(office.post(EN_ASSETS, body, format="json"), "location")


@pytest.mark.parametrize("name, size", [("name_vi", 301), ("name_en", 301), ("source", 301),
                                        ("external_id", 101), ("description_vi", 10_001)])
def test_an_over_long_value_is_a_400_naming_the_field(office, name, size):
    response = office.post("/api/assets/", feature(**{name: "x" * size}), format="json")
    assert str(size - 1) in refused(response, name)
    assert Asset.objects.count() == 0


@pytest.mark.parametrize("value", [0, 1.5, True, ["Cầu"], {"vi": "Cầu"}, None])
def test_a_text_field_takes_only_strings(office, value):
    """`name_vi: 0` must not become "0"."""
    refused(office.post("/api/assets/", feature(name_vi=value), format="json"), "name_vi")
    asset = AssetFactory(name_vi="Cầu Kỳ Lừa")
    response = office.patch(f"/api/assets/{asset.code}/", {"properties": {"name_vi": value}},
                            format="json")
    refused(response, "name_vi")
    asset.refresh_from_db()
    assert asset.name_vi == "Cầu Kỳ Lừa"


def test_a_feature_must_say_it_is_one(office):
    refused(office.post("/api/assets/", {**feature(), "type": "Point"}, format="json"), "type")
    refused(office.post("/api/assets/", {**feature(), "properties": None}, format="json"),
            "properties")
