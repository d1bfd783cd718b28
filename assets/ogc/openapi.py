"""The OpenAPI 3.0 definition of the /ogc/ endpoints (OGC API – Features, conformance class
oas30). GDAL and QGIS read it to learn the largest page they may ask for."""
from assets.ogc import collections as ogc


def _param(name, description, schema, where="query", required=False):
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema, "style": "form", "explode": False}


F = _param("f", "Output format.", {"type": "string", "enum": ["json", "html"]})
LIMIT = _param("limit", "Features per page.",
               {"type": "integer", "minimum": 1, "maximum": ogc.MAX_LIMIT,
                "default": ogc.DEFAULT_LIMIT})
OFFSET = _param("offset", "Features to skip (follow the next link instead).",
                {"type": "integer", "minimum": 0, "default": 0})
BBOX = _param("bbox", "min_lon,min_lat,max_lon,max_lat (CRS84).",
              {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}})
DATETIME = _param("datetime", "Instant or interval (RFC 3339, .. for an open end).",
                  {"type": "string"})
ERROR = {"description": "Error", "content": {"application/json": {"schema": {
    "type": "object", "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}}}}


def _ok(media_type, description="OK"):
    return {"description": description, "content": {media_type: {"schema": {"type": "object"}},
                                                    "text/html": {"schema": {"type": "string"}}}}


def openapi_document(*, base_url: str) -> dict:
    """The API definition, with one items path per collection (and its filters)."""
    paths = {
        "/": {"get": {"summary": "Landing page", "operationId": "getLandingPage",
                      "parameters": [F], "responses": {"200": _ok("application/json")}}},
        "/conformance": {"get": {"summary": "Conformance classes",
                                 "operationId": "getConformanceDeclaration", "parameters": [F],
                                 "responses": {"200": _ok("application/json")}}},
        "/collections": {"get": {"summary": "Collections", "operationId": "getCollections",
                                 "parameters": [F],
                                 "responses": {"200": _ok("application/json")}}},
    }
    for collection in ogc.COLLECTIONS.values():
        base = f"/collections/{collection.id}"
        filters = [_param(name, f"Only features whose {name} equals this.", {"type": "string"})
                   for name in collection.filters]
        paths[base] = {"get": {
            "summary": str(collection.title), "operationId": f"describe-{collection.id}",
            "parameters": [F], "responses": {"200": _ok("application/json"), "404": ERROR}}}
        paths[f"{base}/items"] = {"get": {
            "summary": f"{collection.title}: features", "operationId": f"items-{collection.id}",
            "parameters": [LIMIT, OFFSET, BBOX, DATETIME, F, *filters],
            "responses": {"200": _ok("application/geo+json"), "400": ERROR}}}
        paths[f"{base}/items/{{featureId}}"] = {"get": {
            "summary": f"{collection.title}: one feature",
            "operationId": f"item-{collection.id}",
            "parameters": [_param("featureId", "Feature id.", {"type": "string"}, "path", True),
                           F],
            "responses": {"200": _ok("application/geo+json"), "404": ERROR}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "qrmap OGC API – Features", "version": "1.0.0",
                 "description": "Assets, hamlets, cell sites and administrative units of "
                                "Lạng Sơn province."},
        "servers": [{"url": base_url}],
        "paths": paths,
    }
