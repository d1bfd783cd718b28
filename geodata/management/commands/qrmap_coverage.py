"""Print the coverage figures (the same ones the planner dashboard shows)."""
import json

from django.core.management.base import BaseCommand, CommandError

from geodata.coverage import coverage_figures
from geodata.coverage.export import DATASETS, export_csv, export_geojson, export_table
from geodata.importers.export import export_srid
from geodata.selectors import commune_by_code


class Command(BaseCommand):
    help = ("Hamlets without 3G/4G or broadband per commune (2025 units), per district before "
            "2025 and for the province, or the lists of gap hamlets and disagreements.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "csv", "geojson"], default="table")
        parser.add_argument("--commune", metavar="CODE",
                            help="GSO code of one commune or ward (2025 units)")
        parser.add_argument("--list", dest="dataset", choices=DATASETS, default="communes",
                            help="what to print (default: the figures per commune)")
        parser.add_argument("--srid", metavar="EPSG",
                            help="coordinate system of csv/geojson positions, e.g. 9215 for "
                                 "VN-2000 / TM-3 107°15′ (default: WGS 84)")

    def handle(self, *args, format, commune, dataset, srid=None, **options):
        try:
            srid = export_srid(srid)
        except ValueError as error:
            raise CommandError(str(error)) from None
        unit = None
        if commune:
            unit = commune_by_code(code=commune.strip())
            if unit is None:
                raise CommandError(f"No commune or ward with GSO code {commune!r} (2025 units).")
        figures = coverage_figures(commune=unit)
        if format == "csv":
            self.stdout.write(export_csv(figures, dataset, srid).lstrip("\ufeff"), ending="")
        elif format == "geojson":
            self.stdout.write(json.dumps(export_geojson(figures, dataset, srid),
                                         ensure_ascii=False))
        else:
            province = figures.province
            self.stdout.write(
                f"{unit.name if unit else province.name}: {province.hamlets} hamlets, "
                f"{province.mobile_gap_hamlets} without 3G/4G "
                f"({province.mobile_gap_population} people), "
                f"{province.broadband_gap_hamlets} without broadband "
                f"({province.broadband_gap_population} people), "
                f"{province.disagreements} disagreements\n"
            )
            self.stdout.write(export_table(figures, dataset), ending="")
