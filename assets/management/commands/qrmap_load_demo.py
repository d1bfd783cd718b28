"""Load the Lạng Sơn geography and the synthetic demo data (hamlets, cell sites, assets)."""
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from assets.demo import demo_assets_load
from assets.demo.photos import demo_photos_add
from geodata.demo import demo_geodata_load, demo_seed

COUNT_ORDER = ["hamlets", "mobile_no", "broadband_no", "cell_sites", "planned_sites",
               "agreement_pct", "streets", "public_works", "heritage", "assets"]


class Command(BaseCommand):
    # No system checks: they import every URL module (Folium among them) and would double
    # the time of a run that usually has nothing to do; `migrate` before it runs them.
    requires_system_checks = []
    help = ("Load the real Lạng Sơn geography, then the deterministic synthetic demo data: "
            "about 1,650 hamlets (268 without 3G/4G, 405 without broadband), cell sites of "
            "the four operators, streets, public works and heritage sites. Idempotent and "
            "quick when nothing changed.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=None,
                            help="generator seed (default: settings.QRMAP_DEMO_SEED)")
        parser.add_argument("--force", action="store_true",
                            help="regenerate even when this seed and version are loaded")
        parser.add_argument("--photos", action="store_true",
                            help="also draw a synthetic photo for a few heritage sites "
                                 "(written under MEDIA_ROOT; skipped where one exists)")

    def handle(self, *args, seed=None, force=False, photos=False, verbosity=1, **options):
        started = time.monotonic()
        call_command("qrmap_load_geodata", verbosity=verbosity, stdout=self.stdout)
        seed = demo_seed() if seed is None else seed
        geodata = demo_geodata_load(seed=seed, force=force)
        assets = demo_assets_load(seed=seed, force=force)
        added = demo_photos_add() if photos else 0
        if verbosity < 1:
            return
        if added:
            self.stdout.write(f"Synthetic photos added: {added}")
        self._report("Hamlets and cell sites", geodata)
        self._report("Streets, public works and heritage sites", assets)
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s (seed {seed}).")

    def _report(self, label, result):
        # The counts come back from a JSON column, whose key order is not the written one.
        counts = ", ".join(f"{name} {result.counts[name]}" for name in COUNT_ORDER
                           if name in result.counts)
        state = "loaded" if result.loaded else "already loaded"
        self.stdout.write(f"{label} {state} (synthetic): {counts}")
