"""The bulk path of the asset import: point rows checked a chunk at a time (PROJ and one SQL
statement) must say exactly what the row-by-row path says, and re-imports update set-wise
with their history and the services' rules."""
import dataclasses
import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from assets.importers.run import import_file
from assets.models import Asset
from geodata.importers.engine import import_plan
from geodata.importers.registry import import_layers
from geodata.importers.sources import source_open
from tests.factories import UserFactory

DATA = Path(__file__).parents[1] / "data"
HEADER = "ma;ten;loai;vido;kinhdo\n"
ODD_ROWS = [
    ";Chợ Kỳ Lừa;market;21,8530;106,7600",         # fine
    "A2;Đền Kỳ Cùng;temple;106,7583;21,8487",      # latitude and longitude swapped
    "A3;Chợ Hà Nội;market;21,0278;105,8342",       # outside the province
    "A4;Cầu lỗi;bridge;abc;106,76",                 # unreadable
    "A5;Không tọa độ;bridge;;",                     # no coordinates
    "A6;Vô cực;bridge;inf;nan",                     # not finite
    "A7;;market;21,85;106,76",                      # no name
    ";Chợ Kỳ Lừa;market;21,85301;106,76001",       # the first row again, a metre away
]


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def outcomes(path, *, bulk, workdir, **options):
    layer = dataclasses.replace(import_layers()["assets"], bulk_points=bulk)
    table = source_open(path, workdir=workdir)
    plan = import_plan(table=table, layer=layer, **options)
    return [(row.number, row.status, row.messages, row.swap,
             (round(row.fields["location"].x, 7), round(row.fields["location"].y, 7))
             if row.fields else None) for row in plan.rows]


@pytest.mark.parametrize("swap_fix", [False, True])
def test_bulk_and_row_by_row_paths_agree_on_every_kind_of_row(db, tmp_path, swap_fix):
    odd = tmp_path / "odd.csv"
    odd.write_text(HEADER + "\n".join(ODD_ROWS) + "\n", encoding="utf-8-sig")
    files = [(odd, {"srid": 4326}), (DATA / "excel_messy.csv", {}), (DATA / "heritage.gpkg", {}),
             (DATA / "heritage_vn2000_tm3.zip", {}), (DATA / "shapes_broken.geojson", {})]
    for path, options in files:
        bulk = outcomes(path, bulk=True, workdir=tmp_path / "a", swap_fix=swap_fix, **options)
        assert bulk == outcomes(path, bulk=False, workdir=tmp_path / "b", swap_fix=swap_fix,
                                **options), path.name
    checked = outcomes(odd, bulk=True, workdir=tmp_path, swap_fix=swap_fix, srid=4326)
    statuses = [status for _n, status, *_rest in checked]
    assert statuses[0] == "new" and statuses[2:] == ["refused"] * 6
    assert statuses[1] == ("new" if swap_fix else "refused")
    assert checked[-1][2] == ["duplicate of row 2 (same name, same place)"]


def test_a_coordinate_past_a_double_is_refused_with_its_row(db, tmp_path):
    # 1e400 reads as infinity: the file's point has no WKT, and was a 500 on the preview.
    path = tmp_path / "far.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ['
                    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
                    '[1e400, 21.85]}, "properties": {"ten": "Xa", "loai": "market"}}, '
                    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
                    '[106.76, 21.85]}, "properties": {"ten": "Chợ Kỳ Lừa", "loai": "market"}}]}',
                    encoding="utf-8")
    for bulk in (True, False):
        far, near = outcomes(path, bulk=bulk, workdir=tmp_path / str(bulk))
        assert far[1:3] == ("refused", ["unreadable coordinates (not a finite number)"])
        assert near[1] == "new"
    odd = tmp_path / "odd.csv"
    odd.write_text(HEADER + ODD_ROWS[5] + "\n", encoding="utf-8-sig")
    assert outcomes(odd, bulk=True, workdir=tmp_path / "c", srid=4326)[0][2] == [
        "unreadable coordinates (not a finite number)"]


def test_reimport_updates_every_row_at_once_with_history_and_the_verification_rule(
        db, tmp_path):
    rows = [f"B{i};Công trình {i};school;21,{8500 + i * 10};106,{7500 + i * 10}"
            for i in range(6)]
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    import_file(path=first, layer="assets", commit=True)
    clerk = UserFactory(is_staff=True)
    verified_at = timezone.now() - datetime.timedelta(days=3)
    Asset.objects.filter(external_id__in=["B1", "B2"]).update(
        position_verified=True, verified_by=clerk, verified_at=verified_at)
    codes = dict(Asset.objects.values_list("external_id", "code"))
    changed = list(rows)
    changed[0] = changed[0].replace("Công trình 0", "Trường mới")      # a new name
    changed[1] = changed[1].replace("106,7510", "106,7520")            # moved ~100 m
    changed[2] = changed[2].replace("106,7520", "106,75205")           # moved ~5 m
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "\n".join(changed) + "\n", encoding="utf-8")
    plan = import_file(path=second, layer="assets", commit=True, user=None)
    assert plan.counts == {"new": 0, "updated": 3, "unchanged": 3, "refused": 0}
    assets = {a.external_id: a for a in Asset.objects.select_related("search")}
    assert dict((k, a.code) for k, a in assets.items()) == codes
    assert assets["B0"].name_vi == "Trường mới" and "truong moi" in assets["B0"].search.text
    assert abs(assets["B1"].location.x - 106.7520) < 1e-9
    assert not assets["B1"].position_verified and assets["B1"].verified_by is None
    assert assets["B2"].position_verified and assets["B2"].verified_by == clerk
    assert assets["B2"].verified_at == verified_at  # written back as it was read
    assert assets["B1"].commune is not None
    history = Asset.history.filter(history_type="~")
    assert sorted(h.external_id for h in history) == ["B0", "B1", "B2"]
    assert history.get(external_id="B1").position_verified is False
    assert Asset.history.filter(history_type="+").count() == 6


def test_reimport_matches_external_ids_with_commas_quotes_and_backslashes(db, tmp_path):
    """Stored assets are looked up by one array literal of external ids: ids with the
    characters an array literal uses must still match their own asset."""
    ids = ['A,1', 'B "2"', "C\\3", "{D}"]
    rows = [f'"{i.replace(chr(34), chr(34) * 2)}";Công trình {n};school;21,{8500 + n * 10};'
            f"106,{7500 + n * 10}" for n, i in enumerate(ids)]
    path = tmp_path / "first.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    import_file(path=path, layer="assets", commit=True)
    assert sorted(Asset.objects.values_list("external_id", flat=True)) == sorted(ids)
    path.write_text(HEADER + "\n".join(r.replace("school", "market") for r in rows) + "\n",
                    encoding="utf-8")
    plan = import_file(path=path, layer="assets", commit=True)
    assert plan.counts["updated"] == 4 and plan.counts["new"] == 0
    assert set(Asset.objects.values_list("category", flat=True)) == {"market"}


def test_bulk_import_and_the_service_write_the_same_search_text_and_words(db, tmp_path):
    """The bulk path fills the name search once per statement (assets 0009 and 0010): what a
    search finds must not depend on whether an asset came from a file or the admin."""
    from django.db import connection

    from assets import access
    from assets.services.registry import asset_create

    names = [("Đền Kỳ Cùng", "Ky Cung Temple", "奇穷庙"),
             ("Cho\u0302̀ Đông Kinh", "", "东京市场"),   # decomposed letters, as Excel writes them
             ("Trường  THCS\tChi Lăng", "Chi Lang  school", "")]
    path = tmp_path / "names.csv"
    path.write_text("ten;ten tieng anh;ten tieng trung;loai;vido;kinhdo\n" + "".join(
        f"{vi};{en};{zh};school;21,{8500 + i * 10};106,{7500 + i * 10}\n"
        for i, (vi, en, zh) in enumerate(names)), encoding="utf-8-sig")
    plan = import_file(path=path, layer="assets", commit=True)
    assert plan.counts["new"] == 3
    imported = list(Asset.objects.select_related("search").order_by("id"))
    made = [asset_create(user=access.SYSTEM, fields={
        "name_vi": a.name_vi, "name_en": a.name_en, "name_zh": a.name_zh, "kind": a.kind,
        "category": a.category, "location": a.location}) for a in imported]
    for bulk, one in zip(imported, Asset.objects.select_related("search").filter(
            pk__in=[m.pk for m in made]).order_by("id"), strict=True):
        assert bulk.search.text == one.search.text
    assert "den ky cung" in imported[0].search.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.qrmap_search_words_count()")
        cursor.execute("SELECT word, names FROM assets_assetsearchword")
        counts = dict(cursor.fetchall())
    words = {w for a in imported for w in a.search.text.split()}
    assert words and all(counts[w] % 2 == 0 and counts[w] >= 2 for w in words)
    assert counts["kinh"] == 2 and counts["chi"] == 2
