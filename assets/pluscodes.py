"""Open Location Codes (plus codes) of asset locations, full and shortened against a town.

A full code (`7PH8VQ36+6J`) works anywhere on Earth; the short form drops the first four
symbols and names the nearest reference town instead (`VQ36+6J Lạng Sơn`), the way people
say it. We always drop exactly four symbols: dropping six (allowed next to the town) gives
codes that only work within a couple of kilometres and read like a house number.

>>> plus_code_full(lat=21.8530, lon=106.7615)
'7PH8VQ36+6J'
>>> plus_code_parse("vq36+6j", towns=[Town("Lạng Sơn", 21.85, 106.76)])
(21.853..., 106.761...)
"""
import csv
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from openlocationcode import openlocationcode as olc

CODE_LENGTH = 10  # 14 m × 14 m cells: enough to find a plaque, as OLC recommends
GEONAMES_CSV = (Path(__file__).resolve().parent.parent / "geodata" / "data"
                / "ls_geonames_cities500.csv")
# GeoNames names district towns "Thị Trấn X"; on a plus code people just say X.
_TOWN_PREFIXES = ("Thị Trấn ", "Thị trấn ", "Thành phố ", "Phường ")


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float


def _short_name(name):
    for prefix in _TOWN_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@lru_cache(maxsize=1)
def reference_towns():
    """The reference towns: geodata's GeoNames towns when loaded, else the bundled CSV."""
    try:
        from geodata.selectors import reference_towns as geodata_towns

        towns = [_as_town(t) for t in geodata_towns()]
        if towns:
            return tuple(towns)
    except (ImportError, Exception):  # noqa: BLE001 - the table may not exist yet
        pass
    with open(GEONAMES_CSV, encoding="utf-8-sig", newline="") as handle:
        return tuple(
            Town(_short_name(row["name"]), float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        )


def _as_town(item):
    if isinstance(item, Town):
        return item
    location = getattr(item, "location", None)
    if location is not None:
        return Town(_short_name(item.name), location.y, location.x)
    return Town(_short_name(item["name"]), float(item["lat"]), float(item["lon"]))


def _distance_m(lat1, lon1, lat2, lon2):
    """Haversine distance, plenty for picking the nearest of a dozen towns."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12_742_000 * math.asin(math.sqrt(a))


def town_nearest(*, lat: float, lon: float, towns=None) -> Town | None:
    """The reference town nearest to the point."""
    towns = reference_towns() if towns is None else towns
    return min(towns, key=lambda t: _distance_m(lat, lon, t.lat, t.lon), default=None)


def plus_code_full(*, lat: float, lon: float) -> str:
    """The full 10-digit plus code of a point."""
    return olc.encode(lat, lon, CODE_LENGTH)


def plus_code_short(*, lat: float, lon: float, towns=None) -> tuple[str, str] | None:
    """(short code, town name), or None when no town is near enough to drop four symbols."""
    town = town_nearest(lat=lat, lon=lon, towns=towns)
    if town is None:
        return None
    full = plus_code_full(lat=lat, lon=lon)
    short = olc.shorten(full, town.lat, town.lon)
    removed = len(full) - len(short)
    if removed < 4:
        return None
    return full[4:], town.name


def _fold(text):
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def plus_code_parse(text: str, *, towns=None) -> tuple[float, float] | None:
    """(lat, lon) of the cell centre of a full or short plus code ("VQ36+6J Lạng Sơn"),
    or None if the text is not a plus code. A short code without a town is read near the
    first town (the province capital sorts first in the bundled list: Lạng Sơn)."""
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return None
    code = parts[0].upper()
    if not olc.isValid(code):
        return None
    if olc.isFull(code):
        area = olc.decode(code)
        return area.latitudeCenter, area.longitudeCenter
    towns = reference_towns() if towns is None else towns
    town = _town_named(parts[1], towns) if len(parts) > 1 else None
    town = town or _capital(towns)
    if town is None:
        return None
    area = olc.decode(olc.recoverNearest(code, town.lat, town.lon))
    return area.latitudeCenter, area.longitudeCenter


def _town_named(name, towns):
    wanted = _fold(name)
    for town in towns:
        if _fold(town.name) == wanted:
            return town
    for town in towns:
        if wanted and (wanted in _fold(town.name) or _fold(town.name) in wanted):
            return town
    return None


def _capital(towns):
    for town in towns:
        if _fold(town.name) == "lang son":
            return town
    return towns[0] if towns else None
