"""Where to build next: scenarios of planned sites and a greedy proposal of K new sites.

Neither writes anything: planned and candidate sites travel as a VALUES list inside the query.
Both report their steps to an optional progress(done, total) callback (a worker's job keeps
its heartbeat with it): the analysis of the hamlets, the reach of the sites, then each site.
"""
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection, transaction

from geodata.coverage.figures import CoverageFigures, coverage_figures, figures_of_rows
from geodata.coverage.model import HamletCoverage, PlannedSite, planned_reach
from geodata.models import AdminUnit

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass
class SiteGain:
    """What one (planned or proposed) site adds on top of the sites before it."""

    site: PlannedSite
    hamlets: list[HamletCoverage] = field(default_factory=list)

    @property
    def population(self) -> int:
        return sum(row.population for row in self.hamlets)

    @property
    def households(self) -> int:
        return sum(row.households for row in self.hamlets)


@dataclass
class Scenario:
    before: CoverageFigures
    after: CoverageFigures
    gains: list[SiteGain]

    @property
    def closed(self) -> list[HamletCoverage]:
        return [row for gain in self.gains for row in gain.hamlets]


def candidate_reach(
    *, candidates: list[PlannedSite], hamlet_ids: list[int]
) -> dict[int, set[int]]:
    """For each candidate (by index), the ids of the given hamlets within its radius."""
    reach: dict[int, set[int]] = {index: set() for index in range(len(candidates))}
    if not candidates or not hamlet_ids:
        return reach
    # Arrays rather than a VALUES list: every gap hamlet is a candidate, tens of thousands
    # at national size, and four bound parameters each made a statement of megabytes.
    params = {"ids": hamlet_ids, "max_radius": max(c.radius_m for c in candidates),
              "srid": settings.QRMAP_SRID, "lon": [float(c.lon) for c in candidates],
              "lat": [float(c.lat) for c in candidates],
              "radius": [float(c.radius_m) for c in candidates]}
    sql = """
        WITH cg AS (SELECT idx - 1 AS idx, radius,
                           ST_SetSRID(ST_MakePoint(lon, lat), %(srid)s)::geography AS geog
                    FROM unnest(%(lon)s::float8[], %(lat)s::float8[], %(radius)s::float8[])
                         WITH ORDINALITY AS c(lon, lat, radius, idx))
        SELECT cg.idx, h.id FROM cg JOIN coverage_reach h
          ON ST_DWithin(cg.geog, h.geog, %(max_radius)s)
         AND ST_DWithin(cg.geog, h.geog, cg.radius)
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # The hamlets to reach (the gaps) get an index of their own for the query: in the
        # index of every hamlet, each candidate's probe met several times more hamlets than
        # it could use, and a national proposal took minutes instead of seconds.
        cursor.execute("SET LOCAL jit = off; DROP TABLE IF EXISTS coverage_reach")
        cursor.execute("CREATE TEMP TABLE coverage_reach ON COMMIT DROP AS SELECT id, "
                       "location::geography AS geog FROM geodata_hamlet WHERE id = ANY(%(ids)s)",
                       params)
        cursor.execute("CREATE INDEX ON coverage_reach USING gist (geog); "
                       "ANALYZE coverage_reach")
        cursor.execute(sql, params)
        for index, hamlet_id in cursor.fetchall():
            reach[index].add(hamlet_id)
    return reach


def coverage_scenario(
    *, planned: list[PlannedSite], commune: AdminUnit | None = None,
    progress: Progress = _no_progress,
) -> Scenario:
    """The gaps that the planned sites would close, site by site, and the figures after."""
    planned = tuple(planned)
    before = coverage_figures(commune=commune)
    progress(1, 3)
    # The rows after are the rows before with the planned sites that reach them: the same
    # figures as a second full analysis with the sites added (coverage_figures(planned=)),
    # for the cost of the planned sites' own probe.
    reached = planned_reach(planned)
    after = figures_of_rows([replace(row, planned_sites=reached[row.id])
                             if row.id in reached else row for row in before.hamlets],
                            commune=commune)
    progress(2, 3)
    gaps = {row.id: row for row in before.gap_rows}
    reach = candidate_reach(candidates=list(planned), hamlet_ids=list(gaps))
    progress(3, 3)
    taken: set[int] = set()
    gains = []
    for index, site in enumerate(planned):
        new = sorted(reach[index] - taken)
        taken.update(new)
        gains.append(SiteGain(site=site, hamlets=[gaps[i] for i in new]))
    return Scenario(before=before, after=after, gains=gains)


def gap_candidates(*, figures: CoverageFigures, radius_m: float) -> list[PlannedSite]:
    """One candidate site at each 3G/4G gap hamlet."""
    return [
        PlannedSite(lon=row.lon, lat=row.lat, radius_m=radius_m, label=row.name)
        for row in figures.gap_rows
    ]


def coverage_proposal(
    *,
    k: int,
    radius_m: float,
    extra_points: list[PlannedSite] = (),
    commune: AdminUnit | None = None,
    progress: Progress = _no_progress,
) -> list[SiteGain]:
    """Greedy choice of k sites: each next one covers the most still-uncovered population."""
    steps = 2 + max(k, 0)  # the analysis, the reach of every candidate, then each choice
    figures = coverage_figures(commune=commune)
    progress(1, steps)
    gaps = {row.id: row for row in figures.gap_rows}
    candidates = gap_candidates(figures=figures, radius_m=radius_m) + list(extra_points)
    reach = candidate_reach(candidates=candidates, hamlet_ids=list(gaps))
    progress(2, steps)
    uncovered = set(gaps)
    population = {i: row.population for i, row in gaps.items()}

    def score(index: int) -> tuple[int, int]:
        # Most people first; more hamlets breaks ties; then the earlier candidate.
        live = reach[index] & uncovered
        return sum(population[i] for i in live), len(live)

    # Lazy greedy: a candidate's score only falls as others close its hamlets, so a heap of
    # the scores last computed gives the best one after re-scoring a few at its top, where
    # every step re-scored all (14,000 at national size).
    heap = [((-people, -hamlets), index) for index in reach
            for people, hamlets in [score(index)] if (people, hamlets) > (0, 0)]
    heapq.heapify(heap)
    chosen: list[SiteGain] = []
    while heap and len(chosen) < k:
        stored, best = heapq.heappop(heap)
        people, hamlets = score(best)
        if (people, hamlets) <= (0, 0):
            continue  # nothing left that it could close
        if (-people, -hamlets) != stored:
            heapq.heappush(heap, ((-people, -hamlets), best))
            continue
        new = sorted(reach.pop(best) & uncovered, key=lambda i: (-population[i], i))
        uncovered -= set(new)
        chosen.append(SiteGain(site=candidates[best], hamlets=[gaps[i] for i in new]))
        progress(2 + len(chosen), steps)
    if 2 + len(chosen) < steps:
        progress(steps, steps)  # no candidate was left that would close a gap
    return chosen
