"""Staff import screen (upload → preview → commit → result) and exports. Thin: the work is
done by assets.importers and geodata.importers, which the command calls as well."""
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assets.importers.exports import EXPORTS, export_file
from assets.importers.run import import_file_plan
from assets.importers.uploads import upload_finish, upload_meta, upload_store
from assets.models import Asset
from geodata.importers import crs
from geodata.importers.engine import ImportRefused, import_commit
from geodata.importers.export import FORMATS
from geodata.importers.registry import import_layers
from geodata.importers.report import report_csv
from geodata.importers.sources import SUFFIXES, SourceRefused
from geodata.models import AdminUnit

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
    srid = params.get("srid") or None
    return {"mapping": mapping, "srid": int(srid) if srid and srid.isdigit() else None,
            "swap_fix": params.get("swap_fix") == "1"}


def _plan(request, meta, params):
    layer = _layer_or_403(request.user, meta["layer"])
    options = _options(params, layer)
    plan = import_file_plan(path=Path(meta["path"]), layer=layer.name, name=meta["name"],
                            user=request.user, **options)
    return layer, plan, options


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
        "formats": list(FORMATS), "filters": _export_filters()}, status=400 if error else 200)


def _export_filters() -> dict:
    """Choices of the export filter form (the same values the list filters take)."""
    return {"kinds": Asset.Kind.choices, "categories": Asset.Category.choices,
            "statuses": Asset.Status.choices,
            "communes": AdminUnit.objects.current().communes().order_by("name")
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
    try:
        layer, plan, options = _plan(request, meta, request.POST)
        counts = import_commit(plan=plan, commit_good_rows=request.POST.get("good_rows") == "1",
                               user=request.user)
    except (SourceRefused, ValueError) as exc:
        if not isinstance(exc, ImportRefused):
            return render(request, "staff/import_refused.html",
                          {"meta": meta, "error": str(exc)}, status=400)
        context = _preview_context(token, meta, layer, plan, options, error=str(exc))
        return render(request, "staff/import_preview.html", context, status=400)
    refused = [{"number": r.number, "label": r.label, "messages": r.messages}
               for r in plan.refused]
    # The map opens on the first new or updated asset (/maps/assets/?focus=<code>).
    focus = next((r.fields.get("code") or getattr(r.instance, "code", "") for r in plan.rows
                  if r.status in ("new", "updated")), "") if layer.name == "assets" else ""
    upload_finish(meta=meta, result={"counts": counts, "refused": refused, "focus": focus,
                                     "swapped": plan.swapped}, report=report_csv(plan))
    return redirect("staff:import_result", token=token)


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
            text = report_csv(_plan(request, meta, request.GET)[1])
        except (SourceRefused, ValueError) as exc:
            return HttpResponseBadRequest(str(exc))
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
