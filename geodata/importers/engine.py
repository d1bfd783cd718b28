"""The import engine: a file's rows → checked model values → one transaction.

`import_plan` reads and checks every row and touches nothing; `import_commit` writes the
plan's good rows in one transaction, and only when no row is refused or the user chose to
commit the good rows. The staff screen and the command call the same two functions.
"""
import gc
from contextlib import contextmanager

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
from geodata.importers.layers import Layer
from geodata.importers.limits import geometry_vertices_refusal
from geodata.importers.mapping import mapping_guess
from geodata.importers.plan import ImportPlan, ImportRefused, RowResult
from geodata.importers.rows import RowState, first_text, rows_check
from geodata.importers.sources import SourceTable
from geodata.importers.text import number_parse


@contextmanager
def collector_paused():
    """Pause Python's cycle collector for an import. A plan holds a few container objects per
    row that all live until the plan is dropped, and every full collection walks each of
    them again: half the CPU of checking 100,000 rows went to collections that found nothing.
    Rows make no reference cycles, so reference counting frees them as usual meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
            row.label = first_text(row.source)
            oversized.add(row.number)
    return oversized


def import_plan(*, table: SourceTable, layer: Layer, mapping: dict | None = None,
                srid: int | None = None, swap_fix: bool = False, user=None,
                progress=None) -> ImportPlan:
    """Check every row of a file against a layer, for the user who will commit it (the
    layer refuses rows outside the user's role and scope); nothing is written."""
    with collector_paused():
        return _plan(table=table, layer=layer, mapping=mapping, srid=srid, swap_fix=swap_fix,
                     user=user, progress=progress)


def _plan(*, table, layer, mapping, srid, swap_fix, user, progress) -> ImportPlan:
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
    rows_check(RowState(table, layer, full, crs, swap_fix), rows, skip=oversized,
               progress=progress)
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
    with collector_paused(), transaction.atomic():
        plan.layer.rows_write(new, updates, user=user)
    plan.committed = True
    return plan.counts
