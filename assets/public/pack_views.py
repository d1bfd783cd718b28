"""The tourist's offline pack (assets.public.pack): the pack page of a commune, its manifest
and the service worker that saves it.

Like the asset page, none of these sets a cookie or reads a session, and the language comes
from `?lang=` or Accept-Language. The asset page itself registers no worker and loads nothing
more: the worker is registered by static/assets/pack.js, on the pack page, when the visitor
taps "Save".
"""
import hashlib
import re

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assets.public.pack import PACK_MAX_BYTES, PACK_MAX_SITES, pack_build
from assets.public.views import CACHE_CONTROL, language_activate, nul_refusal
from geodata import params
from geodata.selectors import commune_by_code

WORKER = "assets/sw-pack.js"


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _commune(code: str):
    """The commune of a pack address, or _Refused: 400 for what is no GSO code at all
    (checked before any query), 404 for a code no commune of today has."""
    if not re.fullmatch(params.GSO_CODE_PATTERN, code):
        raise _Refused(400, _("A GSO code is 2 to 5 digits, like 05977."))
    commune = commune_by_code(code=code, boundary=False)
    if commune is None:
        raise _Refused(404, _("No commune of today has this code."))
    return commune


def _public(response, language):
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response


@require_safe
def offline_pack(request, commune):
    """What saving a commune for offline brings (sites, photos, size), and the button."""
    lang = language_activate(request)
    refused = nul_refusal(request, lang, commune=commune)
    if refused:
        return refused
    try:
        unit = _commune(commune)
    except _Refused as refusal:
        if refusal.status == 404:
            raise Http404(refusal.message) from None
        return _public(render(request, "assets/bad_request.html", {
            "message": refusal.message, "parameters": ["commune"], **lang}, status=400),
            lang["lang"])
    pack = pack_build(commune=unit, language=lang["lang"], lang_query=lang["lang_query"])
    return _public(render(request, "assets/pack.html", {
        "pack": pack, "max_sites": PACK_MAX_SITES,
        "manifest_url": reverse("public:offline-pack-manifest", args=[unit.code])
        + lang["lang_query"],
        "max_megabytes": PACK_MAX_BYTES // (1024 * 1024), **lang}), lang["lang"])


@require_safe
def offline_pack_manifest(request, commune):
    """The pack's manifest, JSON: what the worker saves and what it weighs."""
    lang = language_activate(request)
    try:
        params.params_refuse_nul(request.GET, {"commune": commune})
        unit = _commune(commune)
    except params.ParamError as error:
        return _public(JsonResponse({"detail": str(error.message)}, status=400), lang["lang"])
    except _Refused as refusal:
        return _public(JsonResponse({"detail": refusal.message}, status=refusal.status),
                       lang["lang"])
    pack = pack_build(commune=unit, language=lang["lang"], lang_query=lang["lang_query"])
    return _public(JsonResponse(pack.manifest(), json_dumps_params={"ensure_ascii": False}),
                   lang["lang"])


@require_safe
def service_worker(request):
    """The pack's service worker, from the site's root so that its scope covers the asset
    pages (/a/, /Q/, /q/); it answers only for what a saved pack holds."""
    path = finders.find(WORKER)
    if path is None:
        raise Http404(WORKER)
    with open(path, "rb") as source:
        body = source.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers check a worker for updates at least daily; no-cache makes each check cheap
    # (a 304) and lets a new version reach phones at the next visit.
    response["Cache-Control"] = "no-cache"
    response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["Service-Worker-Allowed"] = "/"
    return response
