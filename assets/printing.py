"""Print jobs: choose assets, make one plaque each, draw one PDF, decode every QR in it, and
only then record the plaques as printed. The print centre page and `manage.py qrmap_print`
both call print_batch_create and print_batch_run.

Plaque codes are issued before drawing (an issued code is never reused, so a failed job only
wastes a few codes), the PDF is built and checked outside any transaction so that the batch's
progress is visible to the page that polls it, and the plaques are written in one
transaction at the end: a job that fails leaves no plaque behind.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openlocationcode import openlocationcode as olc

from assets import access, rules
from assets.errors import DomainError
from assets.models import Asset, IssuedCode, Plaque, PrintBatch
from assets.plaques.layout import TEMPLATES, PlaqueContent, PlaqueSizeError, layout_plaque
from assets.plaques.pdf import Cover, pdf_build
from assets.plaques.qr import base_url_for, qr_payload, qr_symbol
from assets.plaques.verify import pdf_verify
from assets.selectors import asset_filter
from assets.services.codes import code_issue_bulk
from assets.services.plaques import plaques_issue_bulk
from geodata.jobs import job_beat, job_enqueue
from geodata.models import AdminUnit

log = logging.getLogger(__name__)
PAPERS = ("A4", "A3", "plaque")
# The template a kind gets when the job says "auto".
KIND_TEMPLATE = {"street": "street_sign", "heritage": "heritage", "public_work": "sticker"}


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


def _plaque_for(asset: Asset, batch: PrintBatch, code: str) -> Plaque:
    params = batch.parameters
    template = batch.template if batch.template != "auto" else KIND_TEMPLATE[asset.kind]
    spec = TEMPLATES[template]
    return Plaque(
        asset=asset, template=template, code=code,
        width_mm=params.get("width_mm") or spec.width_mm,
        height_mm=params.get("height_mm") or spec.height_mm,
        mount_distance_m=params.get("scan_distance_m") or spec.scan_distance_m,
        status=Plaque.Status.PRINTED, batch=batch, printed_at=timezone.now(),
    )


def asset_base_url(asset: Asset) -> str:
    """The base URL the asset's plaques carry: its province's own, or the default."""
    return base_url_for(asset.province.code if asset.province_id else None)


def plaque_content(*, plaque: Plaque, base_url: str | None = None) -> PlaqueContent:
    """What one plaque says, in plain strings for the layout (the QR link: the asset's
    province's base URL unless `base_url` is given)."""
    asset = plaque.asset
    base_url = base_url or asset_base_url(asset)
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


def _run(batch: PrintBatch, progress) -> None:
    assets = Asset.objects.select_related("commune", "province").in_bulk(
        batch.parameters["assets"])
    copies = batch.parameters.get("copies", 1)
    chosen = [assets[pk] for pk in batch.parameters["assets"] if pk in assets
              for _i in range(copies)]
    if not chosen:
        raise PrintJobError(_("Nothing to print: no verified asset matches."))
    # Codes first (the QR needs them); a failed job only wastes codes, never reuses one.
    fresh = code_issue_bulk(owner=IssuedCode.Owner.PLAQUE, count=len(chosen))
    plaques = [_plaque_for(asset, batch, code) for asset, code in zip(chosen, fresh, strict=True)]
    contents = [plaque_content(plaque=p) for p in plaques]
    layouts = [layout_plaque(c, qr_symbol(c.payload)) for c in contents]
    total = len(plaques)
    step = max(1, total // 50)  # about 50 progress writes a job, whatever its size

    def tick(stage, base):
        def report(done):
            if done % step == 0 or done == total:
                batch.progress = base + done
                job_beat(batch)
                if progress:
                    progress(stage, done, total)
        return report

    batch.total = 2 * total  # drawing, then decoding
    job_beat(batch, fields=("total",))
    pdf, placements = pdf_build(layouts=layouts, paper=batch.paper,
                                cover=_cover(batch, plaques), progress=tick("draw", 0))
    failures = pdf_verify(pdf=pdf, placements=placements, expected=[c.payload for c in contents],
                          labels=[c.label for c in contents], progress=tick("verify", total))
    if failures:
        raise PrintJobError(_("The QR check failed, nothing was recorded: %(list)s")
                            % {"list": "; ".join(str(f) for f in failures)})
    with transaction.atomic():
        # The same checks as one plaque_issue (scope, role, verified and active), at the
        # moment the plaques are recorded: an asset retired meanwhile fails the job.
        try:
            plaques_issue_bulk(user=batch.created_by or access.SYSTEM, plaques=plaques)
        except DomainError as error:
            raise PrintJobError(error.message) from error
        batch.file.save("plaques.pdf", ContentFile(pdf), save=False)  # a random private name
        batch.status, batch.message = PrintBatch.Status.DONE, ""
        batch.save(update_fields=["file", "status", "message"])


def _cover(batch: PrintBatch, plaques: list[Plaque]) -> Cover:
    local = timezone.localtime(batch.created_at)
    filters = batch.parameters.get("filters", {})
    facts = [
        (_("Printed by"), str(batch.created_by or "—")),
        (_("Date"), local.strftime("%Y-%m-%d %H:%M")),
        (_("Paper"), batch.paper),
        (_("Plaques"), str(len(plaques))),
        (_("Selection"), ", ".join(f"{k}={v}" for k, v in filters.items() if v) or _("all")),
        (_("QR links to"), ", ".join(sorted({asset_base_url(p.asset).upper() + "/Q/…"
                                             for p in plaques}))),
    ]
    rows = [(p.grouped_code, p.asset.name_vi, str(p.get_template_display()),
             f"{p.width_mm}×{p.height_mm}") for p in plaques]
    return Cover(title=_("Print batch %(n)s — %(count)d plaques")
                 % {"n": batch.pk, "count": len(plaques)},
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
