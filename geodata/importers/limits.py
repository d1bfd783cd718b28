"""Vertex caps of an import, checked on the file's own (OGR) geometries before any GEOS or
PostGIS work: building, repairing and locating a polygon costs time in its vertex count, and
a single polygon of a million vertices held a web worker for half a minute on every preview.

Counting walks the parts and rings through GDAL's C API on borrowed pointers: no coordinate
is copied into Python and no part is cloned, so a million-vertex ring counts in microseconds.
"""
from django.conf import settings
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.prototypes import geom as capi
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def vertex_count(geom: OGRGeometry | None) -> int:
    """Vertices of an OGR geometry, all parts and rings together (0 for none).

    >>> vertex_count(OGRGeometry("POLYGON ((0 0, 2 0, 2 2, 0 0), (1 .5, 1.5 .5, 1.5 1, 1 .5))"))
    8
    >>> vertex_count(OGRGeometry("MULTIPOINT (1 2, 3 4, 5 6)")), vertex_count(None)
    (3, 0)
    """
    if geom is None:
        return 0
    return _count(geom.ptr) if hasattr(geom, "ptr") else 1  # sources.FilePoint: one


def _count(ptr) -> int:
    parts = capi.get_geom_count(ptr)  # 0 for a point or a line: they have points, not parts
    if not parts:
        return capi.get_point_count(ptr)
    return sum(_count(capi.get_geom_ref(ptr, i)) for i in range(parts))


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def geometry_vertices_refusal(*, vertices: int, number: int) -> str:
    """Why the row is refused when its geometry has more vertices than accepted, else ""."""
    cap = settings.QRMAP_IMPORT_MAX_VERTICES_PER_GEOMETRY
    if vertices <= cap:
        return ""
    return _("row %(row)s: the geometry has %(n)s vertices; at most %(max)s are accepted "
             "(simplify it or split it into smaller parts)") % {
        "row": number, "n": _n(vertices), "max": _n(cap)}


def file_vertices_refusal(*, vertices: int) -> str:
    """Why the whole file is refused when its geometries add up to too many vertices, else ""."""
    cap = settings.QRMAP_IMPORT_MAX_VERTICES_PER_FILE
    if vertices <= cap:
        return ""
    return _("The file holds more than %(max)s vertices, the limit for one import: split it "
             "into smaller files or simplify its geometries.") % {"max": _n(cap)}
