"""Import a file of assets, hamlets, cell sites or units; a dry run unless --commit."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assets.importers.run import import_file
from geodata.importers.engine import ImportRefused, import_commit
from geodata.importers.registry import import_layers
from geodata.importers.report import report_csv
from geodata.importers.sources import SourceRefused


class Command(BaseCommand):
    help = ("Import CSV, GeoJSON, zipped Shapefile, GeoPackage or KML/KMZ. Dry run (report "
            "only) unless --commit; a file with refused rows is saved only with "
            "--commit-good-rows.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--layer", required=True, choices=list(import_layers()))
        parser.add_argument("--commit", action="store_true", help="save (one transaction)")
        parser.add_argument("--commit-good-rows", action="store_true",
                            help="with --commit: save the good rows even if some are refused")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                            help="map a field to a column (FIELD= for none); repeatable")
        parser.add_argument("--srid", type=int, help="coordinate system of the file (EPSG)")
        parser.add_argument("--swap-fix", action="store_true",
                            help="fix rows whose latitude and longitude are swapped")
        parser.add_argument("--external-id", metavar="COLUMN",
                            help="column that identifies records across imports")
        parser.add_argument("--report", type=Path, help="write the row report as CSV here")

    def handle(self, *args, **opts):
        if not opts["file"].is_file():
            raise CommandError(f"no such file: {opts['file']}")
        try:
            self._run(opts)
        except (SourceRefused, ImportRefused, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, opts):
        mapping = self._mapping(opts)
        plan = import_file(
            path=opts["file"], layer=opts["layer"], mapping=mapping, srid=opts["srid"],
            swap_fix=opts["swap_fix"], name=opts["file"].name, progress=self._progress,
            commit=False)
        self._summary(plan)
        if opts["report"]:
            opts["report"].write_text(report_csv(plan), encoding="utf-8")
        if opts["commit"]:
            import_commit(plan=plan, commit_good_rows=opts["commit_good_rows"])
            self.stdout.write(self.style.SUCCESS(
                "committed: {new} new, {updated} updated, {unchanged} unchanged, "
                "{refused} refused (not saved)".format(**plan.counts)))
        else:
            self.stdout.write("dry run: nothing saved (add --commit to save)")

    def _mapping(self, opts):
        pairs = list(opts["map"])
        if opts["external_id"]:
            pairs.append(f"external_id={opts['external_id']}")
        mapping = {}
        for pair in pairs:
            field, sep, column = pair.partition("=")
            if not sep:
                raise CommandError(f"--map wants FIELD=COLUMN, got {pair!r}")
            mapping[field.strip()] = column.strip()
        return mapping

    def _progress(self, done, total):
        self.stderr.write(f"checked {done}/{total} rows")

    def _summary(self, plan):
        out = self.stdout
        out.write(f"{plan.table.name}: {plan.table.format}, {len(plan.rows)} rows")
        for note in plan.table.notes:
            out.write(f"  {note}")
        out.write(f"coordinate system: {plan.crs.label or 'unknown'} ({plan.crs.source})")
        if plan.needs_crs:
            out.write(self.style.WARNING("  the numbers are not degrees and the file names no "
                                         "coordinate system: give --srid (e.g. 9215)"))
        out.write("mapping: " + ", ".join(f"{k}={v}" for k, v in plan.mapping.items() if v))
        for row in plan.rows:
            if row.status == "refused" or row.messages:
                out.write(f"  row {row.number} [{row.status}] {row.label}: "
                          + "; ".join(row.messages))
        out.write("{new} new, {updated} updated, {unchanged} unchanged, {refused} refused"
                  .format(**plan.counts))
