"""deploy/ for real: nginx (the site's own locations, deploy/nginx/) in front of gunicorn
(deploy/gunicorn.conf.py, one worker with one thread), QRMAP_ENV=production.

What production relies on nginx for: private files leave by X-Accel-Redirect only after the
staff view said yes; a slow upload is read whole by nginx, so it holds no gunicorn thread;
static files go out precompressed with a year of caching for hashed names; no log keeps a
client address; the headers Django sets (CSP and the rest) reach the browser.
"""
import gzip
import json
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest

from assets.models import PrintBatch
from tests.assets.staff_fixtures import communes, make_staff  # noqa: F401
from tests.deploy.conftest import nginx_command, nginx_site
from tests.factories import AssetFactory

# A phone photo sent unshrunk over a weak 3G link: 4 MB at 90 KB/s is about 45 s, longer
# than any worker timeout (anything above client_body_buffer_size goes to nginx's
# temporary file, so larger photos take the same path).
UPLOAD_BYTES = 4 * 1024 * 1024
UPLOAD_RATE = 90 * 1024  # bytes per second
UPLOAD_TICK = 0.1  # seconds between two chunks
PROMPT = 2.0  # seconds: what "answered promptly" means while the upload crawls


def fake_pdf(size=200_000) -> bytes:
    return b"%PDF-1.4\n%" + secrets.token_bytes(size) + b"\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_private_file_goes_out_by_x_accel_only_to_whom_may_read_it(stack, communes):  # noqa: F811
    creator = make_staff("printer_a", roles=("printer",), communes=[communes[0]])
    make_staff("printer_b", roles=("printer",), communes=[communes[1]])
    name = f"print/deploy-test/{secrets.token_urlsafe(16)}.pdf"
    pdf = fake_pdf()
    (stack.private_root / name).parent.mkdir(parents=True)
    (stack.private_root / name).write_bytes(pdf)
    batch = PrintBatch.objects.create(created_by=creator, template="sticker", paper="A4",
                                      status=PrintBatch.Status.DONE, total=1, file=name)
    url = f"/staff/print/{batch.pk}/plaques.pdf"

    owner = stack.nginx
    owner.login("printer_a")
    # Straight to gunicorn with the same session: the view itself must answer with the
    # redirect and no body. (nginx consumes the header, so this is the only place to see it.)
    stack.gunicorn.cookies = dict(owner.cookies)
    direct = stack.gunicorn.get(url)
    if "x-accel-redirect" not in direct.headers:
        pytest.skip(f"staff:batch_download does not answer with X-Accel-Redirect yet "
                    f"(gunicorn said {direct.status} without it)")
    assert direct.headers["x-accel-redirect"] == f"/_private/{name}"
    assert direct.body == b""

    sent = owner.get(url)
    assert sent.status == 200, stack.gunicorn_process.tail()
    assert sent.body == pdf
    assert sent.headers["content-type"] == "application/pdf"
    assert sent.headers["content-disposition"].startswith("attachment")
    # What the view said about caching and safety survives the internal redirect.
    for header in ("cache-control", "content-security-policy", "x-content-type-options",
                   "x-frame-options", "referrer-policy", "cross-origin-opener-policy"):
        if header in direct.headers:
            assert sent.headers.get(header) == direct.headers[header], header
    assert "no-store" in sent.headers["cache-control"]

    other = type(owner)(owner.port)
    other.login("printer_b")
    refused = other.get(url)
    assert refused.status == 403
    assert pdf[:2000] not in refused.body
    # The internal location cannot be asked for from outside, even with a valid session.
    assert owner.get(f"/_private/{name}").status == 404
    assert other.get(f"/_private/{name}").status == 404


def _multipart(fields: dict[str, str], file_field: str, file_bytes: bytes):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _send_slowly(port: int, head: bytes, body: bytes, result: dict) -> None:
    """POST at UPLOAD_RATE on a raw socket, on a fixed schedule (no drift), then read the
    status line."""
    chunk = int(UPLOAD_RATE * UPLOAD_TICK)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for i, offset in enumerate(range(0, len(body), chunk)):
            time.sleep(max(0.0, started + i * UPLOAD_TICK - time.monotonic()))
            sock.sendall(body[offset:offset + chunk])
        result["sent_after"] = time.monotonic() - started
        answer = sock.makefile("rb").readline()
    result["status"] = int(answer.split()[1])


@pytest.mark.django_db(transaction=True)
def test_a_slow_upload_holds_no_gunicorn_worker(stack, geography):
    asset = AssetFactory()
    client = stack.nginx
    path = f"/a/{asset.code}/report/"
    token = client.csrf_token(path)
    body, content_type = _multipart(
        {"csrfmiddlewaretoken": token, "problem": "damaged", "text": "Biển bị gãy."},
        "photo", secrets.token_bytes(UPLOAD_BYTES))
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{client.port}\r\n"
            f"Origin: {client.origin}\r\nCookie: csrftoken={client.cookies['csrftoken']}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    result = {}
    upload = threading.Thread(target=_send_slowly, args=(client.port, head, body, result))
    expected = len(body) / UPLOAD_RATE
    started = time.monotonic()
    upload.start()
    waits = []
    # Ask for the home page at three moments of the upload: were gunicorn's one thread busy
    # reading the body, each would wait for the end of the upload.
    for moment in (0.15, 0.5, 0.85):
        time.sleep(max(0.0, started + moment * expected - time.monotonic()))
        assert upload.is_alive(), "the upload ended before the probes were done"
        asked = time.monotonic()
        home = type(client)(client.port).get("/", timeout=expected + 10)
        waits.append(time.monotonic() - asked)
        assert home.status == 200
        assert waits[-1] < PROMPT, f"GET / waited {waits[-1]:.1f} s behind the upload"
    upload.join(expected + 30)
    assert not upload.is_alive()

    assert result["sent_after"] >= 0.9 * expected  # it really was slow
    assert result["status"] in (200, 302), stack.gunicorn_process.tail()
    # gunicorn saw the whole request at once, at the end: its own timing is short.
    line = _access_line(stack.gunicorn_log, f'"POST {path} ')
    assert int(re.search(r" (\d+)ms$", line)[1]) < 5000, line


def _access_line(log, needle: str, wait: float = 20.0) -> str:
    """The last access-log line holding needle: gunicorn writes it after the answer has gone
    out, so the client can read the answer before the line is there."""
    deadline = time.monotonic() + wait
    while True:
        lines = [line for line in log.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            assert lines, f"no access-log line with {needle}"
            return lines[-1]
        time.sleep(0.2)


def _post_status(port: int, path: str, length: int, body: bytes = b"") -> int:
    """The status of a POST announcing `length` bytes (sending `body`, maybe none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     "Content-Type: application/octet-stream\r\n"
                     f"Content-Length: {length}\r\nConnection: close\r\n\r\n".encode())
        sock.sendall(body)
        return int(sock.makefile("rb").readline().split()[1])


def test_body_limits_sit_above_the_application_limits(stack):
    port, nine_mb = stack.nginx.port, 9 * 1024 * 1024
    # Public forms: a 5 MB photo and its form fit in 8 MB; nginx refuses more up front.
    assert _post_status(port, "/a/NOPE-NOPE/report/", nine_mb) == 413
    # Imports (50 MB files) may be larger: this one reaches Django (which wants a CSRF
    # token first).
    assert _post_status(port, "/staff/import/", nine_mb, b"x" * nine_mb) == 403


def _hashed_static(stack):
    """A hashed CSS or JS file that WhiteNoise precompressed: (its name, the original)."""
    manifest = json.loads((stack.static_root / "staticfiles.json").read_text())["paths"]
    for original, hashed in sorted(manifest.items()):
        path = stack.static_root / hashed
        if hashed.endswith((".css", ".js")) and path.stat().st_size > 2000 and \
                path.with_name(path.name + ".gz").exists():
            return hashed, original
    raise AssertionError("collectstatic wrote no precompressed hashed CSS/JS")


def test_static_files_are_precompressed_and_immutable(stack):
    hashed, original = _hashed_static(stack)
    plain = (stack.static_root / hashed).read_bytes()
    packed = (stack.static_root / f"{hashed}.gz").read_bytes()

    answer = stack.nginx.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["content-encoding"] == "gzip"
    # WhiteNoise's .gz file itself (gzip_static), not a compression made on the fly.
    assert answer.body == packed and int(answer.headers["content-length"]) == len(packed)
    assert gzip.decompress(answer.body) == plain
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "accept-encoding" in answer.headers["vary"].lower()

    identity = stack.nginx.get(f"/static/{hashed}")
    assert "content-encoding" not in identity.headers and identity.body == plain
    # The unhashed copy may change with the next release: no year of caching.
    unhashed = stack.nginx.get(f"/static/{original}", headers={"Accept-Encoding": "gzip"})
    assert unhashed.status == 200
    assert "immutable" not in unhashed.headers["cache-control"]


def test_no_log_keeps_the_client_address(stack):
    client = stack.nginx
    for path in ("/", "/near/?lat=21.85&lon=106.76", "/a/NOPE-NOPE"):
        client.get(path, headers={"X-Forwarded-For": "203.0.113.7",
                                  "User-Agent": "Test-Phone/1.0"})
    time.sleep(0.2)
    nginx_lines = stack.nginx_log.read_text().splitlines()
    # gunicorn's output file also has its start-up lines (with its bind address): only
    # request lines count here.
    gunicorn_lines = [line for line in stack.gunicorn_log.read_text().splitlines()
                      if re.search(r'"(GET|POST|HEAD) /', line)]
    for lines in (nginx_lines, gunicorn_lines):
        assert any('"GET /near/ ' in line for line in lines), lines
        text = "\n".join(lines)
        for secret in ("127.0.0.1", "203.0.113.7", "lat=", "Test-Phone"):
            assert secret not in text, (secret, text[-1000:])


def test_headers_django_sets_reach_the_browser(stack):
    direct = stack.gunicorn.get("/")
    proxied = stack.nginx.get("/")
    assert direct.status == proxied.status == 200

    def own(headers):  # what Django decided, without the transport's own headers
        skip = {"connection", "date", "server", "content-length", "transfer-encoding",
                "keep-alive"}
        return {k: re.sub(r"'nonce-[^']+'", "'nonce'", v)
                for k, v in headers.items() if k not in skip}

    assert own(proxied.headers) == own(direct.headers)
    assert "content-security-policy" in proxied.headers
    assert proxied.headers["server"] == "nginx"  # server_tokens off: no version
    # Pages are compressed once, by Django, and reach the phone compressed.
    packed = stack.nginx.get("/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(packed.body)


def test_tls_site_passes_nginx_check(nginx_bin, tmp_path):
    """qrmap.conf (ports 80 and 443, certificate placeholders) is valid nginx once it has a
    certificate: `nginx -t` with a throwaway self-signed one."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no test certificate")
    certificates = tmp_path / "certs"
    certificates.mkdir()
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=qr.langson.gov.vn", "-keyout", str(certificates / "privkey.pem"),
         "-out", str(certificates / "fullchain.pem")], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {made.stderr[-300:]!r}")
    prefix = tmp_path / "nginx"
    config = nginx_site(prefix, "qrmap.conf", {
        "/etc/letsencrypt/live/qr.langson.gov.vn/": f"{certificates}/",
        "/var/log/nginx/": f"{prefix / 'logs'}/",
    })
    checked = subprocess.run(nginx_command(nginx_bin, config, "-t"), capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
