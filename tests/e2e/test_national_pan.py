"""The coverage map and the assets map over a national-like load (tests/national.py: tens
of thousands of hamlets and assets, thousands of sites, all synthetic, inside the Lạng Sơn
communes), panned in Chromium at three zooms with the default point limit: every tile
request is counted with its bytes, each tile stays ≤ 50 KB, none fails, the number of
requests per step is bounded by the tiles a screen holds, and no CSP violation occurs.
The figures per step go to test-artifacts/<test>/tiles.json beside the screenshots."""
import json
from pathlib import Path

import pytest

from tests.e2e.test_coverage_map import CSP_WATCH, IDLE, TileLog, no_tiles
from tests.national import national_assets, national_hamlets, national_sites

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HAMLETS, SITES, ASSETS = 40_000, 4_000, 40_000
TILE_BUDGET = 50_000
PAGE_BUDGET = 100_000  # the map page's first response, gzip
WIDTH, HEIGHT = 1366, 768
# A 1366×768 map needs at most 7 × 5 tiles of 256 px (one more each way when the edges
# fall inside tiles); Leaflet asks for one ring more (keepBuffer aside). Per layer shown.
TILES_PER_SCREEN = 8 * 5
# (zoom, centre, pans in px): each pan brings new tiles over the province into view (at
# z7 one tile holds all of it, so its pans only meet empty tiles around it).
ZOOMS = [(7, (21.85, 106.76), [(400, 250), (-300, 300)]),
         (10, (22.30, 106.30), [(500, 250), (400, 200)]),
         (14, (21.8530, 106.7610), [(400, 250), (-300, 300)])]


@pytest.fixture
def nation(geography):
    made = {"hamlets": national_hamlets(HAMLETS), "sites": national_sites(SITES),
            "assets": national_assets(ASSETS)}
    assert made["hamlets"] > 0.95 * HAMLETS and made["assets"] > 0.95 * ASSETS
    return made


def layers_shown(page) -> list[str]:
    return page.evaluate("() => Object.keys(QRMap.layers).filter(k => "
                         "QRMap.layers[k].qrmapTiles && QRMap.map.hasLayer(QRMap.layers[k]))")


def settle(page):
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE, timeout=60_000)


def step_of(page, log, name) -> dict:
    fetched = log.take()
    sizes = [size for _url, _status, size in fetched]
    return {"step": name, "requests": len(fetched), "bytes": sum(sizes),
            "largest": max(sizes, default=0),
            "failed": [url for url, status, _s in fetched if status not in (200, 204, 304)]}


def pan_at_three_zooms(page, log, artifact, prefix) -> list[dict]:
    log.take()
    steps = []
    for zoom, (lat, lon), pans in ZOOMS:
        page.evaluate(f"() => {{ QRMap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
        settle(page)
        steps.append({**step_of(page, log, f"z{zoom} open"), "zoom": zoom})
        for dx, dy in pans:
            page.evaluate(f"() => {{ QRMap.map.panBy([{dx}, {dy}], {{animate: false}}); }}")
            settle(page)
            steps.append({**step_of(page, log, f"z{zoom} pan {dx},{dy}"), "zoom": zoom})
        page.screenshot(path=artifact(f"{prefix}-z{zoom}.png"))
    return steps


def open_map(page_factory, live_server, path):
    page = page_factory(WIDTH, HEIGHT, locale="en-US")
    no_tiles(page)
    page.add_init_script(CSP_WATCH + "performance.setResourceTimingBufferSize(10000);")
    response = page.goto(live_server.url + path)
    assert response.status == 200
    settle(page)
    first = page.evaluate("() => performance.getEntriesByType('navigation')[0]"
                          ".encodedBodySize")
    return page, TileLog(page), first


def check(steps, layers: int):
    for step in steps:
        assert step["failed"] == [], step
        assert step["largest"] <= TILE_BUDGET, step
        assert 0 < step["requests"] <= layers * TILES_PER_SCREEN, step
        if "pan" in step["step"]:  # a pan asks only for the tiles that came into view
            assert step["requests"] <= layers * 3 * 8, step
    for zoom in (10, 14):  # the pans over the province brought features
        assert sum(s["bytes"] for s in steps if s["zoom"] == zoom and "pan" in s["step"])


def test_national_coverage_map_pans_at_three_zooms(live_server, page_factory, nation,
                                                   artifact):
    page, log, first = open_map(page_factory, live_server, "/maps/coverage/")
    assert 0 < first <= PAGE_BUDGET
    layers = layers_shown(page)
    assert sorted(layers) == ["communes", "hamlets_mobile", "sites"]
    steps = pan_at_three_zooms(page, log, artifact, "coverage")
    # What the hamlet tiles hold at each zoom: counts per commune, then single hamlets.
    kinds = page.evaluate("""() => { const l = QRMap.layers.hamlets_mobile; const k = {};
        Object.values(l._vectorTiles).forEach(t => Object.values(t._features).forEach(f => {
            const c = f.feature.properties.t != null ? 'counts' : 'hamlets';
            k[c] = (k[c] || 0) + 1; })); return k; }""")
    Path(artifact("tiles.json")).write_text(json.dumps(
        {"data": nation, "first_response_gzip": first, "steps": steps,
         "z14_features": kinds}, indent=1))
    print("coverage map, national load:", json.dumps(steps))
    check(steps, len(layers))
    assert kinds.get("hamlets", 0) > 0 and kinds.get("counts", 0) == 0  # z14: points
    assert page.evaluate("() => window.cspViolations") == []


def test_national_assets_map_pans_at_three_zooms(live_server, page_factory, nation,
                                                 artifact):
    page, log, first = open_map(page_factory, live_server, "/maps/assets/")
    assert 0 < first <= PAGE_BUDGET
    layers = layers_shown(page)
    assert sorted(layers) == ["assets", "outlines"]
    steps = pan_at_three_zooms(page, log, artifact, "assets")
    Path(artifact("tiles.json")).write_text(json.dumps(
        {"data": nation, "first_response_gzip": first, "steps": steps}, indent=1))
    print("assets map, national load:", json.dumps(steps))
    check(steps, len(layers))
    assert page.evaluate("() => window.cspViolations") == []
