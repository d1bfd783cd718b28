"""Geometry repair: fix what has one obvious fix, refuse what has several.

- An unclosed ring (the last vertex not repeating the first) is closed: there is only one
  way to close it. GEOS cannot even build such a ring, so this happens on the OGR side.
- A self-intersecting polygon goes through GEOS make_valid; the repair is kept only when it
  yields one polygon (a spike or a doubled vertex removed). A bow-tie falls apart into two
  triangles: which one was meant, or both, is a guess, so the row is refused.
"""
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _


class GeometryRefused(ValueError):
    """The row's geometry is empty or cannot be repaired without guessing."""


def _rings_open(geom: OGRGeometry) -> bool:
    if geom.geom_name.upper() in ("POLYGON", "MULTIPOLYGON"):
        polygons = [geom] if geom.geom_name.upper() == "POLYGON" else list(geom)
        for polygon in polygons:
            for ring in polygon:
                # First and last vertex only: ring.tuple copies every coordinate through
                # ctypes, 13 s for a ring of a million vertices.
                last = ring.point_count - 1
                if last > 0 and ring[0] != ring[last]:
                    return True
    return False


def geometry_from_ogr(geom: OGRGeometry | None) -> tuple[GEOSGeometry, list[str]]:
    """GEOS geometry of an OGR one, closing open rings; returns (geometry, notes)."""
    if geom is None or geom.empty:
        raise GeometryRefused(_("no geometry"))
    notes = []
    if _rings_open(geom):
        geom = geom.clone()
        geom.close_rings()
        notes.append(_("unclosed ring closed"))
    try:
        geos = GEOSGeometry(geom.wkb, srid=geom.srid)
    except (GEOSException, GDALException, ValueError) as exc:
        raise GeometryRefused(_("unreadable geometry (%s)") % exc) from exc
    return geos, notes


def _polygonal_parts(geom: GEOSGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    parts = []
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        for part in geom:
            parts.extend(_polygonal_parts(part))
    return parts


def geometry_repair(geom: GEOSGeometry) -> tuple[GEOSGeometry, list[str]]:
    """A valid version of the geometry when the repair is unambiguous; returns
    (geometry, notes) or raises GeometryRefused."""
    if geom.empty:
        raise GeometryRefused(_("empty geometry"))
    if geom.valid:
        return geom, []
    reason = geom.valid_reason
    # A coordinate that is not finite (a GeoJSON 1e400 reads as infinity) has no repair:
    # make_valid fails on it outright.
    if geom.geom_type in ("Polygon", "MultiPolygon") and \
            not reason.startswith("Invalid Coordinate"):
        try:
            fixed = geom.make_valid()
        except GEOSException as exc:
            raise GeometryRefused(_("invalid geometry (%s)") % reason) from exc
        parts = [p for p in _polygonal_parts(fixed) if p.area > 0]
        if geom.geom_type == "Polygon" and len(parts) == 1:
            parts[0].srid = geom.srid
            return parts[0], [_("invalid polygon repaired (%s)") % reason]
        if geom.geom_type == "MultiPolygon" and parts and len(parts) == len(geom):
            multi = MultiPolygon(*parts, srid=geom.srid)
            if multi.valid:
                return multi, [_("invalid polygon repaired (%s)") % reason]
        raise GeometryRefused(
            _("invalid polygon (%(why)s): a repair would split it into %(n)d pieces, "
              "so it is not guessed") % {"why": reason, "n": len(parts)})
    raise GeometryRefused(_("invalid geometry (%s)") % reason)
