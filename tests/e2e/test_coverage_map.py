"""The coverage map and the planner dashboard in headless Chromium at 1366×768."""
import csv
import io
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from geodata.models import CellSite, Hamlet
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE_HOST = urlparse(settings.QRMAP_TILE_URL.replace("{s}", "a")).netloc


@pytest.fixture
def demo(geography):
    call_command("qrmap_load_demo", verbosity=0)


def no_tiles(page):
    """No internet here: tile requests fail, as on a LAN without one."""
    page.route(re.compile(r"^https?://" + re.escape(TILE_HOST)), lambda route: route.abort())


def layer_on(page, key):
    return page.evaluate(f"() => QRMap.map.hasLayer(QRMap.layers['{key}'])")


# Every CSP violation of the page, kept where the test can read it.
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(
    e.violatedDirective + " " + e.blockedURI));
"""
IDLE = ("() => !QRMap.map._animatingZoom && Object.values(QRMap.layers).every("
        "l => !QRMap.map.hasLayer(l) || !l.isLoading || !l.isLoading())")


class TileLog:
    """The vector tiles a page fetched (URL, status, body bytes), from the browser's own
    resource timing entries."""

    def __init__(self, page):
        self.page = page

    def take(self):
        taken = self.page.evaluate("""() => {
            const found = performance.getEntriesByType("resource")
                .filter(e => e.name.includes("/tiles/") && e.name.endsWith(".pbf"))
                .map(e => [e.name, e.responseStatus, e.encodedBodySize]);
            performance.clearResourceTimings();
            return found; }""")
        return [tuple(entry) for entry in taken]


def tile_page(page_factory, live_server, path="/maps/coverage/"):
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.add_init_script(CSP_WATCH + "performance.setResourceTimingBufferSize(5000);")
    log = TileLog(page)
    page.goto(live_server.url + path)
    page.wait_for_function("() => window.QRMap && QRMap.map && QRMap.count('communes') > 0")
    page.wait_for_function(IDLE)
    return page, log


def test_coverage_map_draws_every_theme_from_vector_tiles(
    live_server, page_factory, demo, artifact
):
    page, log = tile_page(page_factory, live_server)
    counts = page.evaluate("() => Object.fromEntries(Object.keys(QRMap.layers)"
                           ".map(k => [k, QRMap.count(k)]))")
    # The province view: every hamlet, site and commune, drawn from the tiles on canvas.
    assert counts["hamlets_mobile"] == Hamlet.objects.count() == 1650
    assert counts["communes"] == 65
    assert counts["sites"] == CellSite.objects.active().filter(coverage_radius_m__gt=0).count()
    assert counts["hamlets_broadband"] == 0  # switched off: its tiles are not fetched
    assert page.locator(".leaflet-overlay-pane path, .leaflet-marker-pane > *").count() == 0
    assert page.locator(".leaflet-tile-container canvas").count() > 0
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
    assert page.evaluate("() => window.cspViolations") == []
    page.screenshot(path=artifact("coverage-map-1366.png"))

    # The legend shows the 3G/4G colours; the broadband section only with its layer.
    legend = page.locator(".qrmap-legend")
    assert legend.is_visible()
    assert legend.locator('[data-layer="hamlets_mobile"]').is_visible()
    assert not legend.locator('[data-layer="hamlets_broadband"]').is_visible()

    # The layer control switches the hamlets from 3G/4G to broadband.
    control = page.locator(".leaflet-control-layers")
    control.get_by_text("Hamlets: broadband").click()
    control.get_by_text("Hamlets: 3G/4G").click()
    assert layer_on(page, "hamlets_broadband") and not layer_on(page, "hamlets_mobile")
    page.wait_for_function(IDLE)
    assert page.evaluate("() => QRMap.count('hamlets_broadband')") == 1650
    assert legend.locator('[data-layer="hamlets_broadband"]').is_visible()
    assert not legend.locator('[data-layer="hamlets_mobile"]').is_visible()
    control.get_by_text("Cell sites").click()
    assert not layer_on(page, "sites")
    assert not legend.locator('[data-layer="sites"]').is_visible()
    page.screenshot(path=artifact("coverage-map-broadband.png"))


def test_panning_and_zooming_fetch_small_tiles_with_no_csp_violation(
    live_server, page_factory, demo, artifact, settings
):
    # A lower point limit than the default, so that the demo's 1,650 hamlets show what a
    # nation does at low zoom: one circle per commune.
    settings.QRMAP_TILE_POINT_LIMIT = 400
    page, log = tile_page(page_factory, live_server)
    log.take()
    steps = {}
    for zoom, lat, lon in ((7, 21.85, 106.76), (12, 21.85, 106.76), (15, 21.8530, 106.7610)):
        page.evaluate(f"() => {{ QRMap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
        page.wait_for_timeout(100)
        page.wait_for_function(IDLE)
        page.evaluate("() => { QRMap.map.panBy([200, 120], {animate: false}); }")
        page.wait_for_timeout(100)
        page.wait_for_function(IDLE)
        fetched = log.take()
        steps[zoom] = {
            "requests": len(fetched), "bytes": sum(size for _u, _s, size in fetched),
            "largest": max((size for _u, _s, size in fetched), default=0),
            "failed": [u for u, status, _size in fetched if status not in (200, 204, 304)],
            "hamlets": page.evaluate("() => QRMap.count('hamlets_mobile')"),
            "aggregates": page.evaluate("""() => {
                const l = QRMap.layers.hamlets_mobile; let n = 0;
                Object.values(l._vectorTiles).forEach(t => Object.values(t._features)
                    .forEach(f => { if (f.feature.properties.t != null) n++; }));
                return n; }"""),
        }
        page.screenshot(path=artifact(f"coverage-z{zoom}.png"))
    print("tiles per step:", steps)
    for zoom, step in steps.items():
        assert 0 < step["requests"] <= 120 and step["failed"] == [], (zoom, step)
        assert step["largest"] <= 50_000, (zoom, step)
        assert step["hamlets"] > 0, (zoom, step)
    assert steps[7]["aggregates"] > 0  # counts per commune when zoomed out
    assert steps[15]["aggregates"] == 0  # single hamlets when zoomed in
    assert page.evaluate("() => window.cspViolations") == []


def test_a_hamlet_popup_fetches_its_details(live_server, page_factory, demo, artifact):
    hamlet = Hamlet.objects.filter(mobile_status="no").select_related("commune").first()
    page, log = tile_page(page_factory, live_server,
                          f"/maps/coverage/?commune={hamlet.commune.code}")
    page.evaluate(f"() => {{ QRMap.map.setView([{hamlet.location.y}, {hamlet.location.x}],"
                  " 15, {animate: false}); }")
    page.wait_for_timeout(100)
    page.wait_for_function(IDLE)
    point = page.evaluate(
        """([lat, lon]) => {
            const p = QRMap.map.latLngToContainerPoint([lat, lon]);
            const box = QRMap.map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""", [hamlet.location.y, hamlet.location.x])
    with page.expect_response(lambda r: "/tiles/hamlets/features/" in r.url) as detail:
        page.mouse.click(point["x"], point["y"])
    assert detail.value.status == 200
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert hamlet.name in text and hamlet.commune.name in text
    assert str(hamlet.population) in re.sub(r"\D", "", text)
    assert "gap (declared)" in text
    assert page.evaluate("() => window.cspViolations") == []
    page.screenshot(path=artifact("coverage-popup.png"))


def test_the_page_still_reads_when_tiles_fail(live_server, page_factory, demo):
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.route(re.compile(r"/tiles/"), lambda route: route.abort())
    page.goto(live_server.url + "/maps/coverage/")
    page.wait_for_function("() => window.QRMap && QRMap.map")
    assert page.locator("#fig-mobile-gaps").inner_text() == "268"
    assert page.locator(".qrmap-legend").is_visible()
    assert page.locator("select[name=commune] option").count() > 65


def test_dashboard_table_matches_the_command_and_prints(
    live_server, desktop_page, demo, artifact, celery_worker
):
    user = UserFactory(username="planner-e2e")
    user.user_permissions.add(Permission.objects.get(codename="view_hamlet"))
    client = Client()
    client.force_login(user)
    page = desktop_page
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    no_tiles(page)
    page.goto(live_server.url + "/planning/")
    page.wait_for_function("() => window.QRMap && QRMap.count('hamlets_mobile') > 0")
    out = StringIO()
    call_command("qrmap_coverage", "--format", "csv", stdout=out)
    expected = {row["code"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    shown = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#commune-table tbody tr')).map(tr => [tr.dataset.code,
        tr.querySelector('[data-col=mobile_gap_hamlets]').textContent,
        tr.querySelector('[data-col=broadband_gap_hamlets]').textContent])""")
    assert len(shown) == 66  # 65 communes and the province
    for code, mobile, broadband in shown:
        assert re.sub(r"\D", "", mobile) == expected[code]["mobile_gap_hamlets"]
        assert re.sub(r"\D", "", broadband) == expected[code]["broadband_gap_hamlets"]
    assert expected["20"]["mobile_gap_hamlets"] == "268"
    assert expected["20"]["broadband_gap_hamlets"] == "405"
    assert page.locator("#fig-mobile-gaps").inner_text() == "268"
    page.screenshot(path=artifact("dashboard-1366.png"), full_page=True)

    # Proposal: three sites drawn on the map and listed. Province-wide it is above the inline
    # limit: the worker computes it and the page shows the result once it is there.
    page.fill("#id_k", "3")
    page.get_by_role("button", name=re.compile("Propose|Đề xuất")).click()
    page.wait_for_function("() => window.QRMap && QRMap.count('planned') === 3")
    assert page.locator("#proposal-result tbody tr").count() == 3
    page.screenshot(path=artifact("dashboard-proposal.png"), full_page=True)

    page.goto(live_server.url + "/planning/print/")
    page.wait_for_function("() => window.QRMap && QRMap.count('communes') === 65")
    assert page.locator(".qrmap-legend").is_visible()
    assert page.locator(".leaflet-control-layers").count() == 0
    page.emulate_media(media="print")
    page.screenshot(path=artifact("print-view.png"), full_page=True)
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
