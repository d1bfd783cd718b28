"""The production stack of deploy/, run for real: nginx with the site's own locations in
front of gunicorn with deploy/gunicorn.conf.py (QRMAP_ENV=production), on loopback ports,
against the pytest database. The data a test creates must be committed for gunicorn to see
it, so those tests use transactional_db.

nginx comes from the system (Debian package nginx-light or nginx; .ci/setup installs it);
without it the tests that need it skip and say so.
"""
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.runtime_processes import ROOT, child_env, free_port

DEPLOY = ROOT / "deploy"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


@pytest.fixture(scope="session")
def nginx_bin():
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light; "
                    ".ci/setup installs it)")
    return binary


def nginx_site(prefix: Path, site: str, values: dict[str, str]) -> Path:
    """Copy deploy/nginx/ into prefix/conf/qrmap/ with its example values replaced, and
    write a main nginx.conf around `site` that keeps everything inside prefix."""
    conf = prefix / "conf"
    (conf / "qrmap").mkdir(parents=True)
    for name in ("logs", "tmp"):
        (prefix / name).mkdir()
    files = {source.name: source.read_text()
             for source in sorted((DEPLOY / "nginx").glob("*.conf"))}
    for placeholder, value in values.items():
        # Each example value must be found: a file that changed shape fails here instead
        # of quietly testing something else.
        assert any(placeholder in text for text in files.values()), placeholder
        files = {name: text.replace(placeholder, value) for name, text in files.items()}
    for name, text in files.items():
        (conf / "qrmap" / name).write_text(text)
    mime_types = Path(nginx_conf_path()).parent / "mime.types"
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, workers would drop to nobody, who cannot read pytest's private tmp dirs.
    user = "user root;\n" if _is_root() else ""
    (conf / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'logs' / 'main-error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    include {mime_types};\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n{temp}\n    include qrmap/{site};\n}}\n")
    return conf / "nginx.conf"


def nginx_conf_path() -> str:
    """Where the installed nginx keeps its own configuration (for its mime.types)."""
    version = subprocess.run([nginx_binary(), "-V"], capture_output=True, text=True).stderr
    found = re.search(r"--conf-path=(\S+)", version)
    return found.group(1) if found else "/etc/nginx/nginx.conf"


def _is_root() -> bool:
    return os.geteuid() == 0


def nginx_command(binary: str, config: Path, *args: str) -> list[str]:
    prefix = config.parent.parent
    return [binary, "-p", f"{prefix}/", "-c", str(config), "-e",
            str(prefix / "logs" / "startup-error.log"), *args]


@dataclass
class Answer:
    status: int
    headers: dict  # lower-case names; repeated headers joined with ", "
    body: bytes


class Browser:
    """A tiny HTTP client with a cookie jar that, unlike a browser, sends the Secure cookies
    of production settings over the tests' plain HTTP."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, body: bytes = b"", headers=None,
                timeout: float = 30) -> Answer:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, {}, response.read())
            for name, value in response.getheaders():
                name = name.lower()
                if name == "set-cookie":
                    cookie = SimpleCookie(value)
                    self.cookies.update({k: m.value for k, m in cookie.items()})
                answer.headers[name] = (f"{answer.headers[name]}, {value}"
                                        if name in answer.headers else value)
            return answer
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)[1].decode()

    def login(self, username: str, password: str = "pass-word-123") -> None:
        from urllib.parse import urlencode

        token = self.csrf_token("/accounts/login/")
        form = urlencode({"username": username, "password": password,
                          "csrfmiddlewaretoken": token}).encode()
        answer = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        assert answer.status == 302, (answer.status, answer.body[:500])


class Process:
    """A child process with its output in a log file, stopped at the end."""

    def __init__(self, command, *, log: Path, env=None, ready_port: int):
        self.log = log
        self.handle = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.handle,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", ready_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{command[0]} did not listen on {ready_port}: {self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.handle.close()


@dataclass
class Stack:
    nginx: Browser
    gunicorn: Browser
    static_root: Path
    private_root: Path
    nginx_log: Path
    gunicorn_log: Path
    gunicorn_process: Process


def collect_static(static_root: Path, env: dict) -> None:
    """collectstatic with the production storage (hashed names, .gz beside them), without
    the API docs bundles and the admin's files: WhiteNoise's brotli pass over their 35 MB
    takes most of a minute, and no page these tests open uses them (a page that did would
    fail on its missing manifest entry, not pass quietly)."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0",
                    "-i", "drf_spectacular_sidecar", "-i", "rest_framework", "-i", "admin"],
                   cwd=ROOT, env={**env, "STATIC_ROOT": str(static_root)}, check=True)


@pytest.fixture(scope="module")
def stack(nginx_bin, django_db_setup, tmp_path_factory):
    """nginx on one loopback port in front of gunicorn on another: one worker with one
    thread, so that any request that held it would make every other one wait."""
    base = tmp_path_factory.mktemp("deploy")
    roots = {name: base / name for name in ("static", "media", "private")}
    for path in roots.values():
        path.mkdir()
    gunicorn_port, nginx_port = free_port(), free_port()
    env = child_env(
        QRMAP_ENV="production", SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=roots["static"], MEDIA_ROOT=roots["media"],
        QRMAP_PRIVATE_ROOT=roots["private"], QRMAP_PRIVATE_ACCEL_PREFIX="/_private/",
        QRMAP_TRUSTED_PROXIES=1, GUNICORN_BIND=f"127.0.0.1:{gunicorn_port}",
        GUNICORN_WORKERS=1, GUNICORN_THREADS=1)
    collect_static(roots["static"], env)
    gunicorn_log = base / "gunicorn.log"
    gunicorn = Process([sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
                       log=gunicorn_log, env=env, ready_port=gunicorn_port)
    prefix = base / "nginx"
    config = nginx_site(prefix, "qrmap-plain.conf", {
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{gunicorn_port} ",
        "listen 80;": f"listen 127.0.0.1:{nginx_port};",
        "/srv/qrmap/staticfiles/": f"{roots['static']}/",
        "/srv/qrmap/media/": f"{roots['media']}/",
        "/srv/qrmap/private/": f"{roots['private']}/",
        "/var/log/nginx/": f"{prefix / 'logs'}/",
    })
    try:
        nginx = Process(nginx_command(nginx_bin, config, "-g", "daemon off;"),
                        log=prefix / "logs" / "stdout.log", ready_port=nginx_port)
    except RuntimeError:
        gunicorn.stop()
        raise
    yield Stack(nginx=Browser(nginx_port), gunicorn=Browser(gunicorn_port),
                static_root=roots["static"], private_root=roots["private"],
                nginx_log=prefix / "logs" / "qrmap.access.log", gunicorn_log=gunicorn_log,
                gunicorn_process=gunicorn)
    nginx.stop(signal.SIGQUIT)  # graceful: finish what is in flight
    # gunicorn holds connections to the test database, which pytest drops at the end.
    gunicorn.stop()
