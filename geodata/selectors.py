"""Reads on administrative units, hamlets and cell sites."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connection
from django.utils.translation import gettext_lazy as _

from geodata import reference
from geodata.addresses import address_format
from geodata.models import AdminUnit
from geodata.unit_lookup import communes_at_points

# The 2025 commune polygons were simplified upstream (about 50 m), which leaves slivers
# between neighbours; a point in such a gap inside the province belongs to the nearest unit.
GAP_TOLERANCE = D(m=300)

@dataclass(frozen=True)
class PointUnits:
    """The units that hold a point today and before the 2025-07-01 reform."""

    point: Point
    province: AdminUnit | None = None
    commune: AdminUnit | None = None
    district_before: AdminUnit | None = None
    commune_before: AdminUnit | None = None
    # True when the old commune was chosen by nearest label point among several
    # predecessors (the old communes have no polygons, only approximate centroids).
    commune_before_approximate: bool = False
    message: str = ""

    @property
    def lon(self) -> float:
        return self.point.x

    @property
    def lat(self) -> float:
        return self.point.y

    @property
    def today(self) -> list[AdminUnit]:
        return [unit for unit in (self.province, self.commune) if unit]

    @property
    def before_reform(self) -> list[AdminUnit]:
        units = (self.province, self.district_before, self.commune_before)
        return [unit for unit in units if unit]

    @property
    def address_today(self) -> str:
        return address_format(units=self.today)

    @property
    def address_before_reform(self) -> str:
        return address_format(units=self.before_reform)


def province_home() -> AdminUnit | None:
    """The installation's home province (QRMAP_PROVINCE_CODE; the demo's Lạng Sơn), the one
    the public pages show: in force, else the first province loaded."""
    provinces = AdminUnit.objects.current().filter(level=AdminUnit.Level.PROVINCE)
    return (provinces.filter(code=settings.QRMAP_PROVINCE_CODE).first()
            or provinces.order_by("code").first())


def commune_by_code(*, code: str, boundary: bool = True) -> AdminUnit | None:
    """The commune or ward in force today (2025 units) with this GSO code, or None;
    `boundary=False` leaves out its polygon (thousands of vertices) for a caller that only
    names the unit."""
    units = AdminUnit.objects.current().communes().filter(code=code)
    return (units if boundary else units.defer("boundary")).first()


def commune_at_point(*, point: Point) -> AdminUnit | None:
    """The commune or ward (2025 units) that holds the point today, or None outside: the
    same rule as communes_at_points, which it asks."""
    commune_id = communes_at_points([point])[0]
    return None if commune_id is None else AdminUnit.objects.get(pk=commune_id)


def unit_lookup_point(*, point: Point) -> PointUnits:
    """Today's commune and province, and the district and commune before 2025, at a point."""
    if point.srid is None:
        point = Point(point.x, point.y, srid=settings.QRMAP_SRID)
    # Boundaries are thousands of vertices each (the province's most of all) that the
    # answer never reads: parsing them was most of a cold asset page.
    units = AdminUnit.objects.select_related("parent", "province").defer(
        "boundary", "parent__boundary", "province__boundary")
    commune = _holding(units.current().communes(), point)
    # The commune's own province (several may be loaded; a commune imported without a
    # parent has one all the same).
    province = commune.province if commune else _holding(
        units.filter(level=AdminUnit.Level.PROVINCE), point)
    if commune is None and province is not None:
        commune = _nearest(units.current().communes(), point)
    if commune is None:
        return PointUnits(point=point, message=str(_("outside every loaded province")))
    district = _holding(units.before_reform().districts(), point) or _nearest(
        units.before_reform().districts(), point)
    district, old, approximate = _units_before(commune=commune, district=district,
                                               point=point)
    return PointUnits(point=point, province=province, commune=commune, district_before=district,
                      commune_before=old, commune_before_approximate=approximate)


def _holding(queryset, point):
    return queryset.containing(point).order_by("code").first()


def _nearest(queryset, point):
    # DWithin on a 4326 geometry takes degrees only (a distance in metres raised ValueError,
    # a 500 on the page of any point in a sliver): a box in degrees wide enough for
    # GAP_TOLERANCE anywhere below 60° of latitude, then the true distance in metres.
    return (queryset.filter(boundary__dwithin=(point, GAP_TOLERANCE.m / 111_320 * 2))
            .annotate(distance=Distance("boundary", point))
            .filter(distance__lte=GAP_TOLERANCE).order_by("distance").first())


# The units before 2025 given today's commune and the old district: the SQL function of
# geodata 0015 (the rule the asset triggers store), here for a free point.
_BEFORE_SQL = """
SELECT b.district_before, b.commune_before, b.commune_before_approximate
FROM geodata_units_before_at(%s::geometry, %s, %s) b
"""


def _units_before(*, commune, district, point) -> tuple[AdminUnit | None, AdminUnit | None,
                                                       bool]:
    """(old district, old commune, whether the old commune is a guess) at a point of this
    commune of today, `district` the old district its polygons give."""
    with connection.cursor() as cursor:
        cursor.execute(_BEFORE_SQL, [point.ewkt, commune.pk, district and district.pk])
        district_id, old_id, approximate = cursor.fetchone()
    found = AdminUnit.objects.defer("boundary").in_bulk(
        [pk for pk in (district_id, old_id) if pk is not None])
    return found.get(district_id), found.get(old_id), approximate


def reference_towns() -> tuple[reference.Town, ...]:
    """The GeoNames towns of the province (reference localities for short plus codes)."""
    return reference.towns_read()

