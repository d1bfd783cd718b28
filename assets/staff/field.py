"""/field/: field mode, the phone page staff carry to the sites, offline first.

The page itself holds no list: its script reads the to-do list from /field/todo.json (scoped
by assets.fieldwork), keeps it and the queued actions on the phone, and sends the actions to
/field/sync/ (assets.staff.field_sync) when a signal returns. /field/sw.js is the service
worker that keeps the page, its static files and the list for offline use; served from under
/field/, its scope is /field/ and it never sees the public pages."""
import hashlib
from functools import lru_cache

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assets import access, fieldwork
from qrmap.csp import script_json

# What the page needs offline, besides itself and the list (names as `{% static %}` takes).
STATIC_FILES = ("vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "vendor/jsqr/jsQR.js",
                "staff/field/store.js", "staff/field/scan.js", "staff/field/sync.js",
                "staff/field/field.js")


def field_user_check(request) -> None:
    """403 unless the user may work in the field."""
    if not access.user_can_work_in_field(user=request.user):
        raise PermissionDenied(_("Field mode is for verifiers and those who install plaques."))


def _texts() -> dict:
    """The sentences the script shows, in the page's language (no JS catalogue request)."""
    return {
        "pending": _("%(n)s actions waiting to sync."), "none_pending": _("All actions synced."),
        "offline": _("Offline: actions are kept on this phone."), "online": _("Online."),
        "ready": _("Ready for offline work."), "synced": _("%(n)s actions synced."),
        "accuracy": _("Your position: ±%(acc)s m; %(dist)s m from the registered position."),
        "no_position": _("No position yet: press “I'm here” and wait for the fix."),
        "denied": _("The phone refused the position: %(why)s"),
        "scan_ok": _("Right plaque: %(code)s."),
        "scan_wrong": _("Wrong plaque! Expected %(expected)s, scanned %(scanned)s. "
                        "Do not install it."),
        "scan_wait": _("Point the camera at the plaque's QR code…"),
        "camera_denied": _("The camera cannot be opened: %(why)s"),
        "queued": _("Saved on the phone: %(what)s."),
        "conflict": _("Conflict: %(why)s"), "refused": _("Refused: %(why)s"),
        "keep_mine": _("Keep mine"), "take_theirs": _("Take theirs"), "drop": _("Drop"),
        "theirs": _("Now on the server: %(what)s (by %(who)s, %(when)s)."),
        "distance": _("%(dist)s m"),
        "type_verify": _("Verify the position"), "type_install": _("Install the plaque"),
        "type_repair": _("Plaque damaged or missing"),
        "counts": _("%(name)s: %(verify)s to verify, %(install)s to install, %(repair)s to "
                    "repair"),
        "act_verify": _("position accepted"), "act_move": _("moved to the measured position"),
        "act_install": _("plaque installed"), "act_damage": _("plaque damaged"),
        "photo_ready": _("Photo ready (%(w)s × %(h)s px)."),
        "need_note": _("Describe the damage."),
        "empty": _("Nothing to do in your communes."),
    }


@staff_member_required
def field_page(request):
    field_user_check(request)
    # The queue on the phone is per user: a colleague signing in on the same phone must not
    # send another clerk's actions under their own name.
    config = {"user": request.user.pk, "todo": reverse("field:todo"), "sync": reverse("field:sync"),
              "worker": reverse("field:worker"), "scope": reverse("field:page"),
              "tiles": settings.QRMAP_TILE_URL,
              # Moving is an edit too (asset_update checks it again): hide what would fail.
              "can_move": request.user.has_perm("assets.change_asset"),
              "photo_side": settings.QRMAP_PHOTO_MAX_SIDE,
              "texts": _texts()}
    return render(request, "staff/field/field.html", {"config": config})


@staff_member_required
@require_GET
def todo_json(request):
    field_user_check(request)
    response = JsonResponse(fieldwork.field_todo(user=request.user))
    add_never_cache_headers(response)  # the service worker keeps its own copy
    return response


@lru_cache(maxsize=1)
def _static_version(urls: tuple[str, ...]) -> str:
    """A digest of the cached static files, so that a deploy that changes one of them
    installs a new worker that fetches them again (development names carry no hash)."""
    digest = hashlib.sha256()
    for name in STATIC_FILES:
        try:
            with staticfiles_storage.open(name) as handle:
                digest.update(handle.read())
        except OSError:  # not collected (a development server): the URL alone
            digest.update(name.encode())
    digest.update("\n".join(urls).encode())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The field worker. It holds no data, only the URLs it keeps, so it needs no login."""
    urls = tuple(staticfiles_storage.url(name) for name in STATIC_FILES)
    body = render_to_string("staff/field/sw.js", {
        "static_urls": script_json(list(urls)), "version": script_json(_static_version(urls)),
        "page": script_json(reverse("field:page")), "todo": script_json(reverse("field:todo")),
    })
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    add_never_cache_headers(response)  # browsers check a worker for updates on each visit
    return response
