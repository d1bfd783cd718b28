"""Load the bundled Lạng Sơn geography (province, districts, communes, merger lineage)."""
import time

from django.core.management.base import BaseCommand, CommandError

from geodata.loaders import geodata_load

COUNT_ORDER = ["province", "districts", "communes_2025", "communes_pre2025", "successions"]


class Command(BaseCommand):
    # No system checks: they import every URL module (Folium among them) and would double
    # the time of a run that usually has nothing to do; `migrate` before it runs them.
    requires_system_checks = []
    help = ("Load the Lạng Sơn province, its 11 districts before 2025, the 65 communes/wards "
            "from 2025-07-01, the 194 communes before and the merger lineage. Idempotent: "
            "does nothing when the same files were already loaded.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="reload even when the files have not changed")

    def handle(self, *args, force=False, verbosity=1, **options):
        started = time.monotonic()
        try:
            result = geodata_load(force=force)
        except (OSError, ValueError) as error:
            raise CommandError(f"could not load the geography: {error}") from error
        if verbosity < 1:
            return
        seconds = time.monotonic() - started
        counts = ", ".join(f"{name} {result.counts.get(name)}" for name in COUNT_ORDER)
        if result.loaded:
            self.stdout.write(self.style.SUCCESS(f"Geography loaded in {seconds:.1f} s: {counts}"))
        else:
            self.stdout.write(f"Geography already loaded (unchanged files): {counts}")
