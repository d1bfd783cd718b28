"""OGC API – Features Part 2 (Coordinate Reference Systems by Reference): the `crs` and
`bbox-crs` parameters, the `Content-Crs` header and the lists of systems on offer.

The systems are those the importer reads (geodata.importers.crs): VN-2000 in the province's
TM-3 zone first, as provincial GIS staff work in it, then WGS 84 and the other VN-2000 forms.
Features are transformed by PostGIS inside the query that encodes them (ST_Transform in
ST_AsGeoJSON, one statement per page); spatial_ref_sys holds the TM-3 zones with their datum
shift since migration geodata 0012. Axis order follows the EPSG definitions, as Part 2 asks:
EPSG:4326 and EPSG:4756 are latitude first, CRS84 longitude first, the projected systems
easting then northing.
"""
import math
import re
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import AsGeoJSON, GeoFunc, Transform
from django.contrib.gis.geos import LineString, Polygon
from django.utils.translation import gettext as _

from geodata.importers import crs as vn
from geodata.importers.points import transformer
from geodata.params import ParamError, bbox_parse, numbers_parse

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"
STORAGE_CRS = CRS84  # EPSG:4326 stored longitude first, as PostGIS keeps it: that is CRS84
CURIE = re.compile(r"\[?(EPSG|OGC):([0-9A-Za-z.]{1,12})\]?")
# Seven decimals of a degree (about 1 cm) and three of a metre: more would only add bytes.
DEGREE_DECIMALS, METRE_DECIMALS = 7, 3
# Points along each side of a projected bbox: its sides are curves in longitude/latitude.
BBOX_SIDE_POINTS = 16
# Projected coordinates beyond this many metres are no place on Earth in any offered zone.
METRES_LIMIT = 1e8


@dataclass(frozen=True)
class OutputCrs:
    uri: str
    srid: int
    lat_first: bool  # EPSG's geographic systems: latitude, longitude
    projected: bool

    @property
    def label(self) -> str:
        return "CRS84" if self.uri == CRS84 else f"EPSG:{self.srid}"


def _epsg(srid, *, projected=True, lat_first=False):
    return OutputCrs(f"{EPSG_URI}{srid}", srid, lat_first, projected)


OFFERED = {c.uri: c for c in [
    _epsg(vn.LANG_SON_TM3),
    OutputCrs(CRS84, vn.STORAGE_SRID, lat_first=False, projected=False),
    _epsg(vn.STORAGE_SRID, projected=False, lat_first=True),
    _epsg(vn.VN2000_GEOGRAPHIC, projected=False, lat_first=True),
    *(_epsg(srid) for srid in vn.VN2000_UTM),
    *(_epsg(srid) for srid in vn.VN2000_TM3 if srid != vn.LANG_SON_TM3),
]}


class CrsRefused(ParamError):
    """A crs or bbox-crs the server does not offer, or a bbox it cannot place."""


def crs_uris() -> list[str]:
    """The URIs of the offered systems, the province's TM-3 zone first."""
    return list(OFFERED)


def crs_parse(text: str | None, parameter: str = "crs") -> OutputCrs:
    """The offered system a URI (or a CURIE such as EPSG:9215 or [OGC:CRS84]) names; CRS84
    when none is given.

    >>> crs_parse("EPSG:9215").uri
    'http://www.opengis.net/def/crs/EPSG/0/9215'
    >>> crs_parse("[OGC:CRS84]").lat_first, crs_parse(EPSG_URI + "4326").lat_first
    (False, True)
    """
    if text is None:
        return OFFERED[CRS84]
    found = OFFERED.get(text.strip())
    match = CURIE.fullmatch(text.strip())
    if found is None and match:
        authority, code = match.groups()
        found = OFFERED.get(CRS84 if (authority, code) == ("OGC", "CRS84")
                            else f"{EPSG_URI}{code}" if authority == "EPSG" else "")
    if found is None:
        raise CrsRefused(parameter, _("%(parameter)s %(value)s is not offered; use one of "
                                      "the URIs the collection lists under crs, such as "
                                      "%(example)s.") % {
            "parameter": parameter, "value": text[:80], "example": f"{EPSG_URI}{vn.LANG_SON_TM3}"})
    return found


class FlipCoordinates(GeoFunc):
    """PostGIS ST_FlipCoordinates: y first, for the latitude-first systems."""

    function = "ST_FlipCoordinates"


def geojson_expression(field: str, crs: OutputCrs) -> AsGeoJSON:
    """ST_AsGeoJSON of the geometry in `crs`, transformed and flipped by PostGIS."""
    geometry = field
    if crs.srid != vn.STORAGE_SRID:
        geometry = Transform(field, crs.srid)
    if crs.lat_first:
        geometry = FlipCoordinates(geometry)
    decimals = METRE_DECIMALS if crs.projected else DEGREE_DECIMALS
    return AsGeoJSON(geometry, precision=decimals)


def bbox_area(text: str, crs: OutputCrs, parameter: str = "bbox") -> Polygon:
    """The storage-SRID area of a bbox given in `crs` (its axis order): the rule of
    geodata.params for CRS84, the importer's PROJ transform for the others."""
    if crs.uri == CRS84:
        return bbox_parse(text, parameter=parameter)
    axes = ("min_lat,min_lon,max_lat,max_lon" if crs.lat_first
            else "min_easting,min_northing,max_easting,max_northing")
    values = numbers_parse(text, parameter=parameter, count=4, label=axes)
    if crs.lat_first:
        values = [values[1], values[0], values[3], values[2]]
    low_x, low_y, high_x, high_y = values
    if low_x > high_x or low_y > high_y:
        raise ParamError(parameter, _("The minimum must not exceed the maximum."))
    limit = METRES_LIMIT if crs.projected else 180
    if max(abs(v) for v in values) > limit or (not crs.projected and max(
            abs(low_y), abs(high_y)) > 90):
        raise _off_area(parameter, crs, axes)
    if crs.srid == vn.STORAGE_SRID:
        area = Polygon.from_bbox(values)  # EPSG:4326 is CRS84 with the axes swapped
        area.srid = vn.STORAGE_SRID
        return area
    return _transformed(values, crs, parameter, axes)


def _transformed(values, crs, parameter, axes) -> Polygon:
    low_x, low_y, high_x, high_y = values
    steps = [i / BBOX_SIDE_POINTS for i in range(BBOX_SIDE_POINTS)]
    ring = ([(low_x + (high_x - low_x) * t, low_y) for t in steps]
            + [(high_x, low_y + (high_y - low_y) * t) for t in steps]
            + [(high_x - (high_x - low_x) * t, high_y) for t in steps]
            + [(low_x, high_y - (high_y - low_y) * t) for t in steps])
    xs, ys = zip(*ring, strict=True)
    lons, lats = transformer(vn.srs_from_srid(crs.srid)).transform(xs, ys, errcheck=False)
    points = list(zip(lons, lats, strict=True))
    if not all(math.isfinite(v) for point in points for v in point):
        raise _off_area(parameter, crs, axes)
    area = Polygon([*points, points[0]], srid=vn.STORAGE_SRID)
    if not area.valid:  # a box of no width or height: the line or point it is
        area = LineString(points, srid=vn.STORAGE_SRID).convex_hull
    if not area.intersects(Polygon.from_bbox(vn.VN2000_AREA)):
        raise _off_area(parameter, crs, axes)
    return area


def _off_area(parameter, crs, axes) -> CrsRefused:
    return CrsRefused(parameter, _("This bbox is no place in %(crs)s's area; are its numbers "
                                   "in the order %(axes)s?") % {"crs": crs.label, "axes": axes})
