"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) for the registry's layers.

QGIS ("Add WFS / OGC API – Features layer") and GDAL (`OAPIF:<base>/ogc`) read the landing
page, the conformance classes, the collections and then page through the items following
`rel=next` links. Rows are read with `values()` and the geometry is encoded by PostGIS
(ST_AsGeoJSON), so a page of thousands of features costs one query and no GEOS objects.
"""
import datetime
import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models import Extent
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assets.models import Asset
from assets.ogc import crs as ogc_crs
from assets.ogc import filtering
from assets.ogc import queryables as selecting
from geodata.models import AdminUnit, CellSite, Hamlet
from geodata.params import (
    DATETIME_INTERVAL_PATTERN,
    GSO_CODE_PATTERN,
    ParamError,
    datetime_parse,
    int_parse,
    params_refuse_unknown,
)

CRS84 = ogc_crs.CRS84
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 10**9
PRECISION = ogc_crs.DEGREE_DECIMALS


@dataclass(frozen=True)
class Collection:
    """One layer: which rows, which geometry, which properties, which filters."""

    id: str
    title: str
    description: str
    queryset: callable
    geometry: str
    id_field: str
    properties: dict  # output name -> values() lookup
    filters: dict = field(default_factory=dict)  # query parameter -> lookup
    # Time for `datetime`: one field (an instant) or a (start, end) pair of fields.
    temporal: tuple = ("updated_at",)

    def rows(self):
        return self.queryset()

    def id_is_integer(self) -> bool:
        field = self.rows().model._meta.get_field(self.id_field)
        return field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField",
                                             "BigIntegerField")

    def filter_schema(self, name: str) -> dict:
        """The values a property filter takes: a GSO code, or its model field's choices."""
        lookup = self.filters[name]
        if lookup == "commune__code":
            return {"type": "string", "pattern": GSO_CODE_PATTERN}
        field = self.rows().model._meta.get_field(lookup)
        return {"type": "string", "enum": [value for value, _label in field.choices]}

    def filter_check(self, name: str, value: str) -> None:
        """Refuse a filter value no feature can have (the definition lists the values)."""
        schema = self.filter_schema(name)
        if value not in schema.get("enum", [value]) or not re.fullmatch(
                schema.get("pattern", ".*"), value):
            raise _bad(name, _("%(name)s takes %(values)s.") % {
                "name": name, "values": ", ".join(schema.get("enum", []))
                or _("a GSO code (2 to 5 digits)")})


def _units(**kwargs):
    return lambda: AdminUnit.objects.filter(**kwargs)


COLLECTIONS = {c.id: c for c in [
    Collection(
        id="assets", title=_("Assets"),
        description=_("Streets, public works and heritage or scenic sites with their "
                      "digital-address code (the feature id)."),
        queryset=lambda: Asset.objects.all(), geometry="location", id_field="code",
        properties={"code": "code", "kind": "kind", "category": "category",
                    "name_vi": "name_vi", "name_en": "name_en", "name_zh": "name_zh",
                    "commune": "commune__code", "heritage_rank": "heritage_rank",
                    "status": "status", "position_verified": "position_verified",
                    "synthetic": "synthetic", "updated_at": "updated_at"},
        filters={"kind": "kind", "category": "category", "commune": "commune__code",
                 "status": "status"},
    ),
    Collection(
        id="hamlets", title=_("Hamlets"),
        description=_("Hamlets (thôn, bản) with households, population and the declared "
                      "3G/4G and broadband status."),
        queryset=lambda: Hamlet.objects.all(), geometry="location", id_field="id",
        properties={"name": "name", "commune": "commune__code", "households": "households",
                    "population": "population", "mobile_status": "mobile_status",
                    "broadband_status": "broadband_status", "survey_date": "survey_date",
                    "synthetic": "synthetic", "updated_at": "updated_at"},
        filters={"commune": "commune__code", "mobile_status": "mobile_status",
                 "broadband_status": "broadband_status"},
    ),
    Collection(
        id="cellsites", title=_("Cell sites"),
        description=_("Mobile cell sites with technologies and the effective 3G+ radius."),
        queryset=lambda: CellSite.objects.all(), geometry="location", id_field="id",
        properties={"name": "name", "operator": "operator", "technologies": "technologies",
                    "terrain": "terrain", "coverage_radius_m": "coverage_radius_m",
                    "status": "status", "commune": "commune__code",
                    "commissioned_on": "commissioned_on", "synthetic": "synthetic",
                    "updated_at": "updated_at"},
        filters={"operator": "operator", "status": "status", "commune": "commune__code"},
    ),
    Collection(
        id="communes", title=_("Communes and wards (from 2025-07-01)"),
        description=_("The 2025 communes and wards with their boundaries."),
        queryset=_units(level=AdminUnit.Level.COMMUNE, valid_to__isnull=True),
        geometry="boundary", id_field="code",
        properties={"code": "code", "name": "name", "unit_type": "unit_type",
                    "population": "population", "area_km2": "area_km2",
                    "valid_from": "valid_from", "valid_to": "valid_to"},
        temporal=("valid_from", "valid_to"),
    ),
    Collection(
        id="districts-before-2025", title=_("Districts before 2025-07-01"),
        description=_("The districts abolished by the 2025 reform, with their boundaries."),
        queryset=_units(level=AdminUnit.Level.DISTRICT), geometry="boundary", id_field="code",
        properties={"code": "code", "name": "name", "unit_type": "unit_type",
                    "population": "population", "valid_from": "valid_from",
                    "valid_to": "valid_to"},
        temporal=("valid_from", "valid_to"),
    ),
    Collection(
        id="communes-before-2025", title=_("Communes before 2025-07-01"),
        description=_("The communes before the merger, at their centre point (no public "
                      "boundary exists)."),
        queryset=_units(level=AdminUnit.Level.COMMUNE, valid_to__isnull=False),
        geometry="label_point", id_field="code",
        properties={"code": "code", "name": "name", "unit_type": "unit_type",
                    "district": "parent__code", "valid_from": "valid_from",
                    "valid_to": "valid_to"},
        temporal=("valid_from", "valid_to"),
    ),
]}


class OgcError(Exception):
    """An OGC exception answer: {"code": ..., "description": ...} with an HTTP status."""

    def __init__(self, status, code, description, parameter=None):
        super().__init__(description)
        self.status, self.code, self.description = status, code, str(description)
        self.parameter = parameter

    def body(self):
        body = {"code": self.code, "description": self.description}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


def _bad(parameter, description):
    return OgcError(400, "InvalidParameterValue", description, parameter=parameter)


def _checked(rule, *args):
    """A geodata.params rule, its error as the OGC exception naming the parameter."""
    try:
        return rule(*args)
    except ParamError as error:
        raise _bad(error.parameter, error.message) from None


def collection_extent(collection) -> list[float] | None:
    """The bbox of a layer's geometries (None for an empty layer)."""
    extent = collection.rows().aggregate(e=Extent(collection.geometry))["e"]
    return [round(v, PRECISION) for v in extent] if extent else None


def _int(params, name, default, low, high):
    text = params.get(name)
    if text is None:
        return default
    try:
        return int_parse(text, parameter=name, low=low, high=high)
    except ParamError as error:
        raise _bad(name, f"{name}: {error.message}") from None


def _instant(text, *, end):
    """One end of a datetime interval: an RFC 3339 instant (geodata.params, the rule the
    REST API's updated_since follows), a whole day (UTC), or open (.. or nothing)."""
    if text in ("..", ""):
        return None
    if DAY.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise _bad("datetime", _("Not a day of the calendar: %(day)s.")
                       % {"day": text}) from None
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return datetime_parse(text, parameter="datetime")
    except ParamError as error:
        raise _bad("datetime", _("datetime takes an RFC 3339 instant, a day or an interval "
                                 "start/end, with .. for an open end. %(reason)s")
                   % {"reason": error.message}) from None


def _datetime_filter(collection, text):
    if not re.fullmatch(DATETIME_INTERVAL_PATTERN, text):
        raise _bad("datetime", _("datetime takes an RFC 3339 instant (with its UTC offset), a "
                                 "day, or an interval start/end with .. for an open end."))
    start_text, _sep, end_text = text.partition("/")
    start = _instant(start_text, end=False)
    end = _instant(end_text, end=True) if _sep else _instant(start_text, end=True)
    if len(collection.temporal) == 1:
        name = collection.temporal[0]
        query = Q()
        if start:
            query &= Q(**{f"{name}__gte": start})
        if end:
            query &= Q(**{f"{name}__lte": end})
        return query
    # A unit valid [from, to] meets the interval when it starts before its end and ends
    # after its start (open ends are NULL).
    begin, finish = collection.temporal
    query = Q()
    if end:
        query &= Q(**{f"{begin}__isnull": True}) | Q(**{f"{begin}__lte": end.date()})
    if start:
        query &= Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gte": start.date()})
    return query


def items_query(collection, params):
    """The filtered rows of a collection for the items request, its limit and offset, and
    the id a keyset page starts after (None: the page starts at offset)."""
    known = {"f", "limit", "offset", "after", "bbox", "datetime", "bbox-crs", "crs",
             *collection.filters, *filtering.PARAMS, *selecting.PARAMS}
    _checked(params_refuse_unknown, params, known)
    bbox_crs = _checked(ogc_crs.crs_parse, params.get("bbox-crs"), "bbox-crs")
    rows = collection.rows()
    if "bbox" in params:
        box = _checked(ogc_crs.bbox_area, params["bbox"], bbox_crs)
        rows = rows.filter(**{f"{collection.geometry}__bboverlaps": box,
                              f"{collection.geometry}__intersects": box})
    if "datetime" in params:
        rows = rows.filter(_datetime_filter(collection, params["datetime"]))
    for name, lookup in collection.filters.items():
        if name in params:
            collection.filter_check(name, params[name])
            rows = rows.filter(**{lookup: params[name]})
    rows = rows.filter(_checked(filtering.filter_q, collection, params))
    order = _checked(selecting.sortby_order, collection, params.get("sortby"))
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, MAX_OFFSET)
    return rows.order_by(*order), limit, offset, _after(collection, params)


def _after(collection, params):
    """The feature id a keyset page starts after (`after`, which the next link carries).

    In the default order (by feature id) the next page is the rows after the last id seen:
    the unique index finds it, so the thousandth page costs what the first does, where an
    offset reads and drops every row before it. With sortby, pages go by offset."""
    if "after" not in params:
        return None
    if params.get("sortby"):
        return None  # sorted pages go by offset, which the next link carries too
    if collection.id_is_integer():
        return _int(params, "after", 0, 0, 2**63 - 1)
    text = params["after"]
    if not 0 < len(text) <= 64:
        raise _bad("after", _("after is the id of the last feature of the page before."))
    return text
