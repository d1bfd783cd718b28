"""Several provinces in one installation, on the registry side: assets take their province
from their point, a province office works in every commune of its province and nowhere else
(through every door of the permission matrix, and in every staff read), plaques carry their
province's own base URL, and a clerk's import refuses a row of another province."""
import pytest
import zxingcpp
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from assets import scope
from assets.access import SYSTEM
from assets.errors import DomainError
from assets.models import Asset, Plaque, Report
from assets.plaques.pdf import pdf_build
from assets.plaques.qr import base_url_refusal, base_urls_parse
from assets.plaques.verify import pdf_decode
from assets.printing import print_batch_create, print_batch_run, print_selection
from assets.services.registry import asset_create, asset_update
from geodata.models import AdminUnit
from tests.assets.permission_doors import DOORS, World
from tests.assets.staff_fixtures import inside, make_staff, verified_asset
from tests.assets.test_permission_matrix import WHO_MAY
from tests.assets.write_outcome import (
    answer_followed,
    answer_refuses,
    answer_succeeds,
    describe,
    snapshot,
    snapshot_diff,
)
from tests.factories import AssetFactory, PlaqueFactory
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

LANG_SON = "20"
LS_URL, X_URL = "https://qr.lson.vn", "https://qr.x.vn"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lang_son(geography):
    return AdminUnit.objects.get(level="province", code=LANG_SON, valid_to=None)


@pytest.fixture
def ls_commune(geography):
    return AdminUnit.objects.current().communes().get(code="05977")  # Đông Kinh


def office(name, province, roles=("editor", "verifier", "printer")):
    return make_staff(name, roles=roles, provinces=[province])


FIELDS = {"kind": "public_work", "category": "school", "name_vi": "Trường thử"}


def test_an_asset_takes_the_province_of_its_point_and_follows_a_move(
        second_province, lang_son):
    x = second_province
    asset = asset_create(user=SYSTEM, fields={**FIELDS, "location": x.point(1)})
    assert (asset.commune_id, asset.province_id) == (x.communes[1].pk, x.province.pk)
    moved = asset_update(user=SYSTEM, asset=asset,
                         fields={"location": Point(106.7612, 21.8547, srid=4326)})
    moved.refresh_from_db()
    assert moved.province_id == lang_son.pk
    assert moved.commune.province_id == lang_son.pk
    assert moved.history.first().province_id == lang_son.pk


def test_a_point_outside_every_loaded_province_is_refused(second_province, lang_son):
    everywhere = make_staff("installation", all_communes=True)
    with pytest.raises(DomainError, match="outside every loaded province") as refused:
        asset_create(user=everywhere, fields={**FIELDS, "location": Point(105.85, 21.03)})
    assert "location" in refused.value.errors
    asset = asset_create(user=everywhere, fields={**FIELDS, "location": second_province.point()})
    with pytest.raises(DomainError, match="outside every loaded province"):
        asset_update(user=everywhere, asset=asset, fields={"location": Point(100.5, 10.5)})
    # Just across a generalised border (about 200 m outside the outline): the nearest
    # province, within the importers' tolerance, and no commune (only the installation
    # office may place it).
    near = asset_create(user=everywhere,
                        fields={**FIELDS, "location": Point(104.898, 22.75, srid=4326)})
    assert (near.commune_id, near.province_id) == (None, second_province.province.pk)


def test_a_province_office_works_in_every_commune_of_its_province_only(
        second_province, ls_commune):
    x = second_province
    clerk = office("office_x", x.province)
    assert scope.user_commune_ids(user=clerk) == {c.pk for c in x.communes}
    assert not scope.user_sees_all_communes(user=clerk)
    mine = [AssetFactory(location=x.point(i)) for i in range(4)]
    AssetFactory(location=inside(ls_commune))
    assert set(scope.asset_list(user=clerk)) == set(mine)
    assert {a.province_id for a in mine} == {x.province.pk}
    with pytest.raises(DomainError):
        asset_create(user=clerk, fields={**FIELDS, "location": inside(ls_commune)})
    assert asset_create(user=clerk, fields={**FIELDS, "location": x.point(2)}).pk


def test_staff_reads_of_a_province_office_stay_in_its_province(
        client, second_province, ls_commune, settings):
    x = second_province
    surveyor = make_staff("surveyor", roles=("verifier",), all_communes=True)
    ours = verified_asset(x.communes[0], surveyor, name_vi="Cầu tỉnh thứ hai")
    theirs = verified_asset(ls_commune, surveyor, name_vi="Cầu Kỳ Lừa")
    Report.objects.create(asset=theirs, problem=Report.Problem.DAMAGED, text="báo hỏng")
    client.force_login(office("office_x", x.province, roles=("editor", "printer")))
    changelist = client.get("/admin/assets/asset/").content.decode()
    assert "Cầu tỉnh thứ hai" in changelist and "Cầu Kỳ Lừa" not in changelist
    assert client.get(f"/admin/assets/asset/{theirs.pk}/change/").status_code in (302, 403, 404)
    export = client.get("/staff/import/export/assets.csv")
    assert export.status_code == 200
    text = b"".join(export.streaming_content if export.streaming else [export.content])
    assert ours.code in text.decode("utf-8-sig") and theirs.code not in text.decode("utf-8-sig")
    assert "báo hỏng" not in client.get("/admin/assets/report/").content.decode()
    plaque = PlaqueFactory(asset=theirs)
    assert client.get(f"/staff/plaques/{plaque.code}/plaque.svg").status_code == 403


def test_a_province_office_prints_only_its_province(second_province, ls_commune):
    x = second_province
    clerk = office("office_x", x.province)
    ours = verified_asset(x.communes[2], clerk)
    theirs = verified_asset(ls_commune, SYSTEM)
    with pytest.raises(DomainError):
        print_selection(user=clerk, commune=ls_commune.code)
    with pytest.raises(DomainError, match="outside your communes"):
        print_selection(user=clerk, codes=[ours.code, theirs.code])
    assert print_selection(user=clerk, codes=[ours.code]).printable == [ours]
    assert print_selection(user=clerk).printable == [ours]


# --- The permission matrix, with a province office as the actor ---------------------------
# A: a commune of the second province; B: a commune of Lạng Sơn. The office of the second
# province may do there whatever the (installation-wide) province office may, and nothing in
# Lạng Sơn; a move of a plaque across the provinces touches both, so it is refused.
def _allowed(door, target):
    return "province" in WHO_MAY[door] and target == "A" and door != "admin-plaque-move"


@pytest.mark.parametrize("door_name,target", [
    pytest.param(door, target, id=f"{door}/{target}") for door in WHO_MAY for target in "AB"])
def test_permission_matrix_of_a_province_office(door_name, target, client, second_province,
                                                ls_commune, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_JOBS_INLINE = True
    units = {"A": second_province.communes[0], "B": ls_commune}
    surveyor = make_staff("surveyor", roles=("verifier",), all_communes=True)
    assets = {k: verified_asset(unit, surveyor) for k, unit in units.items()}
    plaques = {k: PlaqueFactory(asset=a, status=Plaque.Status.PRINTED) for k, a in assets.items()}
    reports = {k: Report.objects.create(asset=a, plaque=plaques[k], code=plaques[k].code,
                                        problem=Report.Problem.DAMAGED)
               for k, a in assets.items()}
    world = World(units=units, assets=assets, plaques=plaques, reports=reports, target=target,
                  user=office("office_x", second_province.province))
    door = DOORS[door_name]
    if door.prepare:
        door.prepare(world)
    client.force_login(world.user)
    before = snapshot()
    response = answer_followed(client, door.act(client, world))
    after = snapshot()
    if _allowed(door_name, target):
        assert answer_succeeds(response), describe(response)
        assert door.effect(world, before, after), snapshot_diff(before, after)
    else:
        assert answer_refuses(response), describe(response)
        assert not snapshot_diff(before, after)


# --- Plaques carry their province's base URL -----------------------------------------------
def test_plaques_of_each_province_decode_to_their_provinces_base_url(
        second_province, ls_commune, settings):
    settings.QRMAP_PROVINCE_BASE_URLS = {LANG_SON: LS_URL, second_province.province.code: X_URL}
    settings.QRMAP_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    everywhere = make_staff("installation", all_communes=True)
    ours = verified_asset(second_province.communes[3], everywhere)
    theirs = verified_asset(ls_commune, everywhere)
    batch = print_batch_create(user=everywhere, codes=[ours.code, theirs.code])
    print_batch_run(batch=batch)
    batch.refresh_from_db()
    plaques = {p.asset_id: p.code for p in batch.plaques.all()}
    import pypdfium2 as pdfium

    found = set()
    for page in pdfium.PdfDocument(batch.file.read()):
        found |= {b.text for b in zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())}
    assert found == {f"{X_URL.upper()}/Q/{plaques[ours.pk]}",
                     f"{LS_URL.upper()}/Q/{plaques[theirs.pk]}"}
    # A province without its own URL falls back to QRMAP_PUBLIC_BASE_URL.
    settings.QRMAP_PROVINCE_BASE_URLS = {}
    from assets.plaques.layout import layout_plaque
    from assets.plaques.qr import qr_symbol
    from assets.printing import plaque_content

    content = plaque_content(plaque=Plaque.objects.get(code=plaques[ours.pk]))
    assert content.payload == f"HTTP://127.0.0.1:8000/Q/{plaques[ours.pk]}"
    pdf, placements = pdf_build(layouts=[layout_plaque(content, qr_symbol(content.payload))],
                                paper="plaque")
    assert [d.text for d in pdf_decode(pdf=pdf, placements=placements)] == [content.payload]


def test_base_urls_are_checked():
    assert base_urls_parse(" 20=https://qr.lson.vn/ ,02=http://qr.x.vn:8080 ") == {
        "20": "https://qr.lson.vn", "02": "http://qr.x.vn:8080"}
    for bad, reason in [("20", "expected"), ("LS=https://qr.lson.vn", "expected"),
                        ("20=qr.lson.vn", "with a host"), ("20=https://qr.lson.vn/?a=1", "query"),
                        ("20=https://qr_ls.vn", "alphanumeric"),
                        ("20=https://a.vn,20=https://b.vn", "twice")]:
        with pytest.raises(ValueError, match=reason):
            base_urls_parse(bad)
    assert base_url_refusal("https://qr.langson.gov.vn/p") == ""


def test_a_bad_province_base_url_stops_the_start():
    result = run_manage("check", QRMAP_PROVINCE_BASE_URLS="20=https://qr~ls.vn")
    assert result.returncode != 0
    assert "QRMAP_PROVINCE_BASE_URLS" in result.stderr and "alphanumeric" in result.stderr


# --- Imports --------------------------------------------------------------------------------
def test_a_lang_son_clerks_import_refuses_a_row_of_another_province(
        client, second_province, ls_commune, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    lang_son = AdminUnit.objects.get(level="province", code=LANG_SON, valid_to=None)
    client.force_login(office("office_ls", lang_son, roles=("editor",)))
    here, there = inside(ls_commune), second_province.point(0)
    text = ("Tên công trình,Loại,Vĩ độ,Kinh độ\n"
            f"Nhà văn hóa Đông Kinh,cultural_house,{here.y},{here.x}\n"
            f"Nhà văn hóa tỉnh khác,cultural_house,{there.y},{there.x}\n"
            "Nhà văn hóa ngoài mọi tỉnh,cultural_house,10.5,100.5\n")
    upload = SimpleUploadedFile("hai-tinh.csv", text.encode(), content_type="text/csv")
    response = client.post("/staff/import/", {"layer": "assets", "file": upload})
    assert response.status_code == 302, describe(response)
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "outside the communes you work in" in page
    assert "outside every loaded province (100.50000, 10.50000)" in page
    refused = client.post(response["Location"] + "confirm/", {})
    assert refused.status_code == 400
    assert not Asset.objects.filter(name_vi__startswith="Nhà văn hóa").exists()
