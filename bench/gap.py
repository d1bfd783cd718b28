"""The national gap analysis: 100,000 hamlets × 10,000 sites (bench._national), with the
figures per commune and per old district, beside the bare constant-radius prefilter query
in the same run; a scenario and a proposal on the same data.

Run it on a database of its own (BENCH_NATIONAL_DB=qrmap_bench_gap): migrations 0007 and
0009 add columns to the hamlets (and 0009 to the sites) of whatever database they migrate.
"""
import os
import random
import statistics
import time

from django.db import connection

from bench._national import national_database
from bench._report import Row

RUNS = 5
PLANNING_RUNS = 3
PLANNED_SITES = 20
PROPOSAL_SITES = 5
RADIUS_M = 4000.0
TARGET_S = 2.0

# The floor: whether any site lies within the largest radius of each hamlet, with no radius
# per site, no site filter, no units and no sums; what the analysis cannot go below.
BARE_SQL = """
SELECT h.id, EXISTS (
    SELECT 1 FROM geodata_cellsite s
    WHERE ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s))
FROM geodata_hamlet h
"""
NOTES = """
The analysis is `coverage_figures()`: one row per hamlet (declared, modelled and effective
status; today's commune and the district before 2025 read from the hamlet's own columns),
then the sums per commune, old district and province in Python. The modelled status is
planar, on the points in UTM 48N the hamlets and sites store (migration 0009), each radius
scaled by the projection's scale factor at the site; 1 km squares of the grid that one site
serves whole are tested once for all their hamlets, and only the hamlets of the other squares
are probed (EXISTS of an active 3G+ site within its own reach, behind the constant-reach
prefilter). `modelled_status_same_as_spheroid` compares every hamlet's status with the same
test on geography (spheroid) in the same run. The scenario is the analysis, then the planned
sites' own probe of the hamlets; the proposal analyses only the hamlets not declared covered
(the only possible gaps), sums each candidate's reach in SQL and fetches the hamlets of the
few candidates that reach the top of its lazy greedy. `coverage_sums()` is what the pages and
APIs that show figures alone call: the same status query grouped in SQL by what decides how
a hamlet counts, with no row per hamlet in Python. The reference is the bare
prefilter query (`BARE_SQL` in bench/gap.py: EXISTS of any site within the largest radius,
nothing else), fetched the same way in the same run. Figures are medians of 5 runs taken in
turns (the scenario and the proposal: 3 runs in turns with the bare query again, whose median
of those turns is the reference on their rows). Before the stored units (migration 0007) the
analysis' SQL alone (a polygon test and a nearest-district search per hamlet, count(*) of
the sites in reach) took 85 s on this database (measured once by hand, not in this run);
before the metric columns (spheroid tests, one per hamlet) the analysis took 2.0 times the
bare query, the scenario 2.8 times and the proposal 6.1 times (same table, earlier run).
The machine's 2 cores were shared with other work during the run (the load average is in
the context): absolute seconds are inflated, the ratios less so.
"""


def _interleaved(fns, runs=RUNS):
    """(median seconds, last result) of each function, run in turns: the machine's load
    changes during a run, and turns expose every function to it alike."""
    times = [[] for _ in fns]
    results = [None] * len(fns)
    for _ in range(runs):
        for index, fn in enumerate(fns):
            started = time.perf_counter()
            results[index] = fn()
            times[index].append(time.perf_counter() - started)
    return [(statistics.median(t), result) for t, result in zip(times, results, strict=True)]


def _bare():
    from geodata.coverage.model import model_max_radius

    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, {"max_radius": model_max_radius()})
        return cursor.fetchall()


def _status_rows():
    from geodata.coverage import hamlet_coverage

    return hamlet_coverage()


def _planned(count: int):
    """Sites planned at random hamlets (fixed seed): where a planner would try them."""
    from geodata.coverage import PlannedSite
    from geodata.models import Hamlet

    rng = random.Random(13)
    ids = sorted(Hamlet.objects.values_list("id", flat=True))
    picked = Hamlet.objects.filter(id__in=rng.sample(ids, count)).order_by("id")
    return [PlannedSite(lon=h.location.x, lat=h.location.y, radius_m=RADIUS_M, label=h.name)
            for h in picked]


def _plan_uses_site_index() -> bool:
    from geodata.coverage.model import status_query

    sql, params = status_query(cells=True)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return ("geodata_cellsite_location_metric_gist" in plan and "unitpart" not in plan
            and "st_covers" not in plan.lower())


# The model's test on the spheroid, as it was before the metric columns: the reference the
# planar test must agree with.
SPHEROID_SQL = """
SELECT h.id, EXISTS (
    SELECT 1 FROM geodata_cellsite s
    WHERE s.status = 'active' AND s.coverage_radius_m > 0
      AND s.technologies && %(model_techs)s::varchar[]
      AND ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s)
      AND ST_DWithin(s.location::geography, h.location::geography, s.coverage_radius_m))
FROM geodata_hamlet h
"""
# How far the planar distance (divided by the scale factor at the site) is from the spheroid
# one, for 2% of the hamlets and every site within the largest radius of each: the error the
# model's metric test makes at the distances it decides on.
DISTANCE_ERROR_SQL = """
SELECT max(abs(ST_Distance(s.location_metric, h.location_metric) / {scale}
               - ST_Distance(s.location::geography, h.location::geography))),
       max(ST_Distance(s.location::geography, h.location::geography)), count(*)
FROM geodata_hamlet h
JOIN geodata_cellsite s
  ON ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s)
WHERE mod(h.id, 50) = 0
"""


def _agreement(rows) -> dict:
    """The modelled status of every hamlet against the spheroid reference, and the largest
    distance error of the metric test on a sample (DISTANCE_ERROR_SQL)."""
    from geodata.coverage.metric import METRIC_SCALE_SQL
    from geodata.coverage.model import MODEL_TECHNOLOGIES, model_max_radius

    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute(SPHEROID_SQL, {"model_techs": MODEL_TECHNOLOGIES,
                                      "max_radius": model_max_radius()})
        spheroid = dict(cursor.fetchall())
        cursor.execute(DISTANCE_ERROR_SQL.format(
            scale=METRIC_SCALE_SQL.format(point="s.location_metric")),
            {"max_radius": model_max_radius()})
        error_m, farthest_m, pairs = cursor.fetchone()
        cursor.execute("RESET jit")
    same = sum(1 for row in rows if spheroid[row.id] == row.mobile_modelled)
    return {"modelled_status_same_as_spheroid": f"{same:,} of {len(rows):,} hamlets",
            "metric_distance_error_max_m": f"{error_m:.3f} ({pairs:,} hamlet-site pairs up "
                                           f"to {farthest_m:,.0f} m apart, 2% of hamlets)"}


def run():
    from geodata.coverage import (
        coverage_figures,
        coverage_proposal,
        coverage_scenario,
        coverage_sums,
    )

    load_before = os.getloadavg()[0]
    with national_database() as national:
        counts = national.counts
        _bare()  # warm the caches alike for both
        (bare_s, bare), (ours_s, figures), (sql_s, _rows), (sums_s, sums) = _interleaved(
            [_bare, coverage_figures, _status_rows, coverage_sums])
        planned = _planned(PLANNED_SITES)
        # In turns with the bare query as well, whose median of these turns stands beside them.
        (plan_bare_s, _), (scenario_s, scenario), (proposal_s, proposal) = _interleaved(
            [_bare, lambda: coverage_scenario(planned=planned),
             lambda: coverage_proposal(k=PROPOSAL_SITES, radius_m=RADIUS_M)],
            runs=PLANNING_RUNS)
        index_used = _plan_uses_site_index()
        agreement = _agreement(figures.hamlets)
    scale = f"{counts['hamlets']:,} hamlets × {counts['sites']:,} sites"
    rows = [
        Row(f"gap analysis with per-commune figures, {scale} (s)", round(ours_s, 2),
            round(bare_s, 2)),
        Row("same, its SQL alone (rows per hamlet) (s)", round(sql_s, 2), round(bare_s, 2)),
        Row("the figures alone, grouped in SQL (home page, APIs, tiles) (s)", round(sums_s, 2),
            round(bare_s, 2)),
        Row(f"scenario of {PLANNED_SITES} planned sites: figures before and after (s)",
            round(scenario_s, 2), round(plan_bare_s, 2)),
        Row(f"proposal of {PROPOSAL_SITES} sites at {RADIUS_M:,.0f} m, "
            f"{len(figures.gap_rows):,} candidates (s)", round(proposal_s, 2),
            round(plan_bare_s, 2)),
    ]
    context = {
        "load_average_1min_before_and_after": f"{load_before:.1f}, {os.getloadavg()[0]:.1f}",
        "database": national.name, **{f"national_{k}": v for k, v in counts.items()},
        "target_s": TARGET_S, "analysis_within_target": ours_s <= TARGET_S,
        "hamlets_without_3g4g": figures.province.mobile_gap_hamlets,
        "hamlets_without_broadband": figures.province.broadband_gap_hamlets,
        "communes": len(figures.communes), "old_districts": len(figures.districts),
        "sums_equal_figures": (sums.province, sums.communes, sums.districts)
        == (figures.province, figures.communes, figures.districts),
        "bare_rows": len(bare), "site_index_used_and_no_polygon_test": index_used,
        "scenario_closes": len(scenario.closed),
        "proposal_closes": sum(len(gain.hamlets) for gain in proposal),
        **agreement,
    }
    return {"title": "National gap analysis vs. the bare constant-radius prefilter query",
            "rows": rows, "context": context, "notes": NOTES,
            "baseline_label": "bare prefilter query"}
