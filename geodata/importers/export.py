"""Export rows to CSV, GeoJSON and GeoPackage in a shape the importer reads back unchanged.

CSV and GeoJSON are written here (full float precision, strings kept strings); GeoDjango's
GDAL layer is read-only, so the GeoPackage is made from the GeoJSON by the `ogr2ogr` binary
(gdal-bin), which also writes the coordinate system's definition into the package.

Points come in the storage SRID or, for GIS staff who work in VN-2000, already transformed
by PostGIS into another system (`srid`, one of EXPORT_SRIDS; the same transform the OGC API
uses). In WGS 84 a CSV has `lon`, `lat` columns; in any other system `easting`, `northing`
(or `lon`, `lat` for VN-2000 geographic) and a `crs` column saying which system (EPSG:9215),
names the importer maps back by itself. A GeoJSON in another system than WGS 84 carries the
`crs` member GDAL and QGIS read (RFC 7946 knows only WGS 84).
"""
import csv
import io
import json
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from geodata.importers.crs import CHOICES, LANG_SON_TM3, srs_from_srid

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
}

# The systems an export can be written in: the province's TM-3 zone first, then the choices
# the import preview offers (every one is in spatial_ref_sys, see migration geodata 0012).
EXPORT_SRIDS = [LANG_SON_TM3, *(srid for srid, _label in CHOICES if srid != LANG_SON_TM3)]
EXPORT_CHOICES = sorted(CHOICES, key=lambda choice: EXPORT_SRIDS.index(choice[0]))


def export_srid(text: str | None) -> int:
    """The system an export is asked in (`srid=9215`), WGS 84 when none; ValueError else."""
    if not text:
        return settings.QRMAP_SRID
    if not (text.isascii() and text.isdigit() and int(text) in EXPORT_SRIDS):
        raise ValueError(_("srid takes one of the EPSG codes %(codes)s.")
                         % {"codes": ", ".join(map(str, EXPORT_SRIDS))})
    return int(text)


def points_in(srid: int, pairs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Storage-SRID (lon, lat) pairs in `srid`, x first, transformed by PostGIS in one query
    (the transform the OGC API and the record exports use)."""
    if srid == settings.QRMAP_SRID or not pairs:
        return list(pairs)
    xs, ys = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT n, ST_Transform(ST_SetSRID(ST_MakePoint(x, y),"
            " %s), %s) AS p FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS t(x, y, n)"
            ") AS moved ORDER BY n", [settings.QRMAP_SRID, srid, list(xs), list(ys)])
        return cursor.fetchall()


def crs_member(srid: int) -> dict:
    """The GeoJSON `crs` member (GeoJSON 2008) GDAL and QGIS read: none for WGS 84."""
    if srid == settings.QRMAP_SRID:
        return {}
    return {"crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{srid}"}}}


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return value


def coordinate_columns(srid: int) -> list[str]:
    """The CSV columns of a point in `srid`: lon, lat in WGS 84; else x, y by what they are,
    and the system.

    >>> coordinate_columns(4326), coordinate_columns(9215)
    (['lon', 'lat'], ['easting', 'northing', 'crs'])
    """
    if srid == settings.QRMAP_SRID:
        return ["lon", "lat"]
    xy = ["lon", "lat"] if srs_from_srid(srid).geographic else ["easting", "northing"]
    return [*xy, "crs"]


def export_csv(columns: list[str], records, *, srid: int = settings.QRMAP_SRID) -> bytes:
    """CSV with the coordinate columns after the attributes (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    system = [] if srid == settings.QRMAP_SRID else [f"EPSG:{srid}"]
    writer.writerow([*columns, *coordinate_columns(srid)])
    for values, point in records:
        writer.writerow([_plain(values.get(c)) for c in columns]
                        + [repr(point.x), repr(point.y), *system])
    return out.getvalue().encode("utf-8")


def export_geojson(columns: list[str], records, *, name: str,
                   srid: int = settings.QRMAP_SRID) -> bytes:
    """A FeatureCollection of points (WGS 84 longitude first, as RFC 7946; or in `srid`,
    named by the crs member)."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
         "properties": {c: _plain(values.get(c)) for c in columns}}
        for values, point in records
    ]
    collection = {"type": "FeatureCollection", "name": name, **crs_member(srid),
                  "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def export_gpkg(columns: list[str], records, *, name: str,
                srid: int = settings.QRMAP_SRID) -> bytes:
    """A GeoPackage with one point layer named `name`, through ogr2ogr, which writes the
    EPSG definition of `srid` into the package (readers take the datum shift from it)."""
    with tempfile.TemporaryDirectory(prefix="qrmap-export-") as folder:
        source, target = Path(folder, "in.geojson"), Path(folder, "out.gpkg")
        source.write_bytes(export_geojson(columns, records, name=name, srid=srid))
        subprocess.run(["ogr2ogr", "-f", "GPKG", "-nln", name,
                        "-a_srs", f"EPSG:{srid}", str(target), str(source)],
                       check=True, capture_output=True, timeout=600)
        return target.read_bytes()


def export_write(fmt: str, columns: list[str], records, *, name: str,
                 srid: int = settings.QRMAP_SRID) -> bytes:
    """Bytes of the export in `fmt` (csv, geojson or gpkg), the points being in `srid`."""
    if srid not in EXPORT_SRIDS:
        raise ValueError(f"srid: EPSG:{srid} is not offered")
    records = list(records)
    if fmt == "csv":
        return export_csv(columns, records, srid=srid)
    if fmt == "geojson":
        return export_geojson(columns, records, name=name, srid=srid)
    if fmt == "gpkg":
        return export_gpkg(columns, records, name=name, srid=srid)
    raise ValueError(f"unknown export format {fmt!r}")
