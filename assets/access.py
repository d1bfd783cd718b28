"""Who may do what to which asset: staff roles (Django groups) and commune scope.

Two questions are asked for every staff action, and both must say yes:
1. the role: does the user hold the permission (through the editor / verifier / printer /
   planner groups made by a migration, or directly)?
2. the scope: does the asset lie in one of the user's communes? A StaffScope row limits a
   clerk to a list of communes; `all_communes` (the province office) and superusers see all.
   A staff user without any StaffScope row sees no commune: access is granted, never assumed.

The admin, the print centre, the staff views and the API all call these functions, so a
clerk of commune A gets the same 403 for commune B everywhere.
"""
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from assets.models import Asset, Plaque, StaffScope
from geodata.models import AdminUnit

# Custom permissions (created with the groups by a data migration and by roles_ensure()).
PERM_VERIFY = "assets.verify_asset"
PERM_PRINT = "assets.print_plaque"

# Role name -> (app_label, model, codename) permissions. Names are stable identifiers used
# in tests and docs; the groups show these names in the admin.
ROLES: dict[str, list[tuple[str, str, str]]] = {
    "editor": [
        ("assets", "asset", "add_asset"), ("assets", "asset", "change_asset"),
        ("assets", "asset", "delete_asset"), ("assets", "asset", "view_asset"),
        ("assets", "assetphoto", "add_assetphoto"), ("assets", "assetphoto", "change_assetphoto"),
        ("assets", "assetphoto", "delete_assetphoto"), ("assets", "assetphoto", "view_assetphoto"),
        ("assets", "plaque", "view_plaque"), ("assets", "report", "view_report"),
        ("assets", "report", "change_report"),
    ],
    "verifier": [
        ("assets", "asset", "view_asset"), ("assets", "asset", "verify_asset"),
        ("assets", "plaque", "view_plaque"), ("assets", "report", "view_report"),
    ],
    "printer": [
        ("assets", "asset", "view_asset"), ("assets", "plaque", "view_plaque"),
        ("assets", "plaque", "add_plaque"), ("assets", "plaque", "change_plaque"),
        ("assets", "plaque", "print_plaque"), ("assets", "printbatch", "add_printbatch"),
        ("assets", "printbatch", "view_printbatch"), ("assets", "report", "view_report"),
        ("assets", "report", "change_report"), ("assets", "scan", "view_scan"),
    ],
    "planner": [
        ("assets", "asset", "view_asset"), ("assets", "plaque", "view_plaque"),
        ("assets", "scan", "view_scan"), ("geodata", "adminunit", "view_adminunit"),
        ("geodata", "hamlet", "view_hamlet"), ("geodata", "cellsite", "view_cellsite"),
    ],
}
CUSTOM_PERMISSIONS = [
    ("assets", "asset", "verify_asset", "Can verify asset positions"),
    ("assets", "plaque", "print_plaque", "Can print plaques"),
]


def roles_ensure() -> None:
    """Create the custom permissions and the four staff groups (idempotent)."""
    for app_label, model, codename, name in CUSTOM_PERMISSIONS:
        ct = ContentType.objects.get_for_model(_model(app_label, model))
        Permission.objects.get_or_create(content_type=ct, codename=codename,
                                         defaults={"name": name})
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, model, codename in perms:
            wanted |= Q(content_type__app_label=app_label, content_type__model=model,
                        codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))


def _model(app_label, model):
    from django.apps import apps

    return apps.get_model(app_label, model)


# --- Scope -------------------------------------------------------------------------------
def _staff(user) -> bool:
    return bool(user and not isinstance(user, AnonymousUser) and user.is_active
                and user.is_staff)


def user_sees_all_communes(*, user) -> bool:
    """True for superusers and the province office (StaffScope.all_communes)."""
    if not _staff(user):
        return False
    if user.is_superuser:
        return True
    scope = StaffScope.objects.filter(user=user).only("all_communes").first()
    return bool(scope and scope.all_communes)


def user_communes(*, user) -> QuerySet[AdminUnit]:
    """The communes (2025 units) a staff user works in; all of them for the province office."""
    if not _staff(user):
        return AdminUnit.objects.none()
    if user_sees_all_communes(user=user):
        return AdminUnit.objects.current().communes()
    return AdminUnit.objects.filter(pk__in=_scoped_commune_ids(user))


def _scoped_commune_ids(user):
    return StaffScope.communes.through.objects.filter(staffscope__user=user).values(
        "adminunit_id")


def assets_visible_to(*, user) -> QuerySet[Asset]:
    """Assets a staff user may see in staff screens: all, or those of the user's communes."""
    if not _staff(user):
        return Asset.objects.none()
    if user_sees_all_communes(user=user):
        return Asset.objects.all()
    return Asset.objects.filter(commune_id__in=_scoped_commune_ids(user))


def plaques_visible_to(*, user) -> QuerySet[Plaque]:
    """Plaques of the assets the user may see."""
    return Plaque.objects.filter(asset__in=assets_visible_to(user=user))


def asset_in_scope(*, user, asset: Asset) -> bool:
    """Does the asset lie in one of the user's communes (or is the user province-wide)?"""
    if not _staff(user):
        return False
    if user_sees_all_communes(user=user):
        return True
    if asset.commune_id is None:
        # Outside every commune (a typo in the coordinates): only the province office.
        return False
    return StaffScope.communes.through.objects.filter(
        staffscope__user=user, adminunit_id=asset.commune_id).exists()


def commune_in_scope(*, user, commune: AdminUnit | None) -> bool:
    """May the user work in this commune?"""
    if commune is None:
        return user_sees_all_communes(user=user)
    return asset_in_scope(user=user, asset=Asset(commune=commune))


# --- Actions -----------------------------------------------------------------------------
def asset_can_view(*, user, asset: Asset) -> bool:
    return _staff(user) and user.has_perm("assets.view_asset") and asset_in_scope(
        user=user, asset=asset)


def asset_can_create(*, user, asset: Asset | None = None) -> bool:
    """May the user register an asset (at the asset's derived commune, when given)?"""
    if not (_staff(user) and user.has_perm("assets.add_asset")):
        return False
    return asset is None or asset_in_scope(user=user, asset=asset)


def asset_can_edit(*, user, asset: Asset) -> bool:
    return _staff(user) and user.has_perm("assets.change_asset") and asset_in_scope(
        user=user, asset=asset)


def asset_can_delete(*, user, asset: Asset) -> bool:
    """Deleting retires an asset that has plaques, so it needs the delete permission."""
    return _staff(user) and user.has_perm("assets.delete_asset") and asset_in_scope(
        user=user, asset=asset)


def asset_can_verify(*, user, asset: Asset) -> bool:
    return _staff(user) and user.has_perm(PERM_VERIFY) and asset_in_scope(
        user=user, asset=asset)


def asset_can_print(*, user, asset: Asset) -> bool:
    """May the user print plaques for this asset? (Whether it is verified is a separate
    question: an unverified asset is skipped with its reason, not refused.)"""
    return _staff(user) and user.has_perm(PERM_PRINT) and asset_in_scope(
        user=user, asset=asset)


def user_can_print(*, user) -> bool:
    """May the user open the print centre at all?"""
    return _staff(user) and user.has_perm(PERM_PRINT)


def plaque_can_manage(*, user, plaque: Plaque) -> bool:
    """May the user record installation, damage, replacement or removal of the plaque?"""
    return _staff(user) and user.has_perm("assets.change_plaque") and asset_in_scope(
        user=user, asset=plaque.asset)


def user_scope_set(*, user, communes=(), all_communes: bool = False) -> StaffScope:
    """Give a staff user a commune scope (replacing the previous one)."""
    scope, _ = StaffScope.objects.get_or_create(user=user)
    scope.all_communes = all_communes
    scope.save(update_fields=["all_communes"])
    scope.communes.set(communes)
    return scope
