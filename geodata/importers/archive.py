"""Archive checks before anything is extracted: zipped Shapefiles and KMZ come from outside.

A member name is refused when it is absolute or climbs out of the folder (`../`, a drive
letter, a backslash path), when it is a link, and the archive as a whole is refused when it
has too many members, unpacks to too much or compresses too well (a zip bomb). The checks
read only the central directory; extraction then writes each member with a size cap, because
the sizes a zip declares can lie.
"""
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

MAX_MEMBERS = 200
# A Shapefile of a few thousand features compresses ~5:1; text formats up to ~20:1. Far
# beyond that is a crafted file.
MAX_RATIO = 100
CHUNK = 1024 * 1024


class ArchiveRefused(ValueError):
    """The archive is unsafe or too big; the message says why, for the user."""


def max_unpacked_bytes() -> int:
    return getattr(settings, "QRMAP_MAX_UNZIPPED_BYTES", 4 * settings.QRMAP_MAX_IMPORT_BYTES)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return _("absolute path")
    if ".." in path.parts:
        return _("path leaves the archive folder (..)")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("symbolic link")
    return None


def archive_check(path: Path) -> list[zipfile.ZipInfo]:
    """Refuse an unsafe zip; return its file members (directories left out)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ArchiveRefused(_("The file is not a valid zip archive.")) from exc
    with archive:
        infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveRefused(
            _("The archive has %(n)d members; at most %(max)d are accepted.")
            % {"n": len(infos), "max": MAX_MEMBERS})
    total = 0
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ArchiveRefused(_("Archive member “%(name)s” refused: %(why)s.")
                                 % {"name": info.filename, "why": problem})
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(_("Archive member “%(name)s” is compressed %(ratio)d:1, "
                                   "which looks like a zip bomb.")
                                 % {"name": info.filename,
                                    "ratio": info.file_size // max(info.compress_size, 1)})
    if total > max_unpacked_bytes():
        raise ArchiveRefused(_("The archive unpacks to %(mb)d MB; the limit is %(max)d MB.")
                             % {"mb": total // 2**20, "max": max_unpacked_bytes() // 2**20})
    return [info for info in infos if not info.is_dir()]


def archive_extract(path: Path, folder: Path) -> list[Path]:
    """Check, then extract a zip into `folder`; return the extracted file paths."""
    members = archive_check(path)
    folder.mkdir(parents=True, exist_ok=True)
    budget = max_unpacked_bytes()
    written = []
    with zipfile.ZipFile(path) as archive:
        for info in members:
            target = folder.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if folder.resolve() not in target.resolve().parents:
                raise ArchiveRefused(_("Archive member “%(name)s” refused: %(why)s.") % {
                    "name": info.filename, "why": _("path leaves the archive folder (..)")})
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as dst:
                while block := src.read(CHUNK):
                    budget -= len(block)
                    if budget < 0:
                        raise ArchiveRefused(_("The archive unpacks to more than it declares."))
                    dst.write(block)
            written.append(target)
    return written
