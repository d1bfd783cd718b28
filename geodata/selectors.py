"""Reads on administrative units, hamlets and cell sites."""
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from geodata import reference
from geodata.addresses import address_format
from geodata.importers.places import PROVINCE_TOLERANCE_DEG
from geodata.models import AdminUnit, reform_date
from geodata.sqlarrays import number_array

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


# Which unit of a level holds a point, for one point or thousands: the units in force on a
# date (today, or the eve of the 2025 reform for the old districts) whose boundary covers it
# (a point on a shared border is covered by both), the lowest GSO code winning. The rules are
# the SQL functions geodata_commune_at and geodata_district_before_at (migrations 0007,
# 0013), which the hamlet and asset triggers use too; they test geodata_unitpart, the
# boundaries cut into parts of at most 128 vertices (migration 0006), where the whole
# polygon made every test walk thousands of edges. A few points ask the function one by one.
# More go into a temporary table with its own GiST index and each of the few hundred parts
# fetches the points it covers: the same rule set-wise, 1 s for 100,000 points, and already
# cheaper than the function (0.1-0.4 ms a point) from a few dozen points on (geodata 0013
# measured both); a test holds the two to the same answers.
_UNNEST = "unnest(%(i)s::int[], %(x)s::float8[], %(y)s::float8[]) AS p(i, x, y)"
_FEW_SQL = """
SELECT p.i, {function}(ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s)) FROM {points}
"""
_MANY_SQL = """
SELECT DISTINCT ON (hit.i) hit.i, u.id
FROM (SELECT p.i, part.unit_id FROM geodata_unitpart part
      JOIN unit_lookup p ON ST_Covers(part.geom, p.geom)) hit
JOIN geodata_adminunit u
  ON u.id = hit.unit_id
 AND u.level = %(level)s
 AND (u.valid_from IS NULL OR u.valid_from <= {day})
 AND (u.valid_to IS NULL OR u.valid_to >= {day})
ORDER BY hit.i, u.code
"""
_FEW = 32
# The per-point function of each lookup, and the day its units are in force.
_COMMUNES = ("geodata_commune_at", AdminUnit.Level.COMMUNE, "CURRENT_DATE")
_DISTRICTS_BEFORE = ("geodata_district_before_at", AdminUnit.Level.DISTRICT, "%(eve)s::date")


def _covering_xy(xs: Sequence[float], ys: Sequence[float], lookup) -> list[int | None]:
    """Id of the unit of `lookup` (_COMMUNES, _DISTRICTS_BEFORE) holding each lon/lat pair,
    in the order given, None where none covers it; the temporary table's plan above _FEW
    points. The old districts' function also takes the nearest district in a sliver between
    outlines: the few points no part covers ask it one by one."""
    if not xs:
        return []
    function, level, day = lookup
    params = {"srid": settings.QRMAP_SRID, "level": level, "eve": reform_eve(),
              "i": number_array(range(len(xs))), "x": number_array(xs),
              "y": number_array(ys)}
    # JIT off (for the enclosing transaction, when there is one): the planner prices
    # ST_Covers high, so a query crossed the JIT threshold and spent 0.5 s compiling what
    # then ran in 0.3 s.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        if len(xs) <= _FEW:
            cursor.execute(_FEW_SQL.format(function=function, points=_UNNEST), params)
            found = dict(cursor.fetchall())
        else:
            cursor.execute("CREATE TEMP TABLE unit_lookup ON COMMIT DROP AS SELECT p.i, "
                           f"ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s) AS geom FROM {_UNNEST}",
                           params)
            cursor.execute("CREATE INDEX ON unit_lookup USING gist (geom)")
            cursor.execute(_MANY_SQL.format(day=day), params)
            found = dict(cursor.fetchall())
            cursor.execute("DROP TABLE unit_lookup")
            missed = [i for i in range(len(xs)) if i not in found]
            if missed and function != _COMMUNES[0]:
                cursor.execute(_FEW_SQL.format(function=function, points=_UNNEST), {
                    **params, "i": number_array(missed),
                    "x": number_array(xs[i] for i in missed),
                    "y": number_array(ys[i] for i in missed)})
                found.update(cursor.fetchall())
    return [found.get(i) for i in range(len(xs))]


def reform_eve() -> str:
    """The last day of the units before the 2025 reform (ISO date)."""
    return (reform_date() - datetime.timedelta(days=1)).isoformat()


def communes_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[int | None]:
    """Id of today's commune holding each lon/lat pair (storage SRID), in the order given;
    None where no commune covers it. One query (two plans: see above)."""
    return _covering_xy(xs, ys, _COMMUNES)


def communes_at_points(points: Iterable) -> list[int | None]:
    """Id of today's commune holding each point (anything with .x and .y in the storage
    SRID: a GEOS Point or an importer's LonLat), in the order given; None where no commune
    covers it (outside the province, or in a sliver between the simplified polygons)."""
    points = list(points)
    return communes_at_xy([p.x for p in points], [p.y for p in points])


# The province of a point: its commune's (AdminUnit.province, kept by migration 0009), or,
# outside every commune (a sliver between the simplified polygons, or just across a border
# that generalised outlines misplace: the Hữu Nghị gate), the nearest province within the
# importers' border tolerance. One unnest zips the four arrays (two unnests joined on their
# ordinality made the planner, which guesses a few rows for each, loop over all pairs).
_PROVINCES_SQL = """
SELECT p.i, coalesce(u.province_id, (
    SELECT pu.id FROM geodata_unitpart pp JOIN geodata_adminunit pu ON pu.id = pp.unit_id
    WHERE pu.level = 'province'
      AND (pu.valid_from IS NULL OR pu.valid_from <= CURRENT_DATE)
      AND (pu.valid_to IS NULL OR pu.valid_to >= CURRENT_DATE)
      AND ST_DWithin(pp.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s), %(tolerance)s)
    ORDER BY ST_Distance(pp.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s)), pu.code
    LIMIT 1))
FROM unnest(%(i)s::int[], %(x)s::float8[], %(y)s::float8[], %(c)s::bigint[]) AS p(i, x, y, c)
LEFT JOIN geodata_adminunit u ON u.id = p.c
"""


def units_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[tuple[int | None, int | None]]:
    """(commune id, province id) of each lon/lat pair, in the order given: the commune by
    communes_at_xy, the province its commune's (or, outside every commune, the nearest
    province within the border tolerance; None beyond). The one rule for every writer of
    assets."""
    communes = communes_at_xy(xs, ys)
    if not communes:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_PROVINCES_SQL, {
            "srid": settings.QRMAP_SRID, "tolerance": PROVINCE_TOLERANCE_DEG,
            "i": number_array(range(len(xs))),
            "x": number_array(xs), "y": number_array(ys),
            "c": _ids_array(communes)})
        provinces = dict(cursor.fetchall())
    return [(commune, provinces.get(i)) for i, commune in enumerate(communes)]


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


def districts_before_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[int | None]:
    """Id of the district before the 2025 reform holding each lon/lat pair (or, in a sliver
    or just outside every outline, the nearest within about 2 km), in the order given: the
    rule of geodata_district_before_at, set-wise above a few points."""
    return _covering_xy(xs, ys, _DISTRICTS_BEFORE)


def units_before_at_xy(xs: Sequence[float], ys: Sequence[float],
                       communes: Sequence[int | None]) -> list[tuple[int | None, int | None,
                                                                     bool]]:
    """(old district id, old commune id, approximate) of each lon/lat pair whose commune of
    today is given: what the triggers of assets 0025 store, by the same SQL rules (the old
    district on the subdivided parts, as geodata_district_before_at finds it, set-wise above
    a few points; then geodata_units_before_at), in the order given."""
    if not xs:
        return []
    districts = districts_before_at_xy(xs, ys)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.i, b.district_before, b.commune_before, b.commune_before_approximate "
            "FROM unnest(%(i)s::int[], %(x)s::float8[], %(y)s::float8[], %(c)s::bigint[], "
            "            %(d)s::bigint[]) AS p(i, x, y, c, d), "
            "LATERAL geodata_units_before_at(ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s), "
            "                                p.c, p.d) b",
            {"srid": settings.QRMAP_SRID, "i": number_array(range(len(xs))),
             "x": number_array(xs), "y": number_array(ys), "c": _ids_array(communes),
             "d": _ids_array(districts)})
        found = {i: tuple(rest) for i, *rest in cursor.fetchall()}
    return [found[i] for i in range(len(xs))]


def _ids_array(ids: Sequence[int | None]) -> str:
    return "{" + ",".join("NULL" if pk is None else str(int(pk)) for pk in ids) + "}"


def reference_towns() -> tuple[reference.Town, ...]:
    """The GeoNames towns of the province (reference localities for short plus codes)."""
    return reference.towns_read()

