"""A tourist at a plaque, in Chromium at phone and office sizes: the code read on the wall
leads, directions open the platform's maps, the link shares with a preview, and the chosen
language carries into the map. Screenshots go to the test artifacts."""
import pytest
from django.contrib.gis.geos import Point

from assets.models import Asset
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(360, 740), (1366, 768)]
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-A146P) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0 Mobile Safari/537.36")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def gate(geography):
    asset = AssetFactory(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.BORDER_GATE,
        name_vi="Cửa khẩu Hữu Nghị", name_en="Huu Nghi Border Gate", name_zh="友谊口岸",
        description_vi="Cửa khẩu quốc tế trên đường sang Bằng Tường.",
        location=Point(106.7566, 21.8473, srid=4326))
    for i in range(3):
        AssetFactory(location=Point(106.7566 + 0.002 * (i + 1), 21.8473, srid=4326))
    return asset


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(width, height, **options):
        options.setdefault("locale", "vi-VN")
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width, height", SIZES)
def test_a_plaque_scan_leads_with_the_plaque_and_gives_directions(
        live_server, context_factory, gate, artifact, width, height):
    plaque = PlaqueFactory(asset=gate)
    page = context_factory(width, height)
    page.goto(f"{live_server.url}/Q/{plaque.code}/")
    assert page.locator("#read-code").inner_text() == f"Biển QR {plaque.grouped_code}"
    assert page.locator("h1").inner_text() == "Cửa khẩu Hữu Nghị"
    # The plaque code is above the name, and both are on the first screen.
    read, name = page.locator("#read-code").bounding_box(), page.locator("h1").bounding_box()
    assert read["y"] < name["y"] < height
    assert page.get_by_text(f"mã {gate.grouped_code}").is_visible()
    directions = page.get_by_role("link", name="Chỉ đường")
    assert directions.is_visible()
    assert directions.get_attribute("href") == (
        "https://www.openstreetmap.org/directions?to=21.847300,106.756600")
    assert page.locator('a[data-route="geo"]').get_attribute("href").startswith(
        "geo:21.847300,106.756600")
    # OpenGraph and Twitter tags for the link previews of Zalo, Facebook and WeChat.
    assert page.locator('meta[property="og:title"]').get_attribute("content") == (
        "Cửa khẩu Hữu Nghị")
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert f"/a/{gate.code}/card.png?lang=vi&v=" in image
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image")
    card = page.request.get(f"{live_server.url}/a/{gate.code}/card.png?lang=vi")
    assert card.status == 200 and card.headers["content-type"] == "image/png"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifact(f"plaque-scan-{width}.png"), full_page=True)


@pytest.mark.parametrize("agent, route", [(IPHONE, "apple"), (ANDROID, "google")])
def test_directions_open_the_platforms_own_maps(live_server, context_factory, gate, artifact,
                                                agent, route):
    page = context_factory(360, 740, user_agent=agent)
    page.goto(f"{live_server.url}/Q/{gate.code}")
    directions = page.locator("#directions")
    page.wait_for_function("document.getElementById('directions').dataset.route")
    expected = page.locator(f'a[data-route="{route}"]:not(#directions)').get_attribute("href")
    assert directions.get_attribute("href") == expected
    assert expected.startswith("https://")
    page.screenshot(path=artifact(f"directions-{route}-360.png"))


@pytest.mark.parametrize("width, height", SIZES)
def test_the_share_button_copies_the_link_and_the_page_reads_without_scripts(
        live_server, context_factory, gate, artifact, width, height):
    page = context_factory(width, height, permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/Q/{gate.code}?lang=en")
    share = page.get_by_role("button", name="Share")
    assert share.is_visible()
    page.evaluate("delete Navigator.prototype.share")  # the fallback, as on most desktops
    share.click()
    page.wait_for_function("document.getElementById('share-status').textContent !== ''")
    assert page.locator("#share-status").inner_text() == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/a/{gate.code}?lang=en")
    page.screenshot(path=artifact(f"share-copied-{width}.png"))

    bare = context_factory(width, height, java_script_enabled=False)
    bare.goto(f"{live_server.url}/Q/{gate.code}?lang=en")
    assert bare.locator("h1").inner_text() == "Huu Nghi Border Gate"
    assert not bare.get_by_role("button", name="Share").is_visible()
    assert bare.get_by_role("link", name="Directions").get_attribute("href").startswith(
        "https://www.openstreetmap.org/directions?to=")
    bare.screenshot(path=artifact(f"no-script-{width}.png"), full_page=True)


@pytest.mark.parametrize("width, height", SIZES)
def test_the_chosen_language_is_kept_into_the_map(live_server, context_factory, gate,
                                                  artifact, width, height):
    page = context_factory(width, height)
    page.goto(f"{live_server.url}/Q/{gate.code}")
    page.get_by_role("link", name="中文").click()
    assert page.locator("h1").inner_text() == "友谊口岸"
    assert page.get_by_text("谅山省").first.is_visible()
    page.get_by_role("link", name="打开地图").click()
    page.wait_for_url("**/maps/assets/**")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "友谊口岸" in page.locator("h1").inner_text()
    assert page.locator('.lang a[aria-current="true"]').inner_text() == "中文"
    page.screenshot(path=artifact(f"map-zh-{width}.png"))
    # The switch on the map keeps the map and its focus.
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert f"focus={gate.code}" in page.url
    assert "Huu Nghi Border Gate" in page.locator("h1").inner_text()


def test_a_missing_page_answers_in_the_language_with_navigation(live_server, context_factory,
                                                                  artifact):
    page = context_factory(360, 740, locale="zh-CN")
    response = page.goto(f"{live_server.url}/no/such/page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Page not found"
    page.screenshot(path=artifact("404-en-360.png"), full_page=True)
    page.get_by_role("link", name="Search").first.click()
    assert page.url.endswith("/search/?lang=en")
