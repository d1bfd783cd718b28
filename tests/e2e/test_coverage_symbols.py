"""The coverage map tells a hamlet's status by shape as well as by colour, in Chromium: the
canvas draws triangles for 3G/4G gaps and circles for covered hamlets (read back from the
canvas pixels), broadband marks are other shapes under them, and the legend shows the same
shapes for the themes that are on."""
import pytest

from geodata.map_symbols import BROADBAND, MOBILE, SVG_PATHS
from geodata.models import Hamlet
from tests.e2e.test_coverage_map import IDLE, demo, layer_on, tile_page  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every single hamlet drawn in a theme's loaded tiles: its status code, the shape drawn, and
# whether a pixel inside a triangle but outside a circle of the mark's radius is painted
# (sampled only where no other mark is near).
DRAWN = """(key) => {
  const layer = QRMap.layers[key], field = key === "hamlets_mobile" ? "m" : "b", out = [];
  Object.values(layer._vectorTiles).forEach(tile => {
    const marks = Object.values(tile._features).map(f => f.feature)
      .filter(f => f.properties.t == null && f._point);
    marks.forEach(f => {
      const r = f._radius, p = f._point;
      const alone = marks.every(o => o === f || o._point.distanceTo(p) > 4 * r);
      // Thick outlines (a disagreement) reach that pixel on a circle too: not sampled.
      const inside = alone && f.options.weight <= 1 && p.x > 2 * r && p.y > 2 * r
        && p.x < 254 - 2 * r && p.y < 254 - 2 * r;
      const alpha = inside ? tile._ctx.getImageData(Math.round(p.x - 0.9 * r),
                                                    Math.round(p.y + 0.7 * r), 1, 1).data[3]
                           : null;
      out.push([f.properties[field], f.options.shape, f.options.fillColor, alpha]);
    });
  });
  return out;
}"""


def test_statuses_have_shapes_on_the_canvas_and_in_the_legend(
        live_server, page_factory, demo, artifact):  # noqa: F811
    commune = (Hamlet.objects.filter(mobile_status="no", broadband_status="no")
               .values_list("commune__code", flat=True).first())
    page, _log = tile_page(page_factory, live_server, f"/maps/coverage/?commune={commune}")
    page.locator(".leaflet-control-layers").get_by_text("Hamlets: broadband").click()
    assert layer_on(page, "hamlets_mobile") and layer_on(page, "hamlets_broadband")
    page.wait_for_function("() => QRMap.count('hamlets_broadband') > 0")
    page.wait_for_function(IDLE)
    page.screenshot(path=artifact("coverage-both-themes.png"))

    mobile = page.evaluate(DRAWN, "hamlets_mobile")
    broadband = page.evaluate(DRAWN, "hamlets_broadband")
    assert {code for code, *_ in mobile} >= {"Y", "N"}
    for code, shape, fill, _alpha in mobile:
        assert (shape or "circle", fill) == (MOBILE[code].shape, MOBILE[code].fill)
    for code, shape, fill, _alpha in broadband:
        assert (shape, fill) == (BROADBAND[code].shape, BROADBAND[code].fill)
    assert {shape for _c, shape, *_ in broadband} >= {"square", "diamond"}
    # The canvas holds triangles: painted where a circle of that radius would not be.
    sampled = {code: [alpha for c, _s, _f, alpha in mobile if c == code and alpha is not None]
               for code in ("Y", "N")}
    # (A circle's antialiased outline may tint that pixel a little; a triangle fills it.)
    assert sampled["N"] and all(alpha > 200 for alpha in sampled["N"]), sampled
    assert sampled["Y"] and all(alpha < 150 for alpha in sampled["Y"]), sampled

    # The legend: the same shapes and colours, and the two themes together.
    legend = page.locator(".qrmap-legend")
    for key, table, codes in (("hamlets_mobile", MOBILE, "YynN"),
                              ("hamlets_broadband", BROADBAND, "YNU")):
        section = legend.locator(f'[data-layer="{key}"]')
        assert section.is_visible()
        drawn = section.locator("svg.sym path").evaluate_all(
            "paths => paths.map(p => [p.getAttribute('d'), p.getAttribute('fill')])")
        expected = [[SVG_PATHS[table[code].shape], table[code].fill] for code in codes]
        assert drawn[:len(codes)] == expected
    both = legend.locator('[data-layer="hamlets_mobile hamlets_broadband"]')
    assert both.is_visible() and both.locator("path").count() == 2
    legend.screenshot(path=artifact("legend-both-themes.png"))
    page.locator(".leaflet-control-layers").get_by_text("Hamlets: 3G/4G").click()
    assert not both.is_visible()
