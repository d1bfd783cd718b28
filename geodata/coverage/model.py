"""The coverage model in SQL: one row per hamlet with its declared, modelled and effective
status, optionally with planned sites added (a scenario) that never touch the tables.

PostGIS measures in metres on geography. `ST_DWithin(site, hamlet, site.radius)` alone has a
per-row distance that the GiST index cannot use, so every test is preceded by the same test
with a constant, the largest radius in use (DESIGN.md, "Mind the index"); migration
0003_geography_gist_indexes gives both tables an index on the geography cast.
"""
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from geodata.models import AdminUnit, Availability, CellSite
from geodata.radio import BROADBAND_TECHNOLOGIES

# Sites count for the model when they are active and serve 3G or better.
MODEL_TECHNOLOGIES = list(BROADBAND_TECHNOLOGIES)


@dataclass(frozen=True)
class PlannedSite:
    """A site that does not exist yet: a point and the radius it would serve 3G+ within."""

    lon: float
    lat: float
    radius_m: float
    label: str = ""


@dataclass(frozen=True)
class HamletCoverage:
    """One hamlet as the analysis sees it."""

    id: int
    name: str
    commune_code: str
    commune_name: str
    district_code: str
    district_name: str
    households: int
    population: int
    lon: float
    lat: float
    mobile_declared: str
    broadband_declared: str
    modelled_sites: int
    planned_sites: int = 0

    @property
    def mobile_modelled(self) -> bool:
        return self.modelled_sites > 0

    @property
    def mobile_covered(self) -> bool:
        """Declaration first; the model decides only where the declaration is unknown.
        A planned site of a scenario covers whatever lies in its radius, declared or not."""
        if self.mobile_declared == Availability.YES or self.planned_sites > 0:
            return True
        if self.mobile_declared == Availability.NO:
            return False
        return self.mobile_modelled

    @property
    def broadband_gap(self) -> bool:
        return self.broadband_declared == Availability.NO

    @property
    def disagreement(self) -> str:
        """'' when declaration and model agree (or nothing was declared)."""
        if self.mobile_declared == Availability.YES and not self.mobile_modelled:
            return "declared_yes_no_site"
        if self.mobile_declared == Availability.NO and self.mobile_modelled:
            return "declared_no_site_covers"
        return ""


def site_filter_sql(alias: str = "s") -> str:
    """The WHERE part that picks the sites the model uses (active, 3G or better, a radius)."""
    return (
        f"{alias}.status = '{CellSite.Status.ACTIVE}' AND {alias}.coverage_radius_m > 0 "
        f"AND {alias}.technologies && %(model_techs)s::varchar[]"
    )


def model_max_radius(planned: tuple[PlannedSite, ...] = ()) -> float:
    """The largest radius in use: the constant that lets ST_DWithin use the index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(max(s.coverage_radius_m), 0) FROM geodata_cellsite s "
            f"WHERE {site_filter_sql()}",
            {"model_techs": MODEL_TECHNOLOGIES},
        )
        largest = cursor.fetchone()[0]
    return max([largest, *(p.radius_m for p in planned)])


def _planned_values(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """A VALUES list of the planned sites with bound parameters (nothing is inserted)."""
    rows = []
    for index, site in enumerate(planned):
        params[f"p{index}_lon"], params[f"p{index}_lat"] = float(site.lon), float(site.lat)
        params[f"p{index}_r"] = float(site.radius_m)
        rows.append(f"(%(p{index}_lon)s::float8, %(p{index}_lat)s::float8, %(p{index}_r)s::float8)")
    return "VALUES " + ", ".join(rows)


def status_query(
    *, commune_id: int | None = None, planned: tuple[PlannedSite, ...] = ()
) -> tuple[str, dict]:
    """SQL and parameters of the per-hamlet status rows (columns as HamletCoverage)."""
    old_districts = AdminUnit.objects.before_reform().districts()
    params = {
        "model_techs": MODEL_TECHNOLOGIES,
        "max_radius": model_max_radius(planned),
        "district_ids": list(old_districts.values_list("id", flat=True)),
        "commune_id": commune_id,
        "srid": settings.QRMAP_SRID,
    }
    planned_join = "CROSS JOIN LATERAL (SELECT 0 AS sites) plan"
    if planned:
        planned_join = (
            "CROSS JOIN LATERAL (SELECT count(*) AS sites FROM ("
            + _planned_values(planned, params)
            + ") p(lon, lat, radius) WHERE ST_DWithin("
            "ST_SetSRID(ST_MakePoint(p.lon, p.lat), %(srid)s)::geography, "
            "h.location::geography, p.radius)) plan"
        )
    sql = f"""
        SELECT h.id, h.name, coalesce(c.code, ''), coalesce(c.name, ''),
               coalesce(inside.code, near.code, ''), coalesce(inside.name, near.name, ''),
               h.households, h.population,
               ST_X(h.location), ST_Y(h.location), h.mobile_status, h.broadband_status,
               cov.sites, plan.sites
        FROM geodata_hamlet h
        LEFT JOIN geodata_adminunit c ON c.id = h.commune_id
        LEFT JOIN LATERAL (
            SELECT du.code, du.name FROM geodata_adminunit du
            WHERE du.id = ANY(%(district_ids)s) AND ST_Covers(du.boundary, h.location)
            ORDER BY du.code LIMIT 1
        ) inside ON TRUE
        LEFT JOIN LATERAL (
            -- The old district polygons and today's communes come from different surveys
            -- and leave slivers: a hamlet in none takes the nearest district within ~2 km.
            -- Only those few pay for ST_Distance.
            SELECT du.code, du.name FROM geodata_adminunit du
            WHERE inside.code IS NULL AND du.id = ANY(%(district_ids)s)
              AND ST_DWithin(du.boundary, h.location, 0.02)
            ORDER BY ST_Distance(du.boundary, h.location), du.code LIMIT 1
        ) near ON TRUE
        CROSS JOIN LATERAL (
            SELECT count(*) AS sites FROM geodata_cellsite s
            WHERE {site_filter_sql()}
              AND ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s)
              AND ST_DWithin(s.location::geography, h.location::geography, s.coverage_radius_m)
        ) cov
        {planned_join}
        WHERE (%(commune_id)s::bigint IS NULL OR h.commune_id = %(commune_id)s::bigint)
        ORDER BY c.code NULLS LAST, h.name, h.id
    """
    return sql, params


def hamlet_coverage(
    *, commune_id: int | None = None, planned: tuple[PlannedSite, ...] = ()
) -> list[HamletCoverage]:
    """Every hamlet (or one commune's) with declared, modelled and scenario status."""
    sql, params = status_query(commune_id=commune_id, planned=tuple(planned))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [HamletCoverage(*row) for row in cursor.fetchall()]
