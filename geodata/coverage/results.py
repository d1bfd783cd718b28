"""A scenario or a proposal as plain JSON (what an AnalysisJob keeps), and back.

Sites are `[lon, lat, radius_m, label]` lists and hamlets are ids: the rows themselves are not
kept, because a result is only ever shown on the data it was computed on (same coverage
fingerprint), so its ids resolve against the figures the dashboard computes anyway. Inline
and background analyses both go through here, so both pages show the same thing.

>>> site_list(PlannedSite(lon=106.76, lat=21.85, radius_m=3500, label="A"))
[106.76, 21.85, 3500.0, 'A']
>>> site_of([106.76, 21.85, 3500, "A"])
PlannedSite(lon=106.76, lat=21.85, radius_m=3500.0, label='A')
"""
from dataclasses import replace

from geodata.coverage.figures import CoverageFigures, figures_of_rows
from geodata.coverage.model import HamletCoverage, PlannedSite
from geodata.coverage.planning import Scenario, SiteGain
from geodata.models import AdminUnit


def site_list(site: PlannedSite) -> list:
    """A site as a JSON list (also the form of the parameters of a job)."""
    return [float(site.lon), float(site.lat), float(site.radius_m), site.label]


def site_of(values: list) -> PlannedSite:
    lon, lat, radius_m, label = values
    return PlannedSite(lon=float(lon), lat=float(lat), radius_m=float(radius_m), label=label)


def _gains_json(gains: list[SiteGain]) -> list[dict]:
    return [{"site": site_list(gain.site), "hamlets": [row.id for row in gain.hamlets]}
            for gain in gains]


def proposal_json(gains: list[SiteGain]) -> dict:
    return {"gains": _gains_json(gains)}


def scenario_json(scenario: Scenario) -> dict:
    """The gains, and how many planned sites reach each hamlet (all of them, not only the
    gaps: the map marks them), from which the figures after are summed again."""
    reached = [[row.id, row.planned_sites] for row in scenario.after.hamlets
               if row.planned_sites]
    return {"gains": _gains_json(scenario.gains), "reached": reached}


def gains_of(result: dict, rows: list[HamletCoverage]) -> list[SiteGain]:
    """The kept gains on today's rows (ids that are gone are left out)."""
    by_id = {row.id: row for row in rows}
    return [SiteGain(site=site_of(gain["site"]),
                     hamlets=[by_id[i] for i in gain["hamlets"] if i in by_id])
            for gain in result["gains"]]


def scenario_of(result: dict, *, before: CoverageFigures,
                commune: AdminUnit | None = None) -> Scenario:
    """The kept scenario on the figures of today's data: the rows after are the rows before
    with the planned sites that reach them, summed the same way coverage_figures sums."""
    reached = dict(result["reached"])
    rows = [replace(row, planned_sites=reached[row.id]) if row.id in reached else row
            for row in before.hamlets]
    return Scenario(before=before, after=figures_of_rows(rows, commune=commune),
                    gains=gains_of(result, before.hamlets))
