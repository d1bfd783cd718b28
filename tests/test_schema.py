"""The OpenAPI schema tells the truth: schemathesis generates requests from /api/schema/
(valid and invalid ones, a bounded number per operation) for every anonymous GET and checks
that no answer is a server error and every answer matches the documented status codes,
content types and bodies. Also: the docs page loads its JS and CSS from /static/ only."""
import json
import re

import pytest
import schemathesis
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assets.models import Asset
from geodata.models import AdminUnit, Availability
from qrmap.wsgi import application
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory, PlaqueFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _served_schema():
    """The schema exactly as /api/schema/ renders it (built without a request, so that
    collecting the tests needs no database)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application  # calls go to the Django WSGI app, in the test's transaction
    return loaded.include(method="GET")


schema = _served_schema()


@pytest.fixture(autouse=True)
def rows(geography):
    """A little of every kind of row, so that lists and details have something to show."""
    cache.clear()  # the anonymous throttle counts in the cache
    commune = AdminUnit.objects.current().communes().get(code="05977")
    asset = AssetFactory(name_en="School", description_en="A school.")
    AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
                 heritage_rank=Asset.HeritageRank.NATIONAL, position_verified=True,
                 shape=Point(106.76, 21.85, srid=4326).buffer(0.001))
    PlaqueFactory(asset=asset)
    HamletFactory(commune=commune, mobile_status=Availability.NO)
    HamletFactory(location=Point(106.35, 22.05, srid=4326))
    CellSiteFactory(commune=commune)
    CellSiteFactory(technologies=["2G"], coverage_radius_m=None)
    # Requests go straight to the WSGI app, whose end-of-request hook would close the
    # test's database connection; Django's own test client unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_anonymous_read_keeps_its_schema(case):
    # The WSGI test client does not undo gzip, so ask for the plain body.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


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
