"""Print PDFs, report photos and installation photos move out of the public media folder into
the private storage (assets/storage.py), each under a new random name; import uploads keep
their random folder. Files left in those public folders that no row names any more (a
deleted report's photo, a test run's PDF) move to the private `orphaned/` folder, which no
view serves: nothing of them stays under MEDIA_ROOT.

The originals are deleted only once the transaction has committed, and a file that is
missing (or that a concurrent run moved first) is skipped, so the migration can be re-run.
"""
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import assets.storage

FIELDS = [("printbatch", "file"), ("report", "photo"), ("plaque", "install_photo")]
PUBLIC_FOLDERS = ("print", "reports", "plaques")


def _copy(source, target, old, new):
    """Copy one file between storages; the name it got, or None when it is gone."""
    try:
        with source.open(old, "rb") as content:
            return target.save(new, content)
    except FileNotFoundError:
        return None


def _files(storage, folder):
    """Every file name under a folder of a storage, recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names += _files(storage, f"{folder}/{sub}")
    return names


def _delete_later(storage, names):
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def forwards(apps, schema_editor):
    public, private = default_storage, assets.storage.private_storage()
    history = apps.get_model("assets", "HistoricalPlaque")
    moved = set()
    for model_name, field_name in FIELDS:
        model = apps.get_model("assets", model_name)
        field = model._meta.get_field(field_name)
        names = set(model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True))
        if model_name == "plaque":  # a replaced installation photo is named by history only
            names |= set(history.objects.exclude(install_photo="")
                         .values_list("install_photo", flat=True))
        for old in sorted(names):
            new = _copy(public, private, old, field.upload_to(None, old))
            if new is None:
                continue
            model.objects.filter(**{field_name: old}).update(**{field_name: new})
            if model_name == "plaque":
                history.objects.filter(install_photo=old).update(install_photo=new)
            moved.add(old)
    for old in [n for folder in PUBLIC_FOLDERS for n in _files(public, folder)]:
        if old not in moved and _copy(public, private, old, f"orphaned/{old}"):
            moved.add(old)
    for old in _files(public, assets.storage.IMPORTS):  # same token folders: previews go on
        if _copy(public, private, old, old):
            moved.add(old)
    _delete_later(public, moved)


def backwards(apps, schema_editor):
    """Copy the files back under the same names (the fields then read them from MEDIA_ROOT)."""
    public, private = default_storage, assets.storage.private_storage()
    moved = []
    for model_name, field_name in FIELDS:
        model = apps.get_model("assets", model_name)
        for name in model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True):
            if _copy(private, public, name, name) == name:
                moved.append(name)
    _delete_later(private, moved)


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0005_print_job_heartbeat"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plaque",
            name="install_photo",
            field=models.ImageField(blank=True, storage=assets.storage.private_storage,
                                    upload_to=assets.storage.install_photo_name,
                                    verbose_name="installation photo"),
        ),
        migrations.AlterField(
            model_name="printbatch",
            name="file",
            field=models.FileField(blank=True, storage=assets.storage.private_storage,
                                   upload_to=assets.storage.print_file_name),
        ),
        migrations.AlterField(
            model_name="report",
            name="photo",
            field=models.ImageField(blank=True, storage=assets.storage.private_storage,
                                    upload_to=assets.storage.report_photo_name,
                                    verbose_name="photo"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
