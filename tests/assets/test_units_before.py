"""The units before 2025 stored on each asset (migration 0025): every door that writes a
position stores them, a unit or merger correction re-derives them, and the asset page prints
the same address as the lookup did, without looking anything up."""
import importlib

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assets import locator
from assets.access import SYSTEM
from assets.importers.run import import_file
from assets.models import Asset
from assets.selectors import address_at_point, asset_addresses, code_resolve
from assets.services.registry import asset_create, asset_update
from geodata.models import AdminUnit, UnitSuccession
from geodata.selectors import unit_lookup_point
from geodata.unit_lookup import communes_at_points, units_at_xy, units_before_at_xy
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

# Phường Đông Kinh, on the part that was Xã Yên Trạch of Huyện Cao Lộc (one candidate).
YEN_TRACH = Point(106.758849, 21.785157, srid=4326)
# Xã Đình Lập, where Xã Bính Xá (split in two) is chosen among several: approximate.
BINH_XA = Point(107.093, 21.659, srid=4326)
# Phường Lương Văn Tri, once Phường Chi Lăng of the city.
CHI_LANG = Point(106.7496, 21.8419, srid=4326)
STORED = ("district_before_id", "commune_before_id", "commune_before_approximate")
# What looking the address up costs; the page must ask none of it.
LOOKUPS = ("geodata_unitpart", "st_covers", "geodata_district_before_at",
           "geodata_units_before_at", "geodata_unitsuccession", "st_distance")


def expected(point):
    """(old district id, old commune id, approximate) by the address lookup itself."""
    found = unit_lookup_point(point=point)
    return (found.district_before and found.district_before.pk,
            found.commune_before and found.commune_before.pk, found.commune_before_approximate)


def stored(asset):
    return tuple(Asset.objects.filter(pk=asset.pk).values_list(*STORED).get())


def fields(point, **extra):
    return {"kind": "public_work", "category": "school", "name_vi": "Trường thử",
            "location": point, **extra}


def test_the_service_stores_them_on_create_and_on_a_move(geography):
    asset = asset_create(user=SYSTEM, fields=fields(BINH_XA))
    assert stored(asset) == expected(BINH_XA)
    assert stored(asset)[2] is True  # chosen among the predecessors: shown with ≈
    # The saved instance and its history row hold what the trigger wrote.
    assert tuple(getattr(asset, name) for name in STORED) == stored(asset)
    assert tuple(getattr(asset.history.latest(), name) for name in STORED) == stored(asset)
    moved = asset_update(user=SYSTEM, asset=asset, fields={"location": YEN_TRACH})
    assert stored(asset) == expected(YEN_TRACH) != expected(BINH_XA)
    assert moved.commune_before.name == "Xã Yên Trạch"
    assert tuple(getattr(moved.history.latest(), name) for name in STORED) == stored(asset)


def test_raw_sql_and_an_orm_update_store_them(geography):
    asset = AssetFactory(location=CHI_LANG)  # commune given, old units left to the trigger
    assert stored(asset) == expected(CHI_LANG)
    commune, = communes_at_points([YEN_TRACH])
    Asset.objects.filter(pk=asset.pk).update(location=YEN_TRACH, commune_id=commune)
    assert stored(asset) == expected(YEN_TRACH)
    # A writer cannot type them: the trigger derives them again on the same statement.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assets_asset SET location = %s::geometry, "
                       "commune_before_id = NULL, district_before_id = NULL WHERE id = %s",
                       [BINH_XA.ewkt, asset.pk])
    assert stored(asset)[:2] != (None, None)


def test_the_importer_stores_them_set_wise_on_new_rows_and_moves(geography, tmp_path):
    path = tmp_path / "assets.csv"
    header = "Tên công trình,Loại,Vĩ độ,Kinh độ,Mã ngoài\n"
    path.write_text(header + f"Trường A,school,{BINH_XA.y},{BINH_XA.x},T-1\n"
                    f"Trường B,school,{CHI_LANG.y},{CHI_LANG.x},T-2\n", encoding="utf-8")
    import_file(path=path, layer="assets", commit=True)
    assert stored(Asset.objects.get(external_id="T-1")) == expected(BINH_XA)
    assert stored(Asset.objects.get(external_id="T-2")) == expected(CHI_LANG)
    path.write_text(header + f"Trường A,school,{YEN_TRACH.y},{YEN_TRACH.x},T-1\n",
                    encoding="utf-8")
    plan = import_file(path=path, layer="assets", commit=True)
    assert plan.counts["updated"] == 1
    moved = Asset.objects.get(external_id="T-1")
    assert stored(moved) == expected(YEN_TRACH)
    assert moved.history.latest().commune_before_id == expected(YEN_TRACH)[1]


# The derivation the insert trigger applies to a row that brings no units (assets 0025).
_DERIVED = """
SELECT a.id FROM assets_asset a,
     LATERAL geodata_units_before_at(a.location, a.commune_id,
                                     geodata_district_before_at(a.location)) b
WHERE (b.district_before, b.commune_before, b.commune_before_approximate)
      IS DISTINCT FROM (a.district_before_id, a.commune_before_id, a.commune_before_approximate)
"""


def test_a_large_file_brings_the_triggers_own_values_and_leaves_the_table_analysed(
        geography, tmp_path):
    """A file of 1,200 points over the province (slivers between old districts and between
    today's communes included) takes the set-wise lookups and hands the units to the insert
    trigger, which keeps them (assets 0026): they must be what the trigger itself derives row
    by row, and what the per-point path finds. The import leaves the table's statistics
    counted, so that the foreign-key checks at COMMIT use the primary key."""
    grid = [(106.02 + 0.026 * i, 21.33 + 0.024 * j) for i in range(60) for j in range(51)]
    inside = [xy for xy, (_, province) in zip(
        grid, units_at_xy([x for x, _ in grid], [y for _, y in grid]), strict=True) if province]
    assert len(inside) > 1000
    path = tmp_path / "many.csv"
    path.write_text("Tên,Loại,Vĩ độ,Kinh độ\n" + "".join(
        f"Trường {n},school,{y:.6f},{x:.6f}\n" for n, (x, y) in enumerate(inside)),
        encoding="utf-8")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")  # the registry is empty: "0 rows"
    import_file(path=path, layer="assets", commit=True)
    assert Asset.objects.count() == len(inside)
    with connection.cursor() as cursor:
        cursor.execute(_DERIVED)
        assert cursor.fetchall() == []
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'assets_asset'::regclass")
        assert cursor.fetchone()[0] >= len(inside)
    stored_rows = list(Asset.objects.order_by("id").values_list("location", *STORED))
    assert sum(1 for row in stored_rows if row[3]) > 10  # some chosen among several
    assert any(row[1] is not None and row[2] is None for row in stored_rows)  # slivers
    xs = [row[0].x for row in stored_rows]
    ys = [row[0].y for row in stored_rows]
    communes = list(Asset.objects.order_by("id").values_list("commune_id", flat=True))
    few = [units for start in range(0, len(xs), 30)
           for units in units_before_at_xy(xs[start:start + 30], ys[start:start + 30],
                                           communes[start:start + 30])]
    assert few == [tuple(row[1:]) for row in stored_rows]


def test_an_insert_keeps_the_units_it_brings_and_derives_them_when_it_brings_none(geography):
    commune, = communes_at_points([CHI_LANG])
    given = expected(YEN_TRACH)  # not what CHI_LANG would derive
    kept, derived = Asset.objects.bulk_create([
        Asset(code="KEPT1", kind="public_work", name_vi="A", location=CHI_LANG,
              commune_id=commune, district_before_id=given[0], commune_before_id=given[1]),
        Asset(code="DERIV", kind="public_work", name_vi="B", location=CHI_LANG,
              commune_id=commune)])
    assert stored(kept)[:2] == given[:2]
    assert stored(derived) == expected(CHI_LANG) != given


def test_the_admin_stores_them_and_shows_them_read_only(client, communes, province):
    client.force_login(province)
    form = {"kind": "public_work", "category": "school", "heritage_rank": "",
            "name_vi": "Trường Yên Trạch", "name_en": "", "name_zh": "",
            "description_vi": "", "description_en": "", "description_zh": "",
            "location": YEN_TRACH.json, "shape": "", "source": "", "external_id": "",
            "plaques-TOTAL_FORMS": "0", "plaques-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:assets_asset_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = Asset.objects.get(name_vi="Trường Yên Trạch")
    assert stored(asset) == expected(YEN_TRACH)
    page = client.get(reverse("admin:assets_asset_change", args=[asset.pk])).content.decode()
    assert "Xã Yên Trạch" in page and "Huyện Cao Lộc" in page
    assert 'name="commune_before"' not in page and 'name="district_before"' not in page


def test_a_district_boundary_change_re_derives_them(geography):
    """The city takes in the asset's spot with a lower code: the old commune is then chosen
    among the city's predecessors of Phường Đông Kinh; corrected back, it returns."""
    asset = AssetFactory(location=YEN_TRACH)
    before = stored(asset)
    city = AdminUnit.objects.before_reform().districts().get(name="Thành phố Lạng Sơn")
    cao_loc = AdminUnit.objects.get(pk=before[0])
    outline = city.boundary
    spot = Polygon.from_bbox((YEN_TRACH.x - 0.001, YEN_TRACH.y - 0.001,
                              YEN_TRACH.x + 0.001, YEN_TRACH.y + 0.001))
    city.boundary = MultiPolygon(*outline, spot, srid=4326)
    city.code, cao_loc.code = "001", "999"
    cao_loc.save()
    city.save()
    assert stored(asset) == expected(YEN_TRACH)
    assert stored(asset)[0] == city.pk and stored(asset) != before
    city.boundary = outline
    city.save()
    assert stored(asset)[1:] == before[1:]


def test_a_merger_or_label_point_correction_re_derives_them(geography):
    asset = AssetFactory(location=YEN_TRACH)
    yen_trach = AdminUnit.objects.get(pk=stored(asset)[1])
    edge = UnitSuccession.objects.get(predecessor=yen_trach, successor=asset.commune)
    edge.delete()  # a wrong edge removed: the old commune is now one of the city's
    assert stored(asset) == expected(YEN_TRACH)
    assert stored(asset)[1] != yen_trach.pk and stored(asset)[2] is True
    nearest = AdminUnit.objects.get(pk=stored(asset)[1])
    nearest.label_point = Point(107.5, 22.5, srid=4326)  # far away: another one is nearer
    nearest.save()
    assert stored(asset) == expected(YEN_TRACH) and stored(asset)[1] != nearest.pk


def test_the_migration_fills_existing_rows(geography):
    assets = [AssetFactory(location=point) for point in (YEN_TRACH, BINH_XA, CHI_LANG)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assets_asset SET district_before_id = NULL, "
                       "commune_before_id = NULL, commune_before_approximate = false")
        migration = importlib.import_module("assets.migrations.0025_asset_units_before")
        cursor.execute(migration.FILL)
    assert [stored(a) for a in assets] == [expected(p) for p in (YEN_TRACH, BINH_XA, CHI_LANG)]


def test_the_stored_address_is_the_looked_up_one_in_every_language(geography):
    """On a grid over the province (slivers between old districts included): the address
    from the stored units, read by primary key in one query, is the lookup's, word for word."""
    points = [Point(106.05 + 0.1 * i, 21.35 + 0.1 * j, srid=4326)
              for i in range(13) for j in range(12)]
    inside = [p for p, commune in zip(points, communes_at_points(points), strict=True)
              if commune is not None]
    assets = [AssetFactory(location=point) for point in inside]
    assert len(assets) > 50
    for asset in assets:
        resolved = code_resolve(code=asset.code)
        for language in ("vi", "en", "zh-hans"):
            with CaptureQueriesContext(connection) as queries:
                found = asset_addresses(asset=resolved.asset, language=language)
            assert len(queries) <= 1
            assert not [q for q in queries.captured_queries
                        if any(word in q["sql"].lower() for word in LOOKUPS)]
            assert found == address_at_point(point=asset.location, language=language)
        assert found.before_reform


def test_the_asset_page_looks_nothing_up(client, geography):
    asset = AssetFactory(location=BINH_XA)
    cache.clear()
    # The commune's outline for the locator map is drawn once per commune (an hour in the
    # shared cache, for all its assets), not looked up for the asset's point.
    cache.set(locator.outline_cache_key(asset.commune_id), locator.outline_read(asset.commune_id))
    with translation.override("vi"), CaptureQueriesContext(connection) as queries:
        page = client.get(f"/a/{asset.code}?lang=zh-hans")
    assert page.status_code == 200
    sql = " ".join(query["sql"].lower() for query in queries.captured_queries)
    assert not [word for word in LOOKUPS if word in sql]
    html = page.content.decode()
    zh = address_at_point(point=BINH_XA, language="zh-hans")
    assert zh.before_reform and zh.before_reform in html and zh.today in html
