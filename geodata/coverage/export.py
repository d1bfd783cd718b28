"""CSV and GeoJSON files of the figures and of the hamlet lists, the same for the dashboard
downloads and the qrmap_coverage command."""
import csv
import io
import json

from django.db import connection

from geodata.coverage.figures import FIGURE_COLUMNS, CoverageFigures, UnitFigures
from geodata.coverage.model import HamletCoverage, sites_in_range
from geodata.models import AdminUnit

DATASETS = ["communes", "districts", "gaps", "broadband-gaps", "disagreements", "hamlets"]
UNIT_DATASETS = {"communes", "districts"}

HAMLET_FIELDS = [
    "id", "name", "commune_code", "commune_name", "district_code", "district_name",
    "households", "population", "mobile_declared", "mobile_modelled", "mobile_covered",
    "modelled_sites", "broadband_declared", "disagreement", "lon", "lat",
]
UNIT_FIELDS = [key for key, _label in FIGURE_COLUMNS] + ["mobile_gap_share",
                                                        "broadband_gap_share"]


def hamlet_record(row: HamletCoverage) -> dict:
    return {
        "id": row.id, "name": row.name, "commune_code": row.commune_code,
        "commune_name": row.commune_name, "district_code": row.district_code,
        "district_name": row.district_name, "households": row.households,
        "population": row.population, "mobile_declared": row.mobile_declared,
        "mobile_modelled": "yes" if row.mobile_modelled else "no",
        "mobile_covered": "yes" if row.mobile_covered else "no",
        "modelled_sites": row.modelled_sites, "broadband_declared": row.broadband_declared,
        "disagreement": row.disagreement, "lon": round(row.lon, 6), "lat": round(row.lat, 6),
    }


def dataset_rows(figures: CoverageFigures, dataset: str) -> list:
    """The units or hamlets a dataset name stands for."""
    return {
        "communes": lambda: figures.communes,
        "districts": lambda: figures.districts,
        "gaps": lambda: figures.gaps,
        "broadband-gaps": lambda: figures.broadband_gaps,
        "disagreements": lambda: figures.disagreements,
        "hamlets": lambda: sites_in_range(figures.hamlets),
    }[dataset]()


def export_csv(figures: CoverageFigures, dataset: str) -> str:
    """CSV text, with a BOM so that Excel reads the Vietnamese names as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    if dataset in UNIT_DATASETS:
        writer = csv.DictWriter(out, fieldnames=UNIT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for unit in [*dataset_rows(figures, dataset), figures.province]:
            writer.writerow(unit.as_dict())
    else:
        writer = csv.DictWriter(out, fieldnames=HAMLET_FIELDS)
        writer.writeheader()
        writer.writerows(hamlet_record(row) for row in dataset_rows(figures, dataset))
    return out.getvalue()


def _unit_outlines(units: list[UnitFigures], dataset: str) -> dict[str, dict]:
    qs = (AdminUnit.objects.current().communes() if dataset == "communes"
          else AdminUnit.objects.before_reform().districts())
    ids = list(qs.filter(code__in=[u.code for u in units]).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, ST_AsGeoJSON(boundary, 6) FROM geodata_adminunit "
                       "WHERE id = ANY(%s) AND boundary IS NOT NULL", [ids])
        return {code: json.loads(text) for code, text in cursor.fetchall()}


def export_geojson(figures: CoverageFigures, dataset: str) -> dict:
    """A FeatureCollection: unit outlines with their figures, or hamlet points."""
    if dataset in UNIT_DATASETS:
        units = dataset_rows(figures, dataset)
        outlines = _unit_outlines(units, dataset)
        features = [{"type": "Feature", "geometry": outlines.get(unit.code),
                     "properties": unit.as_dict()} for unit in units]
    else:
        features = [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [round(row.lon, 6), round(row.lat, 6)]},
             "properties": hamlet_record(row)}
            for row in dataset_rows(figures, dataset)
        ]
    return {"type": "FeatureCollection", "features": features}


def export_table(figures: CoverageFigures, dataset: str) -> str:
    """A plain-text table for the terminal."""
    if dataset in UNIT_DATASETS:
        header = [str(label) for _key, label in FIGURE_COLUMNS]
        rows = [[str(unit.as_dict()[key]) for key, _l in FIGURE_COLUMNS]
                for unit in [*dataset_rows(figures, dataset), figures.province]]
    else:
        header = HAMLET_FIELDS[1:12]
        rows = [[str(hamlet_record(row)[key]) for key in header]
                for row in dataset_rows(figures, dataset)]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines) + "\n"
