"""Literals of a CQL2 filter (assets.ogc.filtering), checked against the queryable they meet:
text, numbers, booleans, DATE and TIMESTAMP, and geometries (WKT or GeoJSON, or BBOX), whose
vertices are counted and coordinates checked before GEOS builds anything."""
import dataclasses
import datetime
import json
import math

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _
from pygeofilter import ast, values

from geodata.params import ParamError, bbox_parse

MAX_VERTICES = 1_000
MAX_INTEGER = 2**31 - 1


def filter_error(message):
    return ParamError("filter", message)


def short(text):
    text = str(text)
    return text if len(text) <= 40 else f"{text[:40]}…"


def named(node):
    if isinstance(node, ast.Function):
        return _("the function %(name)s") % {"name": short(node.name).upper()}
    if isinstance(node, ast.Node):
        return type(node).__name__
    return _("the value %(value)s") % {"value": short(repr(node))}


def enum_check(queryable, listed):
    enum = queryable.enum
    if enum and any(value not in enum for value in listed):
        raise filter_error(_("%(name)s takes %(values)s.") % {"name": queryable.name,
                                                        "values": ", ".join(enum)})


def literal(node, queryable):
    """The Python value of a literal, if it has the queryable's type."""
    kind = queryable.format or queryable.type
    ok = {
        "string": isinstance(node, str) and "\x00" not in node,
        "boolean": isinstance(node, bool),
        "integer": number(node) and float(node).is_integer() and abs(node) <= MAX_INTEGER,
        "number": number(node),
        "date": type(node) is datetime.date,
        "date-time": isinstance(node, datetime.date),
    }.get(kind, False)
    if not ok:
        raise filter_error(_("%(name)s takes %(type)s, not %(what)s.") % {
            "name": queryable.name, "type": _type_label(kind), "what": named(node)})
    if kind == "date-time" and type(node) is datetime.date:
        node = datetime.datetime.combine(node, datetime.time.min, tzinfo=datetime.UTC)
    elif kind == "date-time" and node.tzinfo is None:
        node = node.replace(tzinfo=datetime.UTC)
    return node


def number(node):
    return (isinstance(node, (int, float)) and not isinstance(node, bool)
            and math.isfinite(node))


def _type_label(kind):
    return {"string": _("text in single quotes"), "boolean": _("true or false"),
            "integer": _("an integer"), "number": _("a number"),
            "date": "DATE('YYYY-MM-DD')",
            "date-time": "TIMESTAMP('YYYY-MM-DDThh:mm:ssZ')"}.get(kind, kind)


def geometry_literal(node):
    """A GEOS geometry in CRS84 from a WKT/GeoJSON literal or BBOX(...), its vertices
    counted and its coordinates checked before GEOS parses it."""
    if isinstance(node, ast.Function) and node.name == "bbox":
        return _bbox(node.arguments)
    if isinstance(node, values.Envelope):
        # pygeofilter's cql2-json parser fills the fields with the bbox array in order
        # (x1, x2, y1, y2 = min_lon, min_lat, max_lon, max_lat): read them in that order.
        return _bbox(list(dataclasses.astuple(node)))
    if not isinstance(node, values.Geometry):
        raise filter_error(_("A spatial function takes a geometry, not %(what)s.")
                     % {"what": named(node)})
    shape = node.geometry
    crs = (shape.get("crs") or {}).get("properties", {}).get("name")
    if crs not in (None, "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84"):
        raise filter_error(_("Geometries are in CRS84 (longitude, latitude), not %(crs)s.")
                     % {"crs": short(crs)})
    _positions_check(shape, [0])
    try:
        geometry = GEOSGeometry(json.dumps({k: v for k, v in shape.items() if k != "crs"}),
                                srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError):
        raise filter_error(_("The geometry is not valid.")) from None
    if geometry.empty or not geometry.valid:
        raise filter_error(_("The geometry is not valid: %(reason)s.")
                     % {"reason": geometry.valid_reason})
    return geometry


def _positions_check(shape, count):
    """Count positions (refusing more than MAX_VERTICES) and check each one's range."""
    parts = shape.get("geometries") if isinstance(shape, dict) else None
    if parts is not None:
        for part in parts:
            _positions_check(part, count)
        return
    stack = [shape.get("coordinates") if isinstance(shape, dict) else None]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and item and all(map(number, item)):
            count[0] += 1
            if count[0] > MAX_VERTICES:
                raise filter_error(_("A geometry has at most %(n)d vertices.")
                                   % {"n": MAX_VERTICES})
            if len(item) < 2 or abs(item[0]) > 180 or abs(item[1]) > 90:
                raise filter_error(_("Longitudes lie within ±180 and latitudes within ±90."))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        else:
            raise filter_error(_("The geometry is not valid."))


def _bbox(numbers):
    if not all(map(number, numbers)):
        raise filter_error(_("BBOX takes 4 or 6 numbers."))
    try:
        return bbox_parse(",".join(repr(float(n)) for n in numbers), parameter="filter")
    except ParamError as error:
        raise filter_error(f"BBOX: {error.message}") from None
