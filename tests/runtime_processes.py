"""Real processes for the runtime tests: a Celery worker and gunicorn, started against the
test database and this run's Redis prefix, stopped at the end. No eager mode, no mocks."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The pytest database as a DATABASE_URL for a child process."""
    s = connection.settings_dict
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("USER") and s.get("PASSWORD") else (
        f"{s['USER']}@" if s.get("USER") else "")
    host = s.get("HOST") or ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgis://{auth}{host}{port}/{s['NAME']}"


def child_env(**extra) -> dict:
    from django.conf import settings

    from tests.conftest import RUN_PREFIX

    env = {**os.environ, "DATABASE_URL": test_database_url(), "QRMAP_CACHE_PREFIX": RUN_PREFIX,
           "QRMAP_PRIVATE_ROOT": str(settings.QRMAP_PRIVATE_ROOT),
           "DJANGO_SETTINGS_MODULE": "qrmap.settings", "PYTHONUNBUFFERED": "1"}
    env.pop("QRMAP_TEST_DB_NAME", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """A Celery worker process (solo pool: one process, so SIGKILL takes all of it)."""

    def __init__(self, *, queue: str, log: Path, **env):
        self.log = log
        self.handle = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qrmap", "worker", "--pool", "solo",
             "-Q", queue, "-l", "info", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{queue}-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=child_env(QRMAP_QUEUE=queue, **env), stdout=self.handle,
            stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited: {self.log.read_text()[-2000:]}")
            if b"ready." in self.log.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"celery worker not ready: {self.log.read_text()[-2000:]}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.handle.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.handle.close()


class Gunicorn:
    """gunicorn serving the project on a loopback port."""

    def __init__(self, *, log: Path, workers: int = 2, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.handle = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "qrmap.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=ROOT, env=child_env(**env), stdout=self.handle, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.handle.close()
