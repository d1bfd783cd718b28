"""The tourist's offline pack: the manifest holds only what the public pages publish of one
commune, within the caps; bad addresses get a clear 4xx; nothing sets a cookie; saving a
page counts no scan; the asset page links to the pack and stays small, with no worker."""
import gzip
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.templatetags.static import static
from PIL import Image

from assets.access import SYSTEM
from assets.models import Asset, Scan
from assets.public import pack as pack_module
from assets.scans import scans_flush
from assets.services.photos import asset_photo_add
from geodata.models import AdminUnit
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>&amp;'
TAM_THANH = (106.7481, 21.8591)


def _site(location=TAM_THANH, **fields):
    fields = {"kind": Asset.Kind.HERITAGE, "category": Asset.Category.PAGODA,
              "position_verified": True, **fields}
    return AssetFactory(location=Point(*location, srid=4326), **fields)


def _jpeg(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _inside_another(commune):
    other = AdminUnit.objects.current().communes().exclude(pk=commune.pk).order_by("code")[0]
    return other.boundary.point_on_surface.coords


@pytest.fixture
def area(geography, settings, tmp_path):
    """A commune with one site of each kind the pack must take or leave out."""
    settings.MEDIA_ROOT = tmp_path
    settings.QRMAP_JOBS_INLINE = True  # each photo processed at once, as a worker would
    pagoda = _site(name_vi="Chùa Tam Thanh", name_en="Tam Thanh Pagoda", name_zh="三清寺",
                   heritage_rank=Asset.HeritageRank.NATIONAL)
    photo = asset_photo_add(user=SYSTEM, asset=pagoda, upload=_jpeg((640, 480)))
    asset_photo_add(user=SYSTEM, asset=pagoda, upload=_jpeg())  # in the gallery only
    plaque = PlaqueFactory(asset=pagoda)
    cave = _site(name_vi=HOSTILE, name_en=HOSTILE, location=(TAM_THANH[0] + 0.002, TAM_THANH[1]))
    left_out = {
        "retired": _site(status=Asset.Status.RETIRED),
        "school": _site(kind=Asset.Kind.PUBLIC_WORK, category=Asset.Category.SCHOOL),
        "elsewhere": _site(location=_inside_another(pagoda.commune)),
    }
    assert left_out["elsewhere"].commune_id not in (None, pagoda.commune_id)
    return {"pagoda": pagoda, "cave": cave, "photo": photo, "plaque": plaque,
            "commune": pagoda.commune, "left_out": left_out}


def _manifest(client, code, **headers):
    response = client.get(f"/offline/{code}/pack.json", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Set-Cookie" not in response and not response.cookies
    return json.loads(response.content)


def test_the_manifest_holds_the_communes_public_sites_and_what_they_need(
        client, area):
    pagoda, cave, commune = area["pagoda"], area["cave"], area["commune"]
    manifest = _manifest(client, commune.code, HTTP_ACCEPT_LANGUAGE="en")
    # The ranked pagoda first; the cave's hostile name comes back as the same text.
    assert [(s["code"], s["name"]) for s in manifest["sites"]] == [
        (pagoda.code, "Tam Thanh Pagoda"), (cave.code, HOSTILE)]
    left_out = {asset.code for asset in area["left_out"].values()}
    assert not left_out & set(manifest["codes"])
    assert not any(code in url for url in manifest["urls"] for code in left_out)
    # The thumbnail the page shows, in both formats; not the large photo, not the second.
    photo = area["photo"]
    assert manifest["sites"][0]["photos"] == [photo.thumb_webp.url, photo.thumb_jpeg.url]
    photo_url = photo.thumb_jpeg.url
    assert manifest["urls"][0] == f"/offline/{commune.code}/"
    assert {f"/a/{pagoda.code}", f"/a/{cave.code}", photo_url, static("assets/asset_page.js"),
            static("assets/pack.js")} <= set(manifest["urls"])
    assert manifest["count"] == len(manifest["urls"]) == len(set(manifest["urls"]))
    # A scanned plaque opens its place's saved page offline.
    assert manifest["codes"][area["plaque"].code] == f"/a/{pagoda.code}"
    assert manifest["cache"] == f"qrmap-pack-{commune.code}"
    assert manifest["bytes"] >= (2 * pack_module.PAGE_BYTES + photo.thumb_jpeg.size
                                 + photo.thumb_webp.size)
    assert not manifest["truncated"]


def test_the_chosen_language_is_carried_on_the_saved_pages(client, area):
    manifest = _manifest(client, area["commune"].code + "", QUERY_STRING="lang=zh")
    assert f"/a/{area['pagoda'].code}?lang=zh" in manifest["urls"]
    assert manifest["sites"][0]["name"] == "三清寺"
    assert manifest["commune"]["name"].endswith("坊") or "社" in manifest["commune"]["name"]


def test_the_pack_is_capped_by_count_and_by_bytes(client, area, monkeypatch):
    monkeypatch.setattr(pack_module, "PACK_MAX_SITES", 1)
    manifest = _manifest(client, area["commune"].code)
    assert [s["code"] for s in manifest["sites"]] == [area["pagoda"].code]
    assert manifest["truncated"]
    monkeypatch.setattr(pack_module, "PACK_MAX_SITES", 60)
    # Room for the static files and one page, not its photo nor a second page.
    static_bytes = pack_module._static_files()[1]
    monkeypatch.setattr(pack_module, "PACK_MAX_BYTES", static_bytes + pack_module.PAGE_BYTES + 1)
    manifest = _manifest(client, area["commune"].code)
    assert manifest["truncated"] and manifest["bytes"] <= pack_module.PACK_MAX_BYTES
    assert [(s["code"], s["photos"]) for s in manifest["sites"]] == [(area["pagoda"].code, [])]


@pytest.mark.parametrize("code, status", [
    ("99999", 404), ("abc", 400), ("1" * 300, 400), ("12%00", 400), ("..", 400),
])
def test_a_bad_commune_gets_a_clear_4xx(client, geography, code, status):
    response = client.get(f"/offline/{code}/pack.json")
    assert response.status_code == status
    assert json.loads(response.content)["detail"]
    page = client.get(f"/offline/{code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == status
    assert "Traceback" not in page.content.decode()


def test_a_nul_in_the_query_is_refused(client, area):
    assert client.get(f"/offline/{area['commune'].code}/pack.json?lang=%00").status_code == 400
    assert client.get(f"/offline/{area['commune'].code}/?x=%00").status_code == 400


def test_the_pack_page_shows_size_and_places_escaped_and_sets_no_cookie(client, area):
    response = client.get(f"/offline/{area['commune'].code}/?lang=en")
    assert response.status_code == 200
    assert "Set-Cookie" not in response and not response.cookies
    html = response.content.decode()
    assert "Save for offline" in html and "Places: 2 · photos: 1 · about" in html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'data-manifest="/offline/{area["commune"].code}/pack.json?lang=en"' in html
    assert f'href="/a/{area["pagoda"].code}?lang=en"' in html
    assert "<script>" not in html and static("assets/pack.js") in html
    vi = client.get(f"/offline/{area['commune'].code}/").content.decode()
    assert "Lưu để xem ngoại tuyến" in vi


def test_a_commune_without_public_sites_says_so(client, area):
    elsewhere = area["left_out"]["elsewhere"]
    elsewhere.status = Asset.Status.RETIRED
    elsewhere.save()
    code = elsewhere.commune.code
    assert _manifest(client, code)["sites"] == []
    html = client.get(f"/offline/{code}/?lang=en").content.decode()
    assert "No heritage or scenic site of this area is published yet." in html
    assert 'id="pack-save"' not in html


def test_the_worker_is_javascript_from_the_root_without_cookies(client, geography):
    response = client.get("/sw-pack.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "Set-Cookie" not in response and not response.cookies
    assert b'addEventListener("fetch"' in response.content


def test_saving_a_page_for_the_pack_counts_no_scan(client, area):
    code = area["pagoda"].code
    assert client.get(f"/a/{code}", HTTP_PURPOSE="prefetch").status_code == 200
    client.get(f"/a/{code}")
    scans_flush()
    assert list(Scan.objects.values_list("code", "count")) == [(code, 1)]


def test_the_asset_page_links_to_the_pack_stays_small_and_registers_no_worker(client, area):
    for lang in ("vi", "en", "zh"):
        response = client.get(f"/Q/{area['pagoda'].code}?lang={lang}",
                              HTTP_ACCEPT_ENCODING="gzip")
        assert len(response.content) <= 15 * 1024
        html = gzip.decompress(response.content).decode()
        assert f'href="/offline/{area["commune"].code}/?lang={lang}"' in html
        assert "serviceWorker" not in html and "sw-pack" not in html
