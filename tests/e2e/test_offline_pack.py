"""A tourist saves a commune's heritage sites for offline on the pack page, loses the signal
and still reads three of their pages, names and photos, in Chromium: the service worker is
registered only then (the asset page registers none), progress and the saved marks show,
a page outside the pack does not open offline, and removing the pack lets it go."""
import io

import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from PIL import Image

from assets.models import Asset, AssetPhoto
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.__xss=1">Đền <b>Kỳ Cùng</b>'
NAMES = ["Chùa Tam Thanh", "Động Nhị Thanh", HOSTILE]
TAM_THANH = (106.7481, 21.8591)
PHOTO_COLOURS = [(200, 60, 40), (40, 140, 60), (40, 60, 200)]
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _photo(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="site.jpg")


@pytest.fixture
def sites(geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    found = []
    for i, (name, colour) in enumerate(zip(NAMES, PHOTO_COLOURS, strict=True)):
        asset = AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
                             name_vi=name, name_en=name, position_verified=True,
                             location=Point(TAM_THANH[0] + 0.001 * i, TAM_THANH[1], srid=4326))
        AssetPhoto.objects.create(asset=asset, image=_photo(colour), caption_vi=f"Ảnh {i}",
                                  status=AssetPhoto.Status.DONE)
        found.append(asset)
    school = AssetFactory(location=Point(TAM_THANH[0], TAM_THANH[1] + 0.001, srid=4326),
                          position_verified=True)
    return {"sites": found, "school": school, "plaque": PlaqueFactory(asset=found[0])}


def _photo_loaded(page):
    return page.evaluate("""() => { const img = document.querySelector('.photo img');
        return !!img && img.complete && img.naturalWidth === 120; }""")


def test_a_tourist_saves_an_area_goes_offline_and_reads_three_sites(
        live_server, page_factory, sites, artifact):
    page = page_factory(360, 740)
    page.add_init_script(WATCH)
    pagoda = sites["sites"][0]
    # The asset page: its own request and script only, no worker.
    page.goto(f"{live_server.url}/a/{pagoda.code}")
    assert page.evaluate("navigator.serviceWorker.getRegistrations()"
                         ".then(r => r.length)") == 0
    page.get_by_role("link", name="Lưu khu vực này để xem ngoại tuyến").click()

    page.wait_for_selector("#pack-save:not([hidden])")
    assert page.locator("h1").inner_text().endswith(": lưu để xem ngoại tuyến")
    assert page.locator("#pack-size").inner_text().startswith("Địa điểm: 3 · ảnh: 3 ·")
    # In Vietnamese order ("Chùa" before "Động"); the hostile name is text.
    assert page.locator("ul.list li a").all_inner_texts() == [NAMES[2], NAMES[0], NAMES[1]]
    page.get_by_role("button", name="Lưu để xem ngoại tuyến").click()
    page.wait_for_selector("#pack[data-state=saved]")
    assert page.locator("#pack-status").inner_text() == (
        "Đã lưu để xem ngoại tuyến: các trang này mở được trên điện thoại này khi không có sóng.")
    assert page.locator(".saved-mark:visible").count() == 3
    assert page.get_by_role("button", name="Xóa các trang đã lưu").is_visible()
    assert page.evaluate("window.__cspViolations") == []
    page.screenshot(path=artifact("saved.png"), full_page=True)

    page.context.set_offline(True)
    for asset, name in zip(sites["sites"], NAMES, strict=True):
        response = page.goto(f"{live_server.url}/a/{asset.code}")
        assert response.from_service_worker
        assert page.locator("h1").inner_text() == name
        page.locator(".photo img").scroll_into_view_if_needed()
        page.wait_for_function("""() => { const img = document.querySelector('.photo img');
            return img && img.complete && img.naturalWidth > 0; }""")
        assert _photo_loaded(page)
    page.screenshot(path=artifact("offline-page.png"), full_page=True)
    assert page.evaluate("window.__xss") is None
    # A plaque scanned offline opens its place's saved page.
    page.goto(f"{live_server.url}/Q/{sites['plaque'].code}")
    assert page.locator("h1").inner_text() == NAMES[0]
    # The pack page itself opens offline, with its marks read from the phone's cache.
    page.goto(f"{live_server.url}/offline/{pagoda.commune.code}/")
    page.wait_for_selector("#pack[data-state=saved]")
    assert page.locator("#pack-status").inner_text() == (
        "Bạn đang ngoại tuyến: các trang đã lưu được mở từ điện thoại này.")
    assert page.locator(".saved-mark:visible").count() == 3
    # Outside the pack, offline is offline.
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        page.goto(f"{live_server.url}/a/{sites['school'].code}")

    page.context.set_offline(False)
    # Online, with the worker in place: the page outside the pack comes from the server, and
    # an address no pack holds is not even seen by the worker.
    page.goto(f"{live_server.url}/a/{sites['school'].code}")
    assert page.locator("h1").inner_text() == sites["school"].name_vi
    assert not page.goto(f"{live_server.url}/search/?q=chua").from_service_worker
    page.goto(f"{live_server.url}/offline/{pagoda.commune.code}/")
    page.wait_for_selector("#pack[data-state=saved]")
    page.get_by_role("button", name="Xóa các trang đã lưu").click()
    page.wait_for_function("() => document.getElementById('pack-status').textContent"
                           ".includes('xóa')")
    assert page.locator(".saved-mark:visible").count() == 0
    # With no pack left, the worker is gone: the site is back to plain pages.
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.getRegistrations()).length === 0")
    page.screenshot(path=artifact("removed.png"), full_page=True)
