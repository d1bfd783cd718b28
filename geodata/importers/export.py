"""Export rows to CSV, GeoJSON and GeoPackage in a shape the importer reads back unchanged.

CSV and GeoJSON are written here (full float precision, strings kept strings); GeoDjango's
GDAL layer is read-only, so the GeoPackage is made from the GeoJSON by the `ogr2ogr` binary
(gdal-bin), which also writes the storage SRID's definition into the package.
"""
import csv
import io
import json
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
}


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return value


def export_csv(columns: list[str], records) -> bytes:
    """CSV with lon/lat columns after the attributes (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([*columns, "lon", "lat"])
    for values, point in records:
        writer.writerow([_plain(values.get(c)) for c in columns] + [repr(point.x), repr(point.y)])
    return out.getvalue().encode("utf-8")


def export_geojson(columns: list[str], records, *, name: str) -> bytes:
    """A FeatureCollection of points (RFC 7946: WGS 84, longitude first)."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
         "properties": {c: _plain(values.get(c)) for c in columns}}
        for values, point in records
    ]
    return json.dumps({"type": "FeatureCollection", "name": name, "features": features},
                      ensure_ascii=False).encode("utf-8")


def export_gpkg(columns: list[str], records, *, name: str) -> bytes:
    """A GeoPackage with one point layer named `name`, through ogr2ogr."""
    with tempfile.TemporaryDirectory(prefix="qrmap-export-") as folder:
        source, target = Path(folder, "in.geojson"), Path(folder, "out.gpkg")
        source.write_bytes(export_geojson(columns, records, name=name))
        subprocess.run(["ogr2ogr", "-f", "GPKG", "-nln", name,
                        "-a_srs", f"EPSG:{settings.QRMAP_SRID}", str(target), str(source)],
                       check=True, capture_output=True, timeout=600)
        return target.read_bytes()


def export_write(fmt: str, columns: list[str], records, *, name: str) -> bytes:
    """Bytes of the export in `fmt` (csv, geojson or gpkg)."""
    records = list(records)
    if fmt == "csv":
        return export_csv(columns, records)
    if fmt == "geojson":
        return export_geojson(columns, records, name=name)
    if fmt == "gpkg":
        return export_gpkg(columns, records, name=name)
    raise ValueError(f"unknown export format {fmt!r}")
