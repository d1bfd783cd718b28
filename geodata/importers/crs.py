"""Coordinate systems of Vietnamese files, and the transform to the storage SRID (4326).

VN-2000 comes geographic (EPSG:4756), in UTM zones 48N/49N (EPSG:3405/3406) and, in
provincial cadastral work, in 3° transverse Mercator zones (EPSG:9205-9218; Lạng Sơn uses
the 107°15′ meridian, EPSG:9215). PostGIS 3.3's spatial_ref_sys lacks the TM-3 zones, so
geometries are transformed here with GDAL/PROJ, which knows them, before they reach the
database; migration geodata 0012 adds the zones' GDAL definitions (with the VN-2000 to
WGS 84 datum shift, +towgs84) to spatial_ref_sys so that PostGIS writes them out too (the
OGC API's crs parameter, the exports).
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException, SRSException
from django.utils.translation import gettext_lazy as _

STORAGE_SRID = settings.QRMAP_SRID
LANG_SON_TM3 = 9215
VN2000_GEOGRAPHIC = 4756
VN2000_UTM = (3405, 3406)
# The 3° zones of VN-2000, EPSG:9205 (103°00′) to EPSG:9218 (108°30′).
VN2000_TM3 = tuple(range(9205, 9219))
# EPSG's area of use of VN-2000 (onshore and offshore Vietnam), min_lon,min_lat,max_lon,max_lat.
VN2000_AREA = (102.14, 8.33, 109.52, 23.4)

# (srid, label) in the order the preview offers them: the province's own zone first.
CHOICES = [
    (4326, _("WGS 84 longitude/latitude (GPS, Google, OSM)")),
    (LANG_SON_TM3, _("VN-2000 / TM-3 107°15′ (Lạng Sơn cadastral zone)")),
    (4756, _("VN-2000 longitude/latitude")),
    (3405, _("VN-2000 / UTM zone 48N")),
    (3406, _("VN-2000 / UTM zone 49N")),
    (9214, _("VN-2000 / TM-3 107°00′")),
    (9216, _("VN-2000 / TM-3 107°30′")),
    (9213, _("VN-2000 / TM-3 106°30′")),
    (32648, _("WGS 84 / UTM zone 48N")),
    (32649, _("WGS 84 / UTM zone 49N")),
]


@dataclass
class CrsGuess:
    srs: SpatialReference | None
    source: str  # "file", "user", "assumed", "unknown"
    looks_projected: bool = False

    def __getstate__(self):  # a plan travels from a worker to the web page
        return {**self.__dict__, "srs": self.srs.wkt if self.srs is not None else None}

    def __setstate__(self, state):
        self.__dict__.update(state, srs=SpatialReference(state["srs"]) if state["srs"] else None)

    @property
    def label(self) -> str:
        if self.srs is None:
            return ""
        return f"{self.srs.name} (EPSG:{self.srs.srid})" if self.srs.srid else self.srs.name


def srs_from_srid(srid: int) -> SpatialReference:
    try:
        return SpatialReference(int(srid))
    except (GDALException, SRSException, ValueError) as exc:
        raise ValueError(_("Unknown coordinate system EPSG:%s.") % srid) from exc


def srs_definition(srid: int) -> tuple[str, str]:
    """(WKT, PROJ string) of an EPSG coordinate system as GDAL/PROJ define it, the PROJ
    string carrying the datum shift to WGS 84 (+towgs84) that spatial_ref_sys rows hold."""
    srs = srs_from_srid(srid)
    return srs.wkt, srs.proj.strip()


def looks_like_degrees(pairs) -> bool:
    """True when (nearly) all coordinate pairs fit in ±180: degrees, not metres. Swapped
    latitude/longitude still fit (106 < 180), which is what lets the swap be detected."""
    pairs = list(pairs)
    if not pairs:
        return True
    inside = sum(1 for x, y in pairs if abs(x) <= 180 and abs(y) <= 180)
    return inside >= 0.9 * len(pairs)


def crs_guess(*, file_srs: SpatialReference | None, srid: int | None, pairs) -> CrsGuess:
    """The user's choice wins, then the file's own (.prj, GeoPackage, GeoJSON), then WGS 84
    when the numbers are degrees; projected numbers without a CRS stay unknown (ask)."""
    if srid:
        return CrsGuess(srs_from_srid(srid), "user")
    if file_srs is not None:
        return CrsGuess(file_srs, "file")
    if looks_like_degrees(pairs):
        return CrsGuess(srs_from_srid(STORAGE_SRID), "assumed")
    return CrsGuess(None, "unknown", looks_projected=True)


def transform_to_storage(srs: SpatialReference) -> CoordTransform | None:
    """A GDAL transform to EPSG:4326 with longitude first, or None when already there."""
    target = SpatialReference(STORAGE_SRID)
    if srs.srid == STORAGE_SRID:
        return None
    return CoordTransform(srs, target)


def is_geographic(srs: SpatialReference | None) -> bool:
    return bool(srs is not None and srs.geographic)
