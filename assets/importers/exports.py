"""What each export holds: assets, hamlets and cell sites, filtered like the API lists
(the same FilterSets, plus bbox), with the columns the importer maps back by name."""
from django.contrib.gis.db.models.functions import Transform

from assets.api.filters import AssetFilter
from assets.scope import asset_list
from geodata.filters import CellSiteFilter, HamletFilter
from geodata.importers.export import export_srid, export_write
from geodata.models import CellSite, Hamlet
from geodata.params import ParamError, bbox_parse

ASSET_COLUMNS = ["code", "external_id", "kind", "category", "name_vi", "name_en", "name_zh",
                 "description_vi", "description_en", "description_zh", "heritage_rank",
                 "status", "source", "commune", "shape_wkt"]
HAMLET_COLUMNS = ["external_id", "name", "households", "population", "mobile_status",
                  "broadband_status", "survey_date", "source", "commune"]
CELL_COLUMNS = ["external_id", "name", "operator", "technologies", "terrain",
                "coverage_radius_m", "status", "commissioned_on", "source", "commune"]


def _values(obj, columns):
    values = {c: getattr(obj, c) for c in columns if c not in ("commune", "shape_wkt")}
    values["commune"] = obj.commune.name if obj.commune_id else ""
    if "shape_wkt" in columns:  # in the system of the points, as the importer reads it
        values["shape_wkt"] = obj.export_shape.wkt if obj.shape else ""
    return values


EXPORTS = {
    "assets": (ASSET_COLUMNS, AssetFilter,
               lambda user: asset_list(user=user).order_by("code")),
    "hamlets": (HAMLET_COLUMNS, HamletFilter, lambda user: Hamlet.objects.order_by("id")),
    "cellsites": (CELL_COLUMNS, CellSiteFilter, lambda user: CellSite.objects.order_by("id")),
}


def export_queryset(*, layer: str, user, params: dict):
    """The rows of an export, filtered like the lists; raises ValueError on a bad filter."""
    columns, filterset_class, base = EXPORTS[layer]
    params = {k: v for k, v in params.items() if k not in ("bbox", "srid")} | (
        {"bbox": params["bbox"]} if params.get("bbox") else {})
    filterset = filterset_class(data={k: v for k, v in params.items() if k != "bbox"},
                                queryset=base(user).select_related("commune"))
    if not filterset.is_valid():
        raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    queryset = filterset.qs
    if params.get("bbox"):
        try:
            area = bbox_parse(params["bbox"])
        except ParamError as error:
            raise ValueError(f"{error.parameter}: {error.message}") from None
        queryset = queryset.filter(location__intersects=area)
    return queryset


def export_file(*, layer: str, fmt: str, user, params: dict) -> bytes:
    """Bytes of an export of `layer` in `fmt` (csv, geojson, gpkg), its points in the
    system `srid` names (transformed by PostGIS, as the OGC API's crs)."""
    columns = EXPORTS[layer][0]
    srid = export_srid(params.get("srid"))
    queryset = export_queryset(layer=layer, user=user, params=params).annotate(
        export_point=Transform("location", srid))
    if "shape_wkt" in columns:
        queryset = queryset.annotate(export_shape=Transform("shape", srid))
    records = ((_values(obj, columns), obj.export_point) for obj in queryset.iterator(
        chunk_size=2000))
    return export_write(fmt, columns, records, name=layer, srid=srid)
