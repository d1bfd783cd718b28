"""The coverage model in SQL: one row per hamlet with its declared, modelled and effective
status, optionally with planned sites added (a scenario) that never touch the tables.

PostGIS measures in metres on geography. `ST_DWithin(site, hamlet, site.radius)` alone has a
per-row distance that the GiST index cannot use, so every test is preceded by the same test
with a constant, the largest radius in use (DESIGN.md, "Mind the index"); migration
0003_geography_gist_indexes gives both tables an index on the geography cast.
"""
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import connection, transaction

from geodata.models import Availability, CellSite
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
    mobile_modelled: bool  # an active 3G+ site has the hamlet within its radius
    planned_sites: int = 0
    # How many such sites: only the lists people read need it, and counting every site in
    # range costs what EXISTS saves, so it is counted for those rows alone (sites_in_range).
    modelled_sites: int | None = None

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


def model_max_radius() -> float:
    """The largest radius of the model's sites: the constant that lets ST_DWithin use the
    index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(max(s.coverage_radius_m), 0) FROM geodata_cellsite s "
            f"WHERE {site_filter_sql()}",
            {"model_techs": MODEL_TECHNOLOGIES},
        )
        return cursor.fetchone()[0]


def _planned_values(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """A VALUES list of the planned sites with bound parameters (nothing is inserted)."""
    rows = []
    for index, site in enumerate(planned):
        params[f"p{index}_lon"], params[f"p{index}_lat"] = float(site.lon), float(site.lat)
        params[f"p{index}_r"] = float(site.radius_m)
        rows.append(f"(%(p{index}_lon)s::float8, %(p{index}_lat)s::float8, %(p{index}_r)s::float8)")
    return "VALUES " + ", ".join(rows)


# Is a model site within its own radius of the hamlet? EXISTS stops at the first one, where
# count(*) measured every site in reach (a hundred per hamlet where sites are dense). The
# constant test is what the index answers; written second, the exact test of a candidate
# runs first and the constant one (which it implies) only for the site that matches.
MODELLED_SQL = """EXISTS (
    SELECT 1 FROM geodata_cellsite s
    WHERE {sites}
      AND ST_DWithin(s.location::geography, h.location::geography, s.coverage_radius_m)
      AND ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s))"""


def _planned_reach_sql(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """SQL of (hamlet id, how many planned sites reach it): the few sites probe the hamlets'
    index, rather than every hamlet testing every planned site."""
    params["planned_max"] = max(float(site.radius_m) for site in planned)
    params.setdefault("srid", settings.QRMAP_SRID)
    return f"""
        SELECT ph.id, count(*) AS sites
        FROM ({_planned_values(planned, params)}) p(lon, lat, radius)
        JOIN geodata_hamlet ph
          ON ST_DWithin(ST_SetSRID(ST_MakePoint(p.lon, p.lat), %(srid)s)::geography,
                        ph.location::geography, %(planned_max)s)
         AND ST_DWithin(ST_SetSRID(ST_MakePoint(p.lon, p.lat), %(srid)s)::geography,
                        ph.location::geography, p.radius)
        GROUP BY ph.id"""


def _planned_join(planned: tuple[PlannedSite, ...], params: dict) -> str:
    if not planned:
        return "LEFT JOIN (SELECT NULL::bigint AS id, 0 AS sites) plan ON FALSE"
    return f"LEFT JOIN ({_planned_reach_sql(planned, params)}) plan ON plan.id = h.id"


def planned_reach(planned: tuple[PlannedSite, ...]) -> dict[int, int]:
    """How many of the planned sites reach each hamlet they reach (by hamlet id)."""
    if not planned:
        return {}
    params: dict = {}
    sql = _planned_reach_sql(tuple(planned), params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def status_query(
    *, commune_id: int | None = None, province_id: int | None = None,
    planned: tuple[PlannedSite, ...] = ()
) -> tuple[str, dict]:
    """SQL and parameters of the per-hamlet status rows (columns as HamletCoverage), of
    one commune, one province (by the commune's province: hamlets outside every commune
    belong to none), or all.

    Today's commune and the district before 2025 are columns of the hamlet, kept by the
    triggers of migration 0007: nothing here tests a polygon."""
    params = {
        "model_techs": MODEL_TECHNOLOGIES,
        "max_radius": model_max_radius(),
        "commune_id": commune_id,
        "province_id": province_id,
        "srid": settings.QRMAP_SRID,
    }
    sql = f"""
        SELECT h.id, h.name, coalesce(c.code, ''), coalesce(c.name, ''),
               coalesce(d.code, ''), coalesce(d.name, ''), h.households, h.population,
               ST_X(h.location), ST_Y(h.location), h.mobile_status, h.broadband_status,
               {MODELLED_SQL.format(sites=site_filter_sql())},
               coalesce(plan.sites, 0)
        FROM geodata_hamlet h
        LEFT JOIN geodata_adminunit c ON c.id = h.commune_id
        LEFT JOIN geodata_adminunit d ON d.id = h.district_before_id
        {_planned_join(planned, params)}
        WHERE (%(commune_id)s::bigint IS NULL OR h.commune_id = %(commune_id)s::bigint)
          AND (%(province_id)s::bigint IS NULL OR c.province_id = %(province_id)s::bigint)
        ORDER BY c.code NULLS LAST, h.name, h.id
    """
    return sql, params


def hamlet_coverage(
    *, commune_id: int | None = None, province_id: int | None = None,
    planned: tuple[PlannedSite, ...] = ()
) -> list[HamletCoverage]:
    """Every hamlet (or one commune's, or one province's) with declared, modelled and
    scenario status."""
    sql, params = status_query(commune_id=commune_id, province_id=province_id,
                               planned=tuple(planned))
    with transaction.atomic(), connection.cursor() as cursor:
        # The site probe's cost estimate, times 100,000 hamlets, passes jit_above_cost, and
        # compiling the plan then took longer (4 s) than the query itself; the sort of
        # 100,000 rows spilled to disk with the default work_mem.
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return [HamletCoverage(*row) for row in cursor.fetchall()]


def sites_in_range(rows: list[HamletCoverage]) -> list[HamletCoverage]:
    """The rows with modelled_sites: how many model sites have each within their radius.
    One query for the rows the model covers; the others have none."""
    ids = [row.id for row in rows if row.mobile_modelled]
    counts: dict[int, int] = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(f"""
                SELECT h.id, count(*) FROM geodata_hamlet h JOIN geodata_cellsite s
                  ON {site_filter_sql()}
                 AND ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s)
                 AND ST_DWithin(s.location::geography, h.location::geography,
                                s.coverage_radius_m)
                WHERE h.id = ANY(%(ids)s) GROUP BY h.id
            """, {"model_techs": MODEL_TECHNOLOGIES, "max_radius": model_max_radius(),
                  "ids": ids})
            counts = dict(cursor.fetchall())
    return [replace(row, modelled_sites=counts.get(row.id, 0)) for row in rows]
