"""OGC API – Features Part 2: features in VN-2000 TM-3, WGS 84 and the other offered systems,
checked against pyproj with the published VN-2000 datum shift, with the EPSG axis order, the
Content-Crs header, bbox-crs, paging and refusals."""
import doctest

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client
from pyproj import CRS, Transformer

from assets.models import Asset
from assets.ogc import crs as ogc_crs
from geodata.importers import export
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# VN-2000 to WGS 84 as published (EPSG:6960), written out here rather than read from the code.
TOWGS84 = ("+ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,"
           "-0.01975479,0.00427372,0.252906278")
LANG_SON_TM3 = f"+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 {TOWGS84}"
EXPECTED = {  # crs -> (PROJ definition, whether the answer is latitude first)
    f"{EPSG}9215": (LANG_SON_TM3, False),
    f"{EPSG}4756": (f"+proj=longlat {TOWGS84}", True),
    f"{EPSG}3405": (f"+proj=utm +zone=48 {TOWGS84}", False),
    f"{EPSG}4326": ("+proj=longlat +datum=WGS84", True),
    CRS84: ("+proj=longlat +datum=WGS84", False),
}
CM_IN_DEGREES = 0.01 / 111_000
POINTS = [(106.7615, 21.853), (106.9, 22.1), (107.3, 21.7)]


@pytest.fixture
def web(geography):
    cache.clear()
    return Client()


@pytest.fixture
def placed(geography):
    return {AssetFactory(location=Point(lon, lat, srid=4326), name_en=f"P{i}").code: (lon, lat)
            for i, (lon, lat) in enumerate(POINTS)}


def _expected(uri, lon, lat):
    definition, lat_first = EXPECTED[uri]
    x, y = Transformer.from_crs(CRS("EPSG:4326"), CRS(definition), always_xy=True).transform(
        lon, lat)
    return (y, x) if lat_first else (x, y)


def test_collections_offer_the_province_zone_first_and_conformance_says_crs(web):
    body = web.get("/ogc/collections").json()
    assets = body["collections"][0]
    assert assets["crs"][0] == f"{EPSG}9215"
    assert assets["crs"][1:4] == [CRS84, f"{EPSG}4326", f"{EPSG}4756"]
    assert {f"{EPSG}{n}" for n in [3405, 3406, *range(9205, 9219)]} <= set(assets["crs"])
    assert assets["storageCrs"] == CRS84 and body["crs"] == assets["crs"]
    assert web.get("/ogc/collections/hamlets").json()["crs"] == assets["crs"]
    classes = web.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes


@pytest.mark.parametrize("uri", list(EXPECTED))
def test_items_agree_with_pyproj_within_a_centimetre_in_each_system(web, placed, uri):
    response = web.get("/ogc/collections/assets/items", {"crs": uri})
    assert response.status_code == 200
    assert response["Content-Crs"] == f"<{uri}>"
    features = response.json()["features"]
    assert len(features) == Asset.objects.count() == len(POINTS)
    tolerance = 0.01 if uri.endswith(("9215", "3405")) else CM_IN_DEGREES
    for feature in features:
        got = feature["geometry"]["coordinates"]
        assert got == pytest.approx(_expected(uri, *placed[feature["id"]]), abs=tolerance)


def test_axis_order_easting_northing_and_latitude_first(web, placed):
    code = next(iter(placed))
    tm3 = web.get(f"/ogc/collections/assets/items/{code}?crs=EPSG:9215")
    easting, northing = tm3.json()["geometry"]["coordinates"]
    assert 400_000 < easting < 600_000 and 2_300_000 < northing < 2_500_000
    assert tm3["Content-Crs"] == f"<{EPSG}9215>"
    self_link = next(link for link in tm3.json()["links"] if link["rel"] == "self")
    assert "crs=EPSG%3A9215" in self_link["href"]
    lat, lon = web.get(f"/ogc/collections/assets/items/{code}",
                       {"crs": f"{EPSG}4326"}).json()["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(placed[code])
    default = web.get(f"/ogc/collections/assets/items/{code}")
    assert default["Content-Crs"] == f"<{CRS84}>"
    assert default.json()["geometry"]["coordinates"] == pytest.approx(list(placed[code]))
    page = web.get(f"/ogc/collections/assets/items/{code}?crs=EPSG:9215&f=html")
    assert page.status_code == 200 and "P0" in page.content.decode()


def test_bbox_in_tm3_and_in_latitude_first_pick_the_same_features(web, placed):
    inside = {code for code, (lon, lat) in placed.items() if lon < 107 and lat < 22}
    (e1, n1), (e2, n2) = _expected(f"{EPSG}9215", 106.7, 21.8), _expected(
        f"{EPSG}9215", 107.0, 22.0)
    tm3 = web.get("/ogc/collections/assets/items", {
        "bbox": f"{e1},{n1},{e2},{n2}", "bbox-crs": f"{EPSG}9215", "crs": f"{EPSG}9215"})
    assert {f["id"] for f in tm3.json()["features"]} == inside
    lat_first = web.get("/ogc/collections/assets/items", {
        "bbox": "21.8,106.7,22.0,107.0", "bbox-crs": f"{EPSG}4326"})
    assert {f["id"] for f in lat_first.json()["features"]} == inside


def test_next_links_keep_crs_and_bbox_crs(web, placed):
    url = (f"/ogc/collections/assets/items?limit=1&crs={EPSG}9215&bbox-crs={CRS84}"
           "&bbox=106,21,108,23")
    seen = []
    while url:
        response = web.get(url)
        assert response["Content-Crs"] == f"<{EPSG}9215>"
        body = response.json()
        seen += [f["geometry"]["coordinates"][0] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert len(seen) == len(POINTS) and all(e > 1000 for e in seen)


@pytest.mark.parametrize("query, parameter", [
    ("crs=garbage", "crs"),
    ("crs=EPSG:99999", "crs"),
    (f"crs={EPSG}3857", "crs"),
    ("crs=EPSG:9215'--", "crs"),
    (f"bbox-crs={EPSG}99999&bbox=1,2,3,4", "bbox-crs"),
    # longitude first where EPSG:4326 takes latitude first
    (f"bbox-crs={EPSG}4326&bbox=106.5,21.5,107,22", "bbox"),
    # degrees where the TM-3 zone takes metres
    (f"bbox-crs={EPSG}9215&bbox=106.5,21.5,107,22", "bbox"),
    (f"bbox-crs={EPSG}9215&bbox=1e300,1,2e300,2", "bbox"),
    (f"bbox-crs={EPSG}9215&bbox=500000,2400000,400000,2500000", "bbox"),
    ("crs=EPSG:9215%00", None),
    (f"bbox-crs={EPSG}9215&bbox=0,0,0,0", "bbox"),
])
def test_bad_crs_and_bbox_crs_are_400_naming_the_parameter(web, placed, query, parameter):
    paths = ["/ogc/collections/assets/items"]
    if query.startswith("crs"):  # a single item takes crs, not bbox
        paths.append(f"/ogc/collections/assets/items/{next(iter(placed))}")
    for path in paths:
        response = web.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        body = response.json()
        assert body["description"] and body["parameter"] == (parameter or "crs")


def test_doctests():
    for module in (ogc_crs, export):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted >= 1
