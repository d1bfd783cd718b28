"""Hamlets store today's commune and the district before 2025 (migration 0007), and the gap
analysis reads them with EXISTS instead of testing polygons and counting sites per query."""
import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.db import connection

from geodata.coverage import PlannedSite, coverage_figures, coverage_proposal, coverage_scenario
from geodata.coverage.cache import coverage_fingerprint
from geodata.coverage.model import sites_in_range, status_query
from geodata.importers.engine import import_commit, import_plan
from geodata.importers.geolayers import HamletLayer
from geodata.importers.sources import source_open
from geodata.models import AdminUnit, CellSite, Hamlet
from tests.factories import HamletFactory

pytestmark = pytest.mark.django_db
RECORDED = Path(__file__).resolve().parent.parent / "data" / "coverage_demo_figures.json"


def units_at(point):
    """Today's commune and the old district at a point, by the rules of the address lookup
    (the polygons themselves, not the stored columns)."""
    commune = (AdminUnit.objects.current().communes().filter(boundary__covers=point)
               .order_by("code").first())
    district = (AdminUnit.objects.before_reform().districts().filter(boundary__covers=point)
                .order_by("code").first())
    return commune, district


def two_districts():
    """Two points in different communes of different old districts."""
    city = AdminUnit.objects.current().communes().get(code="05977")  # Phường Đông Kinh
    far = AdminUnit.objects.before_reform().districts().exclude(
        boundary__covers=city.boundary.point_on_surface).order_by("code").first()
    return city.boundary.point_on_surface, far.boundary.point_on_surface


def test_a_hamlet_written_in_raw_sql_gets_its_commune_and_old_district(geography):
    point, _far = two_districts()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO geodata_hamlet (name, location, households, population, mobile_status,"
            " broadband_status, source, synthetic, external_id, updated_at) VALUES ('raw', "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326), 1, 1, 'no', 'no', '', true, '', now())",
            [point.x, point.y])
    hamlet = Hamlet.objects.get(name="raw")
    commune, district = units_at(point)
    assert (hamlet.commune, hamlet.district_before) == (commune, district)
    assert district is not None and district.level == AdminUnit.Level.DISTRICT


def test_a_moved_hamlet_follows_its_location(geography):
    here, there = two_districts()
    hamlet = HamletFactory(location=here)
    assert (hamlet.commune_id, hamlet.district_before_id) == (None, None)  # unsaved view
    hamlet.refresh_from_db()
    assert (hamlet.commune, hamlet.district_before) == units_at(here)
    Hamlet.objects.filter(pk=hamlet.pk).update(location=there)
    hamlet.refresh_from_db()
    assert (hamlet.commune, hamlet.district_before) == units_at(there)
    assert units_at(there) != units_at(here)


def test_a_commune_given_on_insert_is_kept(geography):
    """Writers that know the commune (importer, admin, demo) give it; the trigger only fills
    what is missing, and the old district is looked up from the location."""
    here, there = two_districts()
    commune_there, _ = units_at(there)
    hamlet = HamletFactory(location=here, commune=commune_there)
    hamlet.refresh_from_db()
    assert hamlet.commune == commune_there
    assert hamlet.district_before == units_at(here)[1]


def test_a_boundary_change_moves_the_hamlets_with_it(geography):
    here, there = two_districts()
    hamlet = HamletFactory(location=here)
    old = Hamlet.objects.get(pk=hamlet.pk).district_before
    other = units_at(there)[1]
    # The other district now also takes in the hamlet's spot, and has the lower code.
    square = Polygon.from_bbox((here.x - 0.001, here.y - 0.001, here.x + 0.001, here.y + 0.001))
    outline = other.boundary
    other.boundary = MultiPolygon(*outline, square, srid=4326)
    other.code, old.code = "001", "999"
    before = coverage_fingerprint()
    old.save()
    other.save()
    assert Hamlet.objects.get(pk=hamlet.pk).district_before == other
    assert coverage_fingerprint() != before  # cached figures and pages are not reused
    other.boundary = outline  # corrected again: the hamlet goes back
    other.save()
    assert Hamlet.objects.get(pk=hamlet.pk).district_before == old


def test_imported_hamlets_get_their_units(geography, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Tên thôn;Vĩ độ;Kinh độ;Mã\nThôn Nà Pàn;21,8530;106,7615;H-1\n"
                    "Bản Khuổi Khỉnh;21,9010;106,3210;H-2\n", encoding="utf-8")
    plan = import_plan(table=source_open(path, workdir=tmp_path), layer=HamletLayer())
    import_commit(plan=plan)
    for hamlet in Hamlet.objects.all():
        assert (hamlet.commune, hamlet.district_before) == units_at(hamlet.location)
        assert hamlet.district_before is not None


def test_writing_many_hamlets_costs_no_query_per_row(geography, django_assert_num_queries):
    point, _ = two_districts()
    with django_assert_num_queries(1):
        Hamlet.objects.bulk_create([Hamlet(name=f"h{i}", location=point) for i in range(50)])
    assert Hamlet.objects.filter(district_before=units_at(point)[1]).count() == 50
    with django_assert_num_queries(1):
        Hamlet.objects.update(location=Point(point.x + 0.0001, point.y, srid=4326))


def test_the_analysis_plan_uses_the_site_index_and_tests_no_polygon(province_hamlets):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geodata_hamlet; ANALYZE geodata_cellsite")
        sql, params = status_query(planned=(PlannedSite(lon=106.5, lat=21.9, radius_m=5000),),
                                   cells=True)
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "geodata_cellsite_location_metric_gist" in plan  # the constant-reach prefilter
    assert "geodata_hamlet_location_metric_gist" in plan  # planned sites probe the hamlets
    assert "st_covers" not in plan.lower() and "unitpart" not in plan  # units are stored
    # EXISTS: the site probes are the inner side of semi and anti joins, which stop at the
    # first site; nothing counts the sites in reach.
    lines = plan.splitlines()
    probes = [i for i, line in enumerate(lines) if "geodata_cellsite_location_metric" in line]
    assert probes
    for probe in probes:
        parent = next(line for line in reversed(lines[:probe]) if "->" in line
                      and len(line) - len(line.lstrip()) < len(lines[probe]) - len(
                          lines[probe].lstrip()))
        assert "Semi Join" in parent or "Anti Join" in parent, parent


def unit_rows(units, columns):
    return [[unit.as_dict()[name] for name in columns] for unit in units]


@pytest.mark.slow
def test_demo_figures_are_those_of_the_analysis_before_stored_units(db):
    """The figures the analysis computed on the demo data before this change (recorded in
    tests/data): the province, every commune and old district, every hamlet's units, sites
    in range and status, a scenario and a proposal."""
    call_command("qrmap_load_demo", verbosity=0)
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    columns = recorded["columns"]
    figures = coverage_figures()
    assert unit_rows([figures.province], columns)[0] == recorded["province"]
    assert figures.province.mobile_gap_hamlets == 268
    assert figures.province.broadband_gap_hamlets == 405
    assert unit_rows(figures.communes, columns) == recorded["communes"]
    assert unit_rows(figures.districts, columns) == recorded["districts"]
    external = dict(Hamlet.objects.values_list("id", "external_id"))
    counted = {row.id: row.modelled_sites for row in sites_in_range(figures.hamlets)}
    hamlets = {external[row.id].removeprefix("demo:hamlet:"):
               f"{row.commune_code} {row.district_code} {counted[row.id]} "
               f"{int(row.mobile_covered)}" for row in figures.hamlets}
    assert hamlets == recorded["hamlets"]

    planned = [PlannedSite(lon=site.location.x, lat=site.location.y, radius_m=4000.0,
                           label=site.name)
               for site in CellSite.objects.filter(status="planned").order_by("external_id")]
    scenario = coverage_scenario(planned=planned)
    assert unit_rows([scenario.after.province], columns)[0] == recorded["scenario_after"]
    assert unit_rows(scenario.after.communes, columns) == recorded["scenario_after_communes"]
    assert [[gain.site.label, sorted(external[row.id] for row in gain.hamlets)]
            for gain in scenario.gains] == recorded["scenario_gains"]
    proposal = coverage_proposal(k=8, radius_m=4000.0)
    assert [[gain.site.label, gain.site.lon, gain.site.lat,
             [external[row.id] for row in gain.hamlets]] for gain in proposal] \
        == recorded["proposal"]
