"""Reads on administrative units, hamlets and cell sites."""
from django.contrib.gis.geos import Point

from geodata.models import AdminUnit


def commune_at_point(*, point: Point) -> AdminUnit | None:
    """The commune or ward (2025 units) that holds the point today, or None outside."""
    return (
        AdminUnit.objects.current().communes().containing(point).order_by("code").first()
    )
