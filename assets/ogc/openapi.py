"""The OpenAPI 3.0 definition of the /ogc/ endpoints (OGC API – Features, conformance class
oas30). GDAL and QGIS read it to learn the largest page they may ask for. Each parameter says
what the server takes (the rules are geodata.params and assets.ogc.collections), and each
operation the answers it can give: 400 for a bad parameter, 429 when throttled."""
from assets.ogc import collections as ogc
from assets.ogc import crs as ogc_crs
from assets.ogc import filtering
from assets.ogc.queryables import SCHEMA_MEDIA_TYPE, queryables
from geodata.params import DATETIME_INTERVAL_PATTERN, TEXT_PATTERN


def _param(name, description, schema, where="query", required=False):
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema, "style": "form", "explode": False}


F = _param("f", "Output format.", {"type": "string", "enum": ["json", "html"]})
LIMIT = _param("limit", "Features per page.",
               {"type": "integer", "minimum": 1, "maximum": ogc.MAX_LIMIT,
                "default": ogc.DEFAULT_LIMIT})
OFFSET = _param("offset", "Features to skip (follow the next link instead).",
                {"type": "integer", "minimum": 0, "maximum": ogc.MAX_OFFSET, "default": 0})


def _after(collection):
    """Keyset paging's `after`, typed as the collection's feature ids."""
    schema = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": TEXT_PATTERN}
    if collection.id_is_integer():
        schema = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    return _param("after", "Keyset paging: the id of the last feature of the page before (the "
                           "next link carries it; ignored with sortby).", schema)


# As OGC API – Features Part 1 defines it (4 numbers, or 6 for a 3-D box whose heights are
# ignored); each minimum at most its maximum, longitudes within ±180, latitudes within ±90.
BBOX = _param("bbox", "min_lon,min_lat,max_lon,max_lat in CRS84 (the default bbox-crs); in "
                      "EPSG:4326 and EPSG:4756 latitude first, in the projected systems easting "
                      "then northing (metres). Each minimum at most its maximum, latitudes within "
                      "±90.",
              {"type": "array", "items": {"type": "number"},
               "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}]})
DATETIME = _param("datetime", "Instant (RFC 3339, with its UTC offset), day, or interval "
                              "start/end with .. (or nothing) for an open end.",
                  {"type": "string", "pattern": DATETIME_INTERVAL_PATTERN})
# OGC API – Features Part 2: the systems every collection lists under crs.
CRS_SCHEMA = {"type": "string", "format": "uri", "enum": ogc_crs.crs_uris(),
              "default": ogc_crs.CRS84}
BBOX_CRS = _param("bbox-crs", "Coordinate system of bbox (a URI the collection lists).",
                  CRS_SCHEMA)
CRS = _param("crs", "Coordinate system of the features returned (a URI the collection "
                    "lists); the Content-Crs header names it.", CRS_SCHEMA)
CONTENT_CRS = {"Content-Crs": {"description": "The coordinate system of the features, as "
                                              "<URI>.", "schema": {"type": "string"}}}
# CQL2 has a grammar, not a pattern: the text is any text; the server answers a filter it
# cannot read with a 400 that names it.
FILTER = _param("filter", "CQL2 filter over the collection's queryables (see its "
                          "/queryables), e.g. kind='heritage' AND S_INTERSECTS(geometry, "
                          "BBOX(106.7,21.8,106.8,21.9)).",
                {"type": "string", "minLength": 1, "maxLength": filtering.MAX_CHARS,
                 "pattern": TEXT_PATTERN})
FILTER_LANG = _param("filter-lang", "Language of filter.",
                     {"type": "string", "enum": list(filtering.LANGUAGES),
                      "default": "cql2-text"})
FILTER_CRS = _param("filter-crs", "CRS of the geometries in filter: CRS84 only.",
                    {"type": "string", "enum": [ogc.CRS84]})
ERROR = {"description": "Error", "content": {"application/json": {"schema": {
    "type": "object", "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"},
                   "parameter": {"type": "string"}}}}}}


def _ok(media_type, description="OK"):
    return {"description": description, "content": {media_type: {"schema": {"type": "object"}},
                                                    "text/html": {"schema": {"type": "string"}}}}


def _get(summary, operation_id, parameters, media_type="application/json", *, not_found=False,
         features=False):
    responses = {"200": _ok(media_type), "400": ERROR, "429": ERROR}
    if features:
        responses["200"]["headers"] = CONTENT_CRS
    if not_found:
        responses["404"] = ERROR
    return {"get": {"summary": summary, "operationId": operation_id, "parameters": parameters,
                    "responses": responses}}


def _selection(collection):
    """sortby and properties: lists of the names the collection takes."""
    sortable = [name for name, q in queryables(collection).items() if q.sortable]
    return [
        _param("sortby", "Sort keys, comma-separated: name, +name (ascending) or -name "
                         "(descending); the feature id breaks ties.",
               {"type": "array", "minItems": 1, "items": {
                   "type": "string",
                   "enum": [f"{sign}{name}" for name in sortable for sign in ("", "+", "-")]}}),
        _param("properties", "Only these properties in each feature.",
               {"type": "array", "minItems": 1,
                "items": {"type": "string", "enum": list(collection.properties)}}),
    ]


def openapi_document(*, base_url: str) -> dict:
    """The API definition, with one items path per collection (and its filters)."""
    paths = {
        "/": _get("Landing page", "getLandingPage", [F]),
        "/conformance": _get("Conformance classes", "getConformanceDeclaration", [F]),
        "/collections": _get("Collections", "getCollections", [F]),
    }
    for collection in ogc.COLLECTIONS.values():
        base = f"/collections/{collection.id}"
        filters = [_param(name, f"Only features whose {name} equals this.",
                          collection.filter_schema(name)) for name in collection.filters]
        paths[base] = _get(str(collection.title), f"describe-{collection.id}", [F])
        paths[f"{base}/items"] = _get(
            f"{collection.title}: features", f"items-{collection.id}",
            [LIMIT, OFFSET, _after(collection), BBOX, BBOX_CRS, CRS, DATETIME, F, *filters,
             FILTER, FILTER_LANG, FILTER_CRS, *_selection(collection)], "application/geo+json",
            features=True)
        paths[f"{base}/queryables"] = _get(
            f"{collection.title}: queryables", f"queryables-{collection.id}", [F],
            SCHEMA_MEDIA_TYPE)
        feature_id = _param("featureId", "Feature id.", {"type": "string",
                                                         "pattern": TEXT_PATTERN}, "path", True)
        paths[f"{base}/items/{{featureId}}"] = _get(
            f"{collection.title}: one feature", f"item-{collection.id}", [feature_id, CRS, F],
            "application/geo+json", not_found=True, features=True)
    return {
        "openapi": "3.0.3",
        "info": {"title": "qrmap OGC API – Features", "version": "1.0.0",
                 "description": "Assets, hamlets, cell sites and administrative units of "
                                "Lạng Sơn province."},
        "servers": [{"url": base_url}],
        "paths": paths,
    }
