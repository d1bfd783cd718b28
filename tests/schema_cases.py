"""What schemathesis cannot know from the API schema, given to the valid parts of its cases
before they are sent, so that `positive_data_acceptance` tests the API and not the reach of
OpenAPI 3.0, and invalid bodies meet a real asset instead of a 404. The invalid parts of a
case are never touched.

- Data: a random code or id almost never exists (the server answers 404, which the check
  accepts, but then reads and writes never get past the lookup), and the few references that
  must name a real row (`replaced_by`, the `commune` of /api/coverage/communes/) are a 400 by
  design. Half of the path codes and ids (REST API and OGC API), and every such reference,
  are aimed at real rows.
- Rules across values, which the schema states in words only: a bbox's minimum does not
  exceed its maximum; `dist` needs `point`; a latitude lies within ±90 (OpenAPI 3.0 has no
  per-position bounds, so a position's numbers are bounded by ±180 only); only heritage
  sites have a heritage rank (the one the asset holds counts when a write changes the kind
  only); a shape is a valid, closed geometry; a bbox in another bbox-crs than CRS84 lies in
  that system's area, in its axis order (OGC API – Features Part 2); a CQL2 filter follows its
  grammar (valid filters are picked from a few every collection takes); an uploaded photo is
  an image (the schema can say "bytes" only).
"""
import io
import json

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from PIL import Image
from pyproj import CRS, Transformer
from schemathesis.core.parameters import ParameterLocation

from geodata.params import ParamError, geometry_check

REAL_COMMUNE = "05977"
SOMEWHERE = "106.7615,21.853"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
LANG_SON = (106.09, 21.32, 107.37, 22.47)  # EPSG's area of use of EPSG:9215


def _small_jpeg() -> bytes:
    """The smallest photo the upload takes: a 1 × 1 JPEG (a few hundred bytes)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "JPEG")
    return buffer.getvalue()


SMALL_JPEG = _small_jpeg()


def _valid_at(case, location) -> bool:
    """Whether the case's part at `location` was generated valid (the rest may not be)."""
    return case.meta is not None and not case.meta.is_negative_at(location)


def _path_aimed(case, real: dict) -> None:
    """Point half of the path codes and ids at real rows (`real`: collection -> key)."""
    collection = case.path.split("/")[2]
    for name, value in (case.path_parameters or {}).items():
        if collection in real and sum(map(ord, str(value))) % 2 == 0:
            case.path_parameters[name] = real[collection]


def _bbox_ordered(value):
    """The box with each minimum at most its maximum and its numbers in range, as text (the
    REST API's pattern, which states the ranges) or as OGC's array of numbers."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    if len(parts) not in (4, 6):
        return value
    lon, lat = (0, 2), (1, 3)  # min_lon,min_lat,max_lon,max_lat
    if len(parts) == 6:
        lon, lat = (0, 3), (1, 4)
    for pair, limit in ((lon, 180), (lat, 90)):
        for i in pair:  # out of range: the nearest bound (text in range stays as it is)
            if not -limit <= float(parts[i]) <= limit:
                parts[i] = type(parts[i])(limit if float(parts[i]) > 0 else -limit)
        low, high = pair
        if float(parts[low]) > float(parts[high]):
            parts[low], parts[high] = parts[high], parts[low]
    return ",".join(parts) if isinstance(value, str) else parts


# Filters every collection takes (the schema cannot state CQL2's grammar), in both languages.
VALID_FILTERS = {
    "cql2-text": ["S_INTERSECTS(geometry, BBOX(106, 21, 108, 23))", "geometry IS NOT NULL",
                  "NOT S_INTERSECTS(geometry, POINT(0 0))"],
    "cql2-json": ['{"op": "s_intersects", "args": [{"property": "geometry"}, '
                  '{"bbox": [106, 21, 108, 23]}]}',
                  '{"op": "not", "args": [{"op": "isNull", "args": [{"property": "geometry"}]}]}'],
}


def _query_repaired(case) -> None:
    query = case.query
    if "filter" in query:
        choices = VALID_FILTERS[query.get("filter-lang", "cql2-text")]
        query["filter"] = choices[sum(map(ord, str(query["filter"]))) % len(choices)]
    if case.path == "/api/coverage/communes/" and "commune" in query:
        query["commune"] = REAL_COMMUNE
    if "bbox" in query:
        query["bbox"] = _bbox_ordered(query["bbox"])
        if query.get("bbox-crs", CRS84) != CRS84:
            query["bbox"] = _province_bbox_in(query["bbox-crs"])
    if "dist" in query and "point" not in query:
        query["point"] = SOMEWHERE


def _province_bbox_in(uri: str) -> str:
    """Lạng Sơn's box in the system `uri` names, in that system's own axis order (pyproj
    keeps EPSG's order when always_xy is not set: latitude first for EPSG:4326)."""
    to = Transformer.from_crs(CRS.from_user_input(CRS84), CRS.from_user_input(uri))
    west, south, east, north = LANG_SON
    corners = [to.transform(x, y) for x in (west, east) for y in (south, north)]
    firsts, seconds = zip(*corners, strict=True)
    return ",".join(map(repr, [min(firsts), min(seconds), max(firsts), max(seconds)]))


def _latitude_bounded(geometry):
    """The same geometry with every latitude folded into ±90."""
    if isinstance(geometry, list):
        if len(geometry) == 2 and all(isinstance(n, (int, float)) for n in geometry):
            return [geometry[0], max(-90, min(90, geometry[1]))]
        return [_latitude_bounded(part) for part in geometry]
    if isinstance(geometry, dict):
        return {key: _latitude_bounded(value) if key == "coordinates" else value
                for key, value in geometry.items()}
    return geometry


def _inside_the_province(geometry):
    """A Point moved into Lạng Sơn, within about 1 km of the city centre, keeping the generated
    digits: the schema cannot say "inside a loaded province", which the services require
    (a point outside every province is refused with a 400, tested on its own elsewhere)."""
    if not (isinstance(geometry, dict) and geometry.get("type") == "Point"):
        return geometry
    xy = geometry.get("coordinates")
    if not (isinstance(xy, list) and len(xy) == 2
            and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in xy)):
        return geometry
    lon, lat = (float(n) for n in SOMEWHERE.split(","))
    return {**geometry, "coordinates": [lon + (xy[0] % 0.02) - 0.01, lat + (xy[1] % 0.02) - 0.01]}


def _shape_or_none(shape):
    """The shape if the server's geometry rules take it, else None (no shape)."""
    if not isinstance(shape, dict):
        return shape
    try:
        geometry = GEOSGeometry(json.dumps(shape))
        geometry_check(geometry, parameter="shape")
        return shape if geometry.valid else None
    except (GDALException, GEOSException, ParamError, ValueError, TypeError):
        return None


def _body_repaired(body: dict, real: dict) -> None:
    if "image" in body:  # a photo upload: the schema can say "bytes", not "a JPEG"
        body["image"] = SMALL_JPEG
    if body.get("replaced_by"):
        body["replaced_by"] = real["replacement"]
    if isinstance(body.get("geometry"), dict):
        body["geometry"] = _inside_the_province(_latitude_bounded(body["geometry"]))
    properties = body.get("properties")
    if not isinstance(properties, dict):
        return
    if properties.get("heritage_rank"):
        properties["kind"] = "heritage"
    elif properties.get("kind") not in (None, "heritage"):
        properties["heritage_rank"] = ""  # the asset may hold one from an earlier case
    if "shape" in properties:
        properties["shape"] = _shape_or_none(_latitude_bounded(properties["shape"]))


def case_prepare(case, real: dict) -> None:
    """Aim and repair the valid parts of a case in place (a negative case is negative in
    some of its parts only; those stay as generated)."""
    if case.path_parameters and _valid_at(case, ParameterLocation.PATH):
        _path_aimed(case, real)
    if case.query and _valid_at(case, ParameterLocation.QUERY):
        _query_repaired(case)
    if isinstance(case.body, dict) and _valid_at(case, ParameterLocation.BODY):
        _body_repaired(case.body, real)
