"""Print jobs: choose assets, make one plaque each, draw one PDF, decode every QR in it, and
only then record the plaques as printed. The print centre page and `manage.py qrmap_print`
both call print_batch_create and print_batch_run.

Plaque codes are issued before drawing (an issued code is never reused, so a failed job only
wastes a few codes), the PDF is built and checked outside any transaction so that the batch's
progress is visible to the page that polls it, and the plaques are written in one
transaction at the end: a job that fails leaves no plaque behind. A job of more than one
part (assets.plaques.parts) is drawn and checked on QRMAP_PRINT_PROCESSES processes, part by
part on disk, and joined into the batch's file by streaming (assets.plaques.pdfjoin).
"""
import logging
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openlocationcode import openlocationcode as olc

from assets import access, rules, storage
from assets.errors import DomainError
from assets.models import Asset, IssuedCode, Plaque, PrintBatch
from assets.plaques.layout import TEMPLATES, PlaqueContent, PlaqueSizeError
from assets.plaques.parts import Part, parts_cut, parts_run, parts_run_inline
from assets.plaques.pdf import Cover, pages_plan, pdf_cover_write
from assets.plaques.pdfjoin import pdf_join
from assets.plaques.qr import qr_payload
from assets.selectors import asset_filter
from assets.services.codes import code_issue_bulk
from assets.services.plaques import plaques_issue_bulk
from geodata.jobs import job_beat, job_enqueue
from geodata.models import AdminUnit

log = logging.getLogger(__name__)
PAPERS = ("A4", "A3", "plaque")
# The template a kind gets when the job says "auto".
KIND_TEMPLATE = {"street": "street_sign", "heritage": "heritage", "public_work": "sticker"}
# A job is drawn in parts of this many plaques (whole pages), a few parts per process so
# that both stay busy to the end; each part embeds its own font subsets (~60 KB).
PART_MIN, PART_MAX = 25, 250
RECORD_SLICE = 1000  # plaques recorded per query (one transaction for the job)
BEAT_SECONDS = 5  # a heartbeat at least this often, whatever the progress


class PrintJobError(Exception):
    """The job cannot produce a PDF that scans; the message says why (and which plaque)."""


@dataclass
class Selection:
    printable: list[Asset]
    skipped: list[tuple[str, str]]  # (label, reason)


def print_selection(*, user, commune: str = "", kind: str = "", category: str = "",
                    status: str = "", codes: list[str] | None = None) -> Selection:
    """The assets a job would print, and those it skips with the reason. PermissionDenied when
    the user asks for a commune or an asset outside the user's communes."""
    access.require(access.user_can_print(user=user), _("You may not print plaques."))
    assets = Asset.objects.select_related("commune")
    if commune:
        unit = AdminUnit.objects.current().communes().filter(code=commune).first()
        if unit is None:
            raise PrintJobError(_("No commune with code %(code)s.") % {"code": commune})
        access.require(access.commune_in_scope(user=user, commune_id=unit.pk),
                       _("%(name)s is not one of your communes.") % {"name": unit.name})
        assets = assets.filter(commune=unit)
    assets = asset_filter(assets, kind=kind, category=category, status=status)
    skipped = []
    if codes:
        from assets import codes as code_rules

        wanted = [code_rules.normalize(c) for c in codes if c.strip()]
        assets = assets.filter(code__in=wanted)
        found = set(assets.values_list("code", flat=True))
        skipped += [(c, _("no asset has this code")) for c in wanted if c not in found]
    printable = []
    for asset in assets.order_by("commune__name", "kind", "name_vi"):
        if not access.asset_can_print(user=user, asset=asset):
            if codes:
                raise DomainError.forbidden(_("%(asset)s is outside your communes.")
                                            % {"asset": asset})
            continue  # a province-wide filter: silently only the user's own communes
        reason = rules.print_refusal(status=asset.status,
                                     position_verified=asset.position_verified)
        if reason:
            skipped.append((f"{asset.grouped_code} {asset.name_vi}", reason))
        else:
            printable.append(asset)
    return Selection(printable, skipped)


def print_batch_create(*, user, template: str = "auto", paper: str = "A4", copies: int = 1,
                       width_mm: int = 0, height_mm: int = 0, scan_distance_m: float = 0,
                       **filters) -> PrintBatch:
    """Check the request and record a queued batch (run it with print_batch_run)."""
    if template != "auto" and template not in TEMPLATES:
        raise PrintJobError(_("Unknown template %(t)s.") % {"t": template})
    if paper not in PAPERS:
        raise PrintJobError(_("Unknown paper %(p)s.") % {"p": paper})
    selection = print_selection(user=user, **filters)
    return PrintBatch.objects.create(
        created_by=user if getattr(user, "pk", None) else None, template=template, paper=paper,
        parameters={"filters": filters, "copies": copies, "width_mm": width_mm,
                    "height_mm": height_mm, "scan_distance_m": scan_distance_m,
                    "assets": [a.pk for a in selection.printable]},
        total=len(selection.printable) * copies, skipped=[list(s) for s in selection.skipped],
    )


def _template_of(batch: PrintBatch, kind: str) -> str:
    return batch.template if batch.template != "auto" else KIND_TEMPLATE[kind]


def _size_of(batch: PrintBatch, template: str) -> tuple[float, float]:
    spec = TEMPLATES[template]
    params = batch.parameters
    return params.get("width_mm") or spec.width_mm, params.get("height_mm") or spec.height_mm


def _plaque_for(asset: Asset, batch: PrintBatch, code: str) -> Plaque:
    template = _template_of(batch, asset.kind)
    width, height = _size_of(batch, template)
    return Plaque(
        asset=asset, template=template, code=code, width_mm=width, height_mm=height,
        mount_distance_m=batch.parameters.get("scan_distance_m")
        or TEMPLATES[template].scan_distance_m,
        status=Plaque.Status.PRINTED, batch=batch, printed_at=timezone.now(),
    )


def plaque_content(*, plaque: Plaque, base_url: str | None = None) -> PlaqueContent:
    """What one plaque says, in plain strings for the layout."""
    asset = plaque.asset
    rank = asset.get_heritage_rank_display() if asset.heritage_rank else ""
    place = asset.commune.name if asset.commune_id else ""
    languages = {code.strip() for code in plaque.languages.split(",")}
    return PlaqueContent(
        template=plaque.template, payload=qr_payload(code=plaque.code, base_url=base_url),
        grouped_code=plaque.grouped_code,
        plus_code=olc.encode(asset.location.y, asset.location.x, 10),
        # The plaque's language set decides which of the names it carries (vi always).
        name_vi=asset.name_vi, name_en=asset.name_en if "en" in languages else "",
        name_zh=asset.name_zh if "zh" in languages else "", rank=rank,
        description=asset.description_vi, place=place,
        label=f"{plaque.grouped_code} {asset.name_vi}", width_mm=plaque.width_mm,
        height_mm=plaque.height_mm, scan_distance_m=plaque.mount_distance_m,
    )


def print_batch_run(*, batch: PrintBatch,
                    progress: Callable[[str, int, int], None] | None = None) -> PrintBatch:
    """Draw, check and record the batch; the batch says done or failed (with the reason).
    A worker claims the batch first (geodata.jobs.job_claim); a command runs it directly."""
    if batch.status != PrintBatch.Status.RUNNING:
        batch.status, batch.progress, batch.message = PrintBatch.Status.RUNNING, 0, ""
        job_beat(batch, fields=("status", "progress", "message"))
    try:
        _run(batch, progress)
    except (PrintJobError, PlaqueSizeError) as error:
        batch.status, batch.message = PrintBatch.Status.FAILED, str(error)
        batch.save(update_fields=["status", "message"])
        raise PrintJobError(str(error)) from error
    except Exception as error:
        log.exception("print batch %s failed", batch.pk)
        batch.status, batch.message = PrintBatch.Status.FAILED, repr(error)
        batch.save(update_fields=["status", "message"])
        raise
    return batch


@dataclass
class _Job:
    """A batch being run: the asset and the code of each plaque, in plaque order."""

    batch: PrintBatch
    assets: list[int]
    codes: list[str]

    def plaques(self, indexes) -> dict[int, Plaque]:
        """The plaques at these indexes, their assets loaded (a part's worth at a time)."""
        # The commune's boundary is the heaviest column of the join and no plaque needs it.
        assets = Asset.objects.select_related("commune").defer(
            "commune__boundary", "commune__label_point").in_bulk(
            {self.assets[i] for i in indexes})
        return {i: _plaque_for(assets[self.assets[i]], self.batch, self.codes[i])
                for i in indexes}


def _run(batch: PrintBatch, progress) -> None:
    copies = batch.parameters.get("copies", 1)
    kinds = dict(Asset.objects.filter(pk__in=batch.parameters["assets"])
                 .values_list("pk", "kind"))
    chosen = [pk for pk in batch.parameters["assets"] if pk in kinds for _i in range(copies)]
    if not chosen:
        raise PrintJobError(_("Nothing to print: no verified asset matches."))
    # Codes first (the QR needs them); a failed job only wastes codes, never reuses one.
    job = _Job(batch, chosen, code_issue_bulk(owner=IssuedCode.Owner.PLAQUE,
                                              count=len(chosen)))
    pages = pages_plan([_size_of(batch, _template_of(batch, kinds[pk])) for pk in chosen],
                       batch.paper)
    batch.total = 2 * len(chosen)  # drawing, then decoding
    job_beat(batch, fields=("total",))
    folder = print_parts_folder(batch)
    clock = [time.monotonic()]
    try:
        parts = _render(job, pages, folder, _Progress(batch, progress))
        clock.append(time.monotonic())
        name = batch.file.field.generate_filename(batch, "plaques.pdf")  # a random name
        path = Path(batch.file.storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf_join(parts, path)
        clock.append(time.monotonic())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        _record(job, name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    clock.append(time.monotonic())
    log.info("print batch %s: %d plaques in %d parts drawn and decoded in %.1f s, joined in "
             "%.1f s, recorded in %.1f s", batch.pk, len(chosen), len(parts) - 1,
             *(b - a for a, b in zip(clock, clock[1:], strict=False)))


def _render(job: _Job, pages, folder: Path, progress) -> list[Path]:
    """Draw and check every part of the job; returns the files, cover first."""
    total = len(job.assets)
    size = max(PART_MIN, min(PART_MAX, -(-total // (4 * settings.QRMAP_PRINT_PROCESSES))))
    cuts = parts_cut(pages, size)
    rows: list = [None] * total

    def parts():
        for k, (first, end) in enumerate(cuts):
            plaques = job.plaques([i for _s, slots in pages[first:end] for i, _x, _y in slots])
            for i, p in plaques.items():
                rows[i] = (p.grouped_code, p.asset.name_vi, str(p.get_template_display()),
                           f"{p.width_mm}×{p.height_mm}")
            contents = {i: plaque_content(plaque=p) for i, p in plaques.items()}
            yield Part(folder / f"part-{k:05d}.pdf", pages[first:end], contents)

    def cover():  # in the parent while the pool draws the last parts
        pdf_cover_write(folder / "cover.pdf", cover=_cover(job.batch, rows), pages=pages)

    if settings.QRMAP_PRINT_PROCESSES > 1 and len(cuts) > 1:
        failures = parts_run(parts(), processes=settings.QRMAP_PRINT_PROCESSES,
                             progress=progress, meanwhile=cover)
    else:
        failures = parts_run_inline(parts(), progress=progress, meanwhile=cover)
    if failures:
        raise PrintJobError(_("The QR check failed, nothing was recorded: %(list)s")
                            % {"list": "; ".join(str(f) for f in failures)})
    return [folder / "cover.pdf", *(folder / f"part-{k:05d}.pdf" for k in range(len(cuts)))]


def _record(job: _Job, name: str) -> None:
    batch = job.batch
    with transaction.atomic():
        # The same checks as one plaque_issue (scope, role, verified and active), at the
        # moment the plaques are recorded: an asset retired meanwhile fails the job.
        for start in range(0, len(job.assets), RECORD_SLICE):
            plaques = job.plaques(range(start, min(start + RECORD_SLICE, len(job.assets))))
            try:
                plaques_issue_bulk(user=batch.created_by or access.SYSTEM,
                                   plaques=list(plaques.values()))
            except DomainError as error:
                raise PrintJobError(error.message) from error
        batch.file.name = name
        batch.status, batch.message = PrintBatch.Status.DONE, ""
        batch.save(update_fields=["file", "status", "message"])


class _Progress:
    """progress(drawn, decoded) of the parts: the batch's progress and heartbeat (about 50
    writes a job, and at least one every few seconds), and the caller's callback."""

    def __init__(self, batch: PrintBatch, callback):
        self.batch, self.callback = batch, callback
        self.step = max(1, batch.total // 100)
        self.saved, self.saved_at, self.last = 0, time.monotonic(), (0, 0)

    def __call__(self, drawn: int, decoded: int) -> None:
        batch, total = self.batch, self.batch.total // 2
        batch.progress = drawn + decoded
        if (batch.progress - self.saved >= self.step or batch.progress == batch.total
                or time.monotonic() - self.saved_at > BEAT_SECONDS):
            job_beat(batch)
            self.saved, self.saved_at = batch.progress, time.monotonic()
        if self.callback and (drawn, decoded) != self.last:
            if drawn != self.last[0]:
                self.callback("draw", drawn, total)
            if decoded != self.last[1]:
                self.callback("verify", decoded, total)
            self.last = (drawn, decoded)


def print_parts_folder(batch: PrintBatch) -> Path:
    """A new folder for the part files of this run of the batch, in the private files area;
    the parts a killed run of the same batch left behind are removed."""
    root = Path(settings.QRMAP_PRIVATE_ROOT) / storage.PRINT / "parts"
    for stale in root.glob(f"{batch.pk}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = root / f"{batch.pk}-{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    return folder


def _cover(batch: PrintBatch, rows: list) -> Cover:
    local = timezone.localtime(batch.created_at)
    filters = batch.parameters.get("filters", {})
    facts = [
        (_("Printed by"), str(batch.created_by or "—")),
        (_("Date"), local.strftime("%Y-%m-%d %H:%M")),
        (_("Paper"), batch.paper),
        (_("Plaques"), str(len(rows))),
        (_("Selection"), ", ".join(f"{k}={v}" for k, v in filters.items() if v) or _("all")),
        (_("QR links to"), settings.QRMAP_PUBLIC_BASE_URL.upper() + "/Q/…"),
    ]
    return Cover(title=_("Print batch %(n)s — %(count)d plaques")
                 % {"n": batch.pk, "count": len(rows)},
                 facts=facts, rows=rows, skipped=[tuple(s) for s in batch.skipped])


def print_batch_start(*, batch: PrintBatch) -> None:
    """Queue the batch for a Celery worker (the print centre polls its progress); inline with
    QRMAP_JOBS_INLINE (tests of the print job itself, one-off scripts)."""
    if not settings.QRMAP_JOBS_INLINE:
        job_enqueue(batch)
        return
    try:
        print_batch_run(batch=batch)
    except PrintJobError:
        pass  # recorded on the batch
