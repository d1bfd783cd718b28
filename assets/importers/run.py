"""One import, start to finish, as the command and the staff screen both run it: open the
file, plan with the mapping, and commit when asked."""
import shutil
import tempfile
from pathlib import Path

from assets.importers.uploads import upload_finish
from geodata.importers.engine import ImportPlan, import_commit, import_plan
from geodata.importers.registry import import_layers
from geodata.importers.report import report_csv
from geodata.importers.sources import source_open


def import_file_plan(*, path: Path, layer: str, mapping: dict | None = None,
                     srid: int | None = None, swap_fix: bool = False, name: str = "",
                     user=None, progress=None) -> ImportPlan:
    """Read and check a file for a layer (nothing is written); raises ValueError."""
    layers = import_layers()
    if layer not in layers:
        raise ValueError(f"unknown layer {layer!r}; choose one of {', '.join(layers)}")
    workdir = Path(tempfile.mkdtemp(prefix="qrmap-import-"))
    try:
        table = source_open(Path(path), workdir=workdir, name=name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return import_plan(table=table, layer=layers[layer], mapping=mapping, srid=srid,
                       swap_fix=swap_fix, user=user, progress=progress)


def import_file(*, path: Path, layer: str, commit: bool = False,
                commit_good_rows: bool = False, user=None, **options) -> ImportPlan:
    """Plan, and when `commit`, write in one transaction (ImportRefused: nothing written)."""
    plan = import_file_plan(path=path, layer=layer, user=user, **options)
    if commit:
        import_commit(plan=plan, commit_good_rows=commit_good_rows, user=user)
    return plan


def import_finish(*, meta: dict, plan: ImportPlan, counts: dict) -> None:
    """After a commit from the staff screen: keep the row report and the result summary."""
    refused = [{"number": r.number, "label": r.label, "messages": r.messages}
               for r in plan.refused]
    # The map opens on the first new or updated asset (/maps/assets/?focus=<code>).
    focus = next((r.fields.get("code") or getattr(r.instance, "code", "") for r in plan.rows
                  if r.status in ("new", "updated")), "") if plan.layer.name == "assets" else ""
    upload_finish(meta=meta, result={"counts": counts, "refused": refused, "focus": focus,
                                     "swapped": plan.swapped}, report=report_csv(plan))
