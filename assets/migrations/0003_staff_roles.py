"""Staff roles: the editor / verifier / printer / planner groups and two custom permissions.

Data only. The role table lives in assets.roles.ROLES; this migration applies it with the
historical models, and a post_migrate hook (assets.apps) re-applies it after a flush.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    from assets.roles import CUSTOM_PERMISSIONS, ROLES

    # Default permissions are normally made after all migrations (post_migrate); make them now
    # so that the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for app_label, model, codename, name in CUSTOM_PERMISSIONS:
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.get_or_create(content_type=ct, codename=codename,
                                         defaults={"name": name})
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, codename in perms:
            perm = Permission.objects.filter(content_type__app_label=app_label,
                                             content_type__model=model,
                                             codename=codename).first()
            if perm:
                group.permissions.add(perm)


def backwards(apps, schema_editor):
    from assets.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0002_coordinate_ranges"),
        ("geodata", "0002_coordinate_ranges"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
