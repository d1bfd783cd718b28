"""The OGC API – Features definition (/ogc/api) tells the truth: schemathesis generates
requests from it for every operation and runs all its checks; no answer is a server error.

The document is built by the function the /ogc/api view serves (checked below), so that
collecting the tests needs neither a database nor the cache.
"""
import pytest
import schemathesis
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from assets.models import Asset
from assets.ogc.openapi import openapi_document
from geodata.models import AdminUnit, Availability
from qrmap.wsgi import application
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory
from tests.schema_cases import case_prepare

BASE_URL = "http://testserver/ogc"

schema = schemathesis.openapi.from_dict(openapi_document(base_url=BASE_URL))
schema.app = application


@pytest.fixture
def rows(geography):
    cache.clear()  # the anonymous throttle counts in the cache
    commune = AdminUnit.objects.current().communes().get(code="05977")
    asset = AssetFactory(name_en="School")
    AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
                 heritage_rank=Asset.HeritageRank.NATIONAL)
    hamlet = HamletFactory(commune=commune, mobile_status=Availability.NO)
    HamletFactory(location=Point(106.35, 22.05, srid=4326))
    site = CellSiteFactory(commune=commune)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"assets": asset.code, "hamlets": str(hamlet.pk), "cellsites": str(site.pk),
           "communes": commune.code, "districts-before-2025": "178",
           "communes-before-2025": "05971"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# As in tests/test_schema.py: the same cases on every run; `rows` is shared by the examples
# of one operation on purpose.
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_every_ogc_operation_keeps_its_definition(case, rows):
    """All of schemathesis' checks; half of the valid feature ids name a real feature."""
    case_prepare(case, rows)
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


@pytest.mark.django_db
def test_the_definition_tested_is_the_one_served(client):
    response = client.get("/ogc/api")
    assert response.status_code == 200
    assert response.json() == openapi_document(base_url=BASE_URL)
