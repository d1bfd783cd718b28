"""CSV and GeoJSON files of the figures and of the hamlet lists, the same for the dashboard
downloads and the qrmap_coverage command. Positions are WGS 84 unless `srid` asks for another
system the record exports offer (VN-2000 TM-3 for the province's GIS staff): then PostGIS
transforms them, and the CSV names its coordinate columns as the record exports do
(geodata.importers.export: easting, northing, crs)."""
import csv
import io
import json

from django.conf import settings
from django.db import connection

from geodata.coverage.figures import FIGURE_COLUMNS, CoverageFigures, UnitFigures
from geodata.coverage.model import HamletCoverage, sites_in_range
from geodata.importers.export import coordinate_columns, crs_member, points_in
from geodata.models import AdminUnit

STORAGE_SRID = settings.QRMAP_SRID

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


def _hamlet_records(figures, dataset, srid) -> list[dict]:
    """The hamlet records with their position in `srid` (x, y named for the system)."""
    rows = dataset_rows(figures, dataset)
    records = [hamlet_record(row) for row in rows]
    if srid == STORAGE_SRID:
        return records
    x_name, y_name, *_crs = coordinate_columns(srid)
    decimals = 6 if x_name == "lon" else 3  # about 10 cm in degrees, a millimetre in metres
    moved = points_in(srid, [(row.lon, row.lat) for row in rows])
    for record, (x, y) in zip(records, moved, strict=True):
        del record["lon"], record["lat"]
        record.update({x_name: round(x, decimals), y_name: round(y, decimals),
                       "crs": f"EPSG:{srid}"})
    return records


def export_csv(figures: CoverageFigures, dataset: str, srid: int = STORAGE_SRID) -> str:
    """CSV text, with a BOM so that Excel reads the Vietnamese names as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    if dataset in UNIT_DATASETS:
        writer = csv.DictWriter(out, fieldnames=UNIT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for unit in [*dataset_rows(figures, dataset), figures.province]:
            writer.writerow(unit.as_dict())
    else:
        fields = [f for f in HAMLET_FIELDS if f not in ("lon", "lat")] + coordinate_columns(srid)
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(_hamlet_records(figures, dataset, srid))
    return out.getvalue()


def _unit_outlines(units: list[UnitFigures], dataset: str, srid: int) -> dict[str, dict]:
    qs = (AdminUnit.objects.current().communes() if dataset == "communes"
          else AdminUnit.objects.before_reform().districts())
    ids = list(qs.filter(code__in=[u.code for u in units]).values_list("id", flat=True))
    decimals = 6 if coordinate_columns(srid)[0] == "lon" else 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, ST_AsGeoJSON(ST_Transform(boundary, %s), %s) "
                       "FROM geodata_adminunit WHERE id = ANY(%s) AND boundary IS NOT NULL",
                       [srid, decimals, ids])
        return {code: json.loads(text) for code, text in cursor.fetchall()}


def export_geojson(figures: CoverageFigures, dataset: str, srid: int = STORAGE_SRID) -> dict:
    """A FeatureCollection: unit outlines with their figures, or hamlet points."""
    if dataset in UNIT_DATASETS:
        units = dataset_rows(figures, dataset)
        outlines = _unit_outlines(units, dataset, srid)
        features = [{"type": "Feature", "geometry": outlines.get(unit.code),
                     "properties": unit.as_dict()} for unit in units]
    else:
        x_name, y_name = coordinate_columns(srid)[:2]
        features = [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [record[x_name], record[y_name]]},
             "properties": record}
            for record in _hamlet_records(figures, dataset, srid)
        ]
    return {"type": "FeatureCollection", **crs_member(srid), "features": features}


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
