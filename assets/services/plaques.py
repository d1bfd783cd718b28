"""Writes over a plaque's life: issue (one, or a print job's many), move to another asset,
change its design, install, damage, replace, remove, delete. See assets.services."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assets import access, rules
from assets.errors import DomainError
from assets.models import Asset, IssuedCode, Plaque
from assets.services.codes import code_issue, code_issue_bulk
from assets.services.registry import history_note


def _printable(*, user, asset: Asset) -> None:
    access.require(access.asset_can_print(user=user, asset=asset),
                   _("%(asset)s is outside your communes, or you may not print plaques.")
                   % {"asset": asset})
    refusal = rules.print_refusal(status=asset.status,
                                  position_verified=asset.position_verified)
    if refusal:
        raise DomainError(_("%(asset)s cannot get a plaque: %(why)s.")
                          % {"asset": asset, "why": refusal},
                          kind=DomainError.CONFLICT, errors={"asset": [refusal]})


def _manage(*, user, plaque: Plaque) -> None:
    access.require(access.plaque_can_manage(user=user, plaque=plaque),
                   _("You may not manage plaques of this commune."))


def _design_check(fields: dict) -> None:
    unknown = sorted(set(fields) - set(rules.PLAQUE_EDITABLE))
    if unknown:
        raise DomainError(_("These fields cannot be set: %(f)s.") % {"f": ", ".join(unknown)})
    for name in ("width_mm", "height_mm"):
        if name in fields and (fields[name] is None or fields[name] < 20):
            raise DomainError(_("A plaque is at least 20 mm wide and high."),
                              errors={name: [_("At least 20 mm.")]})


@transaction.atomic
def plaque_issue(*, user, asset: Asset, fields: dict, reason: str = "") -> Plaque:
    """Design one plaque for a verified, active asset of the user's communes."""
    _printable(user=user, asset=asset)
    _design_check(fields)
    plaque = Plaque(asset=asset, **fields)
    plaque.code = code_issue(owner=IssuedCode.Owner.PLAQUE)
    history_note(plaque, user=user, reason=reason or _("designed"))
    plaque.save()
    return plaque


def plaques_issue_bulk(*, user, plaques: list[Plaque]) -> list[Plaque]:
    """Record a print job's plaques at once (each checked as plaque_issue checks one), with
    their history; codes already on the plaques are kept, missing ones issued in bulk."""
    for asset in {p.asset_id: p.asset for p in plaques}.values():
        _printable(user=user, asset=asset)
    missing = [p for p in plaques if not p.code]
    for plaque, code in zip(missing, code_issue_bulk(owner=IssuedCode.Owner.PLAQUE,
                                                     count=len(missing)), strict=True):
        plaque.code = code
    history_user = None if user is access.SYSTEM else user
    return bulk_create_with_history(plaques, Plaque, default_user=history_user,
                                    default_change_reason=_("printed"))


@transaction.atomic
def plaque_update(*, user, plaque: Plaque, fields: dict) -> Plaque:
    """Change a plaque's design or notes."""
    _manage(user=user, plaque=plaque)
    _design_check(fields)
    changed = [n for n, v in fields.items() if getattr(plaque, n) != v]
    for name in changed:
        setattr(plaque, name, fields[name])
    if changed:
        history_note(plaque, user=user, reason=_("changed"))
        plaque.save(update_fields=changed)
    return plaque


@transaction.atomic
def plaque_move(*, user, plaque: Plaque, asset: Asset) -> Plaque:
    """Put a plaque on another asset (a plaque made for the wrong one): its QR then opens the
    other asset's page, so the user must manage the plaque and may print for the target."""
    _manage(user=user, plaque=plaque)
    if asset.pk == plaque.asset_id:
        return plaque
    _printable(user=user, asset=asset)
    plaque.asset = asset
    history_note(plaque, user=user, reason=_("moved to %(code)s") % {"code": asset.grouped_code})
    plaque.save(update_fields=["asset"])
    return plaque


def _event(plaque, *, user, reason, fields):
    history_note(plaque, user=user, reason=reason)
    plaque.save(update_fields=fields)
    return plaque


@transaction.atomic
def plaque_install(*, user, plaque: Plaque, installed_on: datetime.date | None = None,
                   photo=None, reason: str = "") -> Plaque:
    """The plaque is on its wall or post (date, optional photo)."""
    _manage(user=user, plaque=plaque)
    if plaque.status in (Plaque.Status.REPLACED, Plaque.Status.REMOVED):
        raise DomainError(_("This plaque was replaced or removed."), kind=DomainError.CONFLICT)
    plaque.status = Plaque.Status.INSTALLED
    plaque.installed_on = installed_on or timezone.localdate()
    fields = ["status", "installed_on"]
    if photo:
        plaque.install_photo = photo
        fields.append("install_photo")
    return _event(plaque, user=user, reason=reason or _("installed"), fields=fields)


@transaction.atomic
def plaque_damage(*, user, plaque: Plaque, note: str = "", reason: str = "") -> Plaque:
    """The plaque is damaged (it still hangs, and may or may not scan)."""
    _manage(user=user, plaque=plaque)
    plaque.status = Plaque.Status.DAMAGED
    fields = ["status"]
    if note:
        plaque.notes = f"{plaque.notes}\n{timezone.localdate()}: {note}".strip()
        fields.append("notes")
    return _event(plaque, user=user, reason=reason or _("damaged"), fields=fields)


@transaction.atomic
def plaque_replace(*, user, plaque: Plaque, note: str = "") -> Plaque:
    """Make the plaque that replaces this one: a new code (the old one keeps answering and
    points to the new plaque), same asset, template and size, ready to print."""
    _manage(user=user, plaque=plaque)
    new = Plaque(asset=plaque.asset, template=plaque.template, width_mm=plaque.width_mm,
                 height_mm=plaque.height_mm, languages=plaque.languages,
                 mount_distance_m=plaque.mount_distance_m,
                 code=code_issue(owner=IssuedCode.Owner.PLAQUE), notes=note)
    history_note(new, user=user, reason=_("replaces %(code)s") % {"code": plaque.grouped_code})
    new.save()
    plaque.status = Plaque.Status.REPLACED
    plaque.replaced_by = new
    plaque.removed_on = plaque.removed_on or timezone.localdate()
    _event(plaque, user=user, reason=_("replaced by %(code)s") % {"code": new.grouped_code},
           fields=["status", "replaced_by", "removed_on"])
    return new


@transaction.atomic
def plaque_remove(*, user, plaque: Plaque, removed_on: datetime.date | None = None) -> Plaque:
    """The plaque was taken down and not replaced."""
    _manage(user=user, plaque=plaque)
    plaque.status = Plaque.Status.REMOVED
    plaque.removed_on = removed_on or timezone.localdate()
    return _event(plaque, user=user, reason=_("removed"), fields=["status", "removed_on"])


@transaction.atomic
def plaque_delete(*, user, plaque: Plaque) -> None:
    """Delete a plaque that was only designed; a printed one may be on a wall, so its code
    must keep answering: mark it removed instead."""
    access.require(access.plaque_can_delete(user=user, plaque=plaque),
                   _("Only the province office may delete a plaque."))
    if plaque.status != Plaque.Status.DESIGNED:
        raise DomainError(_("A printed plaque is never deleted (its code may be on a wall): "
                            "mark it removed instead."), kind=DomainError.CONFLICT)
    history_note(plaque, user=user, reason=_("deleted"))
    plaque.delete()
