"""Staff roles (Django groups with their permissions) and a staff user's scope.

Names are stable identifiers used in tests and docs, stored as the groups' names; the admin
shows each as its ROLE_LABELS entry in the interface language. A data migration applies the
table, and roles_ensure() puts it back after a flush.
"""
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from assets.models import StaffScope

PERM_VERIFY = "assets.verify_asset"
PERM_PRINT = "assets.print_plaque"

# Role name -> (app_label, model, codename) permissions.
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
# What a role is called on screen; the stored group name stays the identifier above.
ROLE_LABELS = {
    "editor": pgettext_lazy("staff role", "Editor"),
    "verifier": pgettext_lazy("staff role", "Verifier"),
    "printer": pgettext_lazy("staff role", "Plaque printer"),
    "planner": pgettext_lazy("staff role", "Planner"),
}


def role_label(name: str) -> str:
    """A group's name as staff read it: the role's label, or the name of a group that is no
    role (an operator may add groups of their own)."""
    return str(ROLE_LABELS.get(name, name))


def user_plans_only(*, user) -> bool:
    """A planner who holds no clerk role: after login the planning dashboard is their home,
    not the admin, which has nothing for them."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = set(user.groups.values_list("name", flat=True))
    return "planner" in names and not names & (ROLES.keys() - {"planner"})


CUSTOM_PERMISSIONS = [
    ("assets", "asset", "verify_asset", "Can verify asset positions"),
    ("assets", "plaque", "print_plaque", "Can print plaques"),
]


def roles_ensure() -> None:
    """Create the custom permissions and the four staff groups (idempotent)."""
    from django.apps import apps

    for app_label, model, codename, name in CUSTOM_PERMISSIONS:
        ct = ContentType.objects.get_for_model(apps.get_model(app_label, model))
        Permission.objects.get_or_create(content_type=ct, codename=codename,
                                         defaults={"name": name})
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, model, codename in perms:
            wanted |= Q(content_type__app_label=app_label, content_type__model=model,
                        codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))


def user_scope_set(*, user, communes=(), provinces=(), all_communes: bool = False) -> StaffScope:
    """Give a staff user a scope (replacing the previous one): communes, every commune of
    provinces, or the whole installation."""
    scope, _ = StaffScope.objects.get_or_create(user=user)
    scope.all_communes = all_communes
    scope.save(update_fields=["all_communes"])
    scope.communes.set(communes)
    scope.provinces.set(provinces)
    for cached in ("_qrmap_all_communes", "_qrmap_commune_ids",
                   "_qrmap_province_ids"):  # see assets.scope
        user.__dict__.pop(cached, None)
    return scope
