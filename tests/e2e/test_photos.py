"""A tourist on the asset page of a site with photos, in Chromium at phone and office size:
the first response stays within 15 KB gzip and costs no image; the one thumbnail (WebP)
loads only when scrolled to; it opens the gallery of the large photos."""
import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.access import SYSTEM
from assets.models import Asset
from assets.services.photos import asset_photo_add
from tests.assets.image_samples import camera_jpeg
from tests.e2e.test_offline_pack import WATCH
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def temple(geography, settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # the page caches its surroundings per asset
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_JOBS_INLINE = True  # each photo processed at once, as a worker would
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    asset = AssetFactory(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
        heritage_rank=Asset.HeritageRank.PROVINCIAL, heritage_year=1994,
        name_vi="Đền Kỳ Cùng", name_en="Ky Cung Temple", name_zh="奇穷庙",
        description_vi="Đền thờ bên bờ sông Kỳ Cùng, nổi tiếng với lễ hội đầu xuân. " * 3,
        opening_hours_vi="6:00–18:00 hằng ngày", fee_vi="Miễn phí",
        access_vi="Đi bộ 5 phút từ cầu Kỳ Lừa.", accessibility_vi="Có bậc thềm ở cổng.",
        location=Point(106.7566, 21.8473, srid=4326))
    PlaqueFactory(asset=asset)
    for seed, caption in ((1, "Cổng đền (ảnh minh họa)"), (2, "Sân đền"), (3, "")):
        asset_photo_add(user=SYSTEM, asset=asset, captions={"caption_vi": caption},
                        upload=SimpleUploadedFile("p.jpg", camera_jpeg(
                            1600, 1200, orientation=None, seed=seed), "image/jpeg"))
    return asset


def _media(page):
    return [url for url in page.requests.urls if "/media/" in url]


@pytest.mark.parametrize("width, height", [(360, 740), (1366, 768)], ids=["phone", "desktop"])
def test_the_photo_loads_only_when_scrolled_to_and_opens_the_gallery(
        live_server, page_factory, temple, artifact, width, height):
    page = page_factory(width, height)
    page.add_init_script(WATCH)
    first = temple.photos.all()[0]
    page.goto(f"{live_server.url}/Q/{temple.code}")
    assert page.locator("h1").inner_text() == "Đền Kỳ Cùng"
    # The first response, as it crossed the wire (gzip), within the budget.
    encoded = page.evaluate(
        "performance.getEntriesByType('navigation')[0].encodedBodySize")
    assert 0 < encoded <= 15 * 1024
    thumbnail = page.locator("figure.photo img")
    assert thumbnail.get_attribute("loading") == "lazy"
    assert thumbnail.get_attribute("alt") == "Cổng đền (ảnh minh họa)"
    # Nothing of the photo is fetched for the first screen (the photo lies below it).
    page.wait_for_load_state("load")
    assert _media(page) == []
    assert page.evaluate("document.querySelector('figure.photo img').currentSrc") == ""
    page.screenshot(path=artifact("first-screen.png"))
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("""() => { const img = document.querySelector('figure.photo img');
        return img.complete && img.naturalWidth > 0; }""")
    # Chromium takes the WebP source, once; the JPEG is for browsers without WebP.
    assert _media(page) == [f"{live_server.url}{first.thumb_webp.url}"]
    assert page.evaluate("document.querySelector('figure.photo img').currentSrc").endswith(
        first.thumb_webp.url)
    box = thumbnail.bounding_box()
    assert box["width"] <= 480 and abs(box["height"] / box["width"] - 0.75) < 0.02
    page.screenshot(path=artifact("thumbnail.png"))
    assert page.evaluate("window.__cspViolations") == []

    page.locator("#all-photos").click()
    page.wait_for_url(f"**/a/{temple.code}/photos/")
    assert page.locator("h1").inner_text() == "Ảnh Đền Kỳ Cùng"
    assert page.locator("figure img").count() == 3
    assert page.locator("figcaption").all_inner_texts() == [
        "Cổng đền (ảnh minh họa)", "Sân đền"]
    page.wait_for_function("""() => { const img = document.querySelector('figure img');
        return img.complete && img.naturalWidth === 1600; }""")
    page.screenshot(path=artifact("gallery.png"), full_page=True)
    assert page.evaluate("window.__cspViolations") == []
    page.locator("#back").click()
    assert page.locator("h1").inner_text() == "Đền Kỳ Cùng"
