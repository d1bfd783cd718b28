"""The coverage map's overview (geodata.overview) in headless Chromium: the hamlets are on
screen with no script at all, stay readable and pinned to the map when every tile request
fails, and give way to the tiles once those draw."""
import re

import pytest

from geodata.coverage import coverage_figures
from tests.e2e.test_coverage_map import CSP_WATCH, IDLE, demo, no_tiles  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The centre of each mark on screen: each subpath starts at the offset of its shape from
# the centre (`offsets`, in viewBox units), the first with M, the next relative to the
# previous start (m); through the SVG's own transform to the page.
MARKS_ON_SCREEN = """(offsets) => {
  const found = {};
  document.querySelectorAll("svg.qrmap-overview-marks path").forEach(path => {
    const status = path.getAttribute("class").replace("qo-", ""), [dx, dy] = offsets[status];
    const toScreen = path.getScreenCTM(), points = [];
    let x = 0, y = 0;
    for (const m of path.getAttribute("d").matchAll(/([Mm])(-?\\d+)[ ,]?(-?\\d+)/g)) {
      x = (m[1] === "M" ? 0 : x) + Number(m[2]);
      y = (m[1] === "M" ? 0 : y) + Number(m[3]);
      const p = new DOMPoint(x - dx, y - dy).matrixTransform(toScreen);
      points.push([p.x, p.y]);
    }
    found[status] = points;
  });
  return found;
}"""
OFFSETS = {"covered": [-5, 0], "mobile": [0, -7], "broadband": [-5, -5], "both": [0, -7]}
ON_SCREEN = """(points) => points.map(([lat, lon]) => {
  const p = QRMap.map.latLngToContainerPoint([lat, lon]);
  const box = QRMap.map.getContainer().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y]; })"""


def status(row) -> str:
    mobile, broadband = not row.mobile_covered, row.broadband_gap
    return {(False, False): "covered", (True, False): "mobile", (False, True): "broadband",
            (True, True): "both"}[(mobile, broadband)]


def test_hamlets_show_before_any_script(live_server, browser, demo, artifact):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/maps/coverage/")
        drawing = page.get_by_role("img", name="Thôn, bản theo mức phủ sóng")
        assert drawing.is_visible()
        marks = page.evaluate(MARKS_ON_SCREEN, OFFSETS)
        assert sum(len(points) for points in marks.values()) == 1650
        assert page.locator(".qrmap-overview-key").is_visible()
        page.screenshot(path=artifact("overview-no-script-360.png"), full_page=True)
    finally:
        context.close()


def test_with_tiles_failing_the_overview_stays_on_the_map(
        live_server, page_factory, demo, artifact):  # noqa: F811
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.route(re.compile(r"/tiles/"), lambda route: route.abort())
    page.add_init_script(CSP_WATCH)
    page.goto(live_server.url + "/maps/coverage/")
    page.wait_for_function("() => window.QRMap && QRMap.map")
    page.wait_for_timeout(1500)  # the failed tiles have come back
    # Pinned to the map by Leaflet, named for assistive technology.
    drawing = page.get_by_role("img", name="Hamlets by coverage")
    assert drawing.is_visible()
    assert page.locator(".leaflet-overlay-pane svg.qrmap-overview-marks").count() == 1
    assert page.evaluate("() => QRMap.count('hamlets_mobile')") == 0
    key = page.locator(".qrmap-overview-key")
    gaps = [row for row in coverage_figures().hamlets if status(row) == "mobile"]
    assert key.is_visible() and f"Without 3G/4G: {len(gaps):,}" in key.inner_text()
    page.screenshot(path=artifact("overview-tiles-failing.png"))

    def check_places():
        marks = page.evaluate(MARKS_ON_SCREEN, OFFSETS)
        assert len(marks["mobile"]) == len(gaps)
        expected = page.evaluate(ON_SCREEN, [[row.lat, row.lon] for row in gaps])
        for x, y in expected:  # where the map puts the hamlet, within 2 px
            assert min(abs(x - mx) + abs(y - my) for mx, my in marks["mobile"]) <= 2

    check_places()
    # A pan and a zoom take the overview along: every mark stays on its hamlet.
    page.evaluate("() => QRMap.map.setView([21.85, 106.76], 11, {animate: false})")
    page.evaluate("() => QRMap.map.panBy([150, -90], {animate: false})")
    page.wait_for_timeout(300)
    check_places()
    assert page.evaluate("() => window.cspViolations") == []
    page.screenshot(path=artifact("overview-tiles-failing-z11.png"))


def test_the_overview_gives_way_once_the_hamlet_tiles_draw(
        live_server, page_factory, demo, artifact):  # noqa: F811
    page = page_factory(360, 740)
    no_tiles(page)
    page.add_init_script(CSP_WATCH)
    page.goto(live_server.url + "/maps/coverage/")
    page.wait_for_function("() => window.QRMap && QRMap.count('hamlets_mobile') > 0")
    page.wait_for_function(IDLE)
    assert page.locator("svg.qrmap-overview-marks").count() == 0
    assert page.locator("[data-qrmap-overview]").is_hidden()
    assert page.locator(".leaflet-overlay-pane path").count() == 0
    assert page.evaluate("() => window.cspViolations") == []
    page.screenshot(path=artifact("overview-replaced-by-tiles-360.png"))
