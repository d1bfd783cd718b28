"""The bundled Lạng Sơn geography, as `qrmap_load_geodata` loads it."""
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from geodata import loaders, reference
from geodata.models import AdminUnit, DataLoad, UnitSuccession

pytestmark = pytest.mark.django_db
OLD_DAY = datetime.date(2025, 6, 30)


def test_units_per_level_and_period():
    units = AdminUnit.objects
    assert units.filter(level="province").get().name == "Tỉnh Lạng Sơn"
    assert units.districts().filter(valid_to=OLD_DAY).count() == 11
    assert units.communes().filter(valid_to__isnull=True,
                                   valid_from=datetime.date(2025, 7, 1)).count() == 65
    assert units.communes().filter(valid_to=OLD_DAY).count() == 194
    assert units.current().communes().count() == 65
    assert units.before_reform().communes().count() == 194
    assert units.before_reform().districts().count() == 11


def test_ba_son_lineage_lists_its_three_old_communes():
    ba_son = AdminUnit.objects.current().communes().get(code="06196")
    assert ba_son.name == "Xã Ba Sơn"
    assert sorted(ba_son.predecessors.values_list("name", flat=True)) == [
        "Xã Cao Lâu", "Xã Mẫu Sơn", "Xã Xuất Lễ"]
    cao_lau = ba_son.predecessors.get(name="Xã Cao Lâu")
    assert list(cao_lau.successors.all()) == [ba_son]
    assert cao_lau.parent.name == "Huyện Cao Lộc"
    assert cao_lau.parent.parent.code == "20"


def test_split_old_commune_has_two_partial_successors():
    kien_moc = AdminUnit.objects.before_reform().communes().get(code="06625")
    edges = UnitSuccession.objects.filter(predecessor=kien_moc).select_related("successor")
    assert sorted((e.successor.name, e.kind) for e in edges) == [
        ("Xã Châu Sơn", "partial"), ("Xã Kiên Mộc", "partial")]


def test_every_old_commune_has_a_successor_and_district():
    old = AdminUnit.objects.before_reform().communes()
    assert not old.filter(successors__isnull=True).exists()
    assert not old.filter(parent__isnull=True).exists()
    assert not old.exclude(boundary__isnull=True).exists()
    assert not old.filter(label_point__isnull=True).exists()


def test_new_communes_carry_their_published_facts():
    communes = AdminUnit.objects.current().communes()
    assert communes.filter(unit_type="Phường").count() == 4
    assert not communes.filter(area_km2__isnull=True).exists()
    assert sum(communes.values_list("population", flat=True)) == 881_384
    # 13 units have no administrative centre upstream (name collisions in the metadata).
    assert communes.filter(admin_center="").count() == 13
    assert not communes.filter(label_point__isnull=True).exists()
    ba_son = communes.get(code="06196")
    assert (ba_son.population, ba_son.area_km2, ba_son.short_name) == (10416, 154.96, "Ba Sơn")
    assert ba_son.admin_center.startswith("Trụ sở")


def test_all_polygons_valid_multipolygons_after_load():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT ST_IsValid(boundary)), "
            "count(*) FILTER (WHERE GeometryType(boundary) <> 'MULTIPOLYGON') "
            "FROM geodata_adminunit WHERE boundary IS NOT NULL")
        assert cursor.fetchone() == (77, 0, 0)
    # The two upstream features that self-intersect were repaired, not dropped.
    van_quan = AdminUnit.objects.districts().get(code="184")
    assert van_quan.boundary.valid and van_quan.area_km2 > 500


def test_polygonal_keeps_only_areas_of_a_repaired_geometry():
    from django.contrib.gis.geos import GEOSGeometry

    bowtie = GEOSGeometry("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))", srid=4326)
    sliver = GEOSGeometry(
        "GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 0)), LINESTRING(5 5,6 6))", srid=4326)
    for geometry, parts in ((bowtie, 2), (sliver, 1)):
        repaired = reference.polygonal(geometry)
        assert repaired.geom_type == "MultiPolygon" and repaired.valid
        assert len(repaired) == parts


def test_second_load_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        result = loaders.geodata_load()
    assert result.loaded is False
    assert result.counts["communes_2025"] == 65


def test_forced_reload_updates_in_place():
    before = dict(AdminUnit.objects.values_list("id", "name"))
    edges = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id", "kind"))
    AdminUnit.objects.filter(code="06196", valid_to__isnull=True).update(name="changed")
    out = StringIO()
    call_command("qrmap_load_geodata", "--force", stdout=out)
    assert "communes_2025 65" in out.getvalue()
    assert dict(AdminUnit.objects.values_list("id", "name")) == before
    assert set(UnitSuccession.objects.values_list(
        "predecessor_id", "successor_id", "kind")) == edges


def test_changed_files_reload_and_record_the_new_fingerprint(monkeypatch):
    monkeypatch.setattr(loaders, "LOADER_VERSION", "test-version")
    ids = set(AdminUnit.objects.values_list("id", flat=True))
    assert loaders.geodata_load().loaded is True
    assert set(AdminUnit.objects.values_list("id", flat=True)) == ids
    load = DataLoad.objects.get(name="geodata")
    assert load.fingerprint == reference.files_fingerprint(version="test-version")


def test_reference_towns_largest_first():
    towns = reference.towns_read()
    assert len(towns) == 12
    assert towns[0].name == "Lạng Sơn" and towns[0].feature_code == "PPLA"
    assert "Thất Khê" in [town.name for town in towns]
