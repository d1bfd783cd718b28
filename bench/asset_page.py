"""The public asset page against a baseline: a plain Django page with a default Folium map.

Measured in one run, on the demo data, for the same asset:
- bytes on the wire (gzip) and the subrequests the HTML asks for (and how many go to
  another host), which is what a phone on weak 3G pays before it can read anything;
- server time per request through Django's test client in-process (median and p95);
- requests per second from 8 threads against gunicorn started here on a free local port.

The asset page counts a scan per request (that cost is part of what is measured); the scan
rows this benchmark adds are put back as they were at the end.
"""
import gzip
import statistics
import time
from html.parser import HTMLParser
from urllib.parse import urlparse

from django.core.cache import cache
from django.test import Client

from bench import _load
from bench._report import Row

NOTES = """
The Folium page's HTML is smaller, but it cannot show anything before its 10 scripts and
stylesheets arrive from 4 other hosts (Leaflet, jQuery, Bootstrap and Font Awesome: well over
100 KB gzip together) and then the map tiles; the asset page is readable
from its single response. Server times come from the same run, interleaved request by request;
on a shared machine they move with its load, the ratios less so. Warm figures are a plaque
scanned again within a minute (code, neighbours, address and rendered page cached in the
worker); cold ones start from an empty cache.
"""
TIMED_REQUESTS = 300
LOAD_THREADS = 8
LOAD_REQUESTS_PER_THREAD = 200
HOST = "127.0.0.1"


class _Subrequests(HTMLParser):
    """Resources a browser fetches while loading the HTML (not links a person may follow)."""

    FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}

    def __init__(self):
        super().__init__()
        self.urls, self.lazy_images = [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = None
        if tag in ("script", "iframe") and a.get("src"):
            url = a["src"]
        elif tag == "img" and a.get("src"):
            if a.get("loading") == "lazy":
                self.lazy_images += 1
                return
            url = a["src"]
        elif tag == "link" and self.FETCHING_RELS & set((a.get("rel") or "").split()):
            url = a.get("href")
        if url and not url.startswith("data:"):
            self.urls.append(url)


def subrequests(html: str) -> tuple[list[str], list[str], int]:
    """(all subrequest URLs, those to another host, lazy images) of an HTML page."""
    parser = _Subrequests()
    parser.feed(html)
    foreign = [u for u in parser.urls if urlparse(u).netloc not in ("", HOST)]
    return parser.urls, foreign, parser.lazy_images


def _timed(client, requests, n=TIMED_REQUESTS):
    """(median, p95) in ms for each (url, headers, cold), the requests interleaved so that a
    change in the machine's load hits every page alike. A cold request starts with an empty
    cache (cleared outside the timing): the first visit after a restart or an edit."""
    times = [[] for _ in requests]
    for _ in range(n):
        for (url, headers, cold), series in zip(requests, times, strict=True):
            if cold:
                cache.clear()
            started = time.perf_counter()
            response = client.get(url, **headers)
            series.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 304), (url, response.status_code)
    return [(statistics.median(s), sorted(s)[int(len(s) * 0.95) - 1]) for s in times]


def _pick_asset():
    """A demo heritage site (Động Tam Thanh when loaded): the page a tourist opens most."""
    from assets.models import Asset

    active = Asset.objects.filter(status=Asset.Status.ACTIVE)
    asset = (active.filter(name_vi="Động Tam Thanh").first()
             or active.filter(kind=Asset.Kind.HERITAGE, commune__isnull=False)
             .order_by("name_vi").first()
             or active.order_by("pk").first())
    if asset is None:
        raise SystemExit("No asset in the database: load the demo data first (make demo).")
    return asset


def run():
    """Measure, print and return the rows of the asset page benchmark."""
    from assets.models import Asset

    asset = _pick_asset()
    ours, baseline = f"/Q/{asset.code}", f"/bench/folium/{asset.code}"
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    with _load.scans_restored(code=asset.code):
        sizes = {}
        for name, url in (("ours", ours), ("baseline", baseline)):
            response = client.get(url)
            body = response.content
            raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
            sizes[name] = (len(gzip.compress(raw)) if response.get("Content-Encoding") != "gzip"
                           else len(body), len(raw), *subrequests(raw.decode()))
        etag = client.get(ours)["ETag"]
        t_ours, t_base, t_304, t_cold = _timed(client, [
            (ours, {}, False), (baseline, {}, False),
            (ours, {"HTTP_IF_NONE_MATCH": etag}, False), (ours, {}, True)])
        with _load.gunicorn() as base_url:
            rps_ours = _load.throughput(base_url + ours, LOAD_THREADS, LOAD_REQUESTS_PER_THREAD)
            rps_base = _load.throughput(base_url + baseline, LOAD_THREADS,
                                        LOAD_REQUESTS_PER_THREAD)
    o, b = sizes["ours"], sizes["baseline"]
    rows = [
        Row("HTML, gzip (bytes)", o[0], b[0], lower_is_better=True),
        Row("HTML, uncompressed (bytes)", o[1], b[1], lower_is_better=True),
        Row("subrequests before photos", len(o[2]), len(b[2]), lower_is_better=True),
        Row("subrequests to another host", len(o[3]), len(b[3]), lower_is_better=True),
        Row("map tiles at 360×740 (not counted above)", 0, "≈12", lower_is_better=True),
        Row("server time, median (ms)", t_ours[0], t_base[0], lower_is_better=True),
        Row("server time, p95 (ms)", t_ours[1], t_base[1], lower_is_better=True),
        Row("server time, revalidation 304, median (ms)", t_304[0], None,
            lower_is_better=True),
        Row("server time, cold cache, median (ms)", t_cold[0], t_base[0],
            lower_is_better=True),
        Row("server time, cold cache, p95 (ms)", t_cold[1], t_base[1], lower_is_better=True),
        Row(f"requests/s, gunicorn, {LOAD_THREADS} threads × {LOAD_REQUESTS_PER_THREAD}",
            rps_ours, rps_base, lower_is_better=False),
    ]
    context = {
        "asset": f"{asset.grouped_code} {asset.name_vi}",
        "assets_in_database": Asset.objects.count(),
        "timed_requests": TIMED_REQUESTS,
        "baseline_hosts": sorted({urlparse(u).netloc for u in b[3]}),
    }
    return {"title": "Asset page (/Q/<code>) vs. a Django page with a default Folium map",
            "rows": rows, "context": context, "baseline_label": "Folium page", "notes": NOTES}
