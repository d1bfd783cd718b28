"""Where rows fall: the loaded provinces, to refuse points outside every one of them. (The
commune of each point is geodata.unit_lookup.communes_at_points, one query for thousands of
points; a point in a province other than the clerk's is refused by the scope rule.)"""
from django.contrib.gis.db.models import Union
from django.db import connection

from geodata.models import AdminUnit
from geodata.sqlarrays import number_array

# Boundaries come from generalised sources and are off by up to a few hundred metres along
# the border; a plaque at the Hữu Nghị gate must not be refused for lying 80 m "in China".
PROVINCE_TOLERANCE_DEG = 0.005  # about 500 m at 22°N


def province_outline():
    """Every province in force (one installation may hold several), with its border
    tolerance (GEOS), or None if no geography is loaded. The communes stand in where no
    province outline is loaded."""
    current = AdminUnit.objects.current().exclude(boundary=None)
    provinces = current.filter(level=AdminUnit.Level.PROVINCE)
    if len(provinces) == 1:  # the usual case: no union to compute
        boundary = provinces[0].boundary
    else:
        units = provinces if provinces else current.communes()
        boundary = units.aggregate(u=Union("boundary"))["u"]
    if boundary is None:
        return None
    return boundary.buffer(PROVINCE_TOLERANCE_DEG)


# The same test as province_outline().prepared.covers(point) (the row-by-row path), for a
# chunk of points in one statement:
# the outline is one constant argument, so PostGIS prepares it once for the whole chunk.
_INSIDE_SQL = """
SELECT ST_Covers(%(area)s::geometry, ST_SetSRID(ST_MakePoint(p.x, p.y), %(srid)s))
FROM unnest(%(x)s::float8[], %(y)s::float8[]) WITH ORDINALITY AS p(x, y, i)
ORDER BY p.i
"""


def points_inside(area, xs: list[float], ys: list[float]) -> list[bool]:
    """For each lon/lat pair: does `area` (a GEOS geometry, e.g. province_outline()) cover
    it? One query per call."""
    if not xs:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_INSIDE_SQL, {"area": area.hexewkb.decode(), "srid": area.srid,
                                     "x": number_array(xs), "y": number_array(ys)})
        return [covered for (covered,) in cursor.fetchall()]
