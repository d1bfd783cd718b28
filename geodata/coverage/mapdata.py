"""Compact GeoJSON for the coverage map: short property names, rounded coordinates and
simplified outlines, since the whole province goes inline in one page."""
import json

from django.db import connection

from geodata.coverage.figures import CoverageFigures
from geodata.coverage.model import HamletCoverage
from geodata.models import AdminUnit, Availability, CellSite

# 5 decimals is about 1 m: plenty for a hamlet dot. Outlines are simplified by ~100 m, which
# is invisible at province zoom and halves their bytes.
POINT_DECIMALS = 5
OUTLINE_DECIMALS = 4
OUTLINE_TOLERANCE_DEG = 0.001


def mobile_code(row: HamletCoverage) -> str:
    """Y/N declared covered or gap; y/n modelled (declaration unknown)."""
    if row.mobile_declared == Availability.UNKNOWN:
        return "y" if row.mobile_covered else "n"
    return "Y" if row.mobile_covered else "N"


BROADBAND_CODES = {Availability.YES: "Y", Availability.NO: "N", Availability.UNKNOWN: "U"}


def point_table(fields: list[str], rows: list[list]) -> dict:
    """Points as a table: {"f": property names, "r": [[lon, lat, *values], ...]}.

    maps.js (QRMap.unpack) turns it into a GeoJSON FeatureCollection before L.geoJSON reads
    it. The GeoJSON boilerplate of a point feature is ~70 bytes, more than its data: the
    table keeps a province of hamlets inline at about a third of the size."""
    for row in rows:
        row[0], row[1] = round(row[0], POINT_DECIMALS), round(row[1], POINT_DECIMALS)
    return {"f": fields, "r": rows}


def hamlet_features(rows: list[HamletCoverage]) -> dict:
    """The hamlets with name, commune code, people, 3G/4G and broadband codes.

    d: 1 declared covered but no site in range, 2 declared gap but a site covers it;
    s: 1 when a planned site of the scenario closes the gap."""
    table = []
    for row in rows:
        disagreement = {"declared_yes_no_site": 1, "declared_no_site_covers": 2}.get(
            row.disagreement, 0)
        table.append([row.lon, row.lat, row.name, row.commune_code, row.population,
                      mobile_code(row), BROADBAND_CODES.get(row.broadband_declared, "U"),
                      disagreement, 1 if row.planned_sites else 0])
    return point_table(["n", "c", "p", "m", "b", "d", "s"], table)


def commune_features(figures: CoverageFigures) -> dict:
    """The 2025 communes, simplified, with their gap shares for the shading."""
    by_code = {unit.code: unit for unit in figures.communes}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, ST_AsGeoJSON(ST_SimplifyPreserveTopology(boundary, %s), %s) "
            "FROM geodata_adminunit WHERE id = ANY(%s) AND boundary IS NOT NULL ORDER BY code",
            [OUTLINE_TOLERANCE_DEG, OUTLINE_DECIMALS,
             list(AdminUnit.objects.current().communes().filter(code__in=by_code)
                  .values_list("id", flat=True))],
        )
        outlines = cursor.fetchall()
    features = []
    for code, geometry in outlines:
        unit = by_code[code]
        features.append({"type": "Feature", "geometry": json.loads(geometry), "properties": {
            "k": code, "n": unit.name, "t": unit.hamlets, "g": unit.mobile_gap_hamlets,
            "bg": unit.broadband_gap_hamlets, "gp": unit.mobile_gap_population,
            "s": round(unit.mobile_gap_share, 3), "bs": round(unit.broadband_gap_share, 3),
        }})
    return {"type": "FeatureCollection", "features": features}


def site_features(*, commune: AdminUnit | None = None) -> dict:
    """Active sites with operator, technologies and 3G+ radius (drawn as circles in metres).
    Plain SQL: building a GEOS point per site costs more than the rest of the layer."""
    operators = dict(CellSite.Operator.choices)
    params: dict = {"active": CellSite.Status.ACTIVE, "boundary": None}
    where = "status = %(active)s AND coverage_radius_m > 0"
    if commune is not None and commune.boundary is not None:
        # Sites just outside the commune still cover it: keep those within ~10 km.
        params["boundary"] = commune.boundary.ewkt
        where += " AND ST_DWithin(location, ST_GeomFromEWKT(%(boundary)s), 0.1)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ST_X(location), ST_Y(location), operator, id, name, "
                       f"array_to_string(technologies, ' '), round(coverage_radius_m) "
                       f"FROM geodata_cellsite WHERE {where} ORDER BY id", params)
        rows = [[x, y, operator, name or f"{operators.get(operator, operator)} #{pk}",
                 techs, int(radius)]
                for x, y, operator, pk, name, techs, radius in cursor.fetchall()]
    return point_table(["o", "n", "t", "r"], rows)


def bounds_of(*, commune: AdminUnit | None = None) -> tuple[float, float, float, float]:
    """min_lon, min_lat, max_lon, max_lat of the commune, or of the province."""
    if commune is not None and commune.boundary is not None:
        return commune.boundary.extent
    province = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE,
                                        boundary__isnull=False).first()
    if province is not None:
        return province.boundary.extent
    return (106.09, 21.32, 107.37, 22.46)  # Lạng Sơn, when no geography is loaded yet


def commune_outlines() -> dict:
    """Today's communes as simplified outlines with their names: a base that still shows
    where things are when the tile server cannot be reached."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(boundary, %s), %s) "
            "FROM geodata_adminunit WHERE id = ANY(%s) AND boundary IS NOT NULL ORDER BY code",
            [OUTLINE_TOLERANCE_DEG, OUTLINE_DECIMALS,
             list(AdminUnit.objects.current().communes().values_list("id", flat=True))],
        )
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": json.loads(geometry), "properties": {"n": name}}
            for name, geometry in cursor.fetchall()
        ]}
