"""The coverage model in SQL: one row per hamlet with its declared, modelled and effective
status, optionally with planned sites added (a scenario) that never touch the tables.

Distances are planar, on the points in a metric projection that migration
0010_metric_locations stores on hamlets and sites (`location_metric`, EPSG:32648), with each
radius scaled by the projection's scale factor at the site (geodata.coverage.metric): the same
answer as ST_DWithin on geography (spheroid) to well under a metre, for a fraction of its
cost. `ST_DWithin(site, hamlet, radius of the site)` alone has a per-row distance that the
GiST index cannot use, so every test goes with the same test with a constant, the largest
reach in use (DESIGN.md, "Mind the index").
"""
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import connection, transaction

from geodata.coverage.metric import METRIC_SRID, metric_point_sql, metric_reach_sql
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


# Not frozen: a frozen dataclass' __init__ sets each field through object.__setattr__, 2.5
# times the cost, 0.2 s of the national analysis' 100,000 rows. Rows are never changed in
# place (planning and results make new ones with dataclasses.replace).
@dataclass(slots=True)
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
    """The largest radius of the model's sites, in metres on the ground."""
    return model_max_reaches()[0]


def model_max_reach() -> float:
    """The largest planar reach of the model's sites (metric_reach_sql): the constant that
    lets ST_DWithin use the index."""
    return model_max_reaches()[1]


def model_max_reaches() -> tuple[float, float]:
    """(largest radius, largest planar reach) of the model's sites."""
    reach = metric_reach_sql("s.coverage_radius_m", "s.location_metric")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(max(s.coverage_radius_m), 0), coalesce(max({reach}), 0) "
            f"FROM geodata_cellsite s WHERE {site_filter_sql()}",
            {"model_techs": MODEL_TECHNOLOGIES},
        )
        return tuple(cursor.fetchone())


def _planned_values(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """A VALUES list of the planned sites with bound parameters (nothing is inserted)."""
    rows = []
    for index, site in enumerate(planned):
        params[f"p{index}_lon"], params[f"p{index}_lat"] = float(site.lon), float(site.lat)
        params[f"p{index}_r"] = float(site.radius_m)
        rows.append(f"({index}, %(p{index}_lon)s::float8, %(p{index}_lat)s::float8, "
                    f"%(p{index}_r)s::float8)")
    return "VALUES " + ", ".join(rows)


# Is a model site within its own radius of the hamlet `{h}`? EXISTS stops at the first one,
# where count(*) measured every site in reach (a hundred per hamlet where sites are dense).
# The constant test is what the index answers, the site's own reach decides.
MODELLED_SQL = """EXISTS (
    SELECT 1 FROM geodata_cellsite s
    WHERE {sites}
      AND ST_DWithin(s.location_metric, {h}.location_metric, %(max_reach)s)
      AND ST_DWithin(s.location_metric, {h}.location_metric, {reach}))"""


def modelled_sql(hamlet: str = "h") -> str:
    """SQL of 'a model site has hamlet `hamlet` within its radius' (needs max_reach and
    model_techs among the parameters)."""
    return MODELLED_SQL.format(
        sites=site_filter_sql(), h=hamlet,
        reach=metric_reach_sql("s.coverage_radius_m", "s.location_metric"))


def _planned_pairs_sql(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """SQL of (planned site's index, id of a hamlet within its radius): the few sites probe
    the hamlets' index, rather than every hamlet testing every planned site. The reach
    belongs to the outer (planned) row, so the index takes it as it is."""
    params.setdefault("srid", settings.QRMAP_SRID)
    return f"""
        SELECT p.idx, ph.id
        FROM ({_planned_values(planned, params)}) p(idx, lon, lat, radius)
        CROSS JOIN LATERAL (SELECT {metric_point_sql("p.lon", "p.lat")} AS point) pp
        JOIN geodata_hamlet ph
          ON ST_DWithin(pp.point, ph.location_metric, {metric_reach_sql("p.radius", "pp.point")})"""


def _planned_reach_sql(planned: tuple[PlannedSite, ...], params: dict) -> str:
    """SQL of (hamlet id, how many planned sites reach it)."""
    return f"SELECT pairs.id, count(*) AS sites FROM ({_planned_pairs_sql(planned, params)}) " \
           "pairs GROUP BY pairs.id"


def _planned_join(planned: tuple[PlannedSite, ...], params: dict) -> str:
    if not planned:
        return "LEFT JOIN (SELECT NULL::bigint AS id, 0 AS sites) plan ON FALSE"
    return f"LEFT JOIN ({_planned_reach_sql(planned, params)}) plan ON plan.id = h.id"


def planned_reach(planned: tuple[PlannedSite, ...]) -> dict[int, set[int]]:
    """The ids of the hamlets within the radius of each planned site (by its index)."""
    reach: dict[int, set[int]] = {index: set() for index in range(len(planned))}
    if planned:
        params: dict = {}
        sql = _planned_pairs_sql(tuple(planned), params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for index, hamlet_id in cursor.fetchall():
                reach[index].add(hamlet_id)
    return reach


# The analysis of many hamlets tests squares of the metric grid before the hamlets in them:
# a square is served when one model site reaches its farthest corner (its centre within the
# site's reach less half the diagonal), and then so is every hamlet in it. Only the hamlets
# of the other squares are probed one by one. At 1 km, the national data's 100,000 hamlets
# lie in some 8,600 squares: that many probes instead of 100,000, and the same answer.
CELL_M = 1000.0
CELL_SQL = "floor(ST_X({p}) / %(cell)s), floor(ST_Y({p}) / %(cell)s)"
SERVED_CELLS_SQL = """served_cell AS MATERIALIZED (
    SELECT cx, cy
    FROM (SELECT DISTINCT {cell} FROM geodata_hamlet g WHERE {where}) cell(cx, cy)
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint((cx + 0.5) * %(cell)s,
                                                       (cy + 0.5) * %(cell)s), {srid})
                        AS location_metric) c
    WHERE EXISTS (
        SELECT 1 FROM geodata_cellsite s
        WHERE {sites}
          AND ST_DWithin(s.location_metric, c.location_metric, %(max_reach)s)
          AND ST_DWithin(s.location_metric, c.location_metric, {reach} - %(half_diagonal)s)))"""
COMMUNE_SQL = "(%(commune_id)s::bigint IS NULL OR {h}.commune_id = %(commune_id)s::bigint)"


def _scope_sql(h: str, *, open_only: bool) -> str:
    """The hamlets `h` in scope: the commune's (or all), only those not declared covered
    with `open_only` (the only ones that can be 3G/4G gaps)."""
    if not open_only:
        return COMMUNE_SQL.format(h=h)
    return f"{COMMUNE_SQL.format(h=h)} AND {h}.mobile_status <> '{Availability.YES}'"


def _unserved_sql(*, cells: bool, open_only: bool) -> tuple[str, str]:
    """(WITH part, SQL of the ids of the hamlets no model site reaches)."""
    if not cells:
        return "", f"SELECT u.id FROM geodata_hamlet u WHERE NOT {modelled_sql('u')}"
    served = SERVED_CELLS_SQL.format(
        cell=CELL_SQL.format(p="g.location_metric"), where=_scope_sql("g", open_only=open_only),
        srid=METRIC_SRID, sites=site_filter_sql(),
        reach=metric_reach_sql("s.coverage_radius_m", "s.location_metric"))
    # OFFSET 0 keeps the planner from probing every hamlet before it looks at its square
    # (its estimate of the squares is blind).
    return f"WITH {served}", f"""
        SELECT u.id FROM (
            SELECT u.id, u.location_metric FROM geodata_hamlet u
            WHERE {_scope_sql("u", open_only=open_only)} AND NOT EXISTS (
                SELECT 1 FROM served_cell sc
                WHERE (sc.cx, sc.cy) = ({CELL_SQL.format(p="u.location_metric")}))
            OFFSET 0) u
        WHERE NOT {modelled_sql('u')}"""


def status_query(
    *, commune_id: int | None = None, planned: tuple[PlannedSite, ...] = (),
    cells: bool = False, open_only: bool = False, ordered: bool = True,
) -> tuple[str, dict]:
    """SQL and parameters of the per-hamlet status rows (columns as HamletCoverage); `cells`
    for many hamlets (CELL_M; a few hamlets, such as a tile's, are faster probed alone);
    `open_only`: only the hamlets not declared covered.

    Today's commune and the district before 2025 are columns of the hamlet, kept by the
    triggers of migration 0007: nothing here tests a polygon. The model's answer comes from
    the hamlets it leaves uncovered (`unserved`, an anti-join) rather than from an EXISTS in
    the select list, which PostgreSQL ran for every row after the sort, in the leader alone
    (no parallel worker can run such a subquery)."""
    params = {
        "model_techs": MODEL_TECHNOLOGIES,
        "max_reach": model_max_reach(),
        "commune_id": commune_id,
        "srid": settings.QRMAP_SRID,
        "cell": CELL_M,
        "half_diagonal": CELL_M / 2 ** 0.5,
    }
    with_sql, unserved_sql = _unserved_sql(cells=cells, open_only=open_only)
    sql = f"""
        {with_sql}
        SELECT h.id, h.name, coalesce(c.code, ''), coalesce(c.name, ''),
               coalesce(d.code, ''), coalesce(d.name, ''), h.households, h.population,
               ST_X(h.location), ST_Y(h.location), h.mobile_status, h.broadband_status,
               unserved.id IS NULL, coalesce(plan.sites, 0)
        FROM geodata_hamlet h
        LEFT JOIN geodata_adminunit c ON c.id = h.commune_id
        LEFT JOIN geodata_adminunit d ON d.id = h.district_before_id
        LEFT JOIN ({unserved_sql}) unserved ON unserved.id = h.id
        {_planned_join(planned, params)}
        WHERE {_scope_sql("h", open_only=open_only)}
        {"ORDER BY c.code NULLS LAST, h.name, h.id" if ordered else ""}
    """
    return sql, params


# Inside the analysis' transaction. The site probe's cost estimate, times 100,000 hamlets,
# passes jit_above_cost, and compiling the plan took longer (4 s) than the query itself; the
# sort of 100,000 rows spilled to disk with the default work_mem. (Parallel workers: the
# squares' CTE keeps the probes in the leader, and more workers measured no gain on 2 cores.)
ANALYSIS_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'"


def hamlet_coverage(
    *, commune_id: int | None = None, planned: tuple[PlannedSite, ...] = (),
    open_only: bool = False,
) -> list[HamletCoverage]:
    """Every hamlet (or one commune's) with declared, modelled and scenario status; with
    `open_only`, only the hamlets not declared covered."""
    sql, params = status_query(commune_id=commune_id, planned=tuple(planned), cells=True,
                               open_only=open_only)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ANALYSIS_SETTINGS)
        cursor.execute(sql, params)
        return [HamletCoverage(*row) for row in cursor.fetchall()]


def hamlet_groups(*, commune_id: int | None = None) -> list[tuple[HamletCoverage, int, int, int]]:
    """The hamlets (or one commune's) grouped by everything but what tells them apart: a
    HamletCoverage standing for each group (no id, name nor location), and the group's
    hamlets, households and people."""
    sql, params = status_query(commune_id=commune_id, cells=True, ordered=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ANALYSIS_SETTINGS)
        cursor.execute(f"""
            SELECT cc, cn, dc, dn, ms, bs, modelled, planned,
                   count(*), sum(households), sum(population)
            FROM ({sql}) st(id, name, cc, cn, dc, dn, households, population, lon, lat, ms,
                            bs, modelled, planned)
            GROUP BY cc, cn, dc, dn, ms, bs, modelled, planned
        """, params)
        return [(HamletCoverage(0, "", cc, cn, dc, dn, households, population, 0.0, 0.0,
                                ms, bs, modelled, planned), hamlets, households, population)
                for cc, cn, dc, dn, ms, bs, modelled, planned, hamlets, households, population
                in cursor.fetchall()]


def gap_coverage(*, commune_id: int | None = None) -> list[HamletCoverage]:
    """The hamlets without 3G/4G (the rows of hamlet_coverage that are not mobile_covered,
    in its order), for a fifth of its work: a hamlet declared covered is never a gap."""
    return [row for row in hamlet_coverage(commune_id=commune_id, open_only=True)
            if not row.mobile_covered]


def sites_in_range(rows: list[HamletCoverage]) -> list[HamletCoverage]:
    """The rows with modelled_sites: how many model sites have each within their radius.
    One query for the rows the model covers; the others have none."""
    ids = [row.id for row in rows if row.mobile_modelled]
    counts: dict[int, int] = {}
    if ids:
        reach = metric_reach_sql("s.coverage_radius_m", "s.location_metric")
        with connection.cursor() as cursor:
            cursor.execute(f"""
                SELECT h.id, count(*) FROM geodata_hamlet h JOIN geodata_cellsite s
                  ON {site_filter_sql()}
                 AND ST_DWithin(s.location_metric, h.location_metric, %(max_reach)s)
                 AND ST_DWithin(s.location_metric, h.location_metric, {reach})
                WHERE h.id = ANY(%(ids)s) GROUP BY h.id
            """, {"model_techs": MODEL_TECHNOLOGIES, "max_reach": model_max_reach(),
                  "ids": ids})
            counts = dict(cursor.fetchall())
    return [replace(row, modelled_sites=counts.get(row.id, 0)) for row in rows]
