"""The checks of a file's rows: its cells become model values, its geometry a checked
geometry in the storage SRID, or the row is refused with the reason.

Rows go by chunks of CHUNK. A plain point (two coordinate columns, or a file's point
geometry) of a layer that takes them in bulk (`Layer.bulk_points`) is checked with its
chunk at once (points.py: one PROJ call, one SQL statement for the province); every other
row, and any point the bulk path cannot read, takes the row-by-row path through OGR and
GEOS. Both apply the same checks in the same order with the same messages.
"""
import math

from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.error import GDALException
from django.utils.translation import gettext as _

from geodata.importers import crs as crsmod
from geodata.importers import points
from geodata.importers.geometry import GeometryRefused, geometry_from_ogr, geometry_repair
from geodata.importers.layers import RowError
from geodata.importers.limits import file_vertices_refusal, geometry_vertices_refusal, vertex_count
from geodata.importers.places import province_outline
from geodata.importers.sources import FilePoint, SourceRefused
from geodata.importers.text import number_parse

CHUNK = 10_000


class RowState:
    """Per-plan state shared by the row checks (transform, province, geometry source)."""

    def __init__(self, table, layer, mapping, crs, swap_fix):
        self.layer, self.mapping, self.crs, self.swap_fix = layer, mapping, crs, swap_fix
        self.source = table.name
        self.transform = crsmod.transform_to_storage(crs.srs) if crs.srs else None
        self.geographic = crsmod.is_geographic(crs.srs)
        self.outline = province_outline() if layer.check_province else None
        self.province = self.outline.prepared if self.outline is not None else None
        self.wkt_vertices = 0  # of WKT cells; the file's own geometries were counted when read
        # The fields a row can fill or must: (field, column or "", geometry?), in order.
        self.cells = [(f, mapping.get(f.name) or "", getattr(f, "geometry", False))
                      for f in layer.fields if mapping.get(f.name) or f.required]
        self.bulk = layer.bulk_points
        self.proj = points.transformer(crs.srs) if self.bulk else None

    def wkt(self, text: str, number: int) -> OGRGeometry:
        """A WKT cell as OGR, refused (row, or whole file) past the vertex caps."""
        geom = OGRGeometry(text)
        vertices = vertex_count(geom)
        refusal = geometry_vertices_refusal(vertices=vertices, number=number)
        if refusal:
            raise RowError(refusal)
        self.wkt_vertices += vertices
        refusal = file_vertices_refusal(vertices=self.wkt_vertices)
        if refusal:
            raise SourceRefused(refusal)
        return geom

    def xy(self, row) -> tuple[float, float] | None:
        """The row's point as two numbers in the file's coordinates, or None when the row
        is not a plain point (no coordinates, a line, WKT): the row-by-row path decides."""
        m = self.mapping
        if m.get("x") and m.get("y"):
            xs, ys = row.source.get(m["x"], ""), row.source.get(m["y"], "")
            if not xs and not ys:
                return None
            try:
                return number_parse(xs), number_parse(ys)
            except ValueError as exc:
                raise RowError(_("unreadable coordinates (%s)") % exc) from None
        geom = row.geometry
        if m.get("wkt") or geom is None or geom.geom_name.upper() != "POINT" or geom.empty:
            return None
        return geom.x, geom.y

    def ogr(self, row) -> OGRGeometry | None:
        m = self.mapping
        try:
            if m.get("x") and m.get("y"):
                xs, ys = row.source.get(m["x"], ""), row.source.get(m["y"], "")
                if not xs and not ys:
                    return None
                return _point(number_parse(xs), number_parse(ys))
            if m.get("wkt"):
                text = row.source.get(m["wkt"], "")
                return self.wkt(text, row.number) if text else None
            if isinstance(row.geometry, FilePoint):
                return _point(row.geometry.x, row.geometry.y)
            return row.geometry.clone() if row.geometry is not None else None
        except (RowError, SourceRefused):
            raise  # the vertex caps: their own message
        except (ValueError, GDALException) as exc:
            raise RowError(_("unreadable coordinates (%s)") % exc) from None

    def storage(self, geom: OGRGeometry):
        """Transform to EPSG:4326, drop Z, and repair (GeometryRefused)."""
        if geom.is_3d:
            geom.set_3d(False)
        if self.transform is not None:
            try:
                geom.transform(self.transform)
            except GDALException as exc:
                raise GeometryRefused(_("cannot transform (%s)") % exc) from None
        geos, notes = geometry_from_ogr(geom)
        geos.srid = crsmod.STORAGE_SRID
        geos, more = geometry_repair(geos)
        return geos, notes + more

    def text_geometry(self, text: str, number: int):
        """A WKT cell (e.g. an asset's shape) in the file's coordinate system."""
        try:
            return self.storage(self.wkt(text, number))
        except GDALException as exc:
            raise RowError(_("unreadable geometry (%s)") % exc) from None

    def inside(self, geos) -> bool:
        point = geos if geos.geom_type == "Point" else geos.point_on_surface
        return self.province is None or self.province.covers(point)


def _row_geometry(state: RowState, row, ogr: OGRGeometry):
    """The row's geometry in 4326, checked against the province (swap detection)."""
    original = ogr.clone()
    geos, notes = state.storage(ogr)
    row.messages += notes
    if state.inside(geos):
        return geos
    if state.geographic and geos.geom_type == "Point":
        swapped = OGRGeometry(f"POINT ({original.y!r} {original.x!r})")
        try:
            candidate, _notes = state.storage(swapped)
        except GeometryRefused:
            candidate = None
        if candidate is not None and state.inside(candidate):
            row.swap = "fixed" if state.swap_fix else "suspected"
            if state.swap_fix:
                row.messages.append(points.swap_fixed())
                return candidate
            raise RowError(points.swap_suspected())
    raise RowError(points.outside_refusal(geos.centroid.x, geos.centroid.y))


def _row_values(state: RowState, row) -> dict:
    values = {}
    source = row.source
    for fld, column, geometry in state.cells:
        text = source.get(column, "").strip() if column else ""
        if not text:
            if fld.required:
                raise RowError(_("%(field)s is empty") % {"field": fld.label})
            continue
        if geometry:
            geos, notes = state.text_geometry(text, row.number)
            row.messages += notes
            values[fld.name] = geos
            continue
        try:
            values[fld.name] = fld.parse(text)
        except RowError as exc:
            raise RowError(f"{fld.label}: {exc}") from None
    return values


def _row_finish(state: RowState, row, values: dict, geometry) -> None:
    row.fields = state.layer.row_build(values, geometry, source=state.source)
    row.label = state.layer.row_label(row.fields)


def _refuse(row, exc) -> None:
    row.refuse(exc)
    row.label = row.label or first_text(row.source)


def row_check(state: RowState, row) -> None:
    """Check one row the row-by-row way (OGR and GEOS)."""
    try:
        values = _row_values(state, row)
        ogr = state.ogr(row)
        geometry = _row_geometry(state, row, ogr) if ogr is not None else None
        _row_finish(state, row, values, geometry)
    except (RowError, GeometryRefused) as exc:
        _refuse(row, exc)


def first_text(source: dict) -> str:
    return next((v for v in source.values() if v and not v[:1].isdigit()), "")[:80]


def _chunk_check(state: RowState, rows: list) -> None:
    """A chunk of rows: cells and coordinates row by row, then the chunk's points at once."""
    pending = []  # (row, values, (x, y)) waiting for the bulk point check
    for row in rows:
        if not state.bulk:
            row_check(state, row)
            continue
        try:
            values = _row_values(state, row)
            xy = state.xy(row)
        except (RowError, GeometryRefused) as exc:
            _refuse(row, exc)
            continue
        if xy is None:
            row_check(state, row)
        else:
            pending.append((row, values, xy))
    if not pending:
        return
    checked = points.points_check([xy for _row, _values, xy in pending], transform=state.proj,
                                  area=state.outline, geographic=state.geographic,
                                  swap_fix=state.swap_fix)
    for (row, values, _xy), (location, swap, refusal) in zip(pending, checked, strict=True):
        if location is None:  # PROJ could not transform it: the OGR path words why
            row_check(state, row)
            continue
        row.swap = swap
        try:
            if refusal:
                raise RowError(refusal)
            if swap == "fixed":
                row.messages.append(points.swap_fixed())
            _row_finish(state, row, values, location)
        except RowError as exc:
            _refuse(row, exc)


def rows_check(state: RowState, rows: list, *, skip: set[int], progress=None) -> None:
    """Check every row but those numbered in `skip`, chunk by chunk, reporting progress."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        _chunk_check(state, [row for row in chunk if row.number not in skip])
        if progress:
            progress(start + len(chunk), len(rows))


def _point(x: float, y: float) -> OGRGeometry:
    """A point of the file's coordinates; refused when one is not finite: "nan" in a cell,
    or a GeoJSON 1e400, which reads as infinity and has no WKT."""
    if not (math.isfinite(x) and math.isfinite(y)):
        raise RowError(_("unreadable coordinates (%s)") % _("not a finite number"))
    return OGRGeometry(f"POINT ({x!r} {y!r})")
