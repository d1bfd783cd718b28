"""First paint of a map page on an emulated rural 3G link, in headless Chromium (Debian's
chromium driven by Playwright, as in tests/e2e) against gunicorn with production settings.

The link (Chrome DevTools Protocol, Network.emulateNetworkConditions): 400 ms round trip,
400 kbit/s down and 400 kbit/s up, the browser cache disabled, so each visit is a first
visit. The base map's raster tiles point at a closed local port (no internet in a bench;
they are pictures under the map, not what we measure). Per visit:

- FCP: the browser's first-contentful-paint (text of the page: title, figures, legend);
- first hamlet drawn: the first animation frame in which a hamlet is drawn, either as a
  mark of the page's overview (geodata.overview: one subpath per hamlet or per commune and
  status, counted from the path data where it falls inside the drawing's box) or as a
  feature of the hamlet layer (QRMap.count, for an inline layer and a tile layer alike);
- first hamlet from the map's own layer: the same, the map layer alone;
- load: the load event (scripts and CSS; tiles arrive after it).
"""
import contextlib
import os
import shutil
import statistics

RTT_MS = 400
DOWN_KBIT = UP_KBIT = 400
VIEWPORT = {"width": 360, "height": 740}  # a phone
VISITS = 3
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
# Runs in the page before its scripts: the times of the first frame with a hamlet drawn
# (overview or map) and of the first with one drawn by the map's hamlet layer, and how many
# overview marks were drawn then (and how many of those in the first screen). Each subpath
# of an overview path is one mark (a hamlet, or a commune's hamlets of one status); it counts
# when its path is rendered (not hidden, not display:none) and its starting point, through
# the SVG's transform to the page, lies inside the drawing's box. Like QRMap.count for the
# map's layer, this does not ask for the map's box to be in the first screen: on a 360×740
# phone the figures above put it just below, for both pages alike.
FIRST_HAMLET = """
(function () {
  function overviewMarks() {
    var n = 0, seen = 0;
    document.querySelectorAll("svg.qrmap-overview-marks").forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return;
      svg.querySelectorAll("path").forEach(function (path) {
        var shown = path.checkVisibility ? path.checkVisibility() : path.getClientRects().length;
        var toScreen = path.getScreenCTM();
        if (!shown || !toScreen) return;
        var x = 0, y = 0, moves = /([Mm])(-?[0-9.]+)[ ,]?(-?[0-9.]+)/g, found;
        while ((found = moves.exec(path.getAttribute("d")))) {
          var absolute = found[1] === "M";
          x = (absolute ? 0 : x) + Number(found[2]);
          y = (absolute ? 0 : y) + Number(found[3]);
          var p = new DOMPoint(x, y).matrixTransform(toScreen);
          if (p.x < box.left || p.x > box.right || p.y < box.top || p.y > box.bottom) continue;
          n += 1;
          if (p.x >= 0 && p.y >= 0 && p.x < innerWidth && p.y < innerHeight) seen += 1;
        }
      });
    });
    return [n, seen];
  }
  function mapHamlets() {
    try { return window.QRMap ? QRMap.count("hamlets_mobile") : 0; } catch (e) { return 0; }
  }
  (function poll() {
    var now = performance.now(), drawn = mapHamlets();
    var marks = window.__firstHamlet == null ? overviewMarks() : [0, 0];
    if (window.__firstHamlet == null && (marks[0] > 0 || drawn > 0)) {
      window.__firstHamlet = now;
      window.__overviewMarks = marks[0];
      window.__overviewMarksOnScreen = marks[1];
    }
    if (drawn > 0) {
      window.__firstMapHamlet = now;
      return;
    }
    requestAnimationFrame(poll);
  })();
})();
"""
DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("No chromium on PATH (Debian's chromium package).")


@contextlib.contextmanager
def dead_base_tiles():
    """The raster base map of the served pages at a closed port, for the server started
    inside this block."""
    before = os.environ.get("QRMAP_TILE_URL")
    os.environ["QRMAP_TILE_URL"] = DEAD_TILES
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("QRMAP_TILE_URL", None)
        else:
            os.environ["QRMAP_TILE_URL"] = before


def visit(browser, url: str) -> dict:
    """One first visit of url over the emulated link: fcp, hamlet and load in ms."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": RTT_MS,
            "downloadThroughput": DOWN_KBIT * 1000 / 8, "uploadThroughput": UP_KBIT * 1000 / 8})
        page.add_init_script(FIRST_HAMLET)
        page.goto(url, wait_until="load", timeout=180_000)
        page.wait_for_function("() => window.__firstMapHamlet != null", timeout=180_000)
        # A frame's marks are on screen at its paint, which is never before the first
        # contentful paint: a hamlet time is the later of its frame and that paint.
        return page.evaluate("""() => {
          const fcp = (performance.getEntriesByName("first-contentful-paint")[0] || {})
            .startTime;
          return {
            fcp: fcp, hamlet: Math.max(window.__firstHamlet, fcp),
            map_hamlet: Math.max(window.__firstMapHamlet, fcp),
            marks: window.__overviewMarks, marks_on_screen: window.__overviewMarksOnScreen,
            load: performance.getEntriesByType("navigation")[0].loadEventEnd,
            bytes: performance.getEntriesByType("resource").concat(
                performance.getEntriesByType("navigation")).reduce(
                (n, e) => n + (e.transferSize || 0), 0)}; }""")
    finally:
        context.close()


def first_paints(base_url: str, pages: dict[str, str]) -> dict[str, dict]:
    """{name: median fcp, hamlet, map_hamlet, load (ms), bytes and overview marks} over
    VISITS visits of each page,
    the pages taken in turn so that both meet the same machine load."""
    from playwright.sync_api import sync_playwright

    seen: dict[str, list[dict]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            for _ in range(VISITS):
                for name, path in pages.items():
                    seen[name].append(visit(browser, base_url + path))
        finally:
            browser.close()
    return {name: {key: round(statistics.median(v[key] for v in visits))
                   for key in ("fcp", "hamlet", "map_hamlet", "load", "bytes", "marks",
                               "marks_on_screen")}
            for name, visits in seen.items()}
