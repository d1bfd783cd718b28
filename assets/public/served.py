"""Repeat scans answered in front of Django, from the shared cache.

A plaque's page is the same bytes for every visitor who reads it in the same language: it
sets no cookie, carries no nonce, and its headers depend only on the code, the language,
the link variant (`?lang=`) and whether the client takes gzip. So the WSGI application is
wrapped (qrmap.wsgi) by this layer:
- on a miss, the request goes through Django as usual; the asset page view notes in the
  WSGI environ which ids the scan counted, and this layer stores the whole answer (status,
  headers as the middleware left them, body, possibly gzipped) in Redis;
- on a hit, the answer is replayed after one Redis round trip for the cache generation and
  the answer together, and one increment for the scan: no middleware, no URL resolving, no
  template, no gzip. That is what lets one machine answer a crowd in front of a temple.

Any save bumps the page generation (assets.cache), which every stored answer carries, so an
edit shows at once in every process. Anything unusual (another query parameter, HEAD, an
answer that is not a plain 200, a Set-Cookie or a CSP nonce) simply goes through Django.
"""
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.core.cache import cache
from django.utils.http import parse_etags

from assets.cache import GENERATION_KEY
from assets.public.pages import SURROUNDINGS_CACHE_SECONDS
from assets.scans import scan_record_ids
from qrmap.i18n import language_pick, language_short

# The asset page's addresses (assets.public.urls): /Q/<code>, /q/<code>, /a/<code>[/].
_PATH = re.compile(r"/(?:Q|q|a)/([0-9A-Za-z-]{1,40})/?")
_GZIP = re.compile(r"\bgzip\b")  # the test GZipMiddleware applies
# Where the asset page view leaves the scan's ids for this layer (request.META is environ).
ENVIRON_KEY = "qrmap.served_scan"
_NOT_ON_304 = {"content-length", "content-type", "content-encoding"}


@dataclass(frozen=True)
class ScanIds:
    code: str
    asset_id: int
    plaque_id: int | None


@dataclass(frozen=True)
class Answer:
    generation: int
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str  # without W/, as If-None-Match is compared
    scan: ScanIds
    language: str


def is_prefetch(environ) -> bool:
    """A page fetched ahead of a visit (`Purpose: prefetch`, which the offline pack's worker
    sends while saving pages), which counts no scan."""
    return environ.get("HTTP_PURPOSE", "").strip().lower() == "prefetch"


def _answer_key(environ) -> tuple[str, str] | None:
    """(cache key, language) for a GET of the asset page with nothing but `?lang=`, else
    None (Django answers, and counts the scan unless it is a prefetch)."""
    if environ.get("REQUEST_METHOD") != "GET" or is_prefetch(environ):
        return None
    match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
    if match is None:
        return None
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if any(name != "lang" for name, _ in query) or len(query) > 1:
        return None
    language, explicit = language_pick(asked=query[0][1] if query else None,
                                       header=environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    variant = language_short(language) if explicit else ""
    encoding = "gzip" if _GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
    return f"qrmap:answer:{environ['PATH_INFO']}:{language}:{variant}:{encoding}", language


def _storable(status: str, headers) -> bool:
    names = {name.lower(): value for name, value in headers}
    return (status.startswith("200 ") and "set-cookie" not in names
            and "nonce-" not in names.get("content-security-policy", "")
            and "etag" in names)


class ServedPages:
    """The WSGI layer described above, around Django's application."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        keyed = _answer_key(environ)
        if keyed is None:
            return self.app(environ, start_response)
        key, language = keyed
        found = cache.get_many([GENERATION_KEY, key])
        generation, answer = found.get(GENERATION_KEY), found.get(key)
        if answer is not None and answer.generation == generation:
            return self._replay(answer, environ, start_response)
        return self._through_django(environ, start_response, key, generation, language)

    def _replay(self, answer: Answer, environ, start_response):
        scan = answer.scan
        scan_record_ids(code=scan.code, asset_id=scan.asset_id, plaque_id=scan.plaque_id,
                        language=answer.language)
        asked = environ.get("HTTP_IF_NONE_MATCH", "")
        if asked and answer.etag in {e.removeprefix("W/") for e in parse_etags(asked)}:
            start_response("304 Not Modified",
                           [h for h in answer.headers if h[0].lower() not in _NOT_ON_304])
            return [b""]
        start_response(answer.status, list(answer.headers))
        return [answer.body]

    def _through_django(self, environ, start_response, key, generation, language):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        scan = environ.get(ENVIRON_KEY)
        # An unknown generation (never bumped, or evicted) cannot prove an answer current.
        if scan is None or generation is None or not _storable(seen["status"], seen["headers"]):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()  # Django's request_finished: connections go back
        etag = next(v for n, v in seen["headers"] if n.lower() == "etag").removeprefix("W/")
        cache.set(key, Answer(generation=generation, status=seen["status"],
                              headers=tuple(seen["headers"]), body=content, etag=etag,
                              scan=scan, language=language), SURROUNDINGS_CACHE_SECONDS)
        return [content]
