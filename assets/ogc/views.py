"""OGC API – Features endpoints under /ogc/: landing page, conformance, API definition,
collections, items and single items, in JSON (GeoJSON for features) and minimal HTML."""
import datetime
import json
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from assets.ogc import collections as ogc
from assets.ogc import crs as ogc_crs
from assets.ogc import encoding
from assets.ogc import queryables as selecting
from geodata.params import params_refuse_empty, params_refuse_nul, params_refuse_unknown
from qrmap.throttling import ClientRateThrottle

GEOJSON = "application/geo+json"
# The path parameters as OGC API – Features (and /ogc/api) name them.
PATH_NAMES = {"collection_id": "collectionId", "feature_id": "featureId"}
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    # Part 3 and CQL2 (assets.ogc.filtering): only the classes whose every operator works.
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
]
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"


def _wants_html(request):
    f = request.GET.get("f")
    if f is not None:
        if f not in ("json", "html"):
            raise ogc._bad("f", _("f takes json or html."))
        return f == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def _url(request, path, **params):
    query = f"?{urlencode(params)}" if params else ""
    return request.build_absolute_uri(f"/ogc{path}{query}")


def _links(request, path, *, json_type=JSON, **params):
    """self and alternate links of a resource (JSON first: the machine-readable one)."""
    html = request.GET.get("f") == "html"
    return [
        {"href": _url(request, path, **params, f="json"), "type": json_type,
         "rel": "alternate" if html else "self", "title": _("This document as JSON")},
        {"href": _url(request, path, **params, f="html"), "type": "text/html",
         "rel": "self" if html else "alternate", "title": _("This document as HTML")},
    ]


def _answer(request, data, *, content_type=JSON, template_context=None):
    if _wants_html(request):
        context = {"data": data, "collection": None, **(template_context or {})}
        collection = context["collection"]
        context["title"] = collection.title if collection else data.get("title", "OGC API")
        context["description"] = (collection.description if collection
                                  else data.get("description", ""))
        return render(request, "ogc/page.html", context)
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)
    response["Cache-Control"] = "public, max-age=60"
    return response


def ogc_view(view):
    """Throttles anonymous clients like the REST API, refuses a NUL in any query or path
    parameter (PostgreSQL text cannot hold one) and an empty query parameter, and turns
    OgcError into its answer. Only GET
    and HEAD are served: any other method is a 405 with Allow (CSRF does not apply to a door
    that changes nothing; without the exemption a POST would get the CSRF 403 instead)."""

    @csrf_exempt
    @require_safe
    def wrapper(request, *args, **kwargs):
        throttle = ClientRateThrottle()
        if not throttle.allow_request(request, None):
            error = ogc.OgcError(429, "TooManyRequests", _("Too many requests; slow down."))
            response = _error(error)
            response["Retry-After"] = str(int(throttle.wait() or 1))
            return response
        try:
            path = {PATH_NAMES.get(name, name): value for name, value in kwargs.items()}
            ogc._checked(params_refuse_nul, request.GET, path)
            ogc._checked(params_refuse_empty, request.GET)
            return view(request, *args, **kwargs)
        except ogc.OgcError as error:
            return _error(error)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _error(error):
    return HttpResponse(json.dumps(error.body(), ensure_ascii=False), status=error.status,
                        content_type=JSON)


def _collection(collection_id):
    collection = ogc.COLLECTIONS.get(collection_id)
    if collection is None:
        raise ogc.OgcError(404, "NotFound", _("No collection %(id)s.") % {"id": collection_id})
    return collection


@ogc_view
def landing(request):
    data = {
        "title": _("qrmap — Lạng Sơn open data (OGC API – Features)"),
        "description": _("Assets with digital addresses, hamlets, cell sites and "
                         "administrative units of Lạng Sơn province."),
        "links": _links(request, "/") + [
            {"href": _url(request, "/api"), "rel": "service-desc", "type": OPENAPI,
             "title": _("API definition (OpenAPI 3.0)")},
            {"href": _url(request, "/api", f="html"), "rel": "service-doc",
             "type": "text/html", "title": _("API documentation")},
            {"href": _url(request, "/conformance"), "rel": "conformance", "type": JSON,
             "title": _("Conformance classes")},
            {"href": _url(request, "/collections"), "rel": "data", "type": JSON,
             "title": _("Collections")},
        ],
    }
    return _answer(request, data)


@ogc_view
def conformance(request):
    return _answer(request, {"conformsTo": CONFORMANCE, "links": _links(request, "/conformance")})


def _collection_info(request, collection):
    extent = ogc.collection_extent(collection)
    path = f"/collections/{collection.id}"
    info = {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        "crs": ogc_crs.crs_uris(),
        "storageCrs": ogc_crs.STORAGE_CRS,
        "links": [
            {"href": _url(request, path), "rel": "self", "type": JSON,
             "title": str(collection.title)},
            {"href": _url(request, f"{path}/items"), "rel": "items", "type": GEOJSON,
             "title": _("Features as GeoJSON")},
            {"href": _url(request, f"{path}/items", f="html"), "rel": "items",
             "type": "text/html", "title": _("Features as HTML")},
            {"href": _url(request, f"{path}/queryables"), "rel": QUERYABLES_REL,
             "type": selecting.SCHEMA_MEDIA_TYPE, "title": _("Queryables (for filter)")},
        ],
    }
    if extent:
        info["extent"] = {"spatial": {"bbox": [extent], "crs": ogc.CRS84}}
    return info


@ogc_view
def collections(request):
    data = {
        "links": _links(request, "/collections"),
        "crs": ogc_crs.crs_uris(),
        "collections": [_collection_info(request, c) for c in ogc.COLLECTIONS.values()],
    }
    return _answer(request, data)


@ogc_view
def collection(request, collection_id):
    return _answer(request, _collection_info(request, _collection(collection_id)))


@ogc_view
def items(request, collection_id):
    collection = _collection(collection_id)
    rows, limit, offset, after = ogc.items_query(collection, request.GET)
    crs = _output_crs(request)
    names = ogc._checked(selecting.properties_selected, collection,
                         request.GET.get("properties"))
    start, paged = offset, rows
    if after is not None:  # a keyset page: the rows after the last id seen
        start, paged = 0, rows.filter(**{f"{collection.id_field}__gt": after})
    page = encoding.features_page(collection, paged, start, limit, crs, names)
    matched = encoding.items_matched(collection, rows, request.GET, page.versions)
    path = f"/collections/{collection.id}/items"
    params = {k: v for k, v in request.GET.items() if k not in ("f", "offset", "limit", "after")}
    own = encoding.page_params(request.GET, params, limit, offset)
    links = _links(request, path, json_type=GEOJSON, **own)
    if page.more:
        keyset = ({} if request.GET.get("sortby")
                  else {"after": json.loads(page.features[-1])["id"]})
        links.append({"href": _url(request, path, **params, limit=limit, offset=offset + limit,
                                   **keyset),
                      "rel": "next", "type": GEOJSON, "title": _("Next page")})
    if offset > 0:
        links.append({"href": _url(request, path, **params, limit=limit,
                                   offset=max(offset - limit, 0)),
                      "rel": "prev", "type": GEOJSON, "title": _("Previous page")})
    links.append({"href": _url(request, f"/collections/{collection.id}"), "rel": "collection",
                  "type": JSON, "title": str(collection.title)})
    head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(page.features),
        "timeStamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "links": links,
    }
    if _wants_html(request):
        data = {**head, "features": [json.loads(f) for f in page.features]}
        return _with_crs(_answer(request, data, template_context={"collection": collection,
                                                                  "offset": offset}), crs)
    # The features are already JSON text: splice them in rather than parse and re-dump.
    body = b"".join([(json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[').encode(),
                     b",".join(page.features), b"]}"])
    response = HttpResponse(body, content_type=GEOJSON)
    response["Cache-Control"] = "public, max-age=60"
    return _with_crs(response, crs)


def _output_crs(request):
    """The system the features are written in (crs, CRS84 by default)."""
    return ogc._checked(ogc_crs.crs_parse, request.GET.get("crs"))


def _with_crs(response, crs):
    """Part 2's Content-Crs header: the system of the coordinates, in angle brackets."""
    response["Content-Crs"] = f"<{crs.uri}>"
    return response


@ogc_view
def queryables(request, collection_id):
    """The JSON Schema of the properties a filter or sortby may name (Part 3)."""
    collection = _collection(collection_id)
    schema = selecting.queryables_schema(
        collection, url=_url(request, f"/collections/{collection.id}/queryables"))
    listed = [{"name": name, **fields} for name, fields in schema["properties"].items()]
    return _answer(request, schema, content_type=selecting.SCHEMA_MEDIA_TYPE,
                   template_context={"collection": collection, "queryables": listed})


@ogc_view
def item(request, collection_id, feature_id):
    collection = _collection(collection_id)
    ogc._checked(params_refuse_unknown, request.GET, {"f", "crs"})
    crs = _output_crs(request)
    found = []
    # A numeric id is ASCII digits that a bigint holds; anything else names no feature.
    if collection.id_field != "id" or (feature_id.isascii() and feature_id.isdigit()
                                       and len(feature_id) < 19):
        rows = collection.rows().filter(**{collection.id_field: feature_id})
        found = encoding.features_encode(collection, rows, crs)
    if not found:
        raise ogc.OgcError(404, "NotFound", _("No feature %(id)s in %(collection)s.")
                           % {"id": feature_id, "collection": collection.id})
    feature = json.loads(found[0])
    path = f"/collections/{collection.id}/items/{feature_id}"
    kept = {"crs": request.GET["crs"]} if "crs" in request.GET else {}
    feature["links"] = _links(request, path, json_type=GEOJSON, **kept) + [
        {"href": _url(request, f"/collections/{collection.id}"), "rel": "collection",
         "type": JSON, "title": str(collection.title)}]
    return _with_crs(_answer(request, feature, content_type=GEOJSON,
                             template_context={"collection": collection, "feature": True}), crs)


@ogc_view
def api_definition(request):
    from assets.ogc.openapi import openapi_document

    document = openapi_document(base_url=request.build_absolute_uri("/ogc"))
    if _wants_html(request):
        return _answer(request, {"title": document["info"]["title"],
                                 "description": document["info"]["description"],
                                 "links": [{"href": _url(request, "/api"), "type": OPENAPI,
                                            "rel": "service-desc", "title": "OpenAPI 3.0"}]})
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=OPENAPI)
