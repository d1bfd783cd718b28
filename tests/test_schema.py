"""The OpenAPI schema tells the truth: schemathesis generates requests from /api/schema/ for
every operation, reads and writes, anonymous and with a staff token, and runs all its checks:
no answer is a server error, every answer matches the documented status codes, content types
and bodies, valid requests are accepted and invalid ones refused. Also: the docs page loads
its JS and CSS from /static/ only.

Each operation is one test with its own database transaction (rolled back after it), so the
assets that the writes register or change never reach another test.
"""
import json
import re

import pytest
import schemathesis
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import negative_data_rejection

from assets.models import Asset
from geodata.models import AdminUnit, Availability
from qrmap.wsgi import application
from tests.assets.staff_fixtures import make_staff
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory, PlaqueFactory
from tests.schema_cases import case_prepare

# The examples every operation gets in the fuzzing phase (the coverage phase adds its own
# deterministic cases: each parameter's boundaries, missing and wrongly typed values). With the
# cases derandomized, 30 found every fault that 100 did and keep the suite under its time cap.
EXAMPLES = 30


def _served_schema():
    """The schema exactly as /api/schema/ renders it (built without a request, so that
    collecting the tests needs no database)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application  # calls go to the Django WSGI app, in the test's transaction
    return loaded


schema = _served_schema()


@pytest.fixture
def rows(geography, wsgi_in_test_transaction):
    """A little of every kind of row, so that lists and details have something to show, and
    the real ids and codes that valid cases aim at (tests.schema_cases)."""
    cache.clear()  # the anonymous throttle counts in the cache
    commune = AdminUnit.objects.current().communes().get(code="05977")
    asset = AssetFactory(name_en="School", description_en="A school.")
    AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
                 heritage_rank=Asset.HeritageRank.NATIONAL, position_verified=True,
                 shape=Point(106.76, 21.85, srid=4326).buffer(0.001))
    plaque = PlaqueFactory(asset=asset)
    replacement = AssetFactory(name_vi="Trường mới")
    staff = make_staff("province", all_communes=True)  # the province office: every commune
    hamlet = HamletFactory(commune=commune, mobile_status=Availability.NO)
    HamletFactory(location=Point(106.35, 22.05, srid=4326))
    site = CellSiteFactory(commune=commune)
    CellSiteFactory(technologies=["2G"], coverage_radius_m=None)
    return {"assets": asset.code, "plaques": plaque.code, "hamlets": hamlet.pk,
           "cellsites": site.pk, "units": commune.pk, "replacement": replacement.code,
           "token": Token.objects.create(user=staff).key}


# derandomize: the same cases on every run, so CI is stable. Health checks: too_slow is about
# speed only; function_scoped_fixture because `rows` is meant to be shared by the examples of
# one operation (set up once, rolled back after the operation).
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_schema(case, who, rows):
    """All of schemathesis' checks, its examples, coverage and fuzzing phases."""
    headers = {"Accept-Encoding": "identity"}  # the WSGI client does not undo gzip
    if who == "staff":
        headers["Authorization"] = f"Token {rows['token']}"
    case_prepare(case, rows)
    # A multipart form sends every field as text: a "wrong type" (0 for a caption, "0" for
    # a position) arrives as the same valid text, so that negative case cannot be refused.
    multipart = (case.media_type or "").startswith("multipart/")
    case.call_and_validate(headers=headers,
                           excluded_checks=[negative_data_rejection] if multipart else None)


def _operation(path, method):
    return schema.raw_schema["paths"][path][method]


def _parameter(operation, name):
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


def test_the_schema_says_who_may_call_and_what_each_parameter_takes():
    public_read, write = _operation("/api/assets/", "get"), _operation("/api/assets/", "post")
    assert {} in public_read["security"] and {"tokenAuth": []} in public_read["security"]
    assert {} not in write["security"]
    for path in ("/api/plaques/", "/api/plaques/{code}/"):
        assert {} not in _operation(path, "get")["security"]  # staff only, reads too
    assert _parameter(public_read, "page") == {"type": "integer", "minimum": 1,
                                               "maximum": 2**31 - 1}
    assert _parameter(public_read, "page_size") == {"type": "integer", "minimum": 1,
                                                    "maximum": 1000}
    assert _parameter(public_read, "verified") == {"type": "string", "enum": ["false", "true"]}
    assert "pattern" in _parameter(_operation("/api/assets/{code}/", "get"), "code")
    for path, method in (("/api/assets/", "post"), ("/api/assets/{code}/", "put"),
                         ("/api/assets/{code}/", "patch"), ("/api/assets/{code}/retire/", "post")):
        assert list(_operation(path, method)["requestBody"]["content"]) == ["application/json"]


@pytest.mark.django_db
def test_schema_and_docs_pages(client):
    schema_response = client.get("/api/schema/?format=json")
    assert schema_response.status_code == 200
    paths = schema_response.json()["paths"]
    for path in ("/api/assets/", "/api/assets/{code}/", "/api/hamlets/", "/api/cellsites/",
                 "/api/units/", "/api/coverage/communes/", "/api/lookup/point/",
                 "/api/plaques/"):
        assert path in paths
    assert "post" in paths["/api/assets/"] and "patch" in paths["/api/assets/{code}/"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    urls += re.findall(r'"(https?://[^"]+)"', html)
    assets = [u for u in urls if not u.startswith("#")]
    assert assets, html
    assert all(u.startswith("/static/") or u.startswith("/api/") for u in assets), assets
    # Each one is a file the static finders serve (collectstatic copies them for production).
    for url in (u for u in assets if u.startswith("/static/")):
        assert finders.find(url.removeprefix("/static/").split("?")[0]), url
