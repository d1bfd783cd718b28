"""Readers for the bundled Lạng Sơn reference files in geodata/data/ (see SOURCES.md there).

They turn each file into plain records, with geometries read through GDAL and made valid,
and know nothing about the database; `geodata.loaders` writes the records.
"""
import csv
import datetime
import functools
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_FILE = "ls_province.geojson"
DISTRICTS_FILE = "ls_districts_pre2025.geojson"
COMMUNES_FILE = "ls_communes_2025.geojson"
OLD_COMMUNES_FILE = "ls_communes_pre2025.csv"
TOWNS_FILE = "ls_geonames_cities500.csv"
FILES = [PROVINCE_FILE, DISTRICTS_FILE, COMMUNES_FILE, OLD_COMMUNES_FILE, TOWNS_FILE]

# The day before the reform: the last day the districts and the 194 old communes existed.
LAST_OLD_DAY = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)

SOURCE_PROVINCE = "dvhcvn (GSO codes; polygons from gis.chinhphu.vn)"
SOURCE_COMMUNES = ("vietnam-3d-map (polygons from gis.vn, population from sapnhap.bando.com.vn); "
                   "dvhcvn/20250701 (codes, merger lineage after NQ 1672/NQ-UBTVQH15)")
SOURCE_OLD_COMMUNES = ("dvhcvn (GSO codes, 2025-03); dvhcvn/20250701 (merger); "
                       "onflow-location-platform (approximate label points)")

TYPE_PREFIXES = ("Thành phố", "Thị trấn", "Phường", "Huyện", "Tỉnh", "Xã")


@dataclass
class UnitRecord:
    """One administrative unit as the files describe it."""

    level: str
    code: str
    name: str
    unit_type: str
    short_name: str = ""
    parent_code: str | None = None
    boundary: MultiPolygon | None = None
    label_point: Point | None = None
    admin_center: str = ""
    population: int | None = None
    area_km2: float | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    source: str = ""
    # (old commune code, "full" | "partial") for the 2025 communes.
    merged_from: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Town:
    """A GeoNames populated place, used as a reference locality for short plus codes."""

    geonameid: int
    name: str
    full_name: str
    location: Point
    feature_code: str
    population: int


def files_fingerprint(*, version: str) -> str:
    """sha256 over the bytes of every bundled file and the loader version."""
    digest = hashlib.sha256(version.encode())
    for name in FILES:
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def polygonal(geometry: GEOSGeometry) -> MultiPolygon:
    """A valid MultiPolygon from any geometry: repair it, keep only the polygonal parts.

    make_valid() turns a self-intersecting ring into a MultiPolygon, but may also return a
    GeometryCollection with the stray lines or points of a degenerate sliver; those carry no
    area and are dropped, so the column always holds a clean MultiPolygon.
    """
    if not _valid_quietly(geometry):
        geometry = geometry.make_valid()
    result = MultiPolygon(*_polygons(geometry), srid=settings.QRMAP_SRID)
    if not _valid_quietly(result):
        # Two repaired parts may still overlap or share an edge; their union is clean.
        result = MultiPolygon(*_polygons(result.unary_union), srid=settings.QRMAP_SRID)
    return result


def _valid_quietly(geometry: GEOSGeometry) -> bool:
    # GEOS logs a notice for each invalid ring it meets; the repair is expected here.
    gis_logger = logging.getLogger("django.contrib.gis")
    level = gis_logger.level
    gis_logger.setLevel(logging.ERROR)
    try:
        return geometry.valid
    finally:
        gis_logger.setLevel(level)


def _polygons(geometry: GEOSGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry] if geometry.area > 0 else []
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [polygon for part in geometry for polygon in _polygons(part)]
    return []


def _features(name):
    layer = DataSource(str(DATA_DIR / name))[0]
    for feature in layer:
        geometry = feature.geom.geos
        geometry.srid = settings.QRMAP_SRID
        yield feature, geometry


def _short(name: str) -> str:
    for prefix in TYPE_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1:]
    return name


def _optional(feature, key):
    value = feature.get(key)
    return None if value in (None, "") else value


def province_read() -> UnitRecord:
    """The province outline (still valid: Lạng Sơn was not merged in 2025)."""
    feature, geometry = next(_features(PROVINCE_FILE))
    return UnitRecord(
        level="province", code=feature.get("province_code"), name=feature.get("name"),
        unit_type=feature.get("type"), short_name=_short(feature.get("name")),
        boundary=polygonal(geometry), source=SOURCE_PROVINCE,
    )


def districts_read() -> list[UnitRecord]:
    """The 11 districts and the provincial city, abolished on 2025-07-01."""
    return [
        UnitRecord(
            level="district", code=feature.get("district_code"), name=feature.get("name"),
            unit_type=feature.get("type"), short_name=_short(feature.get("name")),
            parent_code=feature.get("province_code"), boundary=polygonal(geometry),
            valid_to=LAST_OLD_DAY, source=SOURCE_PROVINCE,
        )
        for feature, geometry in _features(DISTRICTS_FILE)
    ]


def communes_read() -> list[UnitRecord]:
    """The 65 communes and wards in force from 2025-07-01, with their merger lineage."""
    records = []
    for feature, geometry in _features(COMMUNES_FILE):
        codes = feature.get("merged_from_codes").split(";")
        kinds = feature.get("merged_from_types").split(";")
        if len(codes) != len(kinds):
            raise ValueError(f"{feature.get('commune_code_2025')}: merged_from lists differ")
        label = Point(feature.get("label_lon"), feature.get("label_lat"), srid=settings.QRMAP_SRID)
        records.append(UnitRecord(
            level="commune", code=feature.get("commune_code_2025"), name=feature.get("name"),
            unit_type=feature.get("type"), short_name=feature.get("short_name"),
            parent_code=feature.get("province_code"), boundary=polygonal(geometry),
            label_point=label, admin_center=feature.get("admin_center") or "",
            population=_optional(feature, "population"),
            area_km2=_optional(feature, "area_km2"),
            valid_from=REFORM_DAY, source=SOURCE_COMMUNES,
            merged_from=list(zip(codes, kinds, strict=True)),
        ))
    return records


def old_communes_read() -> list[UnitRecord]:
    """The 194 communes of 2025-03: codes, names, district; no polygon, a label point only."""
    with open(DATA_DIR / OLD_COMMUNES_FILE, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        UnitRecord(
            level="commune", code=row["commune_code"], name=row["name"],
            unit_type=row["type"], short_name=_short(row["name"]),
            parent_code=row["district_code"],
            # The centroids are geocoded by name upstream: good enough to label, never to
            # decide which unit holds a point.
            label_point=Point(float(row["centroid_lon"]), float(row["centroid_lat"]),
                              srid=settings.QRMAP_SRID),
            valid_to=LAST_OLD_DAY, source=SOURCE_OLD_COMMUNES,
        )
        for row in rows
    ]


@functools.cache
def towns_read() -> tuple[Town, ...]:
    """The GeoNames towns of the province, largest first."""
    with open(DATA_DIR / TOWNS_FILE, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    towns = [
        Town(
            geonameid=int(row["geonameid"]),
            # "Thị Trấn Thất Khê" reads as "Thất Khê" in a short plus code's locality.
            name=_short(row["name"].replace("Thị Trấn", "Thị trấn")),
            full_name=row["name"],
            location=Point(float(row["longitude"]), float(row["latitude"]),
                           srid=settings.QRMAP_SRID),
            feature_code=row["feature_code"],
            population=int(row["population"] or 0),
        )
        for row in rows
    ]
    return tuple(sorted(towns, key=lambda town: (-town.population, town.name)))
