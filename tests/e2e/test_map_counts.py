"""Counts drawn on the maps' canvas (hamlets per commune, clusters of assets) are named for
a screen reader and reached by the keyboard: a button over each, labelled with what it
counts, whose Enter does what a click does (a commune's popup; a cluster zooms in)."""
import re

import pytest

from tests.e2e.test_asset_map import city_assets, map_page  # noqa: F401
from tests.e2e.test_coverage_map import IDLE, demo, tile_page  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUTTONS = """(layer) => Array.from(document.querySelectorAll('.qrmap-count')).map(b => [
    b.getAttribute('role'), b.getAttribute('aria-label'), b.tabIndex])"""


def test_commune_counts_are_named_and_open_by_keyboard(
        live_server, page_factory, demo, settings, artifact):  # noqa: F811
    settings.QRMAP_TILE_POINT_LIMIT = 400  # counts per commune at the province's zoom
    page, _log = tile_page(page_factory, live_server)
    page.wait_for_function("() => document.querySelectorAll('.qrmap-count').length > 10")
    buttons = page.evaluate(BUTTONS)
    labels = [label for _r, label, _t in buttons]
    assert all(role == "button" and tab == 0 for role, _l, tab in buttons)
    assert all(re.fullmatch(r"[\d,]+ hamlets? without 3G/4G in \S.*", label) for label in labels)
    assert any(label.startswith("0 hamlets") for label in labels) or len(labels) > 10
    first = page.locator(".qrmap-count").first
    first.focus()
    page.screenshot(path=artifact("count-focused.png"))
    commune = re.search(r" in (.+)$", first.get_attribute("aria-label")).group(1)
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert commune in popup.inner_text()
    # The popup has the focus (its link to the commune).
    assert page.evaluate("!!document.activeElement.closest('.leaflet-popup')")


def test_asset_clusters_are_named_and_zoom_in_by_keyboard(live_server, page_factory,
                                                          city_assets, settings):  # noqa: F811
    settings.QRMAP_TILE_POINT_LIMIT = 10
    page = map_page(page_factory, live_server)
    page.wait_for_function("() => document.querySelectorAll('.qrmap-count').length > 0")
    labels = [label for _r, label, _t in page.evaluate(BUTTONS)]
    assert sum(int(re.match(r"(\d+) places, zoom in$", label).group(1))
               for label in labels) == 40
    zoom = page.evaluate("() => QRMap.map.getZoom()")
    page.locator(".qrmap-count").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => QRMap.map.getZoom() > {zoom}")
