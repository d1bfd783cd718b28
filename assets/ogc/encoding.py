"""The items of an OGC API collection as text: the Features, written whole by PostgreSQL,
and numberMatched, counted once per data version and filter (assets.ogc.collections says
which rows; this module how they are written and counted)."""
import hashlib
import json

from django.core.cache import cache
from django.db.models import F, Func, TextField, Value

from assets.ogc import crs as ogc_crs
from geodata.sqljson import feature_texts
from geodata.tiles import data_version, versioned_tables

# The parameters that do not change which rows match: a count is shared across them.
NOT_COUNTED = {"f", "limit", "offset", "after", "crs", "properties", "sortby"}
MATCHED_SECONDS = 600


def items_matched(collection, rows, params) -> int:
    """numberMatched of an items request, counted once per data version and filter.

    A client paging through a layer (GDAL, QGIS, OWSLib follow `next`) asks the same count
    on every page, and counting every matching row cost as much as the page itself. The
    count is shared only for the tables whose writes move the data version (geodata 0008,
    the tiles' rule): another table's count is always fresh."""
    table = rows.model._meta.db_table
    if table not in versioned_tables():
        return rows.count()
    version = data_version()
    counted = sorted((k, v) for k, v in params.items() if k not in NOT_COUNTED)
    digest = hashlib.md5(json.dumps([collection.id, counted]).encode(),
                         usedforsecurity=False).hexdigest()
    key = f"qrmap:ogc:matched:{version}:{digest}"
    matched = cache.get(key)
    if matched is None:
        matched = rows.count()
        # Kept only when no write committed meanwhile, as tiles are.
        if data_version() == version:
            cache.set(key, matched, MATCHED_SECONDS)
    return matched


def _property_expression(name: str, lookup: str):
    if name == "technologies":
        # Arrays become one text (4G,3G): GeoPackage and Shapefile have no list type.
        return Func(F(lookup), Value(","), function="array_to_string", output_field=TextField())
    return F(lookup)


def features_encode(collection, rows, crs=None, names=None) -> list[str]:
    """GeoJSON Feature texts for the rows, with the properties `names` only if given.

    PostgreSQL writes each Feature whole (json_build_object over the row, the geometry by
    ST_AsGeoJSON in `crs`): a page of 10,000 features then costs one query and a join of
    texts, where a dict built and dumped per row in Python took most of the request. Its JSON
    is Python's for the types these layers hold (ISO 8601 times with their UTC offset, dates,
    numbers, text, null)."""
    lookups = collection.properties
    if names is not None:
        lookups = {name: lookups[name] for name in names}
    geojson = ogc_crs.geojson_expression(collection.geometry, crs or ogc_crs.crs_parse(None))
    return list(feature_texts(rows, {
        "type": Value("Feature", output_field=TextField()), "id": F(collection.id_field),
        "geometry": Func(geojson, template="(%(expressions)s)::json",
                         output_field=TextField()),
        "properties": {name: _property_expression(name, lookup)
                       for name, lookup in lookups.items()}}))


def page_params(query, params, limit, offset) -> dict:
    """The parameters of a page's own links (self, alternate), its keyset `after` kept."""
    after = query.get("after")
    return {**params, "limit": limit, "offset": offset, **({"after": after} if after else {})}
