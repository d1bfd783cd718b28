"""The locator map of the asset page: an inline SVG drawn by the server.

The commune outline (simplified in PostGIS) and the asset as a dot, with its nearest
neighbours as small dots: enough to see "where in the commune" with no tiles, no script and
no second request. Projection is plain equirectangular with x scaled by cos(latitude), which
at the size of a commune is indistinguishable from a real map projection.
"""
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

WIDTH = 320  # SVG user units; the picture scales to the screen width with CSS
MARGIN = 8
# The outline is simplified to about 1/250 of its larger side: ~1 px at the drawn size,
# so the path stays a few hundred points (1–3 KB) even for a ragged mountain commune.
SIMPLIFY_FRACTION = 1 / 250
CACHE_SECONDS = 3600

_OUTLINE_SQL = """
WITH u AS (SELECT boundary AS g FROM geodata_adminunit WHERE id = %s AND boundary IS NOT NULL)
SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g),
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(
           g, GREATEST(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)) * %s), 6)
FROM u
"""


@dataclass
class Frame:
    """Maps lon/lat into SVG units for one bounding box."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self):
        self.kx = math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        span = max((self.max_lon - self.min_lon) * self.kx, self.max_lat - self.min_lat, 1e-6)
        self.scale = (WIDTH - 2 * MARGIN) / span
        self.height = round((self.max_lat - self.min_lat) * self.scale + 2 * MARGIN)
        # Centre a tall commune horizontally inside the fixed width.
        self.dx = (WIDTH - 2 * MARGIN - (self.max_lon - self.min_lon) * self.kx * self.scale) / 2

    def xy(self, lon, lat):
        x = MARGIN + self.dx + (lon - self.min_lon) * self.kx * self.scale
        y = MARGIN + (self.max_lat - lat) * self.scale
        return round(x, 1), round(y, 1)

    def contains(self, lon, lat):
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat


def outline_cache_key(unit_id) -> str:
    """Where the shared cache keeps a unit's outline row (for a caller that reads several
    keys in one round trip)."""
    return f"qrmap:locator:{unit_id}"


def outline_read(unit_id) -> tuple:
    """The outline row of a unit from the database: bbox and simplified GeoJSON, or ()."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTLINE_SQL, [unit_id, SIMPLIFY_FRACTION])
        return cursor.fetchone() or ()


def _outline(unit_id):
    key = outline_cache_key(unit_id)
    found = cache.get(key)
    if found is None:
        found = outline_read(unit_id)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _path(frame, geojson):
    import json

    geometry = json.loads(geojson)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [frame.xy(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
    return "".join(parts)


def _s(xy):
    # Preformatted so that the template never localizes them (Vietnamese writes "12,5").
    return f"{xy[0]:g}", f"{xy[1]:g}"


@dataclass
class Locator:
    width: int
    height: int
    outline: str
    point: tuple[str, str]
    neighbours: list[tuple[str, str]]


def locator_build(*, commune_id: int | None, lon: float, lat: float,
                  neighbours: list[tuple[float, float]] = (),
                  outline: tuple | None = None) -> Locator | None:
    """The locator map of a point in its commune, or None when the commune has no outline.
    `outline`: the commune's outline row, when the caller has read it already."""
    if commune_id is None:
        return None
    row = _outline(commune_id) if outline is None else outline
    if not row or row[4] is None:
        return None
    frame = Frame(*row[:4])
    return Locator(
        width=WIDTH,
        height=frame.height,
        outline=_path(frame, row[4]),
        point=_s(frame.xy(lon, lat)),
        neighbours=[_s(frame.xy(x, y)) for x, y in neighbours if frame.contains(x, y)],
    )
