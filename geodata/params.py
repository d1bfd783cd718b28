"""Query parameters both open-data doors read, the REST API (/api/) and OGC API – Features
(/ogc/): a bounding box, a point, and the list of parameters a request may use.

Each rule raises ParamError, a ValueError that names the parameter; each door turns it into
its own answer (DRF: {"bbox": ["..."]}, OGC: an exception document), always a 400. One bbox
order everywhere: min_lon,min_lat,max_lon,max_lat, in WGS 84 degrees.

>>> bbox_parse("106.7,21.8,106.8,21.9").extent
(106.7, 21.8, 106.8, 21.9)
>>> bbox_parse("106.8,21.8,106.7,21.9")
Traceback (most recent call last):
...
geodata.params.ParamError: The minimum must not exceed the maximum.
"""
import math
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.utils.translation import gettext_lazy as _

BBOX_LABEL = "min_lon,min_lat,max_lon,max_lat"


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
    parts = [part.strip() for part in (text or "").split(",")]
    counts = (count,) if isinstance(count, int) else count
    if len(parts) not in counts:
        raise ParamError(parameter, _("Expected %(label)s.") % {"label": label})
    try:
        # float() refuses NUL bytes and other garbage with a ValueError, never a crash.
        values = [float(part) for part in parts]
    except ValueError:
        raise ParamError(parameter, _("Not a number in %(label)s.") % {"label": label}) from None
    if not all(math.isfinite(value) for value in values):
        raise ParamError(parameter, _("Numbers must be finite."))
    return values


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


def params_refuse_nul(query: Mapping[str, str]) -> None:
    """Refuse NUL (0x00) in any value: PostgreSQL text cannot hold it, so a filter on it
    would be a database error instead of a 400."""
    bad = sorted(name for name, value in query.items() if "\x00" in value)
    if bad:
        raise ParamError(bad, _("Null characters are not allowed."))


def params_refuse_unknown(query: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse parameters the request may not use: a misspelt filter must not silently answer
    with the whole table. The error names every unknown one and lists the known ones."""
    allowed = set(allowed)
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise ParamError(unknown, _("Unknown query parameter. Known: %(known)s.")
                         % {"known": ", ".join(sorted(allowed))})
