"""Where rows fall: the province (to refuse points outside it) and the commune of each point,
for thousands of points in one query."""
import datetime

from django.contrib.gis.db.models import Union
from django.db import connection

from geodata.models import AdminUnit

# Boundaries come from generalised sources and are off by up to a few hundred metres along
# the border; a plaque at the Hữu Nghị gate must not be refused for lying 80 m "in China".
PROVINCE_TOLERANCE_DEG = 0.005  # about 500 m at 22°N


def province_area():
    """The province (with a border tolerance) as a prepared geometry, or None if no
    geography is loaded."""
    current = AdminUnit.objects.current().exclude(boundary=None)
    unit = current.filter(level=AdminUnit.Level.PROVINCE).first()
    boundary = unit.boundary if unit else current.communes().aggregate(u=Union("boundary"))["u"]
    if boundary is None:
        return None
    return boundary.buffer(PROVINCE_TOLERANCE_DEG).prepared


# A join rather than a subquery per point: the planner probes the boundary GiST index per
# point and PostGIS reuses the prepared polygon across rows (about twice as fast).
_COMMUNES_SQL = """
SELECT DISTINCT ON (p.i) p.i, u.id
FROM unnest(%(i)s::int[], %(x)s::float8[], %(y)s::float8[]) AS p(i, x, y)
JOIN geodata_adminunit u
  ON u.level = 'commune'
 AND (u.valid_from IS NULL OR u.valid_from <= %(day)s)
 AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
 AND ST_Covers(u.boundary, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
ORDER BY p.i, u.code
"""


def communes_at_points(points) -> list[int | None]:
    """Id of today's commune holding each point (None outside), in the order given; the same
    answer as selectors.commune_at_point, one query per 5,000 points instead of one each."""
    points = list(points)
    found: dict[int, int | None] = {}
    day = datetime.date.today()
    with connection.cursor() as cursor:
        for start in range(0, len(points), 5000):
            chunk = points[start:start + 5000]
            cursor.execute(_COMMUNES_SQL, {
                "day": day, "i": list(range(start, start + len(chunk))),
                "x": [p.x for p in chunk], "y": [p.y for p in chunk]})
            found.update(dict(cursor.fetchall()))
    return [found.get(i) for i in range(len(points))]
