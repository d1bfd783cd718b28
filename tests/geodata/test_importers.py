"""The generic import engine: text quirks, CSV sniffing, coordinate systems, geometry repair,
archive checks, and the hamlet/cell-site/unit layers."""
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import call_command
from django.utils import translation

from geodata.importers import archive, crs
from geodata.importers.csvfile import csv_read
from geodata.importers.engine import ImportRefused, import_commit, import_plan
from geodata.importers.geolayers import CellSiteLayer, HamletLayer, UnitLayer
from geodata.importers.geometry import GeometryRefused, geometry_from_ogr, geometry_repair
from geodata.importers.sources import SourceRefused, source_open
from geodata.models import AdminUnit, CellSite, Hamlet

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the site default is Vietnamese)."""
    with translation.override("en"):
        yield


def test_csv_sniffing_reads_excel_export_with_bom_semicolons_and_nfd():
    content = csv_read(DATA / "excel_messy.csv")
    assert content.had_bom and content.separator == ";"
    assert content.columns == ["STT", "Tên", "Loại", "Vĩ độ", "Kinh độ", "Mô tả"]
    assert content.rows[0][1][1] == "Động Tam Thanh"  # composed again (NFC)
    assert content.rows[0][1][3] == "21,8589"


def test_csv_in_windows_1258_is_read(tmp_path):
    path = tmp_path / "cp.csv"
    # Windows-1258 writes the tone as a combining mark after a precomposed ơ.
    path.write_bytes("ten,lat,lon\nCh\u01a1\u0323,21.85,106.76\n".encode("cp1258"))
    assert csv_read(path).rows[0][1][0] == "Chợ"


def test_tm3_9215_is_known_to_proj_and_transforms_within_a_metre():
    point = OGRGeometry("POINT (106.7453 21.8589)", srs=4326)
    point.transform(9215)
    # Lạng Sơn's TM-3 zone: about 447 km east (false easting 500 km, west of 107°15′).
    assert 440_000 < point.x < 460_000 and 2_400_000 < point.y < 2_430_000
    point.transform(crs.transform_to_storage(crs.srs_from_srid(9215)))
    assert point.x == pytest.approx(106.7453, abs=1e-7)
    assert point.y == pytest.approx(21.8589, abs=1e-7)


def test_crs_guess_asks_when_numbers_are_metres_and_no_crs_is_named():
    guess = crs.crs_guess(file_srs=None, srid=None, pairs=[(447_000.5, 2_417_000.25)])
    assert guess.srs is None and guess.looks_projected
    assert crs.crs_guess(file_srs=None, srid=None, pairs=[(106.7, 21.8)]).srs.srid == 4326
    assert crs.crs_guess(file_srs=None, srid=9215, pairs=[]).source == "user"


def test_unclosed_ring_is_closed_and_bow_tie_refused():
    open_ring = OGRGeometry("POLYGON ((0 0, 1 0, 1 1, 0 1))")
    geos, notes = geometry_from_ogr(open_ring)
    assert geos.valid and geos.area == 1 and notes == ["unclosed ring closed"]
    bow_tie = GEOSGeometry("POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))", srid=4326)
    with pytest.raises(GeometryRefused, match="2 pieces"):
        geometry_repair(bow_tie)
    spike = GEOSGeometry("POLYGON ((0 0, 2 0, 2 2, 3 3, 2 2, 0 2, 0 0))", srid=4326)
    fixed, notes = geometry_repair(spike)
    assert fixed.valid and fixed.geom_type == "Polygon" and fixed.area == 4
    with pytest.raises(GeometryRefused):
        geometry_from_ogr(None)
    # A GeoJSON 1e400 reads as infinity; make_valid fails on it outright (a 500 before).
    far = OGRGeometry('{"type": "Polygon", "coordinates": '
                      '[[[106.7, 21.8], [1e400, 21.8], [106.8, 21.9], [106.7, 21.8]]]}')
    with pytest.raises(GeometryRefused, match="Invalid Coordinate"):
        geometry_repair(geometry_from_ogr(far)[0])


def test_zip_with_parent_path_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(archive.ArchiveRefused, match=r"\.\."):
        archive.archive_extract(DATA / "traversal.zip", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.csv").exists()


def _zip(tmp_path, members):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return path


def test_zip_bomb_absolute_paths_and_member_count_are_refused(tmp_path):
    with pytest.raises(archive.ArchiveRefused, match="zip bomb"):
        archive.archive_check(_zip(tmp_path, [("big.csv", b"0" * 20_000_000)]))
    with pytest.raises(archive.ArchiveRefused, match="absolute"):
        archive.archive_check(_zip(tmp_path, [("/etc/x.csv", b"a")]))
    many = [(f"f{i}.txt", b"a") for i in range(archive.MAX_MEMBERS + 1)]
    with pytest.raises(archive.ArchiveRefused, match="members"):
        archive.archive_check(_zip(tmp_path, many))


def test_archive_total_size_limit(tmp_path, settings):
    settings.QRMAP_MAX_UNZIPPED_BYTES = 1000
    with pytest.raises(archive.ArchiveRefused, match="unpacks"):
        archive.archive_check(_zip(tmp_path, [("a.csv", bytes(range(256)) * 8)]))


def test_oversized_file_and_unknown_types_are_refused(tmp_path, settings):
    settings.QRMAP_MAX_IMPORT_BYTES = 100
    with pytest.raises(SourceRefused, match="limit"):
        source_open(DATA / "heritage_wgs84.geojson", workdir=tmp_path)
    settings.QRMAP_MAX_IMPORT_BYTES = 10_000_000
    vrt = tmp_path / "x.vrt"
    vrt.write_text("<OGRVRTDataSource/>")
    with pytest.raises(SourceRefused, match="Unsupported"):
        source_open(vrt, workdir=tmp_path)


def _table(tmp_path, text, name="h.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return source_open(path, workdir=tmp_path)


HAMLETS = """Tên thôn;Số hộ;Dân số;Vĩ độ;Kinh độ;3G/4G;Băng rộng;Mã
Thôn Nà Pàn;1.234;4.100;21,8530;106,7615;có;không;H-1
Bản Khuổi Khỉnh;85;330;21,9010;106,3210;không;chưa rõ;H-2
Thôn ngoài tỉnh;10;40;21,0285;105,8542;có;có;H-3
"""


def test_hamlets_import_with_vietnamese_headers_and_statuses(db, tmp_path):
    table = _table(tmp_path, HAMLETS)
    plan = import_plan(table=table, layer=HamletLayer())
    assert plan.mapping["households"] == "Số hộ" and plan.mapping["external_id"] == "Mã"
    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "refused": 1}
    assert "outside every loaded province" in plan.refused[0].messages[0]
    with pytest.raises(ImportRefused):
        import_commit(plan=plan)
    assert Hamlet.objects.count() == 0
    import_commit(plan=plan, commit_good_rows=True)
    hamlet = Hamlet.objects.get(external_id="H-1")
    assert (hamlet.households, hamlet.population) == (1234, 4100)
    assert (hamlet.mobile_status, hamlet.broadband_status) == ("yes", "no")
    assert hamlet.commune is not None and hamlet.source == "h.csv"
    # Re-import with a changed figure: the same hamlet is updated, none is added.
    table = _table(tmp_path, HAMLETS.replace("1.234", "1.300"))
    plan = import_plan(table=table, layer=HamletLayer())
    assert plan.counts["updated"] == 1 and plan.counts["unchanged"] == 1
    import_commit(plan=plan, commit_good_rows=True)
    assert Hamlet.objects.count() == 2
    assert Hamlet.objects.get(external_id="H-1").households == 1300


def test_cell_sites_get_a_default_radius_unless_2g_only(db, tmp_path):
    table = _table(tmp_path, "name,operator,technologies,lat,lon,terrain\n"
                             "Trạm A,VNPT,2G/3G/4G,21.85,106.76,đô thị\n"
                             "Trạm B,Viettel,2G,21.90,106.32,\n"
                             "Trạm C,Beeline,4G,21.90,106.33,\n", "c.csv")
    plan = import_plan(table=table, layer=CellSiteLayer())
    assert "unknown operator" in plan.refused[0].messages[0]
    import_commit(plan=plan, commit_good_rows=True)
    a, b = CellSite.objects.get(name="Trạm A"), CellSite.objects.get(name="Trạm B")
    assert a.operator == "vinaphone" and a.technologies == ["2G", "3G", "4G"]
    assert a.terrain == "urban" and a.coverage_radius_m > 0
    assert b.coverage_radius_m is None


def test_hamlet_reimport_moves_and_updates_set_wise(db, tmp_path, django_assert_max_num_queries):
    """A re-import of hamlets writes with one UPDATE, whatever the number of rows: a moved
    hamlet follows its new commune (and pre-2025 district), the others keep theirs."""
    rows = "".join(f"Thôn {i};{10 + i};21,8530;106,{7615 + i};có;không;H-{i}\n" for i in range(30))
    head = "Tên thôn;Số hộ;Vĩ độ;Kinh độ;3G/4G;Băng rộng;Mã\n"
    import_commit(plan=import_plan(table=_table(tmp_path, head + rows), layer=HamletLayer()))
    before = {h.external_id: h for h in Hamlet.objects.all()}
    far = AdminUnit.objects.current().communes().exclude(
        pk=before["H-0"].commune_id).exclude(boundary=None).first()
    point = far.boundary.point_on_surface
    changed = rows.replace("Thôn 1;11;", "Thôn 1;99;").replace(
        "Thôn 0;10;21,8530;106,7615;", f"Thôn 0;10;{point.y!r};{point.x!r};".replace(".", ","))
    changed = changed.replace(";có;không;", ";không;có;")  # every row changes
    plan = import_plan(table=_table(tmp_path, head + changed), layer=HamletLayer())
    assert plan.counts["updated"] == 30, [r.messages for r in plan.rows]
    with django_assert_max_num_queries(20):  # not one or two per row
        import_commit(plan=plan)
    after = {h.external_id: h for h in Hamlet.objects.all()}
    assert len(after) == 30
    assert after["H-1"].households == 99 and after["H-2"].households == 12
    assert all(h.mobile_status == "no" and h.broadband_status == "yes" for h in after.values())
    assert after["H-0"].commune_id == far.pk != before["H-0"].commune_id
    assert after["H-0"].location.equals_exact(point, 1e-9)
    assert after["H-0"].district_before_id is not None
    assert after["H-5"].commune_id == before["H-5"].commune_id
    assert after["H-5"].updated_at > before["H-5"].updated_at


def test_cell_site_reimport_updates_technologies_set_wise(db, tmp_path):
    head = "ma,name,operator,technologies,lat,lon\n"
    table = _table(tmp_path, head + "S-1,Trạm A,Viettel,2G,21.85,106.76\n"
                                    "S-2,Trạm B,Viettel,4G,21.90,106.32\n", "c.csv")
    import_commit(plan=import_plan(table=table, layer=CellSiteLayer()))
    table = _table(tmp_path, head + "S-1,Trạm A,Viettel,2G/3G/4G,21.85,106.76\n"
                                    "S-2,Trạm B \"mới\",Viettel,4G,21.90,106.32\n", "c.csv")
    plan = import_plan(table=table, layer=CellSiteLayer())
    assert plan.counts["updated"] == 2
    import_commit(plan=plan)
    a, b = CellSite.objects.get(external_id="S-1"), CellSite.objects.get(external_id="S-2")
    assert a.technologies == ["2G", "3G", "4G"] and b.name == 'Trạm B "mới"'
    assert CellSite.objects.count() == 2


def test_units_layer_updates_the_unit_in_force_by_code(db, tmp_path):
    unit = AdminUnit.objects.current().communes().first()
    geojson = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
               f'{{"ma":"{unit.code}","ten":"{unit.name}","cap":"xã","dan_so":"12345"}},'
               '"geometry":{"type":"Polygon","coordinates":[[[106.70,21.80],[106.71,21.80],'
               '[106.71,21.81],[106.70,21.81],[106.70,21.80]]]}}]}')
    plan = import_plan(table=_table(tmp_path, geojson, "u.geojson"), layer=UnitLayer())
    assert plan.counts["updated"] == 1, plan.rows[0].messages
    import_commit(plan=plan)
    unit.refresh_from_db()
    assert unit.population == 12345 and unit.boundary.num_geom == 1


def test_command_refuses_unknown_columns_and_needs_crs(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No column"):
        call_command("qrmap_import", str(DATA / "excel_messy.csv"), "--layer", "hamlets",
                     "--map", "name=Tên thôn", stdout=io.StringIO())
    path = tmp_path / "m.csv"
    path.write_text("ten,x,y\nThôn A,447123.5,2417000.2\n", encoding="utf-8")
    out = io.StringIO()
    call_command("qrmap_import", str(path), "--layer", "hamlets", stdout=out)
    assert "give --srid" in out.getvalue()
    out = io.StringIO()
    call_command("qrmap_import", str(path), "--layer", "hamlets", "--srid", "9215",
                 "--commit", stdout=out)
    assert Hamlet.objects.get(name="Thôn A").location.x == pytest.approx(106.7, abs=0.1)


def test_duplicates_in_the_file_and_against_the_database(db, tmp_path):
    text = ("ten;vido;kinhdo;ma;so_ho\n"
            "Thôn Bản Chu;21,8530;106,7615;;10\n"
            "thôn bản chu;21,85301;106,76151;;10\n"  # same name, 1.5 m away: typed twice
            "Thôn Bản Chu;21,9010;106,3210;;10\n"  # same name far away: another hamlet
            "Thôn Pò Mã;21,8600;106,7700;P-1;20\n"
            "Thôn Pò Mã 2;21,8700;106,7800;P-1;30\n")  # external id repeated
    plan = import_plan(table=_table(tmp_path, text), layer=HamletLayer())
    refused = {row.number: row.messages[0] for row in plan.refused}
    assert refused == {3: "duplicate of row 2 (same name, same place)",
                       6: "duplicate external_id “P-1” (row 5)"}
    import_commit(plan=plan, commit_good_rows=True)
    assert Hamlet.objects.count() == 3
    # The same rows again without ids: identical ones are unchanged, a changed one refused.
    again = import_plan(table=_table(tmp_path, text.replace(";10\n", ";11\n", 1)),
                        layer=HamletLayer())
    statuses = {row.number: row.status for row in again.rows}
    assert statuses[2] == "refused" and "already in the database" in again.rows[0].messages[0]
    assert statuses[4] == "unchanged" and statuses[5] == "unchanged"


def test_wkt_column_and_geometry_kinds(db, tmp_path):
    text = ('ten,wkt\n"Thôn A","POINT (106.7615 21.853)"\n'
            '"Thôn B","LINESTRING (106.76 21.85, 106.77 21.86)"\n"Thôn C","POINT (1 2 3"\n')
    plan = import_plan(table=_table(tmp_path, text), layer=HamletLayer())
    assert plan.mapping["wkt"] == "wkt"
    assert [row.status for row in plan.rows] == ["new", "refused", "refused"]
    assert "a point is expected" in plan.rows[1].messages[0]
    assert "unreadable" in plan.rows[2].messages[0]


def test_the_layer_registry_lists_assets_first_then_the_geodata_layers():
    from geodata.importers.registry import import_layers

    assert list(import_layers()) == ["assets", "hamlets", "cellsites", "units"]


def test_file_points_are_read_without_an_ogr_geometry_and_survive_a_pickled_plan(db, tmp_path):
    """A GeoPackage's 2D points come as two numbers (no OGR clone per feature); a plan that
    a worker pickles still checks the same, and a 3D point keeps the OGR path."""
    import pickle

    from geodata.importers.sources import FilePoint

    table = source_open(DATA / "heritage.gpkg", workdir=tmp_path)
    assert all(isinstance(row.geometry, FilePoint) for row in table.rows)
    plan = import_plan(table=table, layer=HamletLayer())
    again = pickle.loads(pickle.dumps(plan))
    assert [(r.status, r.fields["location"].coords if r.fields else None) for r in again.rows] \
        == [(r.status, r.fields["location"].coords if r.fields else None) for r in plan.rows]
    assert isinstance(again.rows[0].geometry, FilePoint)
    path = tmp_path / "z.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                    '{"ten":"Thôn Z"},"geometry":{"type":"Point","coordinates":'
                    '[106.7615,21.853,250]}}]}', encoding="utf-8")
    table = source_open(path, workdir=tmp_path)
    assert not isinstance(table.rows[0].geometry, FilePoint)
    plan = import_plan(table=table, layer=HamletLayer())
    assert plan.counts["new"] == 1
    assert plan.rows[0].fields["location"].coords == pytest.approx((106.7615, 21.853))
