"""The staff import screen: who may use it, the upload limit, the preview, all-or-nothing
commit, the result with refused rows and its CSV, and the export downloads."""
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from assets.models import Asset
from assets.roles import roles_ensure, user_scope_set
from geodata.models import AdminUnit
from tests.factories import UserFactory

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_PRIVATE_ROOT = tmp_path / "private"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield settings.QRMAP_PRIVATE_ROOT


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(client, name, layer="assets"):
    with open(DATA / name, "rb") as f:
        return client.post("/staff/import/", {"layer": layer, "file": f},
                           HTTP_ACCEPT_LANGUAGE="en")


def test_anonymous_and_staff_without_permission_are_kept_out(client, db):
    assert client.get("/staff/import/").status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/staff/import/").status_code == 403
    assert client.get("/staff/import/export/assets.csv").status_code == 403


def test_upload_limit_and_unsupported_type(admin_client, settings):
    settings.QRMAP_MAX_IMPORT_BYTES = 200
    response = upload(admin_client, "heritage_wgs84.geojson")
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    settings.QRMAP_MAX_IMPORT_BYTES = 10_000_000
    response = admin_client.post("/staff/import/", {"layer": "assets", "file": open(
        DATA / "make_files.sh", "rb")})
    assert response.status_code == 400 and "Unsupported file type" in response.content.decode()


def test_tokens_belong_to_their_uploader(admin_client, client, media):
    preview = upload(admin_client, "staff_upload.csv")["Location"]
    assert len(list((media / "imports").iterdir())) == 1
    other = UserFactory(is_staff=True, is_superuser=False)
    other.groups.add(*_editor_groups())
    client.force_login(other)
    assert client.get(preview).status_code == 404
    assert client.get("/staff/import/..%2F..%2Fetc/").status_code == 404
    assert client.get("/staff/import/short/").status_code == 404


def _editor_groups():
    roles_ensure()
    return [Group.objects.get(name="editor")]


def test_preview_guesses_mapping_and_commit_is_all_or_nothing(admin_client, media):
    preview = upload(admin_client, "staff_upload.csv")["Location"]
    page = admin_client.get(preview).content.decode()
    assert '<option value="Tên công trình" selected>' in page
    assert "outside every loaded province" in page and "Commit the good rows" in page
    response = admin_client.post(preview + "confirm/", {})
    assert response.status_code == 400 and "nothing was saved" in response.content.decode()
    assert Asset.objects.count() == 0
    options = {"map-description_vi": "Thông tin", "good_rows": "1"}
    response = admin_client.post(preview + "confirm/", options)
    assert response["Location"].endswith("/result/")
    result = admin_client.get(response["Location"]).content.decode()
    assert "Điểm ngoài tỉnh" in result and "/maps/assets/" in result
    assert Asset.objects.count() == 3
    assert Asset.objects.get(name_en="Dong Kinh stadium").description_vi.startswith("Sân bóng")
    # The uploaded file is gone; the report remains, with the refused row and its reason.
    folder = next((media / "imports").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["meta.json", "report.csv"]
    report = admin_client.get(preview + "report.csv")
    text = report.content.decode("utf-8-sig")
    assert report["Content-Type"].startswith("text/csv")
    assert "Điểm ngoài tỉnh" in text and "outside every loaded province" in text
    # Confirming twice does not import twice.
    admin_client.post(preview + "confirm/", options)
    assert Asset.objects.count() == 3


def test_projected_file_without_crs_asks_for_one(admin_client, tmp_path, settings):
    path = tmp_path / "survey.csv"
    path.write_text("ten,loai,x,y\nCầu Đông Kinh,bridge,449314.13,2417472.19\n",
                    encoding="utf-8")
    with open(path, "rb") as f:
        preview = admin_client.post("/staff/import/", {"layer": "assets", "file": f})["Location"]
    page = admin_client.get(preview).content.decode()
    assert "The coordinates are not degrees" in page and "EPSG:9215" in page
    page = admin_client.get(preview, {"srid": "9215"}).content.decode()
    for typed in ("²", "9" * 40, "-1"):  # no coordinate system: the page asks for one
        assert admin_client.get(preview, {"srid": typed}).status_code < 500
    assert "your choice" in page and "Save: 1 new" in page


def test_commune_scoped_clerk_cannot_import_into_other_communes(client, db):
    clerk = UserFactory(is_staff=True)
    clerk.groups.add(*_editor_groups())
    dong_kinh = AdminUnit.objects.current().communes().get(name="Phường Đông Kinh")
    user_scope_set(user=clerk, communes=[dong_kinh])
    client.force_login(clerk)
    preview = upload(client, "heritage_wgs84.geojson")["Location"]
    page = client.get(preview).content.decode()
    assert "outside the communes you work in" in page
    client.post(preview + "confirm/", {"good_rows": "1"})
    assert {a.commune for a in Asset.objects.all()} == {dong_kinh}


@pytest.mark.parametrize("fmt,content_type", [
    ("csv", "text/csv"), ("geojson", "application/geo+json"),
    ("gpkg", "application/geopackage+sqlite3")])
def test_export_downloads(admin_client, fmt, content_type):
    upload_and_commit = upload(admin_client, "heritage.gpkg")["Location"]
    admin_client.post(upload_and_commit + "confirm/", {})
    response = admin_client.get(f"/staff/import/export/assets.{fmt}", {"kind": "heritage"})
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    if fmt == "gpkg":
        assert response.content[:16] == b"SQLite format 3\x00"
    assert admin_client.get("/staff/import/export/assets.csv", {"kind": "x"}).status_code == 400
    assert admin_client.get("/staff/import/export/assets.shp").status_code == 404
    assert admin_client.get("/staff/import/export/hamlets.csv").status_code == 200


def test_preview_counts_are_grouped_per_locale(admin_client, tmp_path):
    # 1,200 rows: the counts read "1.200" in Vietnamese, "1,200" in Chinese (GLOSSARY.md).
    rows = ["Tên công trình,Loại,Vĩ độ,Kinh độ"]
    rows += [f"Nhà văn hóa {n},cultural_house,{21.84 + n / 100000:.5f},106.76"
             for n in range(1200)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows), encoding="utf-8")
    with open(big, "rb") as f:
        preview = admin_client.post("/staff/import/", {"layer": "assets", "file": f})["Location"]
    vi = admin_client.get(preview, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    zh = admin_client.get(preview, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<b>1.200</b>" in vi and "1.200" in vi.split('id="commit"')[1][:200]
    assert "<b>1,200</b>" in zh
    assert "1200" not in vi.split('id="counts"')[1].split("</div>")[0]
