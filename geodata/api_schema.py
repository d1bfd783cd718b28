"""What the OpenAPI schema (drf-spectacular) says about qrmap's API beyond what it reads
from the code: the error answers of every operation and who may call it (ApiSchema), the
GeoJSON Feature and geometry shapes as qrmap reads and writes them, and the text fields
that refuse NUL and blanks. Imported by geodata.apis, which registers the extensions."""
from drf_spectacular.contrib.rest_framework_gis import (
    GeoFeatureModelSerializerExtension,
    build_geo_schema,
)
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema

from geodata.params import FILLED_TEXT_PATTERN, TEXT_PATTERN
from geodata.serializers import GeoFeatureSerializer, StrictCharField

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: {\"detail\": reason} or {field: [reasons]} per bad field.",
    "additionalProperties": True,
}


class ApiSchema(AutoSchema):
    """Documents the error answers every operation can give, so that clients (and the
    schema tests) know them: 400 with field and reason, 404, 401/403 for writes, 409 for a
    state that forbids the write, 415 for a body that is not JSON, 429; and who may call it:
    the anonymous option (`{}`) where anyone may."""

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and all(
                self.method in getattr(permission, "anonymous_methods", ())
                for permission in self.view.get_permissions()):
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 401 too: a wrong or expired token is refused on every operation, reads included.
        codes = ["400", "401", "429"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += ["403", "409", "415"]
        elif getattr(self.view, "staff_only", False):
            codes.append("403")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ERROR_SCHEMA, code,
                                                                   direction=direction))
        return responses


class StrictCharFieldSchema(OpenApiSerializerFieldExtension):
    """The schema of a StrictCharField says what it refuses: NUL, and blanks alone."""

    target_class = StrictCharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction,
                                                   bypass_extensions=True)
        if direction == "request" and "enum" not in schema:
            # drf-spectacular puts "" beside a patterned text that may be blank (oneOf), so
            # the pattern itself must not match "" (TEXT_PATTERN does not).
            schema["pattern"] = TEXT_PATTERN if self.target.allow_blank else FILLED_TEXT_PATTERN
        return schema


def geometry_schema_strict(schema):
    """drf-spectacular's GeoJSON geometries, as qrmap reads and writes them: a position is
    2-D longitude, latitude (not up to 3 numbers), and a geometry has its `type` and
    `coordinates` (not optional). Changes `schema` in place and returns it."""
    if isinstance(schema, dict):
        items = schema.get("items")
        if schema.get("type") == "array" and isinstance(items, dict) \
                and items.get("type") == "number":
            schema["maxItems"] = 2
            schema["items"] = {"type": "number", "minimum": -180, "maximum": 180}
        if "coordinates" in schema.get("properties", {}):
            schema["required"] = ["type", "coordinates"]
        for value in schema.values():
            geometry_schema_strict(value)
    elif isinstance(schema, list):
        for value in schema:
            geometry_schema_strict(value)
    return schema


class GeoFeatureSchemaExtension(GeoFeatureModelSerializerExtension):
    """drf-spectacular's GeoJSON mapping, plus geometry from a related model and a nullable
    geometry where the model allows none (a unit without a polygon), 2-D positions, and in
    a request body the members and properties that are required, so that the schema says
    what the API really answers and takes."""

    target_class = GeoFeatureSerializer
    match_subclasses = True
    priority = 1

    def map_serializer(self, auto_schema, direction):
        schema = self._map(auto_schema, direction)
        geometry_schema_strict(schema["properties"]["geometry"])
        if direction == "request":
            self._required(auto_schema, schema)
        return schema

    def _required(self, auto_schema, schema):
        # drf-spectacular's GeoJSON mapping drops `required`; a request needs it back.
        serializer = self.target
        base = auto_schema._map_serializer(serializer, "request", bypass_extensions=True)
        required = [name for name in base.get("required", ())
                    if name != serializer.Meta.geo_field]
        if required:
            schema["properties"]["properties"]["required"] = required
        members = (["geometry"] if serializer.Meta.geo_field in base.get("required", ())
                   else []) + (["properties"] if required else [])
        if members:
            schema["required"] = members

    def _map(self, auto_schema, direction):
        serializer = self.target
        related = getattr(serializer.Meta, "schema_geometry", None)
        if related is None:
            schema = super().map_serializer(auto_schema, direction)
            model_field = serializer.Meta.model._meta.get_field(serializer.Meta.geo_field)
        else:
            model_field = related
            base = auto_schema._map_serializer(serializer, direction, bypass_extensions=True)
            base["properties"].pop(serializer.Meta.geo_field)
            base.pop("required", None)
            schema = {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": base["properties"].pop(serializer.Meta.id_field),
                "geometry": build_geo_schema(model_field),
                "properties": base,
            }}
        if model_field.null:
            schema["properties"]["geometry"] = {**schema["properties"]["geometry"],
                                                "nullable": True}
        return schema
