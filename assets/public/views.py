"""Public pages: the asset page a QR plaque opens, search, assets near a point, reports.

The asset page sets no cookie and touches no session (no `Vary: Cookie`, so proxies can
cache it), and the language comes from `?lang=` or Accept-Language, never from a cookie.
"""
from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from assets import codes, pluscodes
from assets.cache import page_cache_generation
from assets.errors import DomainError
from assets.public.pages import (
    asset_page_build,
    code_resolve_cached,
    distance_label,
    served_page_get,
    served_page_set,
)
from assets.public.reports import (
    LIMIT_CLIENT,
    ReportForm,
    report_limit_count,
    report_limit_reached,
    report_script_config,
)
from assets.public.served import ENVIRON_KEY, ScanIds
from assets.scans import scan_record_ids
from assets.selectors import asset_nearest, asset_search, code_resolve, code_suggestions
from assets.services.reports import report_create
from geodata.params import ParamError, params_refuse_nul
from qrmap.i18n import language_pick, language_short, languages, localized

CACHE_CONTROL = "public, max-age=300"


def _activate(request):
    language, explicit = language_pick(asked=request.GET.get("lang"),
                                       header=request.headers.get("Accept-Language", ""))
    translation.activate(language)
    request.LANGUAGE_CODE = language
    # Links carry the language on only when the visitor chose it, in its one short spelling.
    param = language_short(language) if explicit else ""
    return {"lang": language, "lang_query": f"?lang={param}" if param else "",
            "lang_param": param, "languages": languages()}


def _headers(response, language, etag=None):
    response["Content-Language"] = language
    response["Cache-Control"] = CACHE_CONTROL
    if etag:
        response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _refusal(request, lang, **path):
    """The 400 page when the query or a path parameter holds a NUL, which no page can use
    (PostgreSQL text cannot hold it); None when the address is fine."""
    try:
        params_refuse_nul(request.GET, path)
    except ParamError as error:
        response = render(request, "assets/bad_request.html", {
            "message": error.message, "parameters": error.parameters, **lang}, status=400)
        response["Content-Language"] = lang["lang"]
        patch_vary_headers(response, ("Accept-Language",))
        return response
    return None


@require_safe
def asset_page(request, code):
    """The page a plaque opens: served directly (no redirect) and counted as one scan.

    A repeat scan is answered before Django by assets.public.served. Here, a scan whose
    answer is not stored yet (another encoding, a new generation) is two Redis reads (the
    cache generation, then the rendered page: ETag and bytes, for this code, language and
    link variant) and one increment: no database query, no template. Any save bumps the
    generation (assets.cache), so every process serves the new page at once."""
    lang = _activate(request)
    refused = _refusal(request, lang, code=code)
    if refused:
        return refused
    # Read once: every key of the page carries it, and each read is a round trip.
    generation = page_cache_generation()
    served = served_page_get(code=code, language=lang["lang"], variant=lang["lang_query"],
                             generation=generation)
    if served is None:
        resolved = code_resolve_cached(code=code, generation=generation)
        if resolved is None:
            return not_found(request, code, lang)
        page = asset_page_build(resolved=resolved, language=lang["lang"], generation=generation)
        served = served_page_set(
            code=code, language=lang["lang"], variant=lang["lang_query"], page=page,
            html=render_to_string("assets/page.html", {"page": page, **lang}, request=request),
            generation=generation)
    if request.method == "GET":
        scan_record_ids(code=served.code, asset_id=served.asset_id,
                        plaque_id=served.plaque_id, language=lang["lang"])
        # For the layer in front of Django (assets.public.served), which replays this answer
        # to the next scans and counts them for the same ids.
        request.META[ENVIRON_KEY] = ScanIds(code=served.code, asset_id=served.asset_id,
                                            plaque_id=served.plaque_id)
    # The scan is counted above, before this check: a revalidation is a visit too.
    # GZipMiddleware weakens the ETag (W/"..."), so compare without the W/ prefix.
    if served.etag in {e.removeprefix("W/") for e in
                       parse_etags(request.headers.get("If-None-Match", ""))}:
        return _headers(HttpResponse(status=304), lang["lang"], served.etag)
    return _headers(HttpResponse(served.html), lang["lang"], served.etag)


def not_found(request, code, lang):
    """404 with a search box, and "did you mean" when only the check symbol is off."""
    normalized = codes.normalize(code)
    suggestions = (_named(code_suggestions(code=normalized), lang["lang"])
                   if codes.is_well_formed(normalized) else [])
    response = render(request, "assets/not_found.html", {
        "code": code, "grouped": codes.group(normalized) if codes.is_well_formed(normalized)
        else code, "bad_check": codes.is_well_formed(normalized) and not codes.is_valid(normalized),
        "suggestions": suggestions, **lang,
    }, status=404)
    response["Content-Language"] = lang["lang"]
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_safe
def search(request):
    """Find assets by name (accents optional), by code (forgiving) or by plus code."""
    lang = _activate(request)
    refused = _refusal(request, lang)
    if refused:
        return refused
    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query, "results": [], "exact": None, "suggestions": [],
               "near": None, **lang}
    if query:
        normalized = codes.normalize(query)
        if codes.is_well_formed(normalized):
            exact = code_resolve(code=normalized)
            context["exact"] = _named([exact], lang["lang"])[0] if exact else None
            if exact is None:
                context["suggestions"] = _named(code_suggestions(code=normalized), lang["lang"])
        point = pluscodes.plus_code_parse(query)
        if point is not None:
            context["near"] = {"lat": point[0], "lon": point[1]}
            context["results"] = _with_distances(
                asset_nearest(point=Point(point[1], point[0], srid=settings.QRMAP_SRID), limit=10))
        elif context["exact"] is None:
            context["results"] = _with_names(asset_search(query=query))
    return _headers(render(request, "assets/search.html", context), lang["lang"])


@require_safe
def near(request):
    """Assets nearest to a point given as ?lat=..&lon=.."""
    lang = _activate(request)
    refused = _refusal(request, lang)
    if refused:
        return refused
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except (KeyError, ValueError):
        response = render(request, "assets/near.html", {"error": True, **lang}, status=400)
        return _headers(response, lang["lang"])
    point = Point(lon, lat, srid=settings.QRMAP_SRID)
    results = _with_distances(asset_nearest(point=point, limit=20))
    context = {"lat": lat, "lon": lon, "results": results, **lang}
    return _headers(render(request, "assets/near.html", context), lang["lang"])


def _named(resolved_list, language):
    for resolved in resolved_list:
        resolved.name = localized(resolved.asset, "name", language)[0]
    return resolved_list


def _with_names(assets):
    language = translation.get_language()
    for asset in assets:
        asset.display_name = localized(asset, "name", language)[0]
    return assets


def _with_distances(assets):
    for asset in _with_names(assets):
        asset.distance = distance_label(asset.distance_m)
    return assets


@csrf_protect
def report(request, code):
    """The "report a problem" form of a code; this page, unlike the asset page, sets the
    CSRF cookie, since it posts. A refused report comes back with what was typed and why."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    lang = _activate(request)
    resolved = code_resolve(code=code)
    if resolved is None:
        return not_found(request, code, lang)
    limited = report_limit_reached(asset=resolved.asset, request=request)
    form = ReportForm()
    if request.method == "POST" and not limited:
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid() and _report_store(request, form, resolved):
            url = reverse("public:asset-report", args=[resolved.code]) + "?sent=1"
            return redirect(url + (f"&lang={lang['lang_param']}" if lang["lang_param"] else ""))
    context = {"resolved": resolved, "form": form, "limited": limited,
               "limited_client": limited == LIMIT_CLIENT, "script": report_script_config(),
               "sent": request.GET.get("sent") == "1",
               "name": localized(resolved.asset, "name", lang["lang"])[0],
               "grouped": codes.group(resolved.code), **lang}
    status = 429 if limited and request.method == "POST" else 200
    response = render(request, "assets/report.html", context, status=status)
    response["Content-Language"] = lang["lang"]
    response["Cache-Control"] = "private, no-store"
    return response


def _report_store(request, form, resolved) -> bool:
    """Store the report and count it, or put the service's refusal on the form."""
    data = form.cleaned_data
    try:
        report_create(asset=resolved.asset, plaque=resolved.plaque, code=resolved.code,
                      problem=data["problem"], text=data["text"], photo=data["photo"],
                      contact=data["contact"])
    except DomainError as error:
        for field, messages in (error.errors or {None: [error.message]}).items():
            form.add_error(field if field in form.fields else None, messages)
        return False
    report_limit_count(asset=resolved.asset, request=request)
    return True
