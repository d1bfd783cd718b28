"""A print job through the job queue, as the site runs it: a real Celery worker started as
deploy/Procfile starts it (prefork, concurrency 2), the batch queued by the same service as
the print centre, timed from the queueing to `done` (codes, layouts, the parts drawn and
decoded on both cores, the join, the plaques recorded). Its memory is sampled meanwhile.

Runs in a throwaway database (<name>_bench_print: migrated, the Lạng Sơn demo loaded,
dropped at the end), so the plaques and codes it makes never touch the demo registry; the
worker gets its own queue and private files folder.
"""
import contextlib
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = 100  # demo assets printed, each `plaques / ASSETS` times (heritage template)


def _database_url(s) -> str:
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("USER") and s.get("PASSWORD") else (
        f"{s['USER']}@" if s.get("USER") else "")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgis://{auth}{s.get('HOST') or ''}{port}/{s['NAME']}"


@contextlib.contextmanager
def throwaway_database():
    """A database of its own with the demo data and ASSETS verified assets."""
    from django.core.management import call_command
    from django.db import connection

    from assets.access import SYSTEM
    from assets.models import Asset
    from assets.services.registry import asset_verify

    name = connection.settings_dict["NAME"] + "_bench_print"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("qrmap_load_demo", verbosity=0)
        for asset in Asset.objects.filter(status="active").order_by("pk")[:ASSETS]:
            asset_verify(user=SYSTEM, asset=asset)
        yield _database_url(connection.settings_dict)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


@contextlib.contextmanager
def worker(database_url: str, private_root: Path, log: Path):
    """`celery worker --concurrency 2` (the Procfile's) on a queue of its own."""
    queue = f"bench-print-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": database_url, "QRMAP_QUEUE": queue,
           "QRMAP_PRIVATE_ROOT": str(private_root), "DJANGO_SETTINGS_MODULE": "qrmap.settings"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qrmap", "worker", "--concurrency", "2",
             "-Q", queue, "-l", "info", "--without-gossip", "--without-mingle",
             "-n", f"{queue}@%h"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while b"ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield process.pid, queue
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def _tree(pid: int) -> list[int]:
    """pid and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children.get(current, [])
    return out


def _memory_kb(pids: list[int]) -> tuple[int, int, int]:
    """(sum of PSS, sum of RSS, largest RSS) in KiB: PSS shares the pages a fork shares,
    RSS counts them once a process."""
    pss = rss = largest = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
                    largest = max(largest, int(line.split()[1]))
    return pss, rss, largest


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their children already reaped (the
    job's pool processes end up in the cutime of the worker process that ran the job)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            ticks += sum(int(v) for v in stat[stat.rindex(")") + 2:].split()[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """The peak memory of a process tree, sampled every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak_pss = self.peak_rss = self.peak_process = 0
        self.idle_pss = _memory_kb(_tree(pid))[0]

    def run(self):
        while not self.stop.wait(0.2):
            pss, rss, largest = _memory_kb(_tree(self.pid))
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self.peak_process = max(self.peak_process, largest)


def queued_job(plaques: int, worker_pid: int, queue: str) -> dict:
    """Queue one heritage job of `plaques` and wait for it; seconds and memory."""
    from django.conf import settings

    from assets.access import SYSTEM
    from assets.models import Asset, PrintBatch
    from assets.printing import print_batch_create
    from geodata.jobs import job_enqueue
    from qrmap.celery import app

    app.conf.task_default_queue = queue
    codes = list(Asset.objects.filter(position_verified=True).order_by("pk")
                 .values_list("code", flat=True)[:ASSETS])
    batch = print_batch_create(user=SYSTEM, template="heritage", paper="A4",
                               copies=math.ceil(plaques / len(codes)), codes=codes)
    sampler = Sampler(worker_pid)
    sampler.start()
    cpu_before = _cpu_seconds(_tree(worker_pid))
    start = time.perf_counter()
    job_enqueue(batch)  # outside a transaction: sent at once
    while batch.status not in ("done", "failed"):
        time.sleep(0.2)
        batch.refresh_from_db()
    seconds = time.perf_counter() - start
    time.sleep(0.5)  # the task returns (and reaps its pool) just after the row says done
    cpu = _cpu_seconds(_tree(worker_pid)) - cpu_before
    sampler.stop.set()
    sampler.join()
    assert batch.status == PrintBatch.Status.DONE, batch.message
    count = batch.plaques.count()
    size = (Path(settings.QRMAP_PRIVATE_ROOT) / batch.file.name).stat().st_size
    return {"plaques": count, "seconds": seconds, "rate": count / seconds, "cpu_s": cpu,
            "peak_pss_mb": sampler.peak_pss / 1024, "peak_rss_mb": sampler.peak_rss / 1024,
            "peak_process_mb": sampler.peak_process / 1024,
            "idle_pss_mb": sampler.idle_pss / 1024, "kib_per_plaque": size / count / 1024}


def measure(sizes: list[int]) -> dict[int, dict]:
    """Each job size through a worker of its own (the same memory at the start), in a
    throwaway database."""
    from django.conf import settings

    figures = {}
    with tempfile.TemporaryDirectory(prefix="qrmap-bench-print-") as folder, \
            throwaway_database() as url:
        settings.QRMAP_PRIVATE_ROOT = Path(folder) / "private"
        for size in sizes:
            log = Path(folder) / f"worker-{size}.log"
            with worker(url, settings.QRMAP_PRIVATE_ROOT, log) as (pid, queue):
                figures[size] = queued_job(size, pid, queue)
            figures[size]["log"] = [line for line in log.read_text().splitlines()
                                    if "plaques in" in line][-1:]
    return figures
