"""Staff import screen (upload → preview → commit → result) and exports. Thin: the work is
done by assets.importers and geodata.importers, which the command calls as well."""
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assets.importers.exports import EXPORTS, export_file
from assets.importers.jobs import import_in_background, import_job_request, plan_stored
from assets.importers.run import import_file_plan, import_finish
from assets.importers.uploads import upload_meta, upload_store
from assets.models import Asset, ImportJob
from geodata.importers import crs
from geodata.importers.engine import ImportRefused, import_commit
from geodata.importers.export import EXPORT_CHOICES, FORMATS
from geodata.importers.registry import import_layers
from geodata.importers.report import report_csv
from geodata.importers.sources import SUFFIXES, SourceRefused
from geodata.models import AdminUnit
from geodata.params import is_whole

PREVIEW_ROWS = 10
LISTED_PROBLEMS = 300


def _layers_for(user) -> dict:
    if not (user.is_active and user.is_staff):
        return {}
    return {n: layer for n, layer in import_layers().items() if user.has_perm(layer.permission)}


def _layer_or_403(user, name):
    layers = _layers_for(user)
    if name not in layers:
        raise PermissionDenied
    return layers[name]


def _options(params, layer) -> dict:
    """Mapping, coordinate system and swap fix from the preview form."""
    mapping = {f.name: params.get(f"map-{f.name}", "") for f in layer.all_fields()
               if f"map-{f.name}" in params}
    srid = params.get("srid") or ""
    return {"mapping": mapping, "srid": int(srid) if is_whole(srid, digits=9) else None,
            "swap_fix": params.get("swap_fix") == "1"}


def _plan(request, meta, params):
    """(layer, plan, options); the plan is None while a worker checks a large file."""
    layer = _layer_or_403(request.user, meta["layer"])
    options = _options(params, layer)
    if import_in_background(meta=meta):
        return layer, plan_stored(meta=meta, options=options), options
    plan = import_file_plan(path=Path(meta["path"]), layer=layer.name, name=meta["name"],
                            user=request.user, **options)
    return layer, plan, options


def _job_page(request, meta, job):
    """A worker is on it: the page shows its progress and reloads itself (no script needed)."""
    if job.status == ImportJob.Status.FAILED:
        return render(request, "staff/import_refused.html", {"meta": meta, "error": job.message},
                      status=400)
    return render(request, "staff/import_job.html", {"meta": meta, "job": job}, status=202)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    layers = _layers_for(request.user)
    if not layers:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        upload, layer = request.FILES.get("file"), request.POST.get("layer", "")
        if layer not in layers:
            error = _("Choose what the file holds.")
        elif upload is None:
            error = _("Choose a file.")
        elif upload.size > settings.QRMAP_MAX_IMPORT_BYTES:
            error = _("The file is %(mb).1f MB; the limit is %(max).0f MB.") % {
                "mb": upload.size / 2**20, "max": settings.QRMAP_MAX_IMPORT_BYTES / 2**20}
        elif Path(upload.name).suffix.lower() not in SUFFIXES:
            error = _("Unsupported file type: use CSV, GeoJSON, a zipped Shapefile, GeoPackage, "
                      "KML or KMZ.")
        else:
            token = upload_store(file=upload, user=request.user, layer=layer)
            return redirect("staff:import_preview", token=token)
    return render(request, "staff/import_upload.html", {
        "layers": layers, "error": error, "max_mb": settings.QRMAP_MAX_IMPORT_BYTES // 2**20,
        "exports": [(n, import_layers()[n].label) for n in EXPORTS
                    if request.user.has_perm(EXPORT_PERMISSIONS[n])],
        "formats": list(FORMATS), "filters": _export_filters(), "srid_choices": EXPORT_CHOICES},
        status=400 if error else 200)


def _export_filters() -> dict:
    """Choices of the export filter form (the same values the list filters take)."""
    return {"kinds": Asset.Kind.choices, "categories": Asset.Category.choices,
            "statuses": Asset.Status.choices,
            "communes": AdminUnit.objects.current().communes().in_name_order()
            .values_list("code", "name")}


@login_required
def import_preview(request, token):
    meta = upload_meta(token=token, user=request.user)
    if meta["result"]:
        return redirect("staff:import_result", token=token)
    try:
        layer, plan, options = _plan(request, meta, request.GET)
    except (SourceRefused, ValueError) as exc:
        return render(request, "staff/import_refused.html", {"meta": meta, "error": str(exc)},
                      status=400)
    if plan is None:
        return _job_page(request, meta, import_job_request(
            meta=meta, kind=ImportJob.Kind.PREVIEW, options=options, user=request.user))
    return render(request, "staff/import_preview.html", _preview_context(
        token, meta, layer, plan, options, error=request.GET.get("error", "")))


def _preview_context(token, meta, layer, plan, options, error=""):
    fields = [{"field": f, "column": plan.mapping.get(f.name, "")} for f in layer.all_fields()]
    return {
        "token": token, "meta": meta, "layer": layer, "plan": plan, "fields": fields,
        "columns": plan.table.columns, "counts": plan.counts, "options": options,
        "first_rows": [(r, [r.source.get(c, "") for c in plan.table.columns])
                       for r in plan.rows[:PREVIEW_ROWS]],
        "problems": plan.refused[:LISTED_PROBLEMS],
        "noted": [r for r in plan.rows if r.status != "refused" and r.messages][:LISTED_PROBLEMS],
        "srid_choices": crs.CHOICES, "error": error,
        "swap_suspects": sum(1 for r in plan.rows if r.swap == "suspected"),
    }


@login_required
@require_POST
def import_confirm(request, token):
    meta = upload_meta(token=token, user=request.user)
    if meta["result"]:
        return redirect("staff:import_result", token=token)
    good_rows = request.POST.get("good_rows") == "1"
    try:
        layer, plan, options = _plan(request, meta, request.POST)
        if import_in_background(meta=meta):
            job = import_job_request(meta=meta, kind=ImportJob.Kind.COMMIT,
                                     options={**options, "good_rows": good_rows},
                                     user=request.user)
            return redirect("staff:import_job", token=token, pk=job.pk)
        counts = import_commit(plan=plan, commit_good_rows=good_rows, user=request.user)
    except (SourceRefused, ValueError) as exc:
        if not isinstance(exc, ImportRefused):
            return render(request, "staff/import_refused.html",
                          {"meta": meta, "error": str(exc)}, status=400)
        context = _preview_context(token, meta, layer, plan, options, error=str(exc))
        return render(request, "staff/import_preview.html", context, status=400)
    import_finish(meta=meta, plan=plan, counts=counts)
    return redirect("staff:import_result", token=token)


@login_required
def import_job(request, token, pk):
    """A commit under way in a worker: its progress, then the result (or the preview with the
    reason nothing was saved)."""
    meta = upload_meta(token=token, user=request.user)
    job = get_object_or_404(ImportJob, pk=pk, token=token, created_by=request.user)
    if meta["result"]:
        return redirect("staff:import_result", token=token)
    if job.status == ImportJob.Status.FAILED:
        query = urlencode({k: v for k, v in _form_params(job.options).items()}
                          | {"error": job.message})
        return redirect(reverse("staff:import_preview", args=[token]) + f"?{query}")
    return render(request, "staff/import_job.html", {"meta": meta, "job": job}, status=202)


def _form_params(options: dict) -> dict:
    """The preview form's parameters for these options (to go back to the same preview)."""
    params = {f"map-{k}": v for k, v in options.get("mapping", {}).items()}
    if options.get("srid"):
        params["srid"] = options["srid"]
    if options.get("swap_fix"):
        params["swap_fix"] = "1"
    return params


@login_required
def import_result(request, token):
    meta = upload_meta(token=token, user=request.user)
    if not meta["result"]:
        return redirect("staff:import_preview", token=token)
    return render(request, "staff/import_result.html", {
        "token": token, "meta": meta, "result": meta["result"],
        "counts": meta["result"]["counts"], "refused": meta["result"]["refused"],
        "map_url": _map_url(meta),
    })


def _map_url(meta) -> str:
    """The asset map (/maps/assets/, mounted in qrmap.urls), opened on an imported asset."""
    if meta["layer"] != "assets":
        return ""
    focus = meta["result"].get("focus")
    return reverse("maps:assets") + (f"?{urlencode({'focus': focus})}" if focus else "")


@login_required
def import_report(request, token):
    """The row report as CSV: the stored one after a commit, else the current preview's."""
    meta = upload_meta(token=token, user=request.user)
    if meta["result"]:
        text = (Path(meta["folder"]) / "report.csv").read_text(encoding="utf-8")
    else:
        try:
            plan = _plan(request, meta, request.GET)[1]
        except (SourceRefused, ValueError) as exc:
            return HttpResponseBadRequest(str(exc))
        if plan is None:
            return HttpResponseBadRequest(_("The file is still being checked; try again soon."))
        text = report_csv(plan)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = Path(meta["name"]).stem
    response["Content-Disposition"] = f'attachment; filename="{name}-report.csv"'
    return response


EXPORT_PERMISSIONS = {"assets": "assets.view_asset", "hamlets": "geodata.view_hamlet",
                      "cellsites": "geodata.view_cellsite"}


@login_required
def export_download(request, layer, fmt):
    """Assets, hamlets or cell sites as CSV, GeoJSON or GeoPackage, filtered like the lists."""
    if layer not in EXPORTS or fmt not in FORMATS:
        raise Http404
    if not (request.user.is_staff and request.user.has_perm(EXPORT_PERMISSIONS[layer])):
        raise PermissionDenied
    try:
        data = export_file(layer=layer, fmt=fmt, user=request.user, params=request.GET.dict())
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    content_type, suffix = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qrmap-{layer}.{suffix}"'
    return response
