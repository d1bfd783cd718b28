"""Scans per second: the asset page a plaque opens, under 50 concurrent connections, beside a
static file served by WhiteNoise through the same gunicorn, in one run (wrk from Debian, a
second process on loopback). Every scan is then flushed from Redis into the Scan rows and
counted: the figure is only worth something if no scan was lost.

The ratio to the static file is the honest figure: it says how much of what this stack can
serve on this machine the page reaches, whatever else the machine is doing.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.db.models import Sum

from bench import _load
from bench._report import Row

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS, THREADS, SECONDS = 50, 2, 10
# wrk keeps every connection busy (a closed loop), so at 50 connections the latency is at
# least 50 / rate by Little's law whatever the code does; the same figures at 10 connections
# show what a visitor waits when the server is not saturated.
LIGHT_CONNECTIONS = 10
WORKERS = int(os.environ.get("BENCH_WORKERS", max(2, 2 * (os.cpu_count() or 2))))
# wrk prints the 95th percentile only when asked through its Lua API.
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("qrmap requests=%d p50=%.3f p95=%.3f errors=%d\\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def _warm(url: str) -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    subprocess.run(["wrk", "-t", "2", "-c", "8", "-d", "2s", url], capture_output=True,
                   check=True)


def _wrk(url: str, connections: int = CONNECTIONS) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(connections), "-d",
                          f"{SECONDS}s", "-s", script.name, "-H", "Accept-Encoding: gzip",
                          url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    found = re.search(r"qrmap requests=(\d+) p50=([\d.]+) p95=([\d.]+) errors=(\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"requests": int(found.group(1)), "p50": float(found.group(2)),
            "p95": float(found.group(3)), "errors": int(found.group(4)), "rps": rps}


def _static_file() -> str:
    from django.conf import settings

    for path in sorted(Path(settings.STATIC_ROOT).rglob("*.css")):
        return "/static/" + path.relative_to(settings.STATIC_ROOT).as_posix()
    raise SystemExit("No static files: run collectstatic (make demo does).")


def run():
    from assets.models import Scan
    from assets.scans import scans_flush
    from bench.asset_page import _pick_asset

    asset = _pick_asset()
    scans_flush()

    def counted():
        return Scan.objects.filter(code=asset.code).aggregate(n=Sum("count"))["n"] or 0

    with _load.gunicorn(workers=WORKERS, shipped_config=True) as base:
        url = f"{base}/Q/{asset.code}"
        _warm(url)
        _warm(base + _static_file())
        time.sleep(1)  # the warm-up's last requests, still in flight when wrk stopped
        scans_flush()  # the warm-up's scans
        before = counted()
        page = _wrk(url)
        static = _wrk(base + _static_file())
        light = _wrk(url, LIGHT_CONNECTIONS)
        light_static = _wrk(base + _static_file(), LIGHT_CONNECTIONS)
        scans_flush()
        flushed = counted() - before
    # Each wrk run stops with up to one request per connection in flight: the server may have
    # counted those without wrk counting their answers, so flushed - answered is in [0, 60].
    share = 100 * page["rps"] / static["rps"] if static["rps"] else 0
    rows = [
        Row(f"requests/s at {CONNECTIONS} connections", page["rps"], static["rps"],
            lower_is_better=False),
        Row("latency p50 (ms)", page["p50"], static["p50"]),
        Row("latency p95 (ms)", page["p95"], static["p95"]),
        Row("errors", page["errors"], static["errors"]),
        Row(f"requests/s at {LIGHT_CONNECTIONS} connections", light["rps"], light_static["rps"],
            lower_is_better=False),
        Row(f"latency p95 at {LIGHT_CONNECTIONS} connections (ms)", light["p95"],
            light_static["p95"]),
        Row("asset page rate as % of the static file's", round(share, 1), 100.0,
            lower_is_better=False),
        Row("scans answered in the timed runs (wrk)", page["requests"] + light["requests"], None,
            lower_is_better=False),
        Row("scans flushed into Scan rows", flushed, None, lower_is_better=False),
        Row("counted but unanswered at wrk's cut-offs (0 to 60)",
            flushed - page["requests"] - light["requests"], None),
    ]
    context = {"asset": f"{asset.grouped_code} {asset.name_vi}", "gunicorn_workers": WORKERS,
               "connections": CONNECTIONS, "seconds": SECONDS, "cpus": os.cpu_count(),
               "targets": "≥ 1,000 scans/s, ≥ 40 % of the static file's rate, p95 ≤ 20 ms"}
    return {"title": "Scans per second: the asset page vs. a static file, same gunicorn",
            "rows": rows, "context": context, "baseline_label": "static file (WhiteNoise)",
            "notes": "Cold-cache page times are in asset_page.md (same machine)."}
