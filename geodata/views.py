"""Coverage map (public) and the planner dashboard, its exports, its print view and the
progress of its analyses (geodata.analysis)."""
import functools
import json
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from geodata.analysis import (
    AnalysisRefused,
    analysis_job_get,
    analysis_parameters,
    analysis_request,
)
from geodata.coverage import coverage_figures, coverage_sums
from geodata.coverage.export import DATASETS, export_csv, export_geojson
from geodata.coverage.results import gains_of, scenario_of
from geodata.forms import (
    DEFAULT_RADIUS_M,
    SORTS,
    CoverageFilterForm,
    ProposalForm,
    ScenarioForm,
    planned_sites_text,
)
from geodata.importers.export import export_srid
from geodata.maps import map_parts
from geodata.models import CellSite
from geodata.overview import coverage_overview
from geodata.tile_maps import coverage_tile_map
from geodata.tiles import cached_per_version, data_version
from qrmap.collation import vietnamese_key
from qrmap.i18n import language_parse, language_short

# Planners hold this permission through the "planner" group (assets/access.py makes it);
# checked by name so that geodata never imports assets.
PLANNER_PERMISSION = "geodata.view_hamlet"


def planner_required(view):
    """Sign-in first; then 403 for users who are not planners."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PLANNER_PERMISSION):
            raise PermissionDenied(_("The planner dashboard is for planners."))
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request):
    form = CoverageFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["commune"], form.cleaned_data["sort"] or "gaps"
    return CoverageFilterForm(), None, "gaps"


def _sorted_units(units, sort):
    key, _label = SORTS.get(sort, SORTS["gaps"])
    reverse_order = key.startswith("-")
    key = key.lstrip("-")
    if key == "name":  # Vietnamese alphabetical order, not code points
        return sorted(units, key=lambda unit: (vietnamese_key(unit.name), unit.code))
    return sorted(units, key=lambda unit: (getattr(unit, key), unit.code), reverse=reverse_order)


def _coverage_etag(request, *args, **kwargs):
    """Same data, language and query: same page (HTTP caches may reuse it). The data
    version of the tiles, moved by any write, costs a fraction of a millisecond where the
    coverage fingerprint costs half a second at national size."""
    return f"{data_version()}-{get_language()}-{request.GET.urlencode()}"


@require_GET
@condition(etag_func=_coverage_etag)
def coverage_map_view(request):
    """The public map: its features come from /tiles/, so the page stays small at any
    size; the figures (the province's are cached per data) read without the map."""
    form, commune, _sort = _filters(request)
    unit = (coverage_sums(commune=commune).province if commune is not None
            else cached_per_version("province-figures", lambda: coverage_sums().province))
    fmap = coverage_tile_map(commune=commune, theme=request.GET.get("theme", "mobile"),
                             link=reverse("maps:coverage") + "?commune=", overview=True)
    asked = language_parse(request.GET.get("lang"))
    list_query = {"commune": commune.code if commune else "",
                  "lang": language_short(asked) if asked else ""}
    response = render(request, "geodata/coverage_map.html", {
        "map": map_parts(fmap), "unit": unit, "commune": commune, "form": form,
        # The hamlets at the first paint, before the map's scripts and tiles (issue 13).
        "overview": coverage_overview(commune=commune),
        "list_query": urlencode({k: v for k, v in list_query.items() if v}),
    })
    # Public data: shared caches may keep it a few minutes, then revalidate with the ETag.
    response["Cache-Control"] = "public, max-age=300"
    return response


def _planning(request, commune):
    """The scenario or the proposal the request asks for (geodata.analysis decides where it
    runs: here, in a worker, or not at all when its result is kept), else the plain figures."""
    action = request.GET.get("action")
    scenario_data = request.GET if action == "scenario" else None
    if action == "scenario" and request.GET.get("from") == "registry":
        scenario_data = {"sites": planned_sites_text(),
                         "radius": request.GET.get("radius") or DEFAULT_RADIUS_M}
    scenario_form = ScenarioForm(scenario_data, initial={"radius": DEFAULT_RADIUS_M})
    proposal_form = ProposalForm(request.GET if action == "proposal" else None)
    planned_in_registry = CellSite.objects.filter(status=CellSite.Status.PLANNED).count()
    figures = coverage_figures(commune=commune)
    context = {"scenario_form": scenario_form, "proposal_form": proposal_form,
               "registry_planned": planned_in_registry, "action": action, "gains": None,
               "scenario": None, "job": None, "figures": figures}
    form = {"scenario": scenario_form, "proposal": proposal_form}.get(action)
    if form is None or not form.is_valid():
        return context
    try:
        analysis = analysis_request(
            user=request.user, kind=action, commune=commune, again="again" in request.GET,
            parameters=analysis_parameters(kind=action, data=form.cleaned_data))
    except AnalysisRefused as error:
        form.add_error(None, str(error))
        return context
    if analysis.result is None:
        context["job"] = analysis.job  # queued, running or failed: the progress panel
        return context
    if action == "scenario":
        scenario = scenario_of(analysis.result, before=figures, commune=commune)
        context.update(scenario=scenario, gains=scenario.gains,
                       gains_title=_("Planned sites (scenario)"))
    else:
        context.update(gains=gains_of(analysis.result, figures.hamlets),
                       gains_title=_("Proposed sites"))
    return context


# The hamlet lists of the dashboard show this many rows each; the exports hold them all.
# At national size a list has tens of thousands: the page stays small whatever the data.
LIST_ROWS = 200


def hamlet_lists(figures) -> dict:
    """The dashboard's hamlet lists: (first LIST_ROWS rows, how many in all) each."""
    return {name: (rows[:LIST_ROWS], len(rows)) for name, rows in (
        ("gaps", figures.gaps), ("broadband_gaps", figures.broadband_gaps),
        ("disagreements", figures.disagreements))}


def _job_links(request, action):
    """The page again without "again" (what the progress panel reloads), and with it."""
    query = request.GET.copy()
    query.pop("again", None)
    return {"refresh_url": f"?{query.urlencode()}#{action}",
            "again_url": f"?{query.urlencode()}&again=1#{action}"}


@require_GET
@planner_required
def planning_dashboard(request):
    form, commune, sort = _filters(request)
    context = _planning(request, commune)
    figures = context["figures"]
    fmap = coverage_tile_map(commune=commune, gains=context["gains"],
                             gains_title=context.get("gains_title", ""),
                             link=reverse("planning:dashboard") + "?commune=")
    context.update({
        "map": map_parts(fmap), "form": form, "commune": commune, "sort": sort,
        "lists": hamlet_lists(figures),
        "unit": figures.province, "communes": _sorted_units(figures.communes, sort),
        "districts": figures.districts, "sorts": SORTS, "datasets": DATASETS,
        "query_commune": commune.code if commune else "",
    })
    job = context["job"]
    if job is not None:
        context.update(_job_links(request, context["action"]))
    # 202 while a worker computes: the page is there, the result is not yet.
    pending = job is not None and job.status in (job.Status.QUEUED, job.Status.RUNNING)
    return render(request, "geodata/dashboard.html", context, status=202 if pending else 200)


@require_GET
@planner_required
def analysis_job_status(request, pk):
    """The progress of one of the planner's own analyses, for the dashboard to poll."""
    job = analysis_job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404(_("No such analysis."))
    response = JsonResponse({
        "status": job.status, "status_label": str(job.get_status_display()),
        "progress": job.progress, "total": job.total, "message": job.message,
        "done": job.status == job.Status.DONE, "failed": job.status == job.Status.FAILED,
    })
    response["Cache-Control"] = "no-store"  # it changes from one poll to the next
    return response


@require_GET
@planner_required
def planning_export(request, dataset, fmt):
    if dataset not in DATASETS:
        raise Http404(_("No such list."))
    _form, commune, _sort = _filters(request)
    try:
        srid = export_srid(request.GET.get("srid"))
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    figures = coverage_figures(commune=commune)
    name = f"coverage-{dataset}{'-' + commune.code if commune else ''}"
    if fmt == "csv":
        response = HttpResponse(export_csv(figures, dataset, srid),
                                content_type="text/csv; charset=utf-8")
    else:
        body = json.dumps(export_geojson(figures, dataset, srid), ensure_ascii=False)
        response = HttpResponse(body, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@planner_required
def planning_print(request):
    _form, commune, sort = _filters(request)
    figures = coverage_figures(commune=commune)
    fmap = coverage_tile_map(commune=commune, controls=False)
    return render(request, "geodata/print.html", {
        "map": map_parts(fmap), "unit": figures.province, "figures": figures,
        "commune": commune, "communes": _sorted_units(figures.communes, sort),
    })
