"""Public pages: the asset page a QR plaque opens, search, assets near a point (the report
form and a report's status page are in assets.public.report_views).

The asset page sets no cookie and touches no session (no `Vary: Cookie`, so proxies can
cache it), and the language comes from `?lang=` or Accept-Language, never from a cookie.
"""
from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from assets import codes, pluscodes
from assets.cache import page_cache_generation
from assets.public.card import card_png, card_version
from assets.public.pages import (
    asset_page_build,
    code_resolve_cached,
    distance_label,
    served_page_get,
    served_page_set,
    share_context,
)
from assets.public.photos import photos_published, photos_shown
from assets.public.served import ENVIRON_KEY, ScanIds, is_prefetch
from assets.scans import scan_record_ids
from assets.selectors import asset_nearest, asset_search, code_resolve, code_suggestions
from geodata.params import ParamError, params_refuse_nul
from qrmap.i18n import language_links, language_pick, language_short, languages, localized

CACHE_CONTROL = "public, max-age=300"


def language_activate(request):
    """Activate the page's language (`?lang=`, else Accept-Language, else Vietnamese) and
    return what its links need to carry the visitor's choice on."""
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


def nul_refusal(request, lang, **path):
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
    lang = language_activate(request)
    refused = nul_refusal(request, lang, code=code)
    if refused:
        return refused
    if not codes.is_well_formed(codes.normalize(code)):
        # Before any cache key is made of it: no code is longer than eight symbols.
        return not_found(request, code, lang)
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
            html=render_to_string("assets/page.html", {
                "page": page, **lang, **share_context(page=page, lang_param=lang["lang_param"]),
                # The stored page is replayed for any query: its switch carries `lang` only.
                "lang_links": language_links(query={}, current=lang["lang"])},
                request=request),
            generation=generation)
    # An offline pack saving the page (static/assets/sw-pack.js) is no visit: no scan.
    if request.method == "GET" and not is_prefetch(request.META):
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


def _asset_or_refusal(request, lang, code):
    """(asset, None) for the code, or (None, the refusal page): a NUL byte or an unknown
    code, in the visitor's language."""
    refused = nul_refusal(request, lang, code=code)
    if refused:
        return None, refused
    resolved = code_resolve_cached(code=code)
    if resolved is None:
        return None, not_found(request, code, lang)
    return resolved.asset, None


@require_safe
def asset_card(request, code):
    """The picture of a shared link (assets.public.card): a PNG kept a year when its
    address names the current version, an hour otherwise."""
    lang = language_activate(request)
    asset, refused = _asset_or_refusal(request, lang, code)
    if refused:
        return refused
    kind = " · ".join(str(part).capitalize() for part in (
        asset.get_kind_display(), asset.get_category_display()))
    png = card_png(asset=asset, language=lang["lang"],
                   name=localized(asset, "name", lang["lang"])[0], kind=kind)
    response = HttpResponse(png, content_type="image/png")
    current = request.GET.get("v") == card_version(asset)
    response["Cache-Control"] = ("public, max-age=31536000, immutable" if current
                                 else "public, max-age=3600")
    response["Content-Language"] = lang["lang"]
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_safe
def asset_photos(request, code):
    """Every photo of an asset, large, with its caption: the page the asset page's one
    thumbnail opens. Not a scan."""
    lang = language_activate(request)
    asset, refused = _asset_or_refusal(request, lang, code)
    if refused:
        return refused
    name, name_fallback = localized(asset, "name", lang["lang"])
    return _headers(render(request, "assets/photos.html", {
        "asset": asset, "name": name, "name_is_fallback": name_fallback,
        "photos": photos_shown(photos=photos_published(asset=asset), language=lang["lang"]),
        **lang}), lang["lang"])


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
    lang = language_activate(request)
    refused = nul_refusal(request, lang)
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
    lang = language_activate(request)
    refused = nul_refusal(request, lang)
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
