"""Writes on assets: register, change, verify, retire, delete, revert. See assets.services."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import access, rules
from assets.errors import DomainError
from assets.models import Asset, IssuedCode
from assets.services.codes import code_issue
from geodata.unit_lookup import asset_units_at_xy


def history_note(instance, *, user, reason: str = "") -> None:
    """Who and why, for the history row the next save writes (the command line's SYSTEM is
    recorded as no user)."""
    instance._history_user = None if user is access.SYSTEM else user
    if reason:
        instance._change_reason = str(reason)


def _units_set(asset: Asset) -> None:
    """The commune and province that hold the asset's point: derived here, never typed; a
    point outside every loaded province is refused. The units before 2025 by the SQL rule the
    table's trigger applies (migration 0025): the saved instance and its history row hold
    them, and the trigger keeps them on an insert (0026) and derives them again on a move."""
    if asset.location is None:
        asset.commune_id = asset.province_id = None
        return
    units = asset_units_at_xy([asset.location.x], [asset.location.y])[0]
    if units.province_id is None:  # the importers' refusal, for one asset
        message = _("This point lies outside every loaded province.")
        raise DomainError(message, errors={"location": [message]})
    for name, value in units._asdict().items():
        setattr(asset, name, value)


# Derived with the commune (_units_set), kept by the table's trigger.
UNITS_BEFORE = ("district_before", "commune_before", "commune_before_approximate")


def _fields_check(fields: dict) -> None:
    unknown = sorted(set(fields) - set(rules.ASSET_EDITABLE))
    if unknown:
        raise DomainError(_("These fields cannot be set: %(f)s.") % {"f": ", ".join(unknown)},
                          errors={name: [_("This field is derived or has its own action.")]
                                  for name in unknown})


def _validate(asset: Asset, exclude=("code",)) -> None:
    refusal = rules.heritage_rank_refusal(kind=asset.kind, heritage_rank=asset.heritage_rank)
    if refusal:
        raise DomainError(refusal, errors={"heritage_rank": [refusal]})
    try:
        asset.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        raise DomainError(_("Some values are not valid."),
                          errors={k: [str(m) for m in v] for k, v in
                                  error.message_dict.items()}) from None


def asset_create_check(*, user, fields: dict) -> Asset:
    """The asset `fields` would register, checked but unsaved (no code is issued yet, so a
    refused request burns none)."""
    _fields_check(fields)
    access.require(access.asset_can_create(user=user, any_commune=True),
                   _("You may not register assets."))
    asset = Asset(**fields)
    _units_set(asset)
    access.require(access.asset_can_create(user=user, commune_id=asset.commune_id),
                   _("This point lies outside your communes."))
    _validate(asset)
    return asset


@transaction.atomic
def asset_create(*, user, fields: dict, reason: str = "") -> Asset:
    """Register an asset: a fresh code, the commune that holds its point, history."""
    asset = asset_create_check(user=user, fields=fields)
    asset.code = code_issue(owner=IssuedCode.Owner.ASSET)
    history_note(asset, user=user, reason=reason)
    asset.save()
    return asset


def asset_update_check(*, user, asset: Asset, fields: dict) -> tuple[Asset, list[str]]:
    """(the changed asset, unsaved; the names of the fields that change, derived ones
    included). The stored `asset` is not modified."""
    _fields_check(fields)
    access.require(access.asset_can_edit(user=user, asset=asset),
                   _("You may not edit assets of this commune."))
    changed = [name for name, value in fields.items() if getattr(asset, name) != value]
    new = Asset.objects.get(pk=asset.pk)
    for name in changed:
        setattr(new, name, fields[name])
    if "location" in changed:
        _units_set(new)
        access.require(access.commune_in_scope(user=user, commune_id=new.commune_id),
                       _("The new location lies outside your communes."))
        changed += ["commune", "province", *UNITS_BEFORE]
        if not rules.verification_after_move(verified=asset.position_verified,
                                             old=asset.location, new=new.location):
            if new.position_verified:
                new.position_verified, new.verified_by, new.verified_at = False, None, None
                changed += ["position_verified", "verified_by", "verified_at"]
    if changed and new.correction_reason:
        # An edit answers the verifier's request: the asset goes back to the queue.
        changed += _correction_clear(new)
    _validate(new)
    return new, changed


@transaction.atomic
def asset_update(*, user, asset: Asset, fields: dict, reason: str = "") -> Asset:
    """Change an asset's fields. A point moved more than 25 m loses its verification; the
    commune follows the point. Returns the saved asset (unchanged when nothing differs)."""
    new, changed = asset_update_check(user=user, asset=asset, fields=fields)
    if changed:
        history_note(new, user=user, reason=reason)
        new.save()
    return new


CORRECTION_FIELDS = ("correction_reason", "correction_requested_by", "correction_requested_at")
# The history row's own reason column holds 100 characters; the whole reason stays in the
# asset's correction_reason, which the same history row copies.
_HISTORY_REASON_CHARS = 100


def _correction_clear(asset: Asset) -> list[str]:
    asset.correction_reason = ""
    asset.correction_requested_by = asset.correction_requested_at = None
    return list(CORRECTION_FIELDS)



@transaction.atomic
def asset_verify(*, user, asset: Asset, reason: str = "") -> Asset:
    """Record that `user` checked the asset's position now (verifiers of its commune)."""
    access.require(access.asset_can_verify(user=user, asset=asset),
                   _("You may not verify assets of this commune."))
    asset.position_verified = True
    asset.verified_by = None if user is access.SYSTEM else user
    asset.verified_at = timezone.now()
    _correction_clear(asset)
    history_note(asset, user=user, reason=reason or _("position verified"))
    asset.save(update_fields=["position_verified", "verified_by", "verified_at", "updated_at",
                              *CORRECTION_FIELDS])
    return asset


def correction_reason_clean(reason) -> str:
    """The reason a verifier gives, checked: required, printable, at most 500 characters."""
    text = " ".join(str(reason or "").split())
    if not text:
        message = _("Give the reason: the clerk reads it to correct the asset.")
        raise DomainError(message, errors={"reason": [message]})
    if "\x00" in text or len(text) > Asset._meta.get_field("correction_reason").max_length:
        message = _("The reason must be text of at most 500 characters.")
        raise DomainError(message, errors={"reason": [message]})
    return text


@transaction.atomic
def asset_reject(*, user, asset: Asset, reason: str) -> Asset:
    """A verifier refuses the position or the record as it stands: the asset is marked
    "needs correction" with the reason, stays unverified (so unprintable) and leaves the
    queue until a clerk's edit answers it."""
    access.require(access.asset_can_verify(user=user, asset=asset),
                   _("You may not verify assets of this commune."))
    text = correction_reason_clean(reason)
    asset.position_verified, asset.verified_by, asset.verified_at = False, None, None
    asset.correction_reason = text
    asset.correction_requested_by = None if user is access.SYSTEM else user
    asset.correction_requested_at = timezone.now()
    note = _("correction requested: %(reason)s") % {"reason": text}
    history_note(asset, user=user, reason=note[:_HISTORY_REASON_CHARS])
    asset.save(update_fields=["position_verified", "verified_by", "verified_at", "updated_at",
                              *CORRECTION_FIELDS])
    return asset


@transaction.atomic
def asset_retire(*, user, asset: Asset, replaced_by: Asset | None = None) -> Asset:
    """Retire an asset: it leaves the lists but its codes keep answering."""
    access.require(access.asset_can_delete(user=user, asset=asset),
                   _("You may not retire assets of this commune."))
    if replaced_by is not None and replaced_by.pk == asset.pk:
        raise DomainError(_("An asset cannot replace itself."),
                          errors={"replaced_by": [_("An asset cannot replace itself.")]})
    asset.status = Asset.Status.RETIRED
    fields = ["status", "updated_at"]
    if replaced_by is not None:
        asset.replaced_by = replaced_by
        fields.append("replaced_by")
    history_note(asset, user=user, reason=_("retired"))
    asset.save(update_fields=fields)
    return asset


@transaction.atomic
def asset_delete(*, user, asset: Asset) -> str:
    """Delete an asset that never had a plaque; retire one that has (its plaques are on walls
    and their codes must keep answering). Returns "deleted" or "retired"."""
    access.require(access.asset_can_delete(user=user, asset=asset),
                   _("You may not delete assets of this commune."))
    if asset.plaques.exists():
        asset_retire(user=user, asset=asset)
        return "retired"
    history_note(asset, user=user, reason=_("deleted"))
    asset.delete()
    return "deleted"


@transaction.atomic
def asset_revert(*, user, asset: Asset, fields: dict, version_date=None) -> Asset:
    """Put back the fields of an old version (as the admin's revert form shows them):
    province office only, and through asset_update, so the 25 m rule and scope still apply."""
    access.require(access.user_can_revert(user=user),
                   _("Only the province office may revert an asset to an old version."))
    when = timezone.localtime(version_date).strftime("%Y-%m-%d %H:%M") if version_date else "?"
    return asset_update(user=user, asset=asset, fields=fields,
                        reason=_("reverted to the version of %(when)s") % {"when": when})
