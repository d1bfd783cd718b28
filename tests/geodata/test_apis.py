"""The read-only geodata API: hamlets, cell sites, units with lineage, coverage, point lookup."""
import datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from rest_framework.test import APIClient

from geodata.models import AdminUnit, Availability, CellSite, Hamlet, UnitSuccession
from tests.factories import CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db

# Inside Phường Đông Kinh (05977) and, 40 km north-west, inside another commune.
CITY = (106.7615, 21.853)
FAR = (106.35, 22.05)


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # anonymous throttle counts live in the cache


@pytest.fixture
def api(geography):
    return APIClient()


def city_hamlet(**fields):
    """A hamlet in Đông Kinh (the factory leaves the commune to the importer)."""
    commune = AdminUnit.objects.current().communes().get(code="05977")
    return HamletFactory(commune=commune, **fields)


def test_hamlet_list_is_a_feature_collection_with_declared_status(api):
    city_hamlet(name="Bản Nà", mobile_status=Availability.NO, households=42, population=180)
    body = api.get("/api/hamlets/").json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 1
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": list(CITY)}
    props = feature["properties"]
    assert props["name"] == "Bản Nà"
    assert props["mobile_status"] == "no"
    assert props["commune"] == "05977"
    assert (props["households"], props["population"]) == (42, 180)


def test_hamlet_filters_status_commune_bbox_and_distance(api):
    near = city_hamlet(name="Gần", mobile_status=Availability.NO)
    city_hamlet(name="Có sóng", mobile_status=Availability.YES)
    far = HamletFactory(name="Xa", location=Point(*FAR, srid=4326),
                        broadband_status=Availability.NO)
    Hamlet.objects.filter(pk=far.pk).update(
        commune=AdminUnit.objects.current().communes().containing(Point(*FAR, srid=4326)).get())

    def names(query):
        response = api.get(f"/api/hamlets/?{query}")
        assert response.status_code == 200, response.content
        return sorted(f["properties"]["name"] for f in response.json()["features"])

    assert names("mobile_status=no") == ["Gần"]
    assert names("broadband_status=no") == ["Xa"]
    assert names("commune=05977") == ["Có sóng", "Gần"]
    assert names("bbox=106.3,22.0,106.4,22.1") == ["Xa"]
    assert names("bbox=106.7,21.8,106.8,21.9&mobile_status=no") == ["Gần"]
    assert names(f"point={CITY[0]},{CITY[1]}&dist=1000") == ["Có sóng", "Gần"]
    assert names(f"point={FAR[0]},{FAR[1]}&dist=50") == ["Xa"]
    # Nearest first when a point is given and no ordering asked.
    response = api.get(f"/api/hamlets/?point={FAR[0]},{FAR[1]}&dist=100000")
    assert response.json()["features"][0]["id"] == far.pk
    assert near.pk in [f["id"] for f in response.json()["features"]]


def test_hamlet_ordering_and_pagination_links(api):
    for i in range(5):
        HamletFactory(name=f"Thôn {i}", population=100 * i)
    body = api.get("/api/hamlets/?ordering=-population&page_size=2").json()
    assert body["count"] == 5
    assert [f["properties"]["population"] for f in body["features"]] == [400, 300]
    assert "page=2" in body["next"] and body["previous"] is None
    last = api.get(body["next"].replace("page=2", "page=3")).json()
    assert [f["properties"]["population"] for f in last["features"]] == [0]
    assert last["next"] is None and last["previous"]


@pytest.mark.parametrize("query, field", [
    ("bbox=1,2,3", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=107,22,106,21", "bbox"),
    ("bbox=0,95,1,96", "bbox"),
    ("point=106.7", "point"),
    ("point=106.7,21.8&dist=-5", "dist"),
    ("point=106.7,21.8&dist=far", "dist"),
    ("dist=100", "point"),
    ("page_size=0", "page_size"),
    ("page_size=abc", "page_size"),
    ("page=-1", "page"),
    ("mobile_status=maybe", "mobile_status"),
    ("updated_since=yesterday", "updated_since"),
    ("ordering=secret", "ordering"),
    ("colour=red", "colour"),
    ("lang=fr", "lang"),
])
def test_bad_query_parameters_are_400_naming_the_field(api, query, field):
    response = api.get(f"/api/hamlets/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert body[field][0]  # a reason a person can read


def test_unknown_parameter_lists_the_known_ones(api):
    body = api.get("/api/hamlets/?mobile=no").json()
    assert "mobile_status" in body["mobile"][0]


def test_page_past_the_end_is_404(api):
    HamletFactory()
    response = api.get("/api/hamlets/?page=9")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_hamlet_detail_and_404(api):
    hamlet = HamletFactory(name="Khòn Pá")
    body = api.get(f"/api/hamlets/{hamlet.pk}/").json()
    assert body["type"] == "Feature" and body["id"] == hamlet.pk
    assert body["properties"]["name"] == "Khòn Pá"
    assert api.get(f"/api/hamlets/{hamlet.pk + 1000}/").status_code == 404


def test_updated_since(api):
    HamletFactory(name="Cũ")
    Hamlet.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    HamletFactory(name="Mới")
    body = api.get("/api/hamlets/?updated_since=2025-01-01T00:00:00Z").json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Mới"]


def test_cell_sites_filter_by_technology_operator_status(api):
    CellSiteFactory(name="4G", technologies=["2G", "3G", "4G"])
    CellSiteFactory(name="2G only", technologies=["2G"], coverage_radius_m=None,
                    operator=CellSite.Operator.MOBIFONE)
    CellSiteFactory(name="Planned", status=CellSite.Status.PLANNED)

    def names(query):
        body = api.get(f"/api/cellsites/?{query}").json()
        return sorted(f["properties"]["name"] for f in body["features"])

    assert names("technology=4G") == ["4G", "Planned"]
    assert names("technology=4G&status=active") == ["4G"]
    assert names("operator=mobifone") == ["2G only"]
    assert api.get("/api/cellsites/?technology=6G").status_code == 400
    site = CellSite.objects.get(name="4G")
    detail = api.get(f"/api/cellsites/{site.pk}/").json()
    assert detail["properties"]["technologies"] == ["2G", "3G", "4G"]
    assert detail["properties"]["coverage_radius_m"] == 3000


def test_units_carry_validity_and_lineage(api):
    merged = (AdminUnit.objects.current().communes()
              .filter(pk__in=UnitSuccession.objects.values("successor")).first())
    old_codes = set(UnitSuccession.objects.filter(successor=merged)
                    .values_list("predecessor__code", flat=True))
    body = api.get(f"/api/units/{merged.pk}/").json()
    props = body["properties"]
    assert body["geometry"]["type"] == "MultiPolygon"
    assert props["valid_from"] == "2025-07-01" and props["valid_to"] is None
    assert {p["code"] for p in props["predecessors"]} == old_codes
    assert all(p["valid_to"] == "2025-06-30" for p in props["predecessors"])
    old = props["predecessors"][0]
    old_body = api.get(f"/api/units/{old['id']}/").json()
    assert merged.code in [s["code"] for s in old_body["properties"]["successors"]]


def test_units_filter_level_and_date(api):
    def count(query):
        response = api.get(f"/api/units/?{query}")
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count("level=district") == 11
    assert count("level=commune&current=true") == 65
    assert count("level=commune&valid_on=2025-06-30") == 194
    assert count("level=district&valid_on=2025-07-01") == 0
    assert count("level=commune&current=false") == 194
    assert api.get("/api/units/?valid_on=30/06/2025").status_code == 400


def test_coverage_per_commune_counts_hamlets_and_gaps(api):
    city_hamlet(mobile_status=Availability.NO, broadband_status=Availability.NO,
                population=300)
    city_hamlet(mobile_status=Availability.YES, broadband_status=Availability.NO,
                population=200)
    body = api.get("/api/coverage/communes/?commune=05977").json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["id"] == "05977"
    figures = feature["properties"]
    assert figures["hamlets"] == 2 and figures["population"] == 500
    assert figures["mobile_gap_hamlets"] == 1 and figures["mobile_gap_population"] == 300
    assert figures["broadband_gap_hamlets"] == 2
    assert figures["mobile_gap_share"] == 0.5
    everything = api.get("/api/coverage/communes/").json()
    assert len(everything["features"]) == 65
    assert api.get("/api/coverage/communes/?commune=99999").status_code == 400
    summary = api.get("/api/coverage/").json()
    assert summary["province"]["hamlets"] == 2
    assert len(summary["districts_before_reform"]) == 11


def test_point_lookup_today_and_before_reform(api):
    body = api.get(f"/api/lookup/point/?point={CITY[0]},{CITY[1]}").json()
    assert [u["level"] for u in body["today"]] == ["province", "commune"]
    assert body["today"][1]["code"] == "05977"
    assert [u["level"] for u in body["before_reform"]] == ["province", "district", "commune"]
    assert body["before_reform"][1]["name"] == "Thành phố Lạng Sơn"
    assert "Đông Kinh" in body["address_today"]
    outside = api.get("/api/lookup/point/?point=105.0,21.0").json()
    assert outside["today"] == [] and outside["message"]


@pytest.mark.parametrize("query, field", [
    ("", "point"), ("point=abc", "point"), ("point=200,10", "point"), ("pt=1,2", "pt")])
def test_point_lookup_errors(api, query, field):
    response = api.get(f"/api/lookup/point/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_reads_are_public_but_writes_are_not(api):
    hamlet = HamletFactory()
    assert api.post("/api/hamlets/", {}, format="json").status_code in (401, 405)
    assert api.delete(f"/api/hamlets/{hamlet.pk}/").status_code in (401, 405)
    assert Hamlet.objects.filter(pk=hamlet.pk).exists()


def test_anonymous_clients_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    statuses = [api.get("/api/hamlets/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
