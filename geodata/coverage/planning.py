"""Where to build next: scenarios of planned sites and a greedy proposal of K new sites.

Neither writes anything: planned and candidate sites travel as a VALUES list inside the query.
Both report their steps to an optional progress(done, total) callback (a worker's job keeps
its heartbeat with it): the analysis of the hamlets, the reach of the sites, then each site.
"""
import contextlib
import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection, transaction

from geodata.coverage.figures import CoverageFigures, coverage_figures, figures_of_rows
from geodata.coverage.metric import metric_point_sql, metric_reach_sql
from geodata.coverage.model import HamletCoverage, PlannedSite, gap_coverage, planned_reach
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


@contextlib.contextmanager
def _reach_tables(candidates: list[PlannedSite], hamlet_ids: list[int]):
    """A cursor in a transaction with two temporary tables: coverage_reach (the hamlets to
    reach: id, population, point) and coverage_candidate (idx: the candidate's index, point,
    reach: its planar reach, geodata.coverage.model.metric_reach_sql)."""
    # Arrays rather than a VALUES list: every gap hamlet is a candidate, tens of thousands
    # at national size, and four bound parameters each made a statement of megabytes.
    params = {"ids": hamlet_ids, "srid": settings.QRMAP_SRID,
              "lon": [float(c.lon) for c in candidates],
              "lat": [float(c.lat) for c in candidates],
              "radius": [float(c.radius_m) for c in candidates]}
    with transaction.atomic(), connection.cursor() as cursor:
        # The hamlets to reach (the gaps) get an index of their own: in the index of every
        # hamlet, each candidate's probe met several times more hamlets than it could use.
        cursor.execute("SET LOCAL jit = off; "
                       "DROP TABLE IF EXISTS coverage_reach, coverage_candidate")
        cursor.execute("CREATE TEMP TABLE coverage_reach ON COMMIT DROP AS SELECT id, "
                       "population, location_metric AS point FROM geodata_hamlet "
                       "WHERE id = ANY(%(ids)s)", params)
        cursor.execute(f"""
            CREATE TEMP TABLE coverage_candidate ON COMMIT DROP AS
            SELECT idx - 1 AS idx, point, {metric_reach_sql("radius", "point")} AS reach
            FROM unnest(%(lon)s::float8[], %(lat)s::float8[], %(radius)s::float8[])
                 WITH ORDINALITY AS c(lon, lat, radius, idx)
            CROSS JOIN LATERAL (SELECT {metric_point_sql("lon", "lat")} AS point) p
        """, params)
        cursor.execute("CREATE INDEX ON coverage_reach USING gist (point); "
                       "CREATE INDEX ON coverage_candidate (idx); "
                       "ANALYZE coverage_reach; ANALYZE coverage_candidate")
        yield cursor


# The hamlets within a candidate's reach; its reach belongs to the outer row, so the index of
# the hamlets takes it as it is.
REACH_JOIN = "coverage_candidate c JOIN coverage_reach h ON ST_DWithin(c.point, h.point, c.reach)"


def candidate_reach(
    *, candidates: list[PlannedSite], hamlet_ids: list[int]
) -> dict[int, set[int]]:
    """For each candidate (by index), the ids of the given hamlets within its radius."""
    reach: dict[int, set[int]] = {index: set() for index in range(len(candidates))}
    if not candidates or not hamlet_ids:
        return reach
    with _reach_tables(candidates, hamlet_ids) as cursor:
        cursor.execute(f"SELECT c.idx, h.id FROM {REACH_JOIN}")
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
    # for the cost of the planned sites' own probe, which gives the gains as well.
    reach = planned_reach(planned)
    reached = Counter(hamlet_id for ids in reach.values() for hamlet_id in ids)
    after = figures_of_rows([replace(row, planned_sites=reached[row.id])
                             if row.id in reached else row for row in before.hamlets],
                            commune=commune)
    progress(2, 3)
    gaps = {row.id: row for row in before.gap_rows}
    progress(3, 3)
    taken: set[int] = set()
    gains = []
    for index, site in enumerate(planned):
        new = sorted((reach[index] & gaps.keys()) - taken)
        taken.update(new)
        gains.append(SiteGain(site=site, hamlets=[gaps[i] for i in new]))
    return Scenario(before=before, after=after, gains=gains)


def gap_candidates(*, rows: list[HamletCoverage], radius_m: float) -> list[PlannedSite]:
    """One candidate site at each of the 3G/4G gap hamlets `rows` (CoverageFigures.gap_rows
    or gap_coverage())."""
    return [PlannedSite(lon=row.lon, lat=row.lat, radius_m=radius_m, label=row.name)
            for row in rows]


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
    # The gaps alone: the proposal needs no figures, and no hamlet declared covered.
    gap_rows = gap_coverage(commune_id=commune.pk if commune else None)
    progress(1, steps)
    gaps = {row.id: row for row in gap_rows}
    candidates = gap_candidates(rows=gap_rows, radius_m=radius_m) + list(extra_points)
    chosen: list[tuple[int, list[int]]] = []
    if candidates and gaps and k > 0:
        with _reach_tables(candidates, list(gaps)) as cursor:
            chosen = _greedy(cursor, k=k, population={i: r.population for i, r in gaps.items()})
    # Reported once the transaction has ended: a job's heartbeat is a write of its own.
    progress(2, steps)
    gains = []
    for best, new in chosen:
        gains.append(SiteGain(site=candidates[best], hamlets=[gaps[i] for i in new]))
        progress(2 + len(gains), steps)
    if 2 + len(gains) < steps:
        progress(steps, steps)  # no candidate was left that would close a gap
    return gains


def _greedy(cursor, *, k: int, population: dict[int, int]) -> list[tuple[int, list[int]]]:
    """(candidate index, the hamlet ids it closes) of each of up to k choices.

    Lazy greedy: a candidate's score only falls as others close its hamlets, so a heap of
    the scores last computed gives the best one after re-scoring a few at its top. The first
    scores are sums in SQL (a million candidate-hamlet pairs at national size never leave
    the server); only the candidates that reach the top have their hamlets fetched."""
    cursor.execute(f"SELECT c.idx, sum(h.population), count(*) FROM {REACH_JOIN} "
                   "GROUP BY c.idx")
    # Most people first; more hamlets breaks ties; then the earlier candidate.
    heap = [((-people, -hamlets), index) for index, people, hamlets in cursor.fetchall()
            if (people, hamlets) > (0, 0)]
    heapq.heapify(heap)
    reach: dict[int, set[int]] = {}
    uncovered = set(population)

    def score(index: int) -> tuple[int, int]:
        if index not in reach:
            cursor.execute(f"SELECT h.id FROM {REACH_JOIN} WHERE c.idx = %s", [index])
            reach[index] = {hamlet_id for (hamlet_id,) in cursor.fetchall()}
        live = reach[index] & uncovered
        return sum(population[i] for i in live), len(live)

    chosen = []
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
        chosen.append((best, new))
    return chosen
