"""The site's 404 and 500 pages, in the visitor's language and with the site's navigation.

Both pick the language as every public page does (`?lang=`, then Accept-Language, then
Vietnamese) and activate it themselves: an error may come before or after the middleware
that does it. The 500 page must render when the database is what failed, so it is drawn
from the template alone, with no context processor, session, user or query.
"""
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers

from qrmap.i18n import language_links, language_pick, language_short


def _language(request) -> tuple[str, dict]:
    language, explicit = language_pick(asked=request.GET.get("lang"),
                                       header=request.headers.get("Accept-Language", ""))
    translation.activate(language)
    request.LANGUAGE_CODE = language
    param = language_short(language) if explicit else ""
    return language, {"lang": language, "lang_param": param,
                      "lang_query": f"?lang={param}" if param else "",
                      "lang_links": language_links(query=request.GET, current=language)}


def page_not_found(request, exception=None):
    """404: what was asked, a search box and the way home."""
    language, context = _language(request)
    html = loader.render_to_string("404.html", {"request_path": request.path, **context},
                                   request=request)
    response = HttpResponseNotFound(html)
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response


def server_error(request):
    """500: an apology and the way home, from the template alone (no database)."""
    language, context = _language(request)
    response = HttpResponseServerError(loader.get_template("500.html").render(context))
    response["Content-Language"] = language
    return response
