"""Which administrative unit holds each of many points: today's commune and province, the
district and commune before the 2025 reform. The importers, the services and the demo loader
ask these for every asset or hamlet they write; geodata.selectors answers for one free point
with the unit rows themselves."""
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction

from geodata.importers.places import PROVINCE_TOLERANCE_DEG
from geodata.models import AdminUnit, reform_eve
from geodata.sqlarrays import number_array

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


class _Lookup(NamedTuple):
    function: str  # the per-point SQL function, the rule itself
    level: str
    day: str  # SQL for the day its units are in force
    nearest: bool  # the function takes the nearest unit where no part covers the point


_COMMUNES = _Lookup("geodata_commune_at", AdminUnit.Level.COMMUNE, "CURRENT_DATE", False)
_DISTRICTS_BEFORE = _Lookup("geodata_district_before_at", AdminUnit.Level.DISTRICT,
                            "%(eve)s::date", True)


def _covering_xy(xs: Sequence[float], ys: Sequence[float],
                 *lookups: _Lookup) -> list[list[int | None]]:
    """For each lookup (_COMMUNES, _DISTRICTS_BEFORE), the id of its unit holding each lon/lat
    pair, in the order given, None where none covers it; the temporary table's plan above
    _FEW points, one table for every lookup asked. The old districts' function also takes
    the nearest district in a sliver between outlines: the few points no part covers ask it
    one by one."""
    if not xs:
        return [[] for _ in lookups]
    params = {"srid": settings.QRMAP_SRID, "eve": reform_eve(),
              "i": number_array(range(len(xs))), "x": number_array(xs),
              "y": number_array(ys)}
    found = []
    # JIT off (for the enclosing transaction, when there is one): the planner prices
    # ST_Covers high, so a query crossed the JIT threshold and spent 0.5 s compiling what
    # then ran in 0.3 s.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        if len(xs) <= _FEW:
            for lookup in lookups:
                cursor.execute(_FEW_SQL.format(function=lookup.function, points=_UNNEST), params)
                found.append(dict(cursor.fetchall()))
            return [[units.get(i) for i in range(len(xs))] for units in found]
        cursor.execute("CREATE TEMP TABLE unit_lookup ON COMMIT DROP AS SELECT p.i, "
                       f"ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s) AS geom FROM {_UNNEST}",
                       params)
        cursor.execute("CREATE INDEX ON unit_lookup USING gist (geom)")
        for lookup in lookups:
            cursor.execute(_MANY_SQL.format(day=lookup.day), {**params, "level": lookup.level})
            units = dict(cursor.fetchall())
            missed = [i for i in range(len(xs)) if i not in units]
            if missed and lookup.nearest:
                cursor.execute(_FEW_SQL.format(function=lookup.function, points=_UNNEST), {
                    **params, "i": number_array(missed),
                    "x": number_array(xs[i] for i in missed),
                    "y": number_array(ys[i] for i in missed)})
                units.update(cursor.fetchall())
            found.append(units)
        cursor.execute("DROP TABLE unit_lookup")
    return [[units.get(i) for i in range(len(xs))] for units in found]


def communes_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[int | None]:
    """Id of today's commune holding each lon/lat pair (storage SRID), in the order given;
    None where no commune covers it. One query (two plans: see above)."""
    return _covering_xy(xs, ys, _COMMUNES)[0]


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
    return list(zip(communes, _provinces(xs, ys, communes), strict=True))


def _provinces(xs, ys, communes) -> list[int | None]:
    if not communes:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_PROVINCES_SQL, {
            "srid": settings.QRMAP_SRID, "tolerance": PROVINCE_TOLERANCE_DEG,
            "i": number_array(range(len(xs))),
            "x": number_array(xs), "y": number_array(ys),
            "c": _ids_array(communes)})
        provinces = dict(cursor.fetchall())
    return [provinces.get(i) for i in range(len(communes))]


def districts_before_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[int | None]:
    """Id of the district before the 2025 reform holding each lon/lat pair (or, in a sliver
    or just outside every outline, the nearest within about 2 km), in the order given: the
    rule of geodata_district_before_at, set-wise above a few points."""
    return _covering_xy(xs, ys, _DISTRICTS_BEFORE)[0]


def units_before_at_xy(xs: Sequence[float], ys: Sequence[float],
                       communes: Sequence[int | None]) -> list[tuple[int | None, int | None,
                                                                     bool]]:
    """(old district id, old commune id, approximate) of each lon/lat pair whose commune of
    today is given: what the triggers of assets 0025 store, by the same SQL rules (the old
    district on the subdivided parts, as geodata_district_before_at finds it, set-wise above
    a few points; then geodata_units_before_at), in the order given."""
    return _units_before(xs, ys, communes, districts_before_at_xy(xs, ys))


def _units_before(xs, ys, communes, districts) -> list[tuple[int | None, int | None, bool]]:
    if not xs:
        return []
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


class AssetUnits(NamedTuple):
    """Every unit an asset stores for its point (Asset's attnames)."""

    commune_id: int | None
    province_id: int | None
    district_before_id: int | None
    commune_before_id: int | None
    commune_before_approximate: bool


def asset_units_at_xy(xs: Sequence[float], ys: Sequence[float]) -> list[AssetUnits]:
    """units_at_xy and units_before_at_xy of each lon/lat pair in one pass: today's communes
    and the old districts are looked up through one temporary table (its GiST index is built
    once: 0.4 s of 100,000 points saved)."""
    communes, districts = _covering_xy(xs, ys, _COMMUNES, _DISTRICTS_BEFORE)
    return [AssetUnits(commune, province, *before) for commune, province, before in zip(
        communes, _provinces(xs, ys, communes), _units_before(xs, ys, communes, districts),
        strict=True)]


def _ids_array(ids: Sequence[int | None]) -> str:
    return "{" + ",".join("NULL" if pk is None else str(int(pk)) for pk in ids) + "}"
