"""Plane geometry for the generator: a local metric projection, the China border, remoteness.

The generator places about 1,650 points and tests thousands of distances; doing that in a
local equirectangular plane (kilometres around Lạng Sơn city, error well under 1% inside
the province) keeps it in memory and deterministic. The stored results stay in EPSG:4326,
and the agreement with the declared statuses is measured afterwards in PostGIS on geography.
"""
import math

from django.contrib.gis.geos import GEOSGeometry, LinearRing, LineString, Point, Polygon

# Lạng Sơn city (GeoNames 1576633) and Hữu Nghị border gate, approximate.
CITY = (106.76101, 21.85264)
HUU_NGHI_GATE = (106.7106, 22.0164)
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(CITY[1]))


def to_km(lon: float, lat: float) -> tuple[float, float]:
    return (lon - CITY[0]) * KM_PER_DEG_LON, (lat - CITY[1]) * KM_PER_DEG_LAT


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    return round(CITY[0] + x / KM_PER_DEG_LON, 6), round(CITY[1] + y / KM_PER_DEG_LAT, 6)


def geometry_km(geometry: GEOSGeometry) -> GEOSGeometry:
    """The (Multi)Polygon in the kilometre plane."""
    polygons = [geometry] if geometry.geom_type == "Polygon" else list(geometry)
    parts = [
        Polygon(*[LinearRing([to_km(x, y) for x, y in ring.coords]) for ring in polygon])
        for polygon in polygons
    ]
    return _union(parts)


def _union(parts):
    result = parts[0]
    for part in parts[1:]:
        result = result.union(part)
    return result


def border_line_km(province_boundary: GEOSGeometry) -> LineString:
    """The China border: the stretch of the province outline between its northernmost and
    easternmost vertices (the tripoints with Cao Bằng and Quảng Ninh lie close to them) that
    passes the Hữu Nghị gate. No neighbour polygons are bundled, so this is derived."""
    largest = max(province_boundary, key=lambda polygon: polygon.area)
    ring = list(largest.exterior_ring.coords)[:-1]
    north = max(range(len(ring)), key=lambda i: ring[i][1])
    east = max(range(len(ring)), key=lambda i: ring[i][0])
    start, end = sorted((north, east))
    inner, outer = ring[start:end + 1], ring[end:] + ring[:start + 1]
    gate = Point(*HUU_NGHI_GATE)
    path = min((inner, outer), key=lambda coords: LineString(coords).distance(gate))
    return LineString([to_km(x, y) for x, y in path])


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
