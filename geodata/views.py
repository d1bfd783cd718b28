"""Coverage map (public) and the planner dashboard, its exports and its print view."""
import functools
import json

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from geodata.coverage import coverage_figures, coverage_proposal, coverage_scenario
from geodata.coverage.export import DATASETS, export_csv, export_geojson
from geodata.forms import (
    DEFAULT_RADIUS_M,
    SORTS,
    CoverageFilterForm,
    ProposalForm,
    ScenarioForm,
    planned_sites_text,
)
from geodata.maps import coverage_map, map_parts
from geodata.models import CellSite

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
    return sorted(units, key=lambda unit: (getattr(unit, key), unit.code), reverse=reverse_order)


def _coverage_etag(request, *args, **kwargs):
    """Same data, language and query: same page (HTTP caches may reuse it)."""
    from geodata.coverage.cache import coverage_fingerprint

    return f"{coverage_fingerprint()}-{get_language()}-{request.GET.urlencode()}"


@require_GET
@condition(etag_func=_coverage_etag)
def coverage_map_view(request):
    form, commune, _sort = _filters(request)
    figures = coverage_figures(commune=commune)
    fmap = coverage_map(figures=figures, commune=commune,
                        theme=request.GET.get("theme", "mobile"),
                        link=reverse("maps:coverage") + "?commune=")
    response = render(request, "geodata/coverage_map.html", {
        "map": map_parts(fmap), "figures": figures, "unit": figures.province,
        "commune": commune, "form": form,
    })
    # Public data: shared caches may keep it a few minutes, then revalidate with the ETag.
    response["Cache-Control"] = "public, max-age=300"
    return response


def _planning(request, commune):
    """Run the scenario or the proposal the request asks for, else the plain figures."""
    action = request.GET.get("action")
    scenario_data = request.GET if action == "scenario" else None
    if action == "scenario" and request.GET.get("from") == "registry":
        scenario_data = {"sites": planned_sites_text(),
                         "radius": request.GET.get("radius") or DEFAULT_RADIUS_M}
    scenario_form = ScenarioForm(scenario_data, initial={"radius": DEFAULT_RADIUS_M})
    proposal_form = ProposalForm(request.GET if action == "proposal" else None)
    planned_in_registry = CellSite.objects.filter(status=CellSite.Status.PLANNED).count()
    result = {"scenario_form": scenario_form, "proposal_form": proposal_form,
              "registry_planned": planned_in_registry,
              "action": action, "gains": None, "scenario": None}
    if action == "scenario" and scenario_form.is_valid():
        scenario = coverage_scenario(planned=scenario_form.cleaned_data["planned"],
                                     commune=commune)
        result.update(scenario=scenario, gains=scenario.gains, figures=scenario.before,
                      map_figures=scenario.after, gains_title=_("Planned sites (scenario)"))
    elif action == "proposal" and proposal_form.is_valid():
        data = proposal_form.cleaned_data
        result["gains"] = coverage_proposal(k=data["k"], radius_m=data["radius"],
                                            extra_points=data["extra_points"], commune=commune)
        result["gains_title"] = _("Proposed sites")
    if "figures" not in result:
        result["figures"] = result["map_figures"] = coverage_figures(commune=commune)
    return result


@require_GET
@planner_required
def planning_dashboard(request):
    form, commune, sort = _filters(request)
    context = _planning(request, commune)
    figures = context["figures"]
    fmap = coverage_map(figures=context["map_figures"], commune=commune,
                        gains=context["gains"], gains_title=context.get("gains_title", ""),
                        link=reverse("planning:dashboard") + "?commune=")
    context.update({
        "map": map_parts(fmap), "form": form, "commune": commune, "sort": sort,
        "unit": figures.province, "communes": _sorted_units(figures.communes, sort),
        "districts": figures.districts, "sorts": SORTS, "datasets": DATASETS,
        "query_commune": commune.code if commune else "",
    })
    return render(request, "geodata/dashboard.html", context)


@require_GET
@planner_required
def planning_export(request, dataset, fmt):
    if dataset not in DATASETS:
        raise Http404(_("No such list."))
    _form, commune, _sort = _filters(request)
    figures = coverage_figures(commune=commune)
    name = f"coverage-{dataset}{'-' + commune.code if commune else ''}"
    if fmt == "csv":
        response = HttpResponse(export_csv(figures, dataset),
                                content_type="text/csv; charset=utf-8")
    else:
        body = json.dumps(export_geojson(figures, dataset), ensure_ascii=False)
        response = HttpResponse(body, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@planner_required
def planning_print(request):
    _form, commune, sort = _filters(request)
    figures = coverage_figures(commune=commune)
    fmap = coverage_map(figures=figures, commune=commune, controls=False)
    return render(request, "geodata/print.html", {
        "map": map_parts(fmap), "unit": figures.province, "figures": figures,
        "commune": commune, "communes": _sorted_units(figures.communes, sort),
    })
