"""The coverage model: declared status first, modelled from sites within their radius."""
import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from geodata.coverage import (
    PlannedSite,
    coverage_figures,
    coverage_proposal,
    coverage_scenario,
    hamlet_coverage,
)
from geodata.coverage.planning import candidate_reach, gap_candidates
from geodata.models import AdminUnit, CellSite, Hamlet
from tests.factories import CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db

# A hill area of Lạng Sơn, away from the city.
ORIGIN = (106.50, 21.90)


def project(origin, metres, azimuth_deg):
    """The point `metres` away from `origin` along an azimuth, on the WGS84 spheroid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g::geometry), ST_Y(g::geometry) FROM ST_Project("
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, radians(%s)) g",
            [origin[0], origin[1], metres, azimuth_deg],
        )
        return cursor.fetchone()


def geodesic(a, b):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography,"
            " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)", [*a, *b],
        )
        return cursor.fetchone()[0]


def by_name(rows):
    return {row.name: row for row in rows}


@pytest.fixture
def edge_case():
    """Two sites, three hamlets placed 1 m inside or outside a radius."""
    site_b = project(ORIGIN, 20_000, 90)
    CellSiteFactory(location=Point(*ORIGIN), coverage_radius_m=3000, technologies=["3G", "4G"])
    CellSiteFactory(location=Point(*site_b), coverage_radius_m=8000, technologies=["4G"],
                    operator=CellSite.Operator.MOBIFONE)
    inside = project(ORIGIN, 2999, 0)
    outside = project(ORIGIN, 3001, 270)  # west: away from the second site
    inside_b = project(site_b, 7999, 90)
    for name, point in (("inside", inside), ("outside", outside), ("inside-b", inside_b)):
        HamletFactory(name=name, location=Point(*point), population=500, households=120)
    return {"inside": inside, "outside": outside, "inside_b": inside_b, "site_b": site_b}


def test_points_are_placed_one_metre_from_the_edge(edge_case):
    assert geodesic(ORIGIN, edge_case["inside"]) == pytest.approx(2999, abs=0.01)
    assert geodesic(ORIGIN, edge_case["outside"]) == pytest.approx(3001, abs=0.01)
    assert geodesic(edge_case["site_b"], edge_case["inside_b"]) == pytest.approx(7999, abs=0.01)


def test_modelled_status_at_the_radius_edge(edge_case):
    rows = by_name(hamlet_coverage())
    assert rows["inside"].mobile_modelled and rows["inside"].mobile_covered
    assert not rows["outside"].mobile_modelled and not rows["outside"].mobile_covered
    # The larger radius of the second site is the prefilter constant: it still counts.
    assert rows["inside-b"].mobile_covered


def test_moving_one_metre_out_turns_covered_into_gap(edge_case):
    Hamlet.objects.filter(name="inside").update(location=Point(*project(ORIGIN, 3001, 0)))
    assert not by_name(hamlet_coverage())["inside"].mobile_covered


def test_sites_that_do_not_serve_3g_do_not_count(edge_case):
    CellSite.objects.update(status=CellSite.Status.RETIRED)
    CellSiteFactory(location=Point(*ORIGIN), technologies=["2G"], coverage_radius_m=None)
    CellSiteFactory(location=Point(*ORIGIN), status=CellSite.Status.PLANNED)
    assert not any(row.mobile_covered for row in hamlet_coverage())


def test_declaration_wins_and_contradictions_are_listed(edge_case):
    Hamlet.objects.filter(name="inside").update(mobile_status="no")
    Hamlet.objects.filter(name="outside").update(mobile_status="yes")
    rows = by_name(hamlet_coverage())
    assert not rows["inside"].mobile_covered
    assert rows["inside"].disagreement == "declared_no_site_covers"
    assert rows["outside"].mobile_covered
    assert rows["outside"].disagreement == "declared_yes_no_site"
    assert rows["inside-b"].disagreement == ""
    figures = coverage_figures()
    assert {row.name for row in figures.disagreements} == {"inside", "outside"}
    assert figures.province.disagreements == 2


def test_broadband_is_declared_only(edge_case):
    Hamlet.objects.filter(name="inside").update(broadband_status="no")
    Hamlet.objects.filter(name="outside").update(broadband_status="yes")
    figures = coverage_figures()
    assert [row.name for row in figures.broadband_gaps] == ["inside"]
    assert figures.province.broadband_gap_hamlets == 1
    assert figures.province.broadband_unknown_hamlets == 1


def test_figures_count_hamlets_households_and_people(edge_case):
    province = coverage_figures().province
    assert (province.hamlets, province.households, province.population) == (3, 360, 1500)
    assert (province.mobile_gap_hamlets, province.mobile_gap_households,
            province.mobile_gap_population) == (1, 120, 500)


def test_hamlets_are_counted_per_commune_and_per_old_district(geography):
    city = AdminUnit.objects.current().communes().get(code="05977")  # Phường Đông Kinh
    point = city.boundary.point_on_surface
    HamletFactory(name="city", commune=city, location=point, mobile_status="no")
    figures = coverage_figures()
    commune = next(u for u in figures.communes if u.code == city.code)
    assert (commune.hamlets, commune.mobile_gap_hamlets) == (1, 1)
    district = AdminUnit.objects.before_reform().districts().get(boundary__covers=point)
    old = next(u for u in figures.districts if u.code == district.code)
    assert (old.hamlets, old.mobile_gap_hamlets) == (1, 1)
    assert len(figures.communes) == 65
    assert len(figures.districts) == 11
    only = coverage_figures(commune=city)
    assert [u.code for u in only.communes] == [city.code]
    assert only.province.hamlets == 1


def test_a_scenario_closes_the_gaps_it_covers_and_changes_nothing(edge_case):
    before = list(Hamlet.objects.values_list("id", "mobile_status", "location"))
    sites_before = CellSite.objects.count()
    planned = [PlannedSite(lon=edge_case["outside"][0], lat=edge_case["outside"][1],
                           radius_m=500, label="new mast")]
    scenario = coverage_scenario(planned=planned)
    assert [row.name for row in scenario.closed] == ["outside"]
    assert scenario.gains[0].population == 500
    assert scenario.before.province.mobile_gap_hamlets == 1
    assert scenario.after.province.mobile_gap_hamlets == 0
    assert list(Hamlet.objects.values_list("id", "mobile_status", "location")) == before
    assert CellSite.objects.count() == sites_before
    assert coverage_figures().province.mobile_gap_hamlets == 1


def test_a_scenario_closes_declared_gaps_too(edge_case):
    Hamlet.objects.update(mobile_status="no")
    planned = [PlannedSite(lon=ORIGIN[0], lat=ORIGIN[1], radius_m=3500)]
    scenario = coverage_scenario(planned=planned)
    assert {row.name for row in scenario.closed} == {"inside", "outside"}
    assert scenario.after.province.mobile_gap_hamlets == 1  # inside-b stays declared no


def make_gap_cluster(centre, populations, spacing_m=800):
    for index, population in enumerate(populations):
        point = project(centre, spacing_m * index, 45)
        HamletFactory(name=f"{centre[0]}-{index}", location=Point(*point),
                      population=population, mobile_status="no")


def test_the_first_proposed_site_beats_every_single_candidate(db):
    make_gap_cluster((106.30, 22.10), [300, 250, 200])
    make_gap_cluster((106.90, 21.60), [900])
    make_gap_cluster((107.10, 22.00), [100, 100, 100, 100])
    figures = coverage_figures()
    candidates = gap_candidates(rows=figures.gap_rows, radius_m=2000)
    reach = candidate_reach(candidates=candidates, hamlet_ids=[r.id for r in figures.gaps])
    population = {row.id: row.population for row in figures.gaps}
    best_single = max(sum(population[i] for i in ids) for ids in reach.values())
    proposal = coverage_proposal(k=3, radius_m=2000)
    assert proposal[0].population >= best_single
    assert proposal[0].population == 900
    assert [gain.population for gain in proposal] == sorted(
        (gain.population for gain in proposal), reverse=True)
    # No hamlet is counted twice across the chosen sites.
    ids = [row.id for gain in proposal for row in gain.hamlets]
    assert len(ids) == len(set(ids))


def test_a_proposal_stops_when_nothing_is_left_to_close(db):
    make_gap_cluster((106.30, 22.10), [300])
    proposal = coverage_proposal(k=5, radius_m=2000)
    assert len(proposal) == 1 and proposal[0].hamlets[0].population == 300


def test_extra_candidate_points_can_win(db):
    make_gap_cluster((106.30, 22.10), [300, 300, 300], spacing_m=1500)
    middle = project((106.30, 22.10), 1500, 45)
    extra = PlannedSite(lon=middle[0], lat=middle[1], radius_m=1600, label="hilltop")
    proposal = coverage_proposal(k=1, radius_m=1600, extra_points=[extra])
    assert proposal[0].site.label in ("hilltop", "106.3-1")
    assert proposal[0].population == 900


def demo_loader_exists():
    from django.core.management import get_commands

    return "qrmap_load_demo" in get_commands()


@pytest.mark.slow
@pytest.mark.skipif(not demo_loader_exists(), reason="the demo generator has not landed yet")
def test_demo_data_reproduces_the_province_figures(db):
    call_command("qrmap_load_demo", verbosity=0)
    province = coverage_figures().province
    assert province.mobile_gap_hamlets == 268
    assert province.broadband_gap_hamlets == 405
