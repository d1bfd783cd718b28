from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets and plaques")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from assets.cache import page_cache_invalidate
        from assets.images import pillow_limits_apply
        from assets.importers.layer import AssetLayer
        from assets.models import Asset, AssetPhoto, ImportJob, Plaque, PrintBatch
        from assets.services.photos import photo_files_delete
        from assets.tiles import register as tiles_register
        from geodata.importers.registry import layer_register
        from geodata.jobs import job_register

        # A flush (transactional tests) empties the groups the migration made; put them back.
        post_migrate.connect(_roles_ensure, sender=self)
        # Wired here, not in a view module, so that the admin, the API, a management
        # command and a background worker all drop the cached public pages.
        for model in (Asset, Plaque, AssetPhoto):
            uid = f"qrmap-page-{model._meta.model_name}"
            post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=uid)
            post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=uid)
        # An asset's deletion takes its photos' rows: their public files go too.
        post_delete.connect(photo_files_delete, sender=AssetPhoto, dispatch_uid="qrmap-photo-files")
        tiles_register()  # /tiles/assets/...: what the public asset map shows
        layer_register(AssetLayer(), order=0)  # assets first in every list of layers
        job_register(PrintBatch, task="assets.tasks.print_batch_task")
        job_register(ImportJob, task="assets.tasks.import_job_task")
        job_register(AssetPhoto, task="assets.tasks.asset_photo_task")
        # Pillow in this process (every Image.open, Django's ImageField too) follows our cap.
        pillow_limits_apply()


def _roles_ensure(sender, using="default", **kwargs):
    from assets.roles import roles_ensure

    roles_ensure()
