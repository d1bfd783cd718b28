"""GET /api/: where the API's endpoints and documents are, so that someone who types the
bare address (or a client that starts from it) finds them rather than a 404. A plain Django
view: it is the entry point, not an operation the OpenAPI document describes. A browser, which
prefers HTML, reads the same index as a page in its language; any other client gets JSON."""
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import get_resolver, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET


def _endpoints(patterns) -> dict[str, str]:
    """Every list-like endpoint (a route without parameters) by its URL name."""
    found = {}
    for pattern in patterns:
        name = getattr(pattern, "name", None)
        if name and name != "index" and not pattern.pattern.converters:
            found[name] = reverse(f"api:{name}")
    return found


@require_GET
def api_index(request):
    # The routes of the "api" namespace as the resolver holds them (importing the URL module
    # here would be a cycle: it imports this view).
    urlpatterns = get_resolver().namespace_dict["api"][1].url_patterns

    def absolute(path):
        return request.build_absolute_uri(path)

    body = {
        "title": "qrmap API",
        "description": ("Public assets, QR plaques, hamlets, cell sites and coverage: "
                        "GeoJSON over REST. Reads are public; writes take a staff token."),
        "docs": absolute(reverse("api:docs")),
        "openapi": absolute(reverse("api:schema")),
        "ogc_api_features": absolute(reverse("ogc:landing")),
        "endpoints": {name: absolute(path) for name, path in _endpoints(urlpatterns).items()},
    }
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        response = render(request, "api/index.html", body)
    else:
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    patch_vary_headers(response, ("Accept",))
    patch_cache_control(response, public=True, max_age=3600)
    return response

