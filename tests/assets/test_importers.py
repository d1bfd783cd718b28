"""Asset import from the real test files in tests/data (made by make_files.sh), one scenario
through the importer, the command and the staff screen, and exports that import back."""
import io
import math
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from assets.importers.exports import export_file
from assets.importers.run import import_file, import_file_plan
from assets.models import Asset
from geodata.importers.engine import ImportRefused, import_commit
from geodata.importers.sources import SourceRefused
from tests.factories import UserFactory

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    """English messages; uploads of the staff screen go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def metres(a, b):
    dy = (a.y - b.y) * 111_320
    dx = (a.x - b.x) * 111_320 * math.cos(math.radians(a.y))
    return math.hypot(dx, dy)


def db_digest():
    """Row counts and a hash of every row of the tables an asset import writes."""
    digest = []
    with connection.cursor() as cursor:
        for table in ("assets_asset", "assets_issuedcode", "assets_historicalasset"):
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' "
                           f"ORDER BY t::text), '')) FROM {table} t")
            digest.append((table, *cursor.fetchone()))
    return digest


def plan_of(name, **options):
    return import_file_plan(path=DATA / name, layer="assets", **options)


def test_shapefile_in_vn2000_tm3_lands_within_a_metre_of_the_wgs84_points(db):
    tm3 = plan_of("heritage_vn2000_tm3.zip")
    wgs = plan_of("heritage_wgs84.geojson")
    assert tm3.crs.srs.srid == 9215 and tm3.crs.source == "file"
    assert tm3.counts["new"] == wgs.counts["new"] == 10
    by_name = {row.label: row.fields["location"] for row in wgs.rows}
    for row in tm3.rows:
        assert metres(row.fields["location"], by_name[row.label]) < 1.0, row.label


def test_excel_csv_bom_semicolons_nfd_decimal_commas_and_swapped_rows(db):
    plan = plan_of("excel_messy.csv")
    assert plan.mapping["y"] == "Vĩ độ" and plan.mapping["x"] == "Kinh độ"
    assert plan.crs.source == "assumed"
    refused = {row.number: row.messages for row in plan.refused}
    assert set(refused) == {4, 8}  # file lines of data rows 3 and 7
    assert all("swapped" in m[0] for m in refused.values())
    names = [row.label for row in plan.rows]
    assert "Động Tam Thanh" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert plan.rows[0].fields["name_vi"].encode() == "Động Tam Thanh".encode()  # NFC
    wgs = {row.label: row.fields["location"] for row in plan_of("heritage_wgs84.geojson").rows}
    fixed = plan_of("excel_messy.csv", swap_fix=True)
    assert fixed.counts == {"new": 10, "updated": 0, "unchanged": 0, "refused": 0}
    assert fixed.swapped == 2
    for row in fixed.rows:
        assert metres(row.fields["location"], wgs[row.label]) < 0.01
        assert (row.number in (4, 8)) == any("swapped; fixed" in m for m in row.messages)


def test_geojson_bow_tie_refused_unclosed_ring_closed(db):
    plan = plan_of("shapes_broken.geojson")
    rows = {row.label: row for row in plan.rows}
    assert rows["Quảng trường bướm"].status == "refused"
    assert "2 pieces" in rows["Quảng trường bướm"].messages[0]
    assert rows["Chợ Giếng Vuông"].messages == ["unclosed ring closed"]
    assert rows["Công viên Chi Lăng"].status == "new"
    assert "repaired" in rows["Công viên Chi Lăng"].messages[0]
    assert rows["Nhà văn hóa không tọa độ"].messages == ["no coordinates"]
    import_commit(plan=plan, commit_good_rows=True)
    market = Asset.objects.get(name_vi="Chợ Giếng Vuông")
    assert market.shape.valid and market.shape.num_points == 5  # 4 corners, ring closed
    assert market.shape.contains(market.location) and market.category == "market"
    street = Asset.objects.get(name_vi="Đường Trần Đăng Ninh")
    assert street.kind == "street" and street.shape.geom_type == "LineString"
    assert street.shape.distance(street.location) < 1e-9
    assert Asset.objects.count() == 4


@pytest.mark.parametrize("name", ["phone_mymaps.kml", "phone_mymaps.kmz"])
def test_kml_from_a_phone_with_folders(db, name):
    plan = plan_of(name)
    assert plan.counts["new"] == 3
    assert plan.mapping["name_vi"] == "Name" and plan.mapping["kind"] == "loai"
    import_commit(plan=plan)
    temple = Asset.objects.get(name_vi="Đền Tả Phủ")
    assert temple.kind == "heritage" and temple.category == "temple"
    assert "trấn giữ" in temple.description_vi
    post = Asset.objects.get(name_vi="Bưu điện tỉnh Lạng Sơn")
    assert post.location.hasz is False and post.commune is not None
    assert {row.source["folder"] for row in plan.rows} == {"Di tích", "Công trình công cộng"}


def test_zip_with_parent_path_is_refused(db):
    with pytest.raises(SourceRefused, match=r"\.\./\.\./evil\.csv"):
        plan_of("traversal.zip")
    with pytest.raises(CommandError, match="path leaves"):
        call_command("qrmap_import", str(DATA / "traversal.zip"), "--layer", "assets",
                     stdout=io.StringIO())


def test_second_import_with_external_id_changes_no_count_and_keeps_codes(db, tmp_path):
    import_file(path=DATA / "heritage.gpkg", layer="assets", commit=True)
    codes = dict(Asset.objects.values_list("external_id", "code"))
    assert len(codes) == 10
    before = db_digest()
    again = import_file(path=DATA / "heritage.gpkg", layer="assets", commit=True)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 10, "refused": 0}
    assert db_digest() == before
    # A renamed row in the surveyor's next file updates the same asset; its code stays.
    changed = tmp_path / "next.geojson"
    changed.write_text((DATA / "heritage_wgs84.geojson").read_text(encoding="utf-8")
                       .replace("Chợ Đông Kinh", "Chợ Đông Kinh (mới)"), encoding="utf-8")
    plan = import_file(path=changed, layer="assets", commit=True)
    assert plan.counts["updated"] == 1 and Asset.objects.count() == 10
    assert dict(Asset.objects.values_list("external_id", "code")) == codes
    assert Asset.objects.get(external_id="LS-005").name_vi == "Chợ Đông Kinh (mới)"


def test_failed_import_leaves_the_database_exactly_as_it_was(db, monkeypatch):
    import_file(path=DATA / "shapes_broken.geojson", layer="assets", commit=True,
                commit_good_rows=True)
    before = db_digest()
    with pytest.raises(ImportRefused, match="2 of 10 rows are refused"):
        import_file(path=DATA / "excel_messy.csv", layer="assets", commit=True)
    assert db_digest() == before
    # A crash half-way (after the new rows and their codes were written) rolls back all.
    from assets.importers import layer as asset_layer

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(asset_layer, "assets_update", crash)
    mixed = import_file_plan(path=DATA / "excel_messy.csv", layer="assets", swap_fix=True,
                             mapping={"external_id": "STT"})
    mixed.rows[0].status, mixed.rows[0].instance = "updated", Asset.objects.first()
    with pytest.raises(RuntimeError):
        import_commit(plan=mixed)
    assert db_digest() == before


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_export_imports_back_unchanged(db, tmp_path, fmt):
    import_file(path=DATA / "shapes_broken.geojson", layer="assets", commit=True,
                commit_good_rows=True)
    import_file(path=DATA / "heritage_vn2000_tm3.zip", layer="assets", commit=True)
    admin = UserFactory(is_staff=True, is_superuser=True)
    before = db_digest()
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(export_file(layer="assets", fmt=fmt, user=admin, params={}))
    plan = import_file(path=path, layer="assets", commit=True)
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": 14, "refused": 0}
    assert db_digest() == before
    assert plan.mapping["code"] == "code" and plan.mapping["shape"] == "shape_wkt"


def test_export_filters_like_the_lists(db, tmp_path):
    import_file(path=DATA / "heritage.gpkg", layer="assets", commit=True)
    admin = UserFactory(is_staff=True, is_superuser=True)
    text = export_file(layer="assets", fmt="csv", user=admin,
                       params={"category": "temple"}).decode("utf-8-sig")
    assert text.count("\n") == 3 and "Đền Kỳ Cùng" in text and "Chùa Tiên" not in text
    boxed = export_file(layer="assets", fmt="geojson", user=admin,
                        params={"bbox": "106.74,21.84,106.77,21.86"}).decode()
    assert "Chợ Đông Kinh" in boxed and "Núi Mẫu Sơn" not in boxed
    with pytest.raises(ValueError):
        export_file(layer="assets", fmt="csv", user=admin, params={"kind": "castle"})


# --- One scenario, three ways in: the importer, the command, the staff screen ------------
def _by_importer(client):
    import_file(path=DATA / "excel_messy.csv", layer="assets", swap_fix=True,
                mapping={"external_id": "STT"}, commit=True)


def _by_command(client):
    out = io.StringIO()
    call_command("qrmap_import", str(DATA / "excel_messy.csv"), "--layer", "assets",
                 "--swap-fix", "--external-id", "STT", "--commit", stdout=out)
    assert "committed: 10 new" in out.getvalue()


def _by_screen(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with open(DATA / "excel_messy.csv", "rb") as f:
        response = client.post("/staff/import/", {"layer": "assets", "file": f})
    assert response.status_code == 302
    preview = response["Location"]
    options = {"swap_fix": "1", "map-external_id": "STT"}
    page = client.get(preview, options, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "swapped" in page.content.decode()
    response = client.post(preview + "confirm/", options)
    assert response.status_code == 302 and response["Location"].endswith("/result/")


@pytest.mark.parametrize("run", [_by_importer, _by_command, _by_screen])
def test_one_scenario_through_importer_command_and_screen(db, client, run):
    run(client)
    assets = {a.external_id: a for a in Asset.objects.all()}
    assert len(assets) == 10
    assert assets["3"].name_vi == "Đền Kỳ Cùng"
    assert (round(assets["3"].location.x, 4), round(assets["3"].location.y, 4)) == (
        106.7583, 21.8487)
    assert assets["1"].kind == "heritage" and assets["1"].category == "cave"
    assert assets["5"].commune.name == "Phường Đông Kinh"
    assert all(a.code and a.source == "excel_messy.csv" for a in assets.values())


@pytest.mark.parametrize("layer", ["hamlets", "cellsites"])
def test_hamlet_and_cell_site_exports_import_back_unchanged(db, tmp_path, layer):
    from geodata.models import CellSite, Hamlet
    from tests.factories import CellSiteFactory, HamletFactory

    for i, (x, y) in enumerate([(106.7615, 21.853), (106.3210, 21.901), (106.937, 21.8437)]):
        if layer == "hamlets":
            HamletFactory(name=f"Thôn số {i}", location=f"SRID=4326;POINT ({x} {y})",
                          mobile_status="no", external_id=f"H{i}" if i else "")
        else:
            CellSiteFactory(name=f"Trạm {i}", location=f"SRID=4326;POINT ({x} {y})",
                            external_id=f"S{i}" if i else "")
    model = Hamlet if layer == "hamlets" else CellSite
    before = list(model.objects.order_by("id").values())
    admin = UserFactory(is_staff=True, is_superuser=True)
    for fmt in ("csv", "geojson", "gpkg"):
        path = tmp_path / f"{layer}.{fmt}"
        path.write_bytes(export_file(layer=layer, fmt=fmt, user=admin, params={}))
        plan = import_file(path=path, layer=layer, commit=True)
        assert plan.counts == {"new": 0, "updated": 0, "unchanged": 3, "refused": 0}, fmt
    assert list(model.objects.order_by("id").values()) == before


def test_codes_from_another_server_are_kept_when_free_and_refused_when_taken(db, tmp_path):
    from assets import codes as codebook

    free = codebook.with_check("7PJ2QXR")
    taken = _issued_plaque_code()
    bad = free[:-1] + ("0" if free[-1] != "0" else "1")
    path = tmp_path / "moved.csv"
    path.write_text("code,ten,loai,lat,lon\n"
                    f"{codebook.group(free).lower()},Cầu Kỳ Lừa,bridge,21.856,106.7547\n"
                    f"{taken},Chợ Kỳ Lừa,market,21.857,106.7550\n"
                    f"{bad},Đền Tả Phủ,temple,21.8532,106.7598\n", encoding="utf-8")
    plan = import_file(path=path, layer="assets", commit=True, commit_good_rows=True)
    assert [row.status for row in plan.rows] == ["new", "refused", "refused"]
    assert "issued to another record" in plan.rows[1].messages[0]
    assert "not a valid code" in plan.rows[2].messages[0]
    assert Asset.objects.get(name_vi="Cầu Kỳ Lừa").code == free


def _issued_plaque_code():
    """A code already issued (to a plaque), so not free for an imported asset."""
    from tests.factories import PlaqueFactory

    return PlaqueFactory().code


def test_shapefile_without_prj_asks_for_the_crs_and_a_lone_shp_is_refused(db, tmp_path):
    import zipfile

    bare = tmp_path / "no_prj.zip"
    with zipfile.ZipFile(DATA / "heritage_vn2000_tm3.zip") as source, \
            zipfile.ZipFile(bare, "w") as target:
        for info in source.infolist():
            if not info.filename.endswith(".prj"):
                target.writestr(info.filename, source.read(info))
    plan = import_file_plan(path=bare, layer="assets")
    assert plan.needs_crs and plan.counts["refused"] == 10
    assert "choose one" in plan.rows[0].messages[0]
    with pytest.raises(ImportRefused, match="coordinate system"):
        import_commit(plan=plan, commit_good_rows=True)
    chosen = import_file_plan(path=bare, layer="assets", srid=9215)
    wgs = {row.label: row.fields["location"] for row in plan_of("heritage_wgs84.geojson").rows}
    assert all(metres(row.fields["location"], wgs[row.label]) < 1.0 for row in chosen.rows)
    lone = tmp_path / "points.shp"
    lone.write_bytes(b"\x00" * 100)
    with pytest.raises(SourceRefused, match=r"\.zip"):
        import_file_plan(path=lone, layer="assets")
