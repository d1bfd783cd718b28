"""Query parameters both open-data doors read, the REST API (/api/) and OGC API – Features
(/ogc/): a bounding box, a point, a number, a date-time, the list of parameters a request may
use, and the characters no parameter may hold; and the coordinate rules of the geometries a
write brings.

Each rule raises ParamError, a ValueError that names the parameter; each door turns it into
its own answer (DRF: {"bbox": ["..."]}, OGC: an exception document, the public pages: a 400
page), always a 400. One bbox order everywhere: min_lon,min_lat,max_lon,max_lat, in WGS 84
degrees. The API schema publishes the patterns here, and the parsers accept what they match
(bbox and point also take numbers in exponent notation).

>>> bbox_parse("106.7,21.8,106.8,21.9").extent
(106.7, 21.8, 106.8, 21.9)
>>> bbox_parse("106.8,21.8,106.7,21.9")
Traceback (most recent call last):
...
geodata.params.ParamError: The minimum must not exceed the maximum.
>>> int_parse("25", parameter="page", low=1, high=1000)
25
>>> datetime_parse("2025-07-01T08:00:00+07:00", parameter="updated_since").isoformat()
'2025-07-01T08:00:00+07:00'
>>> datetime_parse("2025-07-01T08:00:00+20:00", parameter="updated_since")
Traceback (most recent call last):
...
geodata.params.ParamError: The UTC offset must lie between -15:59 and +15:59.
"""
import datetime
import math
import re
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.utils.translation import gettext_lazy as _

BBOX_LABEL = "min_lon,min_lat,max_lon,max_lat"

# A JSON number (what clients and generated code write for a `number`): ASCII digits only,
# where Python's float() would also take "1_0", "٣" or " inf".
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
NUMBER_PATTERN = rf"^{_NUMBER}$"
# The patterns of bbox and point spell their numbers as plain decimals, to state the ranges:
# a longitude in [-180, 180], a latitude in [-90, 90], any height (dropped); the parser also
# reads exponents (1e-05), as a client's float formatting may write them.
_DECIMAL = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"


def _listed(*parts):
    return " *, *".join(parts)


POINT_PATTERN = rf"^ *{_listed(_LON, _LAT)} *$"
BBOX_PATTERN = (rf"^ *(?:{_listed(_LON, _LAT, _LON, _LAT)}"
                rf"|{_listed(_LON, _LAT, _DECIMAL, _LON, _LAT, _DECIMAL)}) *$")
# GSO codes of units are digits: 2 (province), 3 (district), 5 (commune).
GSO_CODE_PATTERN = r"^[0-9]{2,5}$"
# Free text: anything but NUL (0x00), which PostgreSQL text cannot hold, and not nothing
# (an empty parameter is refused, an empty text field has its own "" option); a required
# text also holds something besides the ASCII blanks that are trimmed around it.
TEXT_PATTERN = "^[^\\u0000]+$"
BLANKS = " \t\n\r"
FILLED_TEXT_PATTERN = "^[ \\t\\n\\r]*[^ \\t\\n\\r\\u0000][^\\u0000]*$"
# Days of the calendar (29 February in leap years only, no year 0) and RFC 3339 instants
# with a UTC offset PostgreSQL accepts (within ±15:59; real zones span -12:00 to +14:00).
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
              r"|(?:0[13578]|1[02])-31)")
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)"
_INSTANT = (rf"{_DAY}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
            r"(?:[Zz]|[+-](?:0[0-9]|1[0-5]):[0-5][0-9])")
# The API's updated_since: one instant.
DATETIME_PATTERN = rf"^{_INSTANT}$"
# OGC API – Features' datetime: an instant, a day, or an interval whose ends may be open
# (.. or nothing).
_END = rf"(?:{_INSTANT}|{_DAY}|\.\.)?"
DATETIME_INTERVAL_PATTERN = rf"^(?:{_INSTANT}|{_DAY}|\.\.|{_END}/{_END})$"
DATETIME_EXAMPLE = "2025-07-01T00:00:00+07:00"
_OFFSET = re.compile(r"(?P<sign>[ +-])(?P<hours>[0-9]{2}):?[0-9]{2}$")


class ParamError(ValueError):
    """A query parameter the request got wrong; `parameters` names it (or them)."""

    def __init__(self, parameter: str | list[str], message):
        self.parameters = [parameter] if isinstance(parameter, str) else list(parameter)
        self.parameter = self.parameters[0]
        self.message = str(message)
        super().__init__(self.message)


def numbers_parse(text: str, *, parameter: str, count: int | tuple[int, ...],
                  label: str) -> list[float]:
    """`count` comma-separated finite numbers (a count or a tuple of allowed counts)."""
    parts = [part.strip(" ") for part in (text or "").split(",")]
    counts = (count,) if isinstance(count, int) else count
    if len(parts) not in counts:
        raise ParamError(parameter, _("Expected %(label)s.") % {"label": label})
    if not all(re.fullmatch(_NUMBER, part) for part in parts):
        raise ParamError(parameter, _("Not a number in %(label)s.") % {"label": label})
    values = [float(part) for part in parts]
    if not all(math.isfinite(value) for value in values):
        raise ParamError(parameter, _("Numbers must be finite."))
    return values


def number_parse(text: str, *, parameter: str, low: float, high: float) -> float:
    """One number (JSON syntax: 12, 0.5, 1e-05) from `low` to `high`."""
    if not re.fullmatch(NUMBER_PATTERN, text or "") or not low <= float(text) <= high:
        raise ParamError(parameter, _("A number from %(low)s to %(high)s.")
                         % {"low": low, "high": high})
    return float(text)


def is_whole(text: str, *, digits: int = 18) -> bool:
    """Whether the text is a whole number of at most `digits` ASCII digits (no sign, no
    spaces): "²" is a digit to str.isdigit() and no number to int()."""
    return text.isascii() and text.isdigit() and len(text) <= digits


def int_parse(text: str, *, parameter: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, in ASCII digits (no sign, no spaces)."""
    if not (is_whole(text, digits=20) and low <= int(text) <= high):
        raise ParamError(parameter, _("A whole number from %(low)d to %(high)d.")
                         % {"low": low, "high": high})
    return int(text)


def _lon_lat_check(lon: float, lat: float, *, parameter: str) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ParamError(parameter, _(
            "Longitude must lie in [-180, 180] and latitude in [-90, 90] (WGS 84, lon first)."))


def bbox_parse(text: str, *, parameter: str = "bbox") -> Polygon:
    """A WGS 84 rectangle from `min_lon,min_lat,max_lon,max_lat`. Six numbers are a 3D box
    (OGC API – Features, /req/core/fc-bbox-definition): the heights are dropped."""
    values = numbers_parse(text, parameter=parameter, count=(4, 6), label=BBOX_LABEL)
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    min_lon, min_lat, max_lon, max_lat = values
    _lon_lat_check(min_lon, min_lat, parameter=parameter)
    _lon_lat_check(max_lon, max_lat, parameter=parameter)
    if min_lon > max_lon or min_lat > max_lat:
        raise ParamError(parameter, _("The minimum must not exceed the maximum."))
    box = Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))
    box.srid = settings.QRMAP_SRID
    return box


def point_parse(text: str, *, parameter: str = "point") -> Point:
    """A WGS 84 point from `lon,lat`."""
    lon, lat = numbers_parse(text, parameter=parameter, count=2, label="lon,lat")
    _lon_lat_check(lon, lat, parameter=parameter)
    return Point(lon, lat, srid=settings.QRMAP_SRID)


def datetime_parse(text: str, *, parameter: str) -> datetime.datetime:
    """An instant in RFC 3339 with its UTC offset, `2025-07-01T08:00:00+07:00` or `...Z`.
    Empty is an error too: a sync client whose timestamp went missing must not silently get
    everything."""
    if not re.fullmatch(DATETIME_PATTERN, text or ""):
        raise ParamError(parameter, _datetime_refusal(text or ""))
    try:
        return datetime.datetime.fromisoformat(text.upper())
    except ValueError:  # the pattern keeps to the calendar; this is the last guard
        raise ParamError(parameter, _datetime_refusal(text)) from None


def _datetime_refusal(text: str) -> str:
    """Why a date-time was refused, as precisely as the text allows."""
    if not text:
        return _("Empty: give a date-time such as %(example)s.") % {"example": DATETIME_EXAMPLE}
    offset = _OFFSET.search(text.partition("T")[2] or text.partition("t")[2])
    if offset and offset["sign"] == " ":
        return _("Write the + of the UTC offset as %%2B in a URL: %(example)s.") % {
            "example": DATETIME_EXAMPLE.replace("+", "%2B")}
    if offset and int(offset["hours"]) > 15:
        return _("The UTC offset must lie between -15:59 and +15:59.")
    return _("Not a date-time: use RFC 3339 with a UTC offset, such as %(example)s.") % {
        "example": DATETIME_EXAMPLE}


def _positions(coords):
    """Every (x, y[, z]) of a GEOS `coords` value, however deeply nested."""
    if coords and isinstance(coords[0], (int, float)):
        yield coords
        return
    for part in coords:
        yield from _positions(part)


def geometry_check(geometry, *, parameter: str) -> None:
    """A written geometry is 2-D WGS 84 longitude/latitude with finite coordinates in range:
    a height (or an M value, which GEOS reads as one) would be refused by the 2-D column,
    another SRID would be silently reprojected, NaN breaks every spatial operation."""
    if geometry.srid not in (None, settings.QRMAP_SRID):
        raise ParamError(parameter, _("Coordinates must be WGS 84 longitude, latitude "
                                      "(EPSG:4326), not EPSG:%(srid)s.") % {"srid": geometry.srid})
    if geometry.hasz:
        raise ParamError(parameter, _("Give 2-D coordinates (longitude, latitude) without a "
                                      "height or measure."))
    if geometry.empty:
        raise ParamError(parameter, _("The geometry is empty."))
    for position in _positions(geometry.coords):
        if not all(math.isfinite(value) for value in position):
            raise ParamError(parameter, _("Numbers must be finite."))
        _lon_lat_check(*position[:2], parameter=parameter)


def _lists(query) -> Iterable[tuple[str, list[str]]]:
    if hasattr(query, "lists"):  # a QueryDict: every value of a repeated parameter
        return query.lists()
    return ((name, [value]) for name, value in query.items())


def params_refuse_nul(query: Mapping[str, str], path: Mapping[str, str] | None = None) -> None:
    """Refuse NUL (0x00) in any query parameter, its name or any of its values, or in a path
    parameter: PostgreSQL text cannot hold it, so a filter on it would be a database error
    instead of a 400."""
    bad = {name for name, values in _lists(query)
           if "\x00" in name or any("\x00" in value for value in values)}
    bad |= {name for name, value in (path or {}).items() if "\x00" in str(value)}
    if bad:
        raise ParamError(sorted(bad), _("Null characters are not allowed."))


def params_refuse_empty(query: Mapping[str, str]) -> None:
    """Refuse a parameter given with no value (`updated_since=`): a client whose value went
    missing must not silently get the unfiltered answer."""
    empty = sorted(name for name, values in _lists(query) if "" in values)
    if empty:
        raise ParamError(empty, _("Empty value: give one, or leave the parameter out."))


def params_refuse_unknown(query: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse parameters the request may not use: a misspelt filter must not silently answer
    with the whole table. The error names every unknown one and lists the known ones."""
    allowed = set(allowed)
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise ParamError(unknown, _("Unknown query parameter. Known: %(known)s.")
                         % {"known": ", ".join(sorted(allowed))})
