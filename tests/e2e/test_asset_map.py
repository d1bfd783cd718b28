"""The assets map in headless Chromium, from the assets vector tiles: kinds as switches,
clusters (counts) that zoom in, popups fetched on click, focus on one code."""
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from assets.models import Asset
from geodata.models import AdminUnit
from tests.e2e.test_coverage_map import CSP_WATCH, IDLE, no_tiles
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE_HOST = urlparse(settings.QRMAP_TILE_URL.replace("{s}", "a")).netloc
KINDS = ["street", "public_work", "heritage"]
COUNTED = """() => { const l = QRMap.layers.assets; let n = 0;
    Object.values(l._vectorTiles).forEach(t => Object.values(t._features)
        .forEach(f => { if (f.feature.properties.n != null) n++; }));
    return n; }"""


@pytest.fixture
def city_assets(geography):
    made = []
    for i in range(40):
        kind, category = [(Asset.Kind.STREET, Asset.Category.STREET),
                          (Asset.Kind.PUBLIC_WORK, Asset.Category.MARKET),
                          (Asset.Kind.HERITAGE, Asset.Category.PAGODA)][i % 3]
        made.append(AssetFactory(kind=kind, category=category, name_vi=f"Điểm {i}",
                                 name_en=f"Place {i}",
                                 location=Point(106.75 + (i % 8) * 0.002,
                                                21.84 + (i // 8) * 0.002)))
    return made


def map_page(page_factory, live_server, path="/maps/assets/"):
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.add_init_script(CSP_WATCH)
    page.goto(live_server.url + path)
    page.wait_for_function("() => window.QRMap && QRMap.layers.assets")
    page.wait_for_function(IDLE)
    return page


def click_at(page, lon, lat):
    point = page.evaluate(
        """([lat, lon]) => {
            const p = QRMap.map.latLngToContainerPoint([lat, lon]);
            const box = QRMap.map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""", [lat, lon])
    page.mouse.click(point["x"], point["y"])


def test_assets_come_from_tiles_with_kinds_popups_and_focus(
    live_server, page_factory, city_assets, artifact
):
    page = map_page(page_factory, live_server)
    page.wait_for_function("() => QRMap.count('assets') === 40")
    by_kind = page.evaluate(f"() => {KINDS}.map(k => QRMap.count('assets_' + k))")
    assert by_kind == [14, 13, 13]
    assert page.locator(".leaflet-overlay-pane path, .leaflet-marker-pane > *").count() == 0
    page.screenshot(path=artifact("assets-map-province.png"))

    # A kind switched off is not drawn, and its legend line goes.
    control = page.locator(".leaflet-control-layers")
    control.get_by_text("Heritage or scenic site").click()
    assert not page.evaluate("() => QRMap.map.hasLayer(QRMap.layers.assets_heritage)")
    page.wait_for_function(IDLE)
    assert page.evaluate("() => QRMap.count('assets_heritage')") == 0
    assert not page.locator('.qrmap-legend [data-layer="assets_heritage"]').is_visible()
    control.get_by_text("Heritage or scenic site").click()

    # A click on an asset fetches its details, in the page's language.
    temple = next(a for a in city_assets if a.kind == Asset.Kind.HERITAGE)
    page.evaluate(f"() => QRMap.map.setView([{temple.location.y}, {temple.location.x}], 17,"
                  " {animate: false})")
    page.wait_for_timeout(100)
    page.wait_for_function(IDLE)
    with page.expect_response(lambda r: "/tiles/assets/features/" in r.url) as detail:
        click_at(page, temple.location.x, temple.location.y)
    assert detail.value.status == 200 and "lang=en" in detail.value.url
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert temple.name_en in popup.inner_text()
    assert popup.locator("a").get_attribute("href") == f"/a/{temple.code}"
    # The popup takes the focus on its link, so a keyboard can follow it at once.
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/a/{temple.code}"

    page.goto(f"{live_server.url}/maps/assets/?focus={temple.code.lower()}")
    popup.wait_for()
    assert temple.name_en in popup.inner_text()
    assert popup.locator("a").get_attribute("href") == f"/a/{temple.code}"
    page.screenshot(path=artifact("assets-map-focus.png"))
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
    assert page.evaluate("() => window.cspViolations") == []


def test_counted_assets_zoom_in_when_clicked(live_server, page_factory, city_assets,
                                             settings, artifact):
    settings.QRMAP_TILE_POINT_LIMIT = 10  # 40 assets: counts per commune at province zoom
    page = map_page(page_factory, live_server)
    page.wait_for_function(f"() => ({COUNTED})() > 0")
    by_kind = page.evaluate(f"() => {KINDS}.map(k => QRMap.count('assets_' + k))")
    assert by_kind == [0, 0, 0]  # no single asset yet
    page.screenshot(path=artifact("assets-map-counts.png"))
    counted = page.evaluate("""() => { const l = QRMap.layers.assets, by = {};
        Object.values(l._vectorTiles).forEach(t => Object.values(t._features).forEach(f => {
            const p = f.feature.properties;
            if (p.n != null) by[p.$id] = p; }));
        return Object.values(by); }""")
    assert sum(p["n"] for p in counted) == 40
    assert sum(p["n_heritage"] for p in counted) == 13
    zoom = page.evaluate("() => QRMap.map.getZoom()")
    # The commune's count sits on its label point: a click there zooms in.
    commune = AdminUnit.objects.get(pk=max(counted, key=lambda p: p["n"])["$id"])
    label = commune.label_point or commune.boundary.point_on_surface
    click_at(page, label.x, label.y)
    page.wait_for_function(f"() => QRMap.map.getZoom() > {zoom}")
    assert page.evaluate("() => window.cspViolations") == []


@pytest.mark.parametrize("size", [(360, 740), (1366, 768)], ids=["phone", "desktop"])
def test_no_tile_is_refused_at_phone_or_office_size(live_server, page_factory, city_assets,
                                                    size, artifact):
    """At 360 px the fitted map sits at a fractional zoom (8.25): a kind switch's redraw
    asked for /tiles/assets/8.25/... (400) until the tiles' zoom was rounded."""
    page = page_factory(*size, locale="en-US")
    no_tiles(page)
    refused = []
    page.on("response", lambda r: refused.append(f"{r.status} {r.url}")
            if "/tiles/" in r.url and 400 <= r.status < 500 else None)
    page.goto(live_server.url + "/maps/assets/")
    page.wait_for_function("() => window.QRMap && QRMap.layers.assets")
    page.wait_for_function("() => QRMap.count('assets') === 40")
    # A kind switched off and on again redraws the tiles at the map's zoom.
    page.evaluate("() => QRMap.map.removeLayer(QRMap.layers.assets_heritage)")
    page.wait_for_function("() => QRMap.count('assets_heritage') === 0")
    page.evaluate("() => QRMap.map.addLayer(QRMap.layers.assets_heritage)")
    page.wait_for_function("() => QRMap.count('assets') === 40")
    page.wait_for_function(IDLE)
    page.screenshot(path=artifact(f"assets-map-{size[0]}.png"))
    assert refused == []
    zoom = page.evaluate("() => QRMap.map.getZoom()")
    if size[0] == 360:
        assert zoom != round(zoom)  # what made the fractional tile zoom
