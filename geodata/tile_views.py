"""/tiles/: vector tiles and the details a popup fetches by id. Public, cookie-free answers:
no session, no CSRF token, nothing that tells one visitor from another."""
import hashlib

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geodata.tiles import (
    DETAILS,
    LAYERS,
    TileError,
    data_version,
    filters_key,
    tile_filters,
    tile_get,
    tile_parse,
)
from qrmap.i18n import language_default, language_parse

MVT_TYPE = "application/vnd.mapbox-vector-tile"
# Browsers and shared caches keep a tile a minute, then revalidate with its ETag (a 304 costs
# one small query). A write shows on the map within that minute.
CACHE_CONTROL = "public, max-age=60"
MAX_ID_DIGITS = 18  # bigint


def _refusal(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _etag(version: str, *parts) -> str:
    digest = hashlib.md5(":".join(map(str, [version, *parts])).encode(),
                         usedforsecurity=False).hexdigest()[:20]
    return f'"{digest}"'


def _not_modified(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in sent.split(","))


@require_GET
def tile_view(request, layer, z, x, y):
    if layer not in LAYERS:
        return _refusal(_("No such tile layer."), 404)
    try:
        tile = tile_parse(z, x, y)
        filters = tile_filters(layer, request.GET)
    except TileError as error:
        return _refusal(str(error), error.status)
    etag = _etag(data_version(), layer, tile.z, tile.x, tile.y, filters_key(filters))
    if _not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        body, _version = tile_get(layer, tile, filters)
        # 204: no feature here (VectorGrid draws nothing and asks again after a pan).
        response = HttpResponse(body, content_type=MVT_TYPE, status=200 if body else 204)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_GET
def feature_view(request, layer, pk):
    """A feature's details as JSON (text values; the popup shows them with textContent), in
    the language of `?lang=` (the map page passes its own), else the request's."""
    if layer not in DETAILS:
        return _refusal(_("No such tile layer."), 404)
    if not (pk.isascii() and pk.isdigit() and len(pk) <= MAX_ID_DIGITS):
        return _refusal(_("The id must be a whole number."), 400)
    language = (language_parse(request.GET.get("lang")) or get_language()
                or language_default())
    detail = DETAILS[layer](int(pk), language=language)
    if detail is None:
        return _refusal(_("No such feature."), 404)
    response = JsonResponse(detail)
    response["Cache-Control"] = CACHE_CONTROL
    return response
