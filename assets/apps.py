from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = "Assets and plaques"

    def ready(self):
        from django.db.models.signals import post_migrate

        # A flush (transactional tests) empties the groups the migration made; put them back.
        post_migrate.connect(_roles_ensure, sender=self)


def _roles_ensure(sender, using="default", **kwargs):
    from assets.access import roles_ensure

    roles_ensure()
