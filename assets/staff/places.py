"""GET /staff/places.json?q=…: the map widget's place search (assets.places), for staff."""
from dataclasses import asdict

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assets import scope
from assets.places import LONGEST, place_search


@require_GET
def place_search_json(request):
    """The places whose name holds ?q=, as JSON; 403 for a visitor who is not staff (a JSON
    answer, not the login page a script could not show), 400 for a text no name can hold."""
    if not scope.is_staff(request.user):
        return JsonResponse({"error": _("Log in as staff to search places.")}, status=403)
    query = request.GET.get("q", "")
    if len(query) > LONGEST:
        return JsonResponse({"error": _("Type at most %(n)d characters.") % {"n": LONGEST}},
                            status=400)
    places = place_search(user=request.user, query=query)
    response = JsonResponse({"places": [asdict(place) for place in places]})
    # Names of the user's communes: not for a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
