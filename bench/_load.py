"""Load generation for benchmarks: gunicorn on a free local port, threads of plain requests,
and putting back the scan counts a benchmark adds."""
import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
WORKERS = max(2, min(4, os.cpu_count() or 2))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(*, workers: int = WORKERS, shipped_config: bool = False):
    """Serve the project (with the bench baseline URLs) on a free port; yields its base URL.
    shipped_config: with deploy/gunicorn.conf.py (gthread workers, timeouts, access log) as
    `make run` and production use it."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [sys.executable, "-m", "gunicorn", "bench.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--log-level", "warning"]
    if shipped_config:
        command[4:4] = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def throughput(url, threads, per_thread):
    """Requests per second for threads × per_thread GETs of url (gzip, one connection each,
    as gunicorn's sync workers close them)."""
    parsed = urlparse(url)
    errors = []

    def worker():
        for _ in range(per_thread):
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            try:
                connection.request("GET", parsed.path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            finally:
                connection.close()

    # warm every worker up (imports, first queries, Folium templates) before timing
    for _ in range(WORKERS * 3):
        worker_once = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        worker_once.request("GET", parsed.path)
        worker_once.getresponse().read()
        worker_once.close()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests to {url}: {sorted(set(errors))}")
    return threads * per_thread / elapsed


@contextlib.contextmanager
def scans_restored(*, code):
    """Put the scan rows of a code back as they were (a benchmark is not a visitor)."""
    from assets.models import Scan

    before = {(s.day, s.language): s.count for s in Scan.objects.filter(code=code)}
    try:
        yield
    finally:
        for scan in Scan.objects.filter(code=code):
            key = (scan.day, scan.language)
            if key not in before:
                scan.delete()
            elif scan.count != before[key]:
                Scan.objects.filter(pk=scan.pk).update(count=before[key])
