"""Open any supported file and return its columns, rows and geometries as plain data.

CSV goes through csvfile.py; everything else through GDAL/OGR (GeoDjango's DataSource):
GeoJSON, Shapefile (zipped), GeoPackage, KML (and KMZ, a zipped KML). Archives are checked
before extraction (archive.py). Only these drivers are accepted: a VRT or a network path
named in an upload could make GDAL read other files on the server.
"""
import datetime
from ctypes import c_char_p, c_double, c_int, c_void_p
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import DataSource, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.gdal.field import OFTString
from django.contrib.gis.gdal.libgdal import lgdal
from django.utils.translation import gettext as _

from geodata.importers.archive import archive_extract
from geodata.importers.csvfile import csv_open
from geodata.importers.limits import file_vertices_refusal, vertex_count
from geodata.importers.text import nfc

OGR_DRIVERS = {"GeoJSON", "ESRI Shapefile", "GPKG", "KML", "LIBKML"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
OGR_SUFFIXES = {".geojson", ".json", ".gpkg", ".kml", ".shp"}
SUFFIXES = CSV_SUFFIXES | OGR_SUFFIXES | {".zip", ".kmz"}
# Housekeeping attributes the KML drivers add to every placemark; nobody maps them.
KML_NOISE = {"timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude",
             "visibility", "drawOrder", "icon", "snippet", "styleUrl"}


class SourceRefused(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(slots=True)  # one per row of the file: no __dict__ each
class SourceRow:
    number: int
    values: dict[str, str]
    geometry: OGRGeometry | None = None
    vertices: int = 0  # of the geometry, counted when read (limits.py)

    # A plan is computed by a worker and read back by the web page: OGR objects are C
    # pointers, so they travel as WKB with their coordinate system.
    def __getstate__(self):
        return {"number": self.number, "values": self.values,
                "geometry": ogr_dump(self.geometry), "vertices": self.vertices}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, ogr_load(value) if name == "geometry" else value)


@dataclass
class SourceTable:
    name: str
    format: str
    columns: list[str]
    rows: list[SourceRow]
    srs: SpatialReference | None = None
    has_geometry: bool = False
    notes: list[str] = field(default_factory=list)

    def __getstate__(self):
        return {**self.__dict__, "srs": self.srs.wkt if self.srs is not None else None}

    def __setstate__(self, state):
        srs = SpatialReference(state["srs"]) if state["srs"] else None
        self.__dict__.update(state, srs=srs)


class FilePoint:
    """A file's plain 2D point in the file's own coordinates, read without an OGR geometry
    of its own: cloning one per feature cost a GeoPackage of 100,000 points 2 s, and the
    bulk point check (rows.py) only reads x and y. It answers what the engine asks of a
    row's geometry (geom_name, empty, x, y, envelope); clone() builds the OGR point for the
    row-by-row path."""

    __slots__ = ("x", "y")
    geom_name = "POINT"
    empty = False
    srs = None  # the table's (SourceTable.srs), as for any geometry of the file

    def __init__(self, x: float, y: float):
        self.x, self.y = x, y

    def __getstate__(self):
        return self.x, self.y

    def __setstate__(self, state):
        self.x, self.y = state

    def clone(self) -> OGRGeometry:
        """
        >>> FilePoint(106.5, 21.75).clone().wkt
        'POINT (106.5 21.75)'
        """
        return OGRGeometry(f"POINT ({self.x!r} {self.y!r})")

    @property
    def envelope(self):
        return self.clone().envelope


def ogr_dump(geometry):
    if geometry is None or isinstance(geometry, FilePoint):
        return geometry  # a FilePoint pickles as two floats
    return bytes(geometry.wkb), geometry.srs.wkt if geometry.srs is not None else None


def ogr_load(dumped):
    if dumped is None or isinstance(dumped, FilePoint):
        return dumped
    wkb, srs = dumped
    return OGRGeometry(memoryview(wkb), srs=SpatialReference(srs) if srs else None)


def source_open(path: Path, *, workdir: Path, name: str = "") -> SourceTable:
    """Read a file (any supported format) into a SourceTable; raise SourceRefused."""
    name = name or path.name
    size = path.stat().st_size
    if size > settings.QRMAP_MAX_IMPORT_BYTES:
        raise SourceRefused(_("The file is %(mb).1f MB; the limit is %(max).0f MB.") % {
            "mb": size / 2**20, "max": settings.QRMAP_MAX_IMPORT_BYTES / 2**20})
    suffix = path.suffix.lower()
    if suffix == ".shp":
        # Alone, a .shp has no attributes (.dbf) and no coordinate system (.prj).
        raise SourceRefused(_("Upload a Shapefile as one .zip holding its .shp, .shx, .dbf "
                              "and .prj files."))
    if suffix not in SUFFIXES:
        raise SourceRefused(_("Unsupported file type “%s”: use CSV, GeoJSON, a zipped "
                              "Shapefile, GeoPackage, KML or KMZ.") % suffix)
    if suffix in (".zip", ".kmz"):
        try:
            path = _inner_file(archive_extract(path, workdir / "unzipped"))
        except ValueError as exc:
            raise SourceRefused(str(exc)) from exc
        suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv_table(path, name)
    return _ogr_table(path, name)


def _inner_file(paths: list[Path]) -> Path:
    """The data file inside an archive: a Shapefile first, then the other formats."""
    for wanted in (".shp", ".gpkg", ".geojson", ".json", ".kml", ".csv"):
        found = sorted(p for p in paths if p.suffix.lower() == wanted
                       and not p.name.startswith("._"))
        if found:
            return found[0]
    raise SourceRefused(_("The archive holds no Shapefile, GeoPackage, GeoJSON, KML or CSV."))


def _csv_table(path: Path, name: str) -> SourceTable:
    try:
        content = csv_open(path)
        rows, width = [], len(content.columns)
        for line, cells in content.rows:
            cells = cells + [""] * (width - len(cells))
            rows.append(SourceRow(line, dict(zip(content.columns, cells, strict=False))))
    except ValueError as exc:
        raise SourceRefused(str(exc)) from exc
    notes = [_("CSV read as %(enc)s%(bom)s, separator “%(sep)s”.") % {
        "enc": "UTF-8" if content.encoding == "utf-8-sig" else content.encoding,
        "bom": _(" with BOM") if content.had_bom else "",
        "sep": "TAB" if content.separator == "\t" else content.separator}]
    return SourceTable(name, "CSV", content.columns, rows, notes=notes)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # full precision, so an export imports back unchanged
    return nfc(str(value)).strip()


def _c(name, argtypes, restype):
    """A function of the GDAL library with a prototype of our own (see below)."""
    function = lgdal[name]
    function.argtypes, function.restype = argtypes, restype
    return function


_geometry_ref = _c("OGR_F_GetGeometryRef", [c_void_p], c_void_p)
_geometry_type = _c("OGR_G_GetGeometryType", [c_void_p], c_int)
_geometry_empty = _c("OGR_G_IsEmpty", [c_void_p], c_int)
_point_x = _c("OGR_G_GetX", [c_void_p, c_int], c_double)
_point_y = _c("OGR_G_GetY", [c_void_p, c_int], c_double)
_WKB_POINT = 1  # a 2D point; 3D and measured points take the general path (set_3d)


def _geometry(feature) -> OGRGeometry | FilePoint | None:
    ref = _geometry_ref(feature.ptr)  # owned by the feature: nothing to free
    if not ref:
        return None  # a feature without geometry ("geometry": null)
    if _geometry_type(ref) == _WKB_POINT and not _geometry_empty(ref):
        return FilePoint(_point_x(ref, 0), _point_y(ref, 0))
    try:
        return feature.geom
    except GDALException:
        return None


# OGR_F_GetFieldAsString as a function pointer of our own (indexing the library makes a new
# one, so GeoDjango's prototype of it keeps its own restype and error check).
_field_as_string = _c("OGR_F_GetFieldAsString", [c_void_p, c_int], c_char_p)


def _values(feature, fields) -> dict[str, str]:
    """A feature's attributes as text. Text fields are read through the C API directly:
    Feature.get builds a Field object per cell, 75 µs a row for four columns. An unset or
    null field reads as "", as Feature.get's None did through _text."""
    ptr, values = feature.ptr, {}
    for key, name, index, text in fields:
        if text:
            values[key] = nfc(_field_as_string(ptr, index).decode("utf-8")).strip()
        else:
            values[key] = _text(feature.get(name))
    return values


def _ogr_table(path: Path, name: str) -> SourceTable:
    try:
        source = DataSource(str(path), encoding="utf-8")
    except GDALException as exc:
        raise SourceRefused(_("GDAL cannot read this file: %s") % exc) from exc
    driver = source.driver.name
    if driver not in OGR_DRIVERS:
        raise SourceRefused(_("Files of type %s are not accepted.") % driver)
    kml = driver in ("KML", "LIBKML")
    layers = [layer for layer in source if layer.num_feat or len(source) == 1]
    group = _("folder") if kml else _("layer")
    columns, rows, srs, vertices = [], [], None, 0
    for layer in layers:
        srs = srs or layer.srs
        fields = [(nfc(name), name, index, kind is OFTString)
                  for index, (name, kind) in enumerate(zip(layer.fields, layer.field_types,
                                                           strict=True))
                  if not (kml and name in KML_NOISE)]
        columns += [key for key, *_rest in fields if key not in columns]
        for feature in layer:
            geometry = _geometry(feature)
            count = vertex_count(geometry)
            vertices += count
            refusal = file_vertices_refusal(vertices=vertices)
            if refusal:  # refused as a whole, before reading further
                raise SourceRefused(refusal)
            values = _values(feature, fields)
            if len(layers) > 1:
                values[group] = nfc(layer.name)
            rows.append(SourceRow(len(rows) + 1, values, geometry, count))
    if len(layers) > 1:
        columns.append(group)
    notes = [_("Read with GDAL (%(driver)s), %(n)d layer(s).") % {"driver": driver,
                                                                    "n": len(layers)}]
    return SourceTable(name, driver, columns, rows, srs=srs, has_geometry=True, notes=notes)
