"""Database-level guarantees of the geodata models."""
import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError

from geodata.models import CellSite, Hamlet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model, extra", [
    (Hamlet, {"name": "Thôn Sai"}),
    (CellSite, {"operator": "viettel", "technologies": ["4G"]}),
])
def test_database_refuses_a_latitude_of_95(model, extra):
    # Point(x=lon, y=lat): the ORM does not validate ranges; the CHECK constraint does.
    with pytest.raises(IntegrityError):
        model.objects.create(location=Point(106.7, 95.0, srid=4326), **extra)
