"""Uploaded files between preview and confirm: a folder named by a random token (never the
session cookie, which is small and signed, not a file store) under QRMAP_PRIVATE_ROOT, which
no URL serves (assets.storage): the token also names the preview page, and a page address
leaks (history, Referer, logs) more easily than a file should. The folder records who
uploaded what; the file is deleted once committed, the report stays for a day."""
import json
import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

from assets import storage

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KEEP_SECONDS = 24 * 3600


def _root() -> Path:
    return Path(settings.QRMAP_PRIVATE_ROOT) / storage.IMPORTS


def _safe_name(name: str) -> str:
    """The uploaded name reduced to a harmless file name, keeping its extension."""
    stem, dot, suffix = Path(name).name.rpartition(".")
    stem = re.sub(r"[^\w.-]+", "_", stem or suffix)[:80] or "upload"
    return f"{stem}.{suffix.lower()}" if dot else stem


def upload_store(*, file, user, layer: str) -> str:
    """Keep an uploaded file for the preview; return its token."""
    uploads_sweep()
    token = secrets.token_urlsafe(32)
    folder = _root() / token
    folder.mkdir(parents=True)
    target = folder / _safe_name(file.name)
    with open(target, "wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    meta = {"user": user.pk, "layer": layer, "name": Path(file.name).name, "file": target.name,
            "created": time.time(), "result": None}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def upload_meta(*, token: str, user) -> dict:
    """The upload's record, for its uploader only (404 otherwise, so tokens cannot be probed)."""
    if not TOKEN.match(token or ""):
        raise Http404
    path = _root() / token / "meta.json"
    if not path.is_file():
        raise Http404
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta["user"] != user.pk and not user.is_superuser:
        raise Http404
    meta["token"] = token
    meta["folder"] = str(path.parent)
    meta["path"] = str(path.parent / meta["file"])
    return meta


def upload_finish(*, meta: dict, result: dict, report: str) -> None:
    """After the commit: delete the file, keep the report and the result summary."""
    folder = Path(meta["folder"])
    Path(meta["path"]).unlink(missing_ok=True)
    (folder / "report.csv").write_text(report, encoding="utf-8")
    stored = {k: v for k, v in meta.items() if k not in ("folder", "path", "token")}
    stored["result"] = result
    (folder / "meta.json").write_text(json.dumps(stored), encoding="utf-8")


def uploads_sweep() -> None:
    """Remove upload folders older than a day (abandoned previews, old reports)."""
    root = _root()
    if not root.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and TOKEN.match(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
