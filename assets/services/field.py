"""Field sync: apply one action a clerk took at the site, offline, through the same services
as every other door (asset_verify, asset_update, plaque_install, plaque_damage; the photo of an
installation also becomes an asset photo of the plaque, asset_photo_add), in the order
the phone recorded them.

Each action names the version of the asset or plaque it was based on (the id of the latest
history row the phone saw). When someone else changed or retired the object since, the action
is not applied: the clerk gets the conflict and chooses (keep mine: send it again on top of
their version; take theirs or drop: forget it). Later actions of the same clerk on the same
object were based on the same old version; the history rows of the clerk's own applied
actions (FieldAction.version_after) are therefore not conflicts.

The client's action id makes a replayed upload a no-op: the phone may lose the answer to an
upload that the server applied, and send it again.
"""
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assets import access, codes, images, rules, scope
from assets.errors import DomainError
from assets.models import Asset, AssetPhoto, FieldAction, Plaque
from assets.plaques.qr import qr_payload_code
from assets.services.photos import asset_photo_add
from assets.services.plaques import plaque_damage, plaque_install
from assets.services.registry import asset_update, asset_verify

APPLIED = "applied"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
THUMBNAIL_SIDE = 320
_HISTORY_REASON_CHARS = 100  # the history table's reason column


@dataclass
class FieldInput:
    """One action as the phone recorded it, its values already parsed."""

    client_id: str
    kind: str
    asset_id: int
    version: int
    client_time: datetime.datetime
    location: Point
    accuracy_m: float
    plaque_id: int | None = None
    note: str = ""
    scanned_code: str = ""
    photo: object = None


@dataclass
class FieldOutcome:
    result: str
    message: str = ""
    version: int | None = None
    theirs: dict = field(default_factory=dict)


def object_version(obj) -> int | None:
    """The id of the latest history row of an asset or plaque: what the phone was shown."""
    return (type(obj).history.filter(id=obj.pk).order_by("-history_id")
            .values_list("history_id", flat=True).first())


def _targets(*, user, action: FieldInput) -> tuple[Asset, Plaque | None]:
    # One answer for "no such id" and "another commune's": ids are not probed.
    refusal = DomainError.forbidden(_("This asset or plaque is not in your communes."))
    asset = scope.asset_list(user=user).filter(pk=action.asset_id).first()
    if asset is None:
        raise refusal
    if action.kind in (FieldAction.Kind.VERIFY, FieldAction.Kind.MOVE):
        return asset, None
    plaque = scope.plaque_list(user=user).filter(pk=action.plaque_id, asset=asset).first()
    if plaque is None:
        raise refusal
    return asset, plaque


def _theirs(asset: Asset, plaque: Plaque | None, target) -> dict:
    """What the server holds now, for the clerk to compare with their action."""
    last = type(target).history.filter(id=target.pk).order_by("-history_id").first()
    return {"version": last.history_id if last else None,
            "retired": asset.status == Asset.Status.RETIRED,
            "position_verified": asset.position_verified,
            "lon": asset.location.x, "lat": asset.location.y,
            "plaque_status": plaque.status if plaque else "",
            "changed_by": str(last.history_user or "") if last else "",
            "changed_at": last.history_date.isoformat() if last else "",
            "change": (last.history_change_reason or "") if last else ""}


def _conflict(*, user, action: FieldInput, asset: Asset, plaque: Plaque | None):
    """A FieldOutcome when the object changed or left service since the phone's version."""
    target = plaque or asset
    gone = asset.status == Asset.Status.RETIRED or (
        plaque is not None and plaque.status in (Plaque.Status.REPLACED, Plaque.Status.REMOVED))
    newer = set(type(target).history.filter(id=target.pk, history_id__gt=action.version)
                .values_list("history_id", flat=True))
    mine = set(FieldAction.objects.filter(user=user, **{
        "plaque" if plaque else "asset": target, "version_after__in": newer})
        .values_list("version_after", flat=True))
    if not gone and not newer - mine:
        return None
    message = (_("This asset was retired meanwhile.") if asset.status == Asset.Status.RETIRED
               else _("This plaque was replaced or removed meanwhile.") if gone
               else _("Someone changed this since your list was loaded."))
    return FieldOutcome(CONFLICT, message, theirs=_theirs(asset, plaque, target))


def _reason(text: str, action: FieldInput) -> str:
    where = _("at %(lat)s, %(lon)s (±%(acc)s m)") % {
        "lat": f"{action.location.y:.5f}", "lon": f"{action.location.x:.5f}",
        "acc": number_format(round(action.accuracy_m), force_grouping=True)}
    return f"{text} {where}"[:_HISTORY_REASON_CHARS]


def _install(*, user, action: FieldInput, plaque: Plaque):
    scanned = qr_payload_code(action.scanned_code)
    if scanned != plaque.code:
        message = _("Wrong plaque: this one should read %(expected)s, the scan read "
                    "%(scanned)s.") % {"expected": plaque.grouped_code,
                                       "scanned": codes.group(scanned) or "—"}
        raise DomainError(message, errors={"scanned_code": [message]})
    if action.photo is None:
        message = _("Take a photo of the installed plaque.")
        raise DomainError(message, errors={"photo": [message]})
    try:
        photo = images.image_clean(action.photo, max_side=settings.QRMAP_PHOTO_MAX_SIDE)
        thumbnail = images.image_clean(action.photo, max_side=THUMBNAIL_SIDE, name="thumb.jpg")
    except images.ImageRefused as refusal:
        raise DomainError(str(refusal), errors={"photo": [str(refusal)]}) from None
    plaque_install(user=user, plaque=plaque, installed_on=timezone.localdate(action.client_time),
                   photo=photo, reason=_reason(_("installed in the field"), action))
    # The same photo shows visitors the plaque on its wall: an asset photo, made public by
    # the worker like any upload (and without the phone's metadata).
    asset_photo_add(user=user, asset=plaque.asset, upload=action.photo,
                    kind=AssetPhoto.Kind.PLAQUE)
    return thumbnail


def _apply(*, user, action: FieldInput, asset: Asset, plaque: Plaque | None):
    """Run the action's service; returns the photo thumbnail for an installation."""
    kind = action.kind
    if kind == FieldAction.Kind.VERIFY:
        asset_verify(user=user, asset=asset,
                     reason=_reason(_("position accepted in the field"), action))
    elif kind == FieldAction.Kind.MOVE:
        refusal = rules.field_move_refusal(accuracy_m=action.accuracy_m)
        if refusal:
            raise DomainError(refusal, errors={"accuracy": [refusal]})
        asset_update(user=user, asset=asset, fields={"location": action.location},
                     reason=_reason(_("moved to the position measured in the field"), action))
    elif kind == FieldAction.Kind.INSTALL:
        return _install(user=user, action=action, plaque=plaque)
    else:
        plaque_damage(user=user, plaque=plaque, note=action.note,
                      reason=_reason(_("damaged, seen in the field"), action))
    return None


def _require_role(*, user, action: FieldInput, asset: Asset, plaque: Plaque | None) -> None:
    if action.kind in (FieldAction.Kind.VERIFY, FieldAction.Kind.MOVE):
        # Moving is a verifier's call at the site, even for a clerk who may edit assets.
        access.require(access.asset_can_verify(user=user, asset=asset),
                       _("Only a verifier of this commune may accept or move its position."))
    else:
        access.require(access.plaque_can_manage(user=user, plaque=plaque),
                       _("You may not manage plaques of this commune."))


def field_action_apply(*, user, action: FieldInput) -> FieldOutcome:
    """Apply one field action once (a replay is a no-op), or return the conflict; refusals
    raise DomainError."""
    done = FieldAction.objects.filter(user=user, client_id=action.client_id).first()
    if done is not None:
        return FieldOutcome(DUPLICATE, version=done.version_after)
    asset, plaque = _targets(user=user, action=action)
    _require_role(user=user, action=action, asset=asset, plaque=plaque)
    conflict = _conflict(user=user, action=action, asset=asset, plaque=plaque)
    if conflict is not None:
        return conflict
    try:
        with transaction.atomic():
            thumbnail = _apply(user=user, action=action, asset=asset, plaque=plaque)
            version = object_version(plaque or asset)
            FieldAction.objects.create(
                user=user, client_id=action.client_id, kind=action.kind, asset=asset,
                plaque=plaque, client_time=action.client_time, location=action.location,
                accuracy_m=action.accuracy_m, note=action.note, version_after=version,
                photo_thumbnail=thumbnail or "")
    except IntegrityError:  # the same action arrived twice at once: the other one won
        return FieldOutcome(DUPLICATE)
    return FieldOutcome(APPLIED, version=version)
