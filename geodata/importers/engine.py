"""The import engine: a file's rows → checked model values → one transaction.

`import_plan` reads and checks every row and touches nothing; `import_commit` writes the
plan's good rows in one transaction, and only when no row is refused or the user chose to
commit the good rows. The staff screen and the command call the same two functions.
"""
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.error import GDALException
from django.db import transaction
from django.utils.translation import gettext as _

from geodata.importers import crs as crsmod
from geodata.importers.duplicates import (
    NEW,
    UPDATED,
    duplicates_in_file,
    match_stored,
)
from geodata.importers.geometry import GeometryRefused, geometry_from_ogr, geometry_repair
from geodata.importers.layers import Layer, RowError
from geodata.importers.limits import file_vertices_refusal, geometry_vertices_refusal, vertex_count
from geodata.importers.mapping import mapping_guess
from geodata.importers.places import province_area
from geodata.importers.plan import ImportPlan, ImportRefused, RowResult
from geodata.importers.sources import SourceRefused, SourceTable
from geodata.importers.text import number_parse


class _Rows:
    """Per-plan state shared by the row checks (transform, province, geometry source)."""

    def __init__(self, table, layer, mapping, crs, swap_fix):
        self.layer, self.mapping, self.crs, self.swap_fix = layer, mapping, crs, swap_fix
        self.source = table.name
        self.transform = crsmod.transform_to_storage(crs.srs) if crs.srs else None
        self.geographic = crsmod.is_geographic(crs.srs)
        self.province = province_area() if layer.check_province else None
        self.wkt_vertices = 0  # of WKT cells; the file's own geometries were counted when read

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

    def ogr(self, row) -> OGRGeometry | None:
        m = self.mapping
        try:
            if m.get("x") and m.get("y"):
                xs, ys = row.source.get(m["x"], ""), row.source.get(m["y"], "")
                if not xs and not ys:
                    return None
                x, y = number_parse(xs), number_parse(ys)
                return OGRGeometry(f"POINT ({x!r} {y!r})")
            if m.get("wkt"):
                text = row.source.get(m["wkt"], "")
                return self.wkt(text, row.number) if text else None
        except (RowError, SourceRefused):
            raise  # the vertex caps: their own message
        except (ValueError, GDALException) as exc:
            raise RowError(_("unreadable coordinates (%s)") % exc) from None
        return row.geometry.clone() if row.geometry is not None else None

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


def _row_geometry(state: _Rows, row: RowResult, ogr: OGRGeometry):
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
                row.messages.append(_("latitude and longitude were swapped; fixed"))
                return candidate
            raise RowError(_("latitude and longitude look swapped (the swapped point lies in "
                             "the province); choose “fix swapped coordinates” to import it"))
    raise RowError(_("outside the province (%(x).5f, %(y).5f)")
                   % {"x": geos.centroid.x, "y": geos.centroid.y})


def _row_values(state: _Rows, row: RowResult) -> dict:
    values = {}
    for fld in state.layer.fields:
        column = state.mapping.get(fld.name)
        text = row.source.get(column, "").strip() if column else ""
        if not text:
            if fld.required:
                raise RowError(_("%(field)s is empty") % {"field": fld.label})
            continue
        if getattr(fld, "geometry", False):
            geos, notes = state.text_geometry(text, row.number)
            row.messages += notes
            values[fld.name] = geos
            continue
        try:
            values[fld.name] = fld.parse(text)
        except RowError as exc:
            raise RowError(f"{fld.label}: {exc}") from None
    return values


def _row_check(state: _Rows, row: RowResult) -> None:
    try:
        values = _row_values(state, row)
        ogr = state.ogr(row)
        geometry = _row_geometry(state, row, ogr) if ogr is not None else None
        row.fields = state.layer.row_build(values, geometry, source=state.source)
        row.label = state.layer.row_label(row.fields)
    except (RowError, GeometryRefused) as exc:
        row.refuse(exc)
        row.label = row.label or _first_text(row.source)


def _first_text(source: dict) -> str:
    return next((v for v in source.values() if v and not v[:1].isdigit()), "")[:80]


def _crs_pairs(table: SourceTable, mapping: dict, oversized: set[int]
               ) -> list[tuple[float, float]]:
    pairs = []
    for row in table.rows[:200]:
        if row.number in oversized:
            continue
        try:
            if mapping.get("x") and mapping.get("y"):
                pairs.append((number_parse(row.values.get(mapping["x"], "")),
                              number_parse(row.values.get(mapping["y"], ""))))
            elif mapping.get("wkt") and row.values.get(mapping["wkt"]):
                pairs.append(OGRGeometry(row.values[mapping["wkt"]]).envelope.tuple[:2])
            elif row.geometry is not None and not row.geometry.empty:
                # The envelope, not the centroid: GEOS cannot build an unclosed ring yet.
                pairs.append(row.geometry.envelope.tuple[:2])
        except (ValueError, GDALException):
            continue
    return pairs


def _oversized_refuse(rows: list[RowResult], table: SourceTable) -> set[int]:
    """Refuse the rows whose own geometry is past the vertex cap, before any geometry work
    (counted when the file was read); their numbers."""
    oversized = set()
    for row, source in zip(rows, table.rows, strict=True):
        refusal = geometry_vertices_refusal(vertices=source.vertices, number=row.number)
        if refusal:
            row.refuse(refusal)
            row.geometry = None  # nothing downstream may build it
            row.label = _first_text(row.source)
            oversized.add(row.number)
    return oversized


def import_plan(*, table: SourceTable, layer: Layer, mapping: dict | None = None,
                srid: int | None = None, swap_fix: bool = False, user=None,
                progress=None) -> ImportPlan:
    """Check every row of a file against a layer, for the user who will commit it (the
    layer refuses rows outside the user's role and scope); nothing is written."""
    full = mapping_guess(table.columns, layer.all_fields(), has_geometry=table.has_geometry)
    unknown = set(mapping or {}) - {f.name for f in layer.all_fields()}
    if unknown:
        raise ValueError(_("Unknown field(s): %s") % ", ".join(sorted(unknown)))
    missing = {c for c in (mapping or {}).values() if c and c not in table.columns}
    if missing:
        raise ValueError(_("No column %(missing)s in the file (columns: %(columns)s)") % {
            "missing": ", ".join(sorted(missing)), "columns": ", ".join(table.columns)})
    full.update(mapping or {})
    rows = [RowResult(r.number, r.values, geometry=r.geometry) for r in table.rows]
    oversized = _oversized_refuse(rows, table)
    crs = crsmod.crs_guess(file_srs=table.srs, srid=srid,
                           pairs=_crs_pairs(table, full, oversized))
    plan = ImportPlan(table, layer, full, crs, swap_fix, rows)
    if plan.needs_crs:
        for row in rows:
            row.refuse(_("the coordinates are not degrees and the file names no coordinate "
                         "system: choose one"))
        return plan
    state = _Rows(table, layer, full, crs, swap_fix)
    for i, row in enumerate(rows, start=1):
        if row.number not in oversized:
            _row_check(state, row)
        if progress and (i % 5000 == 0 or i == len(rows)):
            progress(i, len(rows))
    duplicates_in_file(layer, rows)
    match_stored(layer, rows)
    layer.rows_authorize(rows, user=user)
    return plan


def import_commit(*, plan: ImportPlan, commit_good_rows: bool = False, user=None) -> dict:
    """Write the plan in one transaction; refuse (write nothing) while rows are refused,
    unless commit_good_rows."""
    if plan.committed:
        raise ImportRefused(_("This import was already committed."))
    if plan.needs_crs:
        raise ImportRefused(_("Choose the coordinate system of the file first."))
    refused = len(plan.refused)
    if refused and not commit_good_rows:
        raise ImportRefused(
            _("%(n)d of %(total)d rows are refused, so nothing was saved. Fix the file, or "
              "choose to commit the good rows.") % {"n": refused, "total": len(plan.rows)})
    new = [row.fields for row in plan.rows if row.status == NEW]
    updates = [(row.instance, row.fields) for row in plan.rows if row.status == UPDATED]
    with transaction.atomic():
        plan.layer.rows_write(new, updates, user=user)
    plan.committed = True
    return plan.counts
