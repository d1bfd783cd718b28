"""The assets map in headless Chromium: clusters, kinds as layers, focus on one code."""
import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from assets.models import Asset
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE_HOST = urlparse(settings.QRMAP_TILE_URL.replace("{s}", "a")).netloc


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


def test_assets_cluster_and_a_focused_code_opens_its_popup(
    live_server, page_factory, city_assets, artifact
):
    page = page_factory(1366, 768, locale="en-US")
    page.route(re.compile(r"^https?://" + re.escape(TILE_HOST)), lambda route: route.abort())
    page.goto(live_server.url + "/maps/assets/")
    page.wait_for_function("() => window.QRMap && QRMap.cluster")
    total = page.evaluate("() => ['street', 'public_work', 'heritage']"
                          ".reduce((n, k) => n + QRMap.count('assets_' + k), 0)")
    assert total == 40
    # At province zoom the 40 points fold into a few cluster icons.
    clusters = page.locator(".marker-cluster").count()
    assert 1 <= clusters < 10
    page.screenshot(path=artifact("assets-map-province.png"))
    control = page.locator(".leaflet-control-layers")
    control.get_by_text("Heritage or scenic site").click()
    assert not page.evaluate("() => QRMap.map.hasLayer(QRMap.layers.assets_heritage)")

    temple = next(a for a in city_assets if a.kind == Asset.Kind.HERITAGE)
    page.goto(f"{live_server.url}/maps/assets/?focus={temple.code.lower()}")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Place" in popup.inner_text()
    link = popup.locator("a")
    assert link.get_attribute("href") == f"/a/{temple.code}"
    page.screenshot(path=artifact("assets-map-focus.png"))
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
