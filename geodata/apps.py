from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = _("Geography and coverage")

    def ready(self):
        from geodata.importers.geolayers import CellSiteLayer, HamletLayer, UnitLayer
        from geodata.importers.registry import layer_register
        from geodata.jobs import job_register
        from geodata.models import AnalysisJob

        # The coverage caches need no receiver: their keys carry a fingerprint of the data
        # (geodata.coverage.cache), which bulk writes change as well.
        layer_register(HamletLayer(), order=10)
        layer_register(CellSiteLayer(), order=20)
        layer_register(UnitLayer(), order=30)
        job_register(AnalysisJob, task="geodata.tasks.analysis_job_task")
        # The tile layers of the coverage map register themselves (geodata.tiles).
        import geodata.tile_layers  # noqa: F401
