"""First paint of a map page on an emulated rural 3G link, in headless Chromium (Debian's
chromium driven by Playwright, as in tests/e2e) against gunicorn with production settings.

The link (Chrome DevTools Protocol, Network.emulateNetworkConditions): 400 ms round trip,
400 kbit/s down and 400 kbit/s up, the browser cache disabled, so each visit is a first
visit. The base map's raster tiles point at a closed local port (no internet in a bench;
they are pictures under the map, not what we measure). Per visit:

- FCP: the browser's first-contentful-paint (text of the page: title, figures, legend);
- first hamlet drawn: the first animation frame in which the hamlet layer holds a feature
  (QRMap.count, for an inline layer and a tile layer alike);
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
# Runs in the page before its scripts: the time of the first frame with a hamlet drawn.
FIRST_HAMLET = """
(function poll() {
  try {
    if (window.QRMap && QRMap.count("hamlets_mobile") > 0) {
      window.__firstHamlet = performance.now();
      return;
    }
  } catch (e) {}
  requestAnimationFrame(poll);
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
        page.wait_for_function("() => window.__firstHamlet != null", timeout=180_000)
        return page.evaluate("""() => ({
            fcp: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime,
            hamlet: window.__firstHamlet,
            load: performance.getEntriesByType("navigation")[0].loadEventEnd,
            bytes: performance.getEntriesByType("resource").concat(
                performance.getEntriesByType("navigation")).reduce(
                (n, e) => n + (e.transferSize || 0), 0)})""")
    finally:
        context.close()


def first_paints(base_url: str, pages: dict[str, str]) -> dict[str, dict]:
    """{name: median fcp, hamlet, load (ms) and bytes} over VISITS visits of each page,
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
                   for key in ("fcp", "hamlet", "load", "bytes")}
            for name, visits in seen.items()}
