"""Who may do what to which asset. Two questions, and both must say yes:
1. the role: does the user hold the permission (assets.roles: editor, verifier, printer,
   planner groups)?
2. the scope: does the asset lie in one of the user's communes (assets.scope)?

The write services ask these (and raise DomainError); screens ask them only to decide which
buttons to show. SYSTEM is the actor of commands and data loaders run by the operator: it may
do everything, and no request can ever be it.
"""
from django.utils.translation import gettext as _

from assets.errors import DomainError
from assets.models import Asset, Plaque, Report
from assets.roles import PERM_PRINT, PERM_VERIFY
from assets.scope import is_staff, user_commune_ids, user_is_province_office, user_sees_all_communes


class _System:
    """The operator at the command line (manage.py commands, demo loader)."""

    pk = None
    is_active = is_staff = is_superuser = True
    is_authenticated = True
    username = "system"

    def has_perm(self, perm) -> bool:
        return True

    def __str__(self):
        return "system"


SYSTEM = _System()


def _allowed(user) -> bool:
    return user is SYSTEM or is_staff(user)


def commune_in_scope(*, user, commune_id: int | None) -> bool:
    """May the user work in this commune? (A point outside every commune: only the
    whole-installation office.) A province scope counts through user_commune_ids."""
    if user is SYSTEM or user_sees_all_communes(user=user):
        return True
    return commune_id is not None and commune_id in user_commune_ids(user=user)


def asset_in_scope(*, user, asset: Asset) -> bool:
    return _allowed(user) and commune_in_scope(user=user, commune_id=asset.commune_id)


def _may(user, perm: str, asset: Asset) -> bool:
    return _allowed(user) and user.has_perm(perm) and asset_in_scope(user=user, asset=asset)


def asset_can_view(*, user, asset: Asset) -> bool:
    return _may(user, "assets.view_asset", asset)


def asset_can_create(*, user, commune_id: int | None = None, any_commune: bool = False) -> bool:
    """May the user register an asset (in that commune; anywhere at all with any_commune)?"""
    if not (_allowed(user) and user.has_perm("assets.add_asset")):
        return False
    return any_commune or commune_in_scope(user=user, commune_id=commune_id)


def asset_can_edit(*, user, asset: Asset) -> bool:
    return _may(user, "assets.change_asset", asset)


def asset_photo_can_add(*, user, asset: Asset, kind: str = "site") -> bool:
    """Those who may edit the asset add and change its photos; those who manage its plaques
    may add a photo of a plaque (the one taken when installing it in the field)."""
    return asset_can_edit(user=user, asset=asset) or (
        kind == "plaque" and _may(user, "assets.change_plaque", asset))


def asset_can_delete(*, user, asset: Asset) -> bool:
    """Deleting (or retiring) an asset needs the delete permission."""
    return _may(user, "assets.delete_asset", asset)


def asset_can_verify(*, user, asset: Asset) -> bool:
    return _may(user, PERM_VERIFY, asset)


def asset_can_print(*, user, asset: Asset) -> bool:
    """May the user print plaques for this asset? (Whether it is printable now is a rule,
    assets.rules.print_refusal.)"""
    return _may(user, PERM_PRINT, asset)


def user_can_print(*, user) -> bool:
    """May the user open the print centre at all?"""
    return _allowed(user) and user.has_perm(PERM_PRINT)


def user_can_verify(*, user) -> bool:
    """May the user open the verification queue at all? (Each asset is still checked.)"""
    return _allowed(user) and user.has_perm(PERM_VERIFY)


def user_can_work_in_field(*, user) -> bool:
    """May the user open field mode? Verifiers (positions) and those who manage plaques
    (installation, damage); each item is still checked by its own service."""
    return _allowed(user) and (user.has_perm(PERM_VERIFY) or user.has_perm("assets.change_plaque"))


def user_can_revert(*, user) -> bool:
    """Reverting to an old version rewrites many fields at once without the form's checks of
    each: only a province office may (and the revert still goes through asset_update, which
    checks the asset's scope)."""
    return user is SYSTEM or user_is_province_office(user=user)


def plaque_can_manage(*, user, plaque: Plaque) -> bool:
    """May the user record installation, damage, replacement or removal of the plaque?"""
    return _may(user, "assets.change_plaque", plaque.asset)


def plaque_can_delete(*, user, plaque: Plaque) -> bool:
    """Deleting a plaque erases its story: a province office only, in its scope (a clerk marks
    a plaque removed or replaced; the service also refuses any plaque that was printed)."""
    return plaque_can_manage(user=user, plaque=plaque) and (
        user is SYSTEM or user_is_province_office(user=user))


def report_can_moderate(*, user, report: Report) -> bool:
    return _may(user, "assets.change_report", report.asset)


def require(allowed: bool, message) -> None:
    """Raise the FORBIDDEN DomainError unless `allowed`."""
    if not allowed:
        raise DomainError.forbidden(message or _("You may not do this."))
