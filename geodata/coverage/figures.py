"""Counts of hamlets, households and people per commune (2025 units), per district before
2025 and for the province, from the per-hamlet rows of the model."""
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from geodata.coverage.model import (
    HamletCoverage,
    PlannedSite,
    hamlet_coverage,
    hamlet_groups,
    sites_in_range,
)
from geodata.models import AdminUnit, Availability, CellSite

NO_UNIT = ""


@dataclass
class UnitFigures:
    """The figures of one unit (or of the province)."""

    code: str
    name: str
    hamlets: int = 0
    households: int = 0
    population: int = 0
    mobile_gap_hamlets: int = 0
    mobile_gap_households: int = 0
    mobile_gap_population: int = 0
    broadband_gap_hamlets: int = 0
    broadband_gap_households: int = 0
    broadband_gap_population: int = 0
    mobile_unknown_hamlets: int = 0
    broadband_unknown_hamlets: int = 0
    disagreements: int = 0
    affected_population: int = 0

    def add(self, key: tuple, hamlets: int, households: int, population: int) -> None:
        """Add a group of hamlets that count alike (key as in _tally)."""
        mobile_gap, broadband_gap, mobile_unknown, broadband_unknown, disagreement = key[2:]
        self.hamlets += hamlets
        self.households += households
        self.population += population
        if mobile_gap:
            self.mobile_gap_hamlets += hamlets
            self.mobile_gap_households += households
            self.mobile_gap_population += population
        if broadband_gap:
            self.broadband_gap_hamlets += hamlets
            self.broadband_gap_households += households
            self.broadband_gap_population += population
        if mobile_gap or broadband_gap:
            self.affected_population += population
        self.mobile_unknown_hamlets += hamlets if mobile_unknown else 0
        self.broadband_unknown_hamlets += hamlets if broadband_unknown else 0
        self.disagreements += hamlets if disagreement else 0

    @property
    def mobile_gap_share(self) -> float:
        return self.mobile_gap_hamlets / self.hamlets if self.hamlets else 0.0

    @property
    def broadband_gap_share(self) -> float:
        return self.broadband_gap_hamlets / self.hamlets if self.hamlets else 0.0

    @property
    def mobile_covered_population(self) -> int:
        return self.population - self.mobile_gap_population

    def as_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["mobile_gap_share"] = round(self.mobile_gap_share, 4)
        data["broadband_gap_share"] = round(self.broadband_gap_share, 4)
        return data


# Column order and headings shared by the table, the CSV export and the command.
FIGURE_COLUMNS = [
    ("code", _("Code")),
    ("name", _("Unit")),
    ("hamlets", _("Hamlets")),
    ("households", _("Households")),
    ("population", _("Population")),
    ("mobile_gap_hamlets", _("Hamlets without 3G/4G")),
    ("mobile_gap_households", _("Households without 3G/4G")),
    ("mobile_gap_population", _("People without 3G/4G")),
    ("broadband_gap_hamlets", _("Hamlets without broadband")),
    ("broadband_gap_households", _("Households without broadband")),
    ("broadband_gap_population", _("People without broadband")),
    ("mobile_unknown_hamlets", _("3G/4G not declared")),
    ("broadband_unknown_hamlets", _("Broadband not declared")),
    ("disagreements", _("Disagreements")),
]


@dataclass
class CoverageFigures:
    province: UnitFigures
    communes: list[UnitFigures]
    districts: list[UnitFigures]
    hamlets: list[HamletCoverage] = field(repr=False)
    sites: int = 0

    @property
    def gap_rows(self) -> list[HamletCoverage]:
        """The hamlets without 3G/4G, as the analysis made them (planning works on these)."""
        return [row for row in self.hamlets if not row.mobile_covered]

    # The lists people read (dashboard, exports) show how many sites reach each hamlet,
    # counted for their rows only when first asked for.
    @cached_property
    def gaps(self) -> list[HamletCoverage]:
        return sites_in_range(self.gap_rows)

    @cached_property
    def broadband_gaps(self) -> list[HamletCoverage]:
        return sites_in_range([row for row in self.hamlets if row.broadband_gap])

    @cached_property
    def disagreements(self) -> list[HamletCoverage]:
        return sites_in_range([row for row in self.hamlets if row.disagreement])


def _province() -> UnitFigures:
    unit = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("valid_to").first()
    return UnitFigures(code=unit.code if unit else NO_UNIT, name=unit.name if unit else "")


def coverage_figures(
    *, commune: AdminUnit | None = None, planned: tuple[PlannedSite, ...] = ()
) -> CoverageFigures:
    """The full analysis: the rows per hamlet and their sums per commune, district, province."""
    rows = hamlet_coverage(commune_id=commune.pk if commune else None, planned=tuple(planned))
    return figures_of_rows(rows, commune=commune)


def figures_of_rows(
    rows: list[HamletCoverage], *, commune: AdminUnit | None = None
) -> CoverageFigures:
    """The sums per commune, district and province of rows that hamlet_coverage made (or a
    kept scenario rebuilt on them, geodata.coverage.results)."""
    return _figures_of_tally(_tally(rows), rows, commune=commune)


def coverage_sums(*, commune: AdminUnit | None = None) -> CoverageFigures:
    """The figures of coverage_figures without its rows per hamlet (`hamlets` is empty): for
    the pages and APIs that show sums alone. The hamlets are grouped in SQL by what decides
    how they count, a few thousand groups at national size, and each group counts through
    the same HamletCoverage properties as a row would."""
    groups = {}
    for group, hamlets, households, population in hamlet_groups(
            commune_id=commune.pk if commune else None):
        key = _key(group)
        tally = groups.setdefault(key, [0, 0, 0])
        tally[0] += hamlets
        tally[1] += households
        tally[2] += population
    return _figures_of_tally(groups, [], commune=commune)


def _figures_of_tally(tally: dict[tuple, list[int]], rows: list[HamletCoverage], *,
                      commune: AdminUnit | None) -> CoverageFigures:
    communes_qs = AdminUnit.objects.current().communes().order_by("code")
    if commune is not None:
        communes_qs = communes_qs.filter(pk=commune.pk)
    communes = {u.code: UnitFigures(code=u.code, name=u.name) for u in communes_qs}
    districts = {
        u.code: UnitFigures(code=u.code, name=u.name)
        for u in AdminUnit.objects.before_reform().districts().order_by("code")
    }
    province = _province()
    for key, (hamlets, households, population) in tally.items():
        province.add(key, hamlets, households, population)
        communes.setdefault(key[0], UnitFigures(code=key[0], name=""))
        communes[key[0]].add(key, hamlets, households, population)
        districts.setdefault(key[1], UnitFigures(code=key[1], name=""))
        districts[key[1]].add(key, hamlets, households, population)
    if commune is not None:
        # One commune: the districts it touched before 2025, none of the empty ones.
        districts = {code: unit for code, unit in districts.items() if unit.hamlets}
    sites = CellSite.objects.active().filter(coverage_radius_m__gt=0)
    if commune is not None:
        sites = sites.filter(commune=commune)
    return CoverageFigures(
        province=province,
        communes=list(communes.values()),
        districts=list(districts.values()),
        hamlets=rows,
        sites=sites.count(),
    )


def _tally(rows: list[HamletCoverage]) -> dict[tuple, list[int]]:
    """Hamlets, households and people per (commune, old district, what the hamlet counts as),
    in the order the rows first show each: some thousands of groups for 100,000 hamlets, so
    that each unit adds groups rather than rows (a third of the analysis' time before). The
    rows are first grouped by the fields that HamletCoverage's properties read, so that the
    properties run once per group rather than once per row."""
    inputs: dict[tuple, list] = {}
    for row in rows:
        # Every field that mobile_covered, broadband_gap and disagreement read (a planned
        # site counts by being there at all), and the units.
        key = (row.commune_code, row.district_code, row.mobile_declared,
               row.broadband_declared, row.mobile_modelled, row.planned_sites > 0)
        group = inputs.get(key)
        if group is None:
            inputs[key] = [1, row.households, row.population, row]
        else:
            group[0] += 1
            group[1] += row.households
            group[2] += row.population
    groups: dict[tuple, list[int]] = {}
    for hamlets, households, population, row in inputs.values():
        group = groups.setdefault(_key(row), [0, 0, 0])
        group[0] += hamlets
        group[1] += households
        group[2] += population
    return groups


def _key(row: HamletCoverage) -> tuple:
    """(commune, old district, what the hamlet counts as): UnitFigures.add's key."""
    unknown = Availability.UNKNOWN
    return (row.commune_code, row.district_code, not row.mobile_covered, row.broadband_gap,
            row.mobile_declared == unknown, row.broadband_declared == unknown,
            bool(row.disagreement))


def coverage_province_figures() -> UnitFigures:
    """The province-wide figures (public: the home page shows them); cached until the
    hamlets, sites or units change."""
    from geodata.coverage.cache import cached

    return cached("province", lambda: coverage_sums().province)
