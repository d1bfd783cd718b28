"""The items of an OGC API collection as text: the Features, written whole by PostgreSQL,
and numberMatched, counted once per data version and filter (assets.ogc.collections says
which rows; this module how they are written and counted)."""
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast
from psycopg.adapt import Loader

from assets.ogc import crs as ogc_crs
from geodata.sqljson import JsonObject
from geodata.tiles import (
    VERSIONS_SQL,
    data_version,
    version_hash,
    versioned_tables,
    versions_read,
)

# The parameters that do not change which rows match: a count is shared across them.
NOT_COUNTED = {"f", "limit", "offset", "after", "crs", "properties", "sortby"}
MATCHED_SECONDS = 600


def items_matched(collection, rows, params, versions: str) -> int:
    """numberMatched of an items request, counted once per data version and filter.

    A client paging through a layer (GDAL, QGIS, OWSLib follow `next`) asks the same count
    on every page, and counting every matching row cost as much as the page itself. The
    count is shared only for the tables whose writes move the data version (geodata 0008,
    the tiles' rule): another table's count is always fresh. `versions` is the text
    geodata.tiles.VERSIONS_SQL read in the page's own statement (Page.versions)."""
    table = rows.model._meta.db_table
    if table not in versioned_tables(versions):
        return rows.count()
    version = version_hash(versions)
    counted = sorted((k, v) for k, v in params.items() if k not in NOT_COUNTED)
    digest = hashlib.md5(json.dumps([collection.id, counted]).encode(),
                         usedforsecurity=False).hexdigest()
    key = f"qrmap:ogc:matched:{version}:{digest}"
    matched = cache.get(key)
    if matched is None:
        matched = rows.count()
        # Kept only when no write committed meanwhile, as tiles are.
        if data_version(rows.db) == version:
            cache.set(key, matched, MATCHED_SECONDS)
    return matched


def _property_expression(name: str, lookup: str):
    if name == "technologies":
        # Arrays become one text (4G,3G): GeoPackage and Shapefile have no list type.
        return Func(F(lookup), Value(","), function="array_to_string", output_field=TextField())
    return F(lookup)


def _feature(collection, crs, names):
    """The GeoJSON Feature of a row, as PostgreSQL writes it (json_build_object over the
    row, the geometry by ST_AsGeoJSON in `crs`), with the properties `names` only if given."""
    lookups = collection.properties
    if names is not None:
        lookups = {name: lookups[name] for name in names}
    geojson = ogc_crs.geojson_expression(collection.geometry, crs or ogc_crs.crs_parse(None))
    return Cast(JsonObject({
        "type": Value("Feature", output_field=TextField()), "id": F(collection.id_field),
        "geometry": Func(geojson, template="(%(expressions)s)::json",
                         output_field=TextField()),
        "properties": JsonObject({name: _property_expression(name, lookup)
                                  for name, lookup in lookups.items()})}), TextField())


def features_encode(collection, rows, crs=None, names=None) -> list[str]:
    """GeoJSON Feature texts for the rows (a single item, the HTML page).

    A page of 10,000 features then costs one query and a join of texts, where a dict built
    and dumped per row in Python took most of the request. Its JSON is Python's for the
    types these layers hold (ISO 8601 times with their UTC offset, dates, numbers, text,
    null)."""
    return list(rows.annotate(_feature=_feature(collection, crs, names))
                .values_list("_feature", flat=True))


@dataclass(frozen=True)
class Page:
    features: list[bytes]  # the Feature texts of the page, UTF-8
    more: bool  # a row after the page exists
    versions: str  # geodata.tiles.VERSIONS_SQL's text, read with the rows


class _Utf8(Loader):
    """A text column as the UTF-8 bytes PostgreSQL sent: a page goes out as it came,
    never decoded into str and encoded back (Vietnamese names make a page of 10,000
    features a 4 MB str of two bytes a character)."""

    def load(self, data) -> bytes:
        return bytes(data)


# The page's rows as the ORM writes them, and the data version read in the same statement
# (on the first row only: it is the same for all). The rows keep the sorted subquery's order,
# as json_agg over a sorted subquery does; each row is sent as it is made, so the client
# reads a page while PostgreSQL writes it (the whole page as one string_agg text, written
# by PostgreSQL before any byte leaves, was measured slower: bench/ogc_filter.py).
PAGE_SQL = ("SELECT s._feature, CASE WHEN row_number() OVER () = 1 THEN (" + VERSIONS_SQL
            + ") END FROM ({rows}) s")


def features_page(collection, rows, offset, limit, crs=None, names=None) -> Page:
    """The features of rows[offset:offset + limit] in one statement with the data version,
    and whether more follow (one row beyond the page is read: no count needed)."""
    page = (rows.annotate(_feature=_feature(collection, crs, names)).values_list("_feature")
            [offset:offset + limit + 1])
    sql, params = page.query.sql_with_params()
    with connections[page.db].cursor() as cursor:
        cursor.cursor.adapters.register_loader("text", _Utf8)  # this cursor only
        cursor.execute(PAGE_SQL.replace("{rows}", sql, 1), params)
        found = cursor.fetchall()
    versions = found[0][1].decode() if found else versions_read(page.db)
    return Page([feature for feature, _version in found[:limit]], len(found) > limit, versions)


def page_params(query, params, limit, offset) -> dict:
    """The parameters of a page's own links (self, alternate), its keyset `after` kept."""
    after = query.get("after")
    return {**params, "limit": limit, "offset": offset, **({"after": after} if after else {})}
