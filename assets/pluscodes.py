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
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from openlocationcode import openlocationcode as olc

from geodata.distance import distances_m
from geodata.selectors import reference_towns as geonames_towns

CODE_LENGTH = 10  # 14 m × 14 m cells: enough to find a plaque, as OLC recommends


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float


@lru_cache(maxsize=1)
def reference_towns() -> tuple[Town, ...]:
    """The reference towns: geodata's GeoNames towns of the province (bundled, largest
    first, names without "Thị trấn": on a plus code people just say the town)."""
    return tuple(Town(town.name, town.location.y, town.location.x) for town in geonames_towns())


def town_nearest(*, lat: float, lon: float, towns=None) -> Town | None:
    """The reference town nearest to the point (geodesic metres, geodata.distance)."""
    towns = reference_towns() if towns is None else towns
    if not towns:
        return None
    distances = distances_m((lon, lat), [(town.lon, town.lat) for town in towns])
    return towns[distances.index(min(distances))]


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
