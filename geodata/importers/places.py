"""Where rows fall: the province, to refuse points outside it. (The commune of each point is
geodata.selectors.communes_at_points, one query for thousands of points.)"""
from django.contrib.gis.db.models import Union

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
