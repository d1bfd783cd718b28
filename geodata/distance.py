"""The one distance of the project: geodesic metres on the WGS 84 ellipsoid.

In SQL, PostGIS geography (`ST_Distance(a::geography, b::geography)`) gives the same figure;
in Python, pyproj's Geod does, so the 25 m verification rule, the nearest reference town of a
plus code and any other "how far" agree to the millimetre whichever side computes them.
A sphere (haversine) is off by up to 0.5 % at Lạng Sơn's latitude, and two of them with
different Earth radii disagreed before this module existed.
"""
from collections.abc import Sequence

from pyproj import Geod

_WGS84 = Geod(ellps="WGS84")


def distance_m(a, b) -> float:
    """Geodesic distance in metres between two lon/lat points (GEOS points or (lon, lat)).

    >>> from django.contrib.gis.geos import Point
    >>> round(distance_m(Point(106.76, 21.85), Point(106.76, 21.8503)), 2)
    33.21
    """
    ax, ay = (a.x, a.y) if hasattr(a, "x") else a
    bx, by = (b.x, b.y) if hasattr(b, "x") else b
    return float(_WGS84.inv(ax, ay, bx, by)[2])


def distances_m(origin, others: Sequence) -> list[float]:
    """Distances from one lon/lat point to many, in one vectorised call."""
    if not others:
        return []
    ox, oy = (origin.x, origin.y) if hasattr(origin, "x") else origin
    lons = [p.x if hasattr(p, "x") else p[0] for p in others]
    lats = [p.y if hasattr(p, "x") else p[1] for p in others]
    return [float(d) for d in _WGS84.inv([ox] * len(lons), [oy] * len(lats), lons, lats)[2]]
