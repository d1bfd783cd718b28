"""Coverage analysis of 3G/4G and broadband per hamlet (DESIGN.md, "Coverage analysis").

`model` holds the SQL (declared, modelled, effective status per hamlet), `figures` the sums per
commune, district and province, `planning` scenarios and the greedy proposal, `results`
their JSON form (what an analysis job keeps), `export` the CSV and GeoJSON files.
"""
from geodata.coverage.figures import (
    FIGURE_COLUMNS,
    CoverageFigures,
    UnitFigures,
    coverage_figures,
    coverage_province_figures,
    coverage_sums,
)
from geodata.coverage.model import HamletCoverage, PlannedSite, hamlet_coverage
from geodata.coverage.planning import Scenario, SiteGain, coverage_proposal, coverage_scenario

__all__ = [
    "FIGURE_COLUMNS", "CoverageFigures", "HamletCoverage", "PlannedSite", "Scenario",
    "SiteGain", "UnitFigures", "coverage_figures", "coverage_province_figures", "coverage_sums",
    "coverage_proposal", "coverage_scenario", "hamlet_coverage",
]
