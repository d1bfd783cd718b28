"""Queryables of the OGC API – Features collections (Part 3): the properties a `filter` or a
`sortby` may name, each with the ORM lookup it stands for and the JSON Schema type of its
values.

The list is the whitelist of the CQL2 translation (assets.ogc.filtering): a name that is not
here never reaches the ORM. It is derived from the collection's output properties and their
model fields, so a property added to a collection is queryable with the right type at once;
lists (a cell site's technologies) are output only.
"""
from dataclasses import dataclass

from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from geodata.params import ParamError

# The name CQL2 filters use for a feature's geometry (as pygeoapi and GDAL do).
GEOMETRY = "geometry"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_MEDIA_TYPE = "application/schema+json"
PARAMS = ("sortby", "properties")
# Django field -> JSON Schema (type, format): the order matters (subclasses first).
FIELD_TYPES = [
    (models.BooleanField, "boolean", None),
    (models.IntegerField, "integer", None),
    (models.FloatField, "number", None),
    (models.DecimalField, "number", None),
    (models.DateTimeField, "string", "date-time"),
    (models.DateField, "string", "date"),
    (models.CharField, "string", None),
    (models.TextField, "string", None),
]
# Geometry fields -> the formats OGC API – Features Part 3 gives geometries.
GEOMETRY_FORMATS = [
    (gis_models.MultiPolygonField, "geometry-multipolygon"),
    (gis_models.PolygonField, "geometry-polygon"),
    (gis_models.PointField, "geometry-point"),
    (gis_models.MultiPointField, "geometry-multipoint"),
    (gis_models.LineStringField, "geometry-linestring"),
    (gis_models.GeometryField, "geometry-any"),
]


@dataclass(frozen=True)
class Queryable:
    name: str
    lookup: str  # the ORM path (never text of a request)
    type: str  # JSON Schema type; "geometry" for the geometry
    format: str | None
    field: object

    @property
    def enum(self) -> list[str] | None:
        return [value for value, _label in self.field.choices] if self.field.choices else None

    @property
    def text(self) -> bool:
        """Plain text (not a date written as text): what LIKE and CASEI take."""
        return self.type == "string" and not self.format

    @property
    def sortable(self) -> bool:
        return self.type != GEOMETRY

    def schema(self) -> dict:
        out = {"title": str(self.field.verbose_name)}
        if self.type != GEOMETRY:
            out["type"] = self.type
        if self.format:
            out["format"] = self.format
        if self.enum:
            out["enum"] = self.enum
        if self.type == "integer" and isinstance(self.field, models.PositiveIntegerField):
            out["minimum"] = 0
        return out


def _field(model, lookup):
    """The model field at the end of a lookup path such as commune__code."""
    *relations, name = lookup.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _typed(name, lookup, field):
    for field_class, json_type, json_format in FIELD_TYPES:
        if isinstance(field, field_class):
            return Queryable(name, lookup, json_type, json_format, field)
    return None  # a list or another type that CQL2's basic comparisons do not take


_FOUND = {}  # collection id -> its queryables (the models do not change at run time)


def queryables(collection) -> dict[str, Queryable]:
    """name -> Queryable, the output properties first, then the geometry."""
    if collection.id not in _FOUND:
        _FOUND[collection.id] = _derived(collection)
    return _FOUND[collection.id]


def _derived(collection):
    model = collection.rows().model
    found = {}
    for name, lookup in collection.properties.items():
        queryable = _typed(name, lookup, _field(model, lookup))
        if queryable:
            found[name] = queryable
    geometry = model._meta.get_field(collection.geometry)
    geometry_format = next(f for cls, f in GEOMETRY_FORMATS if isinstance(geometry, cls))
    found[GEOMETRY] = Queryable(GEOMETRY, collection.geometry, GEOMETRY, geometry_format,
                                geometry)
    return found


def queryables_schema(collection, *, url: str) -> dict:
    """The JSON Schema of /collections/{id}/queryables (OGC API – Features Part 3)."""
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": url,
        "type": "object",
        "title": str(collection.title),
        "properties": {name: q.schema() for name, q in queryables(collection).items()},
        # The list is complete: a filter naming anything else is refused.
        "additionalProperties": False,
    }


def sortby_order(collection, text: str | None) -> list:
    """ORM order_by() terms for `sortby` (`name`, `+name` or `-name`, comma-separated), the
    feature id last: without a unique last key, rows that tie could change places between
    two pages."""
    known = queryables(collection)
    order, seen = [], set()
    for item in (text or "").split(",") if text else []:
        # A "+" that was not percent-encoded arrives as a space.
        name = item.strip(" ").removeprefix("+")
        descending = name.startswith("-")
        name = name.removeprefix("-")
        queryable = known.get(name)
        if queryable is None or not queryable.sortable:
            raise ParamError("sortby", _("Cannot sort by %(name)s. Sortable: %(known)s.") % {
                "name": name[:40], "known": ", ".join(n for n, q in known.items()
                                                     if q.sortable)})
        if name not in seen:  # the first mention decides
            seen.add(name)
            field = F(queryable.lookup)
            order.append(field.desc(nulls_last=True) if descending
                         else field.asc(nulls_last=True))
    return [*order, collection.id_field]


def properties_selected(collection, text: str | None) -> list[str] | None:
    """The output properties `properties` asks for (None: all of them), in the
    collection's order."""
    if text is None:
        return None
    asked = {name.strip(" ") for name in text.split(",")}
    unknown = sorted(asked - set(collection.properties))
    if unknown:
        raise ParamError("properties", _("Unknown property %(names)s. Properties: "
                                         "%(known)s.") % {
            "names": ", ".join(n[:40] for n in unknown),
            "known": ", ".join(collection.properties)})
    return [name for name in collection.properties if name in asked]
