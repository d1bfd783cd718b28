"""The locator map of the asset page: an inline SVG drawn by the server.

The commune outline (simplified in PostGIS) and the asset as a red dot, with its nearest
neighbours as grey discs numbered like the page's "Nearby" list, the names of the communes
around it, a scale bar and a north arrow: enough to see "where in the commune" with no
tiles, no script and no second request. Projection is plain equirectangular with x scaled
by cos(latitude), which at the size of a commune is indistinguishable from a real map
projection (north is straight up).
"""
import json
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
# Under the outline: the band that holds the scale bar.
SCALE_BAND = 22
# A neighbour drawn closer than this (SVG units) to the asset or to another number is moved,
# so that no number hides under the red dot or another number (a plaque at each end of a
# street, a gate and its temple side by side).
MIN_SEPARATION = 13
METRES_PER_DEGREE = 111_320

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


# The communes in force today that border this one (within ~200 m: the 2025 polygons were
# simplified upstream and leave slivers), with their label points. The test runs on the
# boundaries cut into parts of at most 128 vertices (geodata_unitpart, GiST-indexed): on
# the whole polygons it took 20-40 ms a commune, on the parts about 2.
_AROUND_SQL = """
(SELECT coalesce(json_agg(json_build_array(coalesce(nullif(n.short_name, ''), n.name),
                                           ST_X(n.label_point), ST_Y(n.label_point))
                          ORDER BY n.name), '[]'::json)
 FROM geodata_adminunit u JOIN geodata_adminunit n
   ON n.boundary && ST_Expand(ST_Envelope(u.boundary), 0.01) AND n.id <> u.id
  AND n.level = 'commune' AND n.label_point IS NOT NULL
  AND (n.valid_from IS NULL OR n.valid_from <= CURRENT_DATE)
  AND (n.valid_to IS NULL OR n.valid_to >= CURRENT_DATE)
 WHERE u.id = %s
   AND EXISTS (SELECT 1 FROM geodata_unitpart a JOIN geodata_unitpart b
                 ON ST_DWithin(a.geom, b.geom, 0.002)
               WHERE a.unit_id = u.id AND b.unit_id = n.id))
"""
# Outline and bordering communes in one round trip.
_LOCATOR_SQL = f"SELECT o.*, {_AROUND_SQL} FROM ({_OUTLINE_SQL}) o"


def outline_cache_key(unit_id) -> str:
    """Where the shared cache keeps a unit's outline row (for a caller that reads several
    keys in one round trip)."""
    return f"qrmap:locator:2:{unit_id}"


def outline_read(unit_id) -> tuple:
    """The outline row of a unit from the database: bbox, simplified GeoJSON and the
    bordering communes ([name, lon, lat], ...), or ()."""
    with connection.cursor() as cursor:
        # The select list (the bordering communes) comes before the FROM (the outline).
        cursor.execute(_LOCATOR_SQL, [unit_id, unit_id, SIMPLIFY_FRACTION])
        return cursor.fetchone() or ()


def _outline(unit_id):
    key = outline_cache_key(unit_id)
    found = cache.get(key)
    if found is None:
        found = outline_read(unit_id)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _path(frame, geojson):
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
class Mark:
    """A numbered neighbour, or a named commune, at SVG coordinates (preformatted)."""

    x: str
    y: str
    label: str


@dataclass
class Scale:
    """A scale bar: its length in SVG units and in metres, and where it starts."""

    x: str
    y: str
    length: str
    end: str
    metres: int


@dataclass
class Locator:
    width: int
    height: int
    outline: str
    point: tuple[str, str]
    neighbours: list[Mark]
    communes: list[Mark]
    scale: Scale


def _placed(xy, point, taken):
    """Where to draw a numbered neighbour: where it is, unless that is under the asset's dot
    or another number; then the nearest free place on rings around the dot, starting in
    its own direction, so that every number stays readable."""
    def free(x, y):
        return all(math.hypot(x - ox, y - oy) >= MIN_SEPARATION for ox, oy in [point, *taken])

    if free(*xy):
        return xy
    dx, dy = xy[0] - point[0], xy[1] - point[1]
    start = math.atan2(dy, dx) if math.hypot(dx, dy) > 0.01 else -math.pi / 4
    for ring in (1, 2, 3):
        for step in range(12):
            angle = start + (step + 1) // 2 * (1 if step % 2 else -1) * math.pi / 6
            x = point[0] + ring * MIN_SEPARATION * math.cos(angle)
            y = point[1] + ring * MIN_SEPARATION * math.sin(angle)
            if free(x, y):
                return round(x, 1), round(y, 1)
    return xy


def _toward(frame, lon, lat):
    """Where to write a bordering commune's name: at its label point when that is on the
    picture, else where the line from the picture's centre to it leaves the picture (so
    the name lies in its direction), kept off the edges so that it is not cut."""
    x, y = frame.xy(lon, lat)
    cx, cy = WIDTH / 2, frame.height / 2
    low_x, high_x, low_y, high_y = 45, WIDTH - 45, 12, frame.height - 4
    dx, dy = x - cx, y - cy
    # The largest fraction of (dx, dy) that stays inside the box.
    t = 1.0
    for delta, low, high, centre in ((dx, low_x, high_x, cx), (dy, low_y, high_y, cy)):
        if delta > 0:
            t = min(t, (high - centre) / delta)
        elif delta < 0:
            t = min(t, (low - centre) / delta)
    return round(cx + dx * max(t, 0), 1), round(cy + dy * max(t, 0), 1)


def _scale(frame) -> Scale:
    """A bar of a round length (1, 2 or 5 × 10^n m) near a quarter of the picture's width."""
    metres_per_unit = METRES_PER_DEGREE / frame.scale
    target = WIDTH / 4 * metres_per_unit
    power = 10 ** math.floor(math.log10(max(target, 1)))
    metres = max(step * power for step in (1, 2, 5) if step * power <= max(target, 1))
    length = metres / metres_per_unit
    x, y = MARGIN, frame.height + SCALE_BAND / 2
    return Scale(x=f"{x:g}", y=f"{y:g}", length=f"{length:.1f}", end=f"{x + length:.1f}",
                 metres=int(metres))


def locator_build(*, commune_id: int | None, lon: float, lat: float,
                  neighbours: list[tuple[float, float]] = (),
                  outline: tuple | None = None) -> Locator | None:
    """The locator map of a point in its commune, or None when the commune has no outline.
    `outline`: the commune's outline row, when the caller has read it already. The
    neighbours keep their order: the nth is numbered n, as in the page's list (one off the
    picture leaves its number out, not the others')."""
    if commune_id is None:
        return None
    row = _outline(commune_id) if outline is None else outline
    if not row or row[4] is None:
        return None
    frame = Frame(*row[:4])
    point = frame.xy(lon, lat)
    marks, taken = [], []
    for number, (x, y) in enumerate(neighbours, start=1):
        if frame.contains(x, y):
            taken.append(_placed(frame.xy(x, y), point, taken))
            marks.append(Mark(*_s(taken[-1]), label=str(number)))
    around = row[5] if len(row) > 5 else []
    return Locator(
        width=WIDTH,
        height=frame.height + SCALE_BAND,
        outline=_path(frame, row[4]),
        point=_s(point),
        neighbours=marks,
        communes=[Mark(*_s(_toward(frame, x, y)), label=name) for name, x, y in around],
        scale=_scale(frame),
    )
