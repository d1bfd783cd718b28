"""POST /field/sync/: one action the phone queued, applied through assets.services.field.

The phone sends its queue one action at a time, in the order recorded, as multipart: the
field `action` (JSON) and, for an installation, the file `photo` (already shrunk on the
phone). The answer is JSON: {"result": "applied" | "duplicate" | "conflict" | "refused",
"message", "version", "theirs"}, with 200, 409 (conflict), 400/403 (refused) or 413.
The request's size is checked from its header before the body is read."""
import datetime
import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assets.errors import DomainError
from assets.images import upload_size_refusal
from assets.models import FieldAction
from assets.services.field import CONFLICT, FieldInput, field_action_apply
from assets.staff.field import field_user_check
from geodata.params import ParamError, datetime_parse, point_parse

_ACTION_CHARS = 8_000  # the JSON of one action: ids, a time, a position, a note
_NOTE_CHARS = 1_000
_MAX_ACCURACY_M = 10_000.0
# Actions wait on a phone for days in a hamlet without signal, not for a year.
_CLOCK_PAST = datetime.timedelta(days=366)
_CLOCK_AHEAD = datetime.timedelta(days=1)
_STATUS = {DomainError.FORBIDDEN: 403, DomainError.INVALID: 400, DomainError.CONFLICT: 409}


class _Refused(ValueError):
    pass


def _text(value, *, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise _Refused(_("%(name)s must be text of at most %(n)d characters, without NUL.")
                       % {"name": name, "n": limit})
    return value.strip()


def _int(value, *, name: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 2**63:
        raise _Refused(_("%(name)s must be a positive whole number.") % {"name": name})
    return value


def _number(value, *, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _Refused(_("%(name)s must be a number from %(low)s to %(high)s.")
                       % {"name": name, "low": low, "high": high})
    return float(value)


def _parse(data, photo) -> FieldInput:
    if not isinstance(data, dict):
        raise _Refused(_("The action must be a JSON object."))
    kind = data.get("kind")
    if kind not in FieldAction.Kind.values:
        raise _Refused(_("Unknown action."))
    try:
        lon = _number(data.get("lon"), name="lon", low=-180, high=180)
        lat = _number(data.get("lat"), name="lat", low=-90, high=90)
        location = point_parse(f"{lon!r},{lat!r}", parameter="position")
        client_time = datetime_parse(_text(data.get("time"), name="time", limit=40),
                                     parameter="time")
    except ParamError as error:
        raise _Refused(error.message) from None
    _clock_check(client_time)
    plaque = data.get("plaque")
    return FieldInput(
        client_id=_text(data.get("id"), name="id", limit=64) or _refuse_empty_id(),
        kind=kind, asset_id=_int(data.get("asset"), name="asset"),
        plaque_id=None if plaque is None else _int(plaque, name="plaque"),
        # 0: the object has no history row (rows loaded in bulk by SQL), so any is newer.
        version=_int(data.get("version"), name="version", low=0), client_time=client_time,
        location=location,
        accuracy_m=_number(data.get("accuracy"), name="accuracy", low=0, high=_MAX_ACCURACY_M),
        note=_text(data.get("note"), name="note", limit=_NOTE_CHARS),
        scanned_code=_text(data.get("scanned"), name="scanned", limit=64), photo=photo)


def _clock_check(client_time) -> None:
    # A phone whose clock is far off would date an installation wrongly: the clerk fixes it.
    now = timezone.now()
    if not now - _CLOCK_PAST <= client_time <= now + _CLOCK_AHEAD:
        raise _Refused(_("The phone's clock reads %(time)s: set the phone's date and time, "
                         "then sync again.") % {"time": client_time.isoformat()})


def _refuse_empty_id():
    raise _Refused(_("The action has no id."))


def _refusal(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"result": "refused", "message": str(message)}, status=status)


def _read(request) -> FieldInput:
    text = request.POST.get("action", "")
    if len(text) > _ACTION_CHARS:
        raise _Refused(_("The action is too long."))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # a few thousand "[" nest past json's reach
        raise _Refused(_("The action is not valid JSON.")) from None
    return _parse(data, request.FILES.get("photo"))


@staff_member_required
@require_POST
def field_sync(request):
    field_user_check(request)
    # Before the body is read: a photo shrunk on the phone is far below this.
    too_big = upload_size_refusal(request)
    if too_big:
        return _refusal(too_big, 413)
    try:
        action = _read(request)
        outcome = field_action_apply(user=request.user, action=action)
    except _Refused as refusal:
        return _refusal(str(refusal))
    except DomainError as error:
        return _refusal(error.message, _STATUS.get(error.kind, 400))
    return JsonResponse({"result": outcome.result, "message": outcome.message,
                         "version": outcome.version, "theirs": outcome.theirs},
                        status=409 if outcome.result == CONFLICT else 200)
