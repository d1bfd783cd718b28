"""GeoJSON serializers for assets and plaques.

An asset's Feature id is its digital-address code (never changes, never reused). `name` and
`description` follow the `lang` parameter and fall back to Vietnamese, the required language,
when blank (qrmap.i18n.localized, as on the public page); the three language fields stay in
the properties for clients that want them all.
"""
import re

from django.conf import settings
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_gis import (
    build_geo_container_schema,
    build_linestring_geo_schema,
    build_linestring_schema,
    build_polygon_geo_schema,
    build_polygon_schema,
)
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework_gis.fields import GeometryField

from assets import codes, rules
from assets.models import Asset, Plaque
from geodata.api_schema import geometry_schema_strict
from geodata.params import ParamError, geometry_check
from geodata.serializers import GeoFeatureSerializer, StrictCharField
from qrmap.i18n import language_default, localized

# A street is a line, a site an outline; a point shape would only repeat the location.
SHAPE_TYPES = (LineString, MultiLineString, Polygon, MultiPolygon)
# A code as people type it (assets.codes.normalize): 8 symbols in any case, O/I/L/U read as
# 0/1/1/V, dashes and spaces anywhere.
CODE_TEXT_PATTERN = r"^[ -]*(?:[0-9A-Za-z][ -]*){8}$"
# Descriptions are free text; ten thousand characters are pages of it.
MAX_DESCRIPTION = 10_000
# What JSON calls the values a body may wrongly be.
_JSON_TYPES = {bool: _("a boolean"), int: _("a number"), float: _("a number"),
               str: _("a string"), list: _("an array")}


@extend_schema_field(geometry_schema_strict({"oneOf": [
    build_linestring_geo_schema(),
    build_geo_container_schema("MultiLineString", build_array_type(build_linestring_schema())),
    build_polygon_geo_schema(),
    build_geo_container_schema("MultiPolygon", build_array_type(build_polygon_schema())),
]}))
class ShapeField(GeometryField):
    """The outline of an asset: a line (street) or a polygon (site), GeoJSON, 2-D."""


def _geometry_checked(geometry, name):
    try:
        geometry_check(geometry, parameter=name)
    except ParamError as error:
        raise serializers.ValidationError(error.message) from None
    geometry.srid = settings.QRMAP_SRID
    return geometry


def _in_lang(asset, field, serializer):
    return localized(asset, field, serializer.context.get("lang") or language_default())[0]


# Opening hours, fee, access and accessibility in each language, and the heritage ranking.
PRACTICAL_API_FIELDS = [f"{name}_{suffix}" for name in rules.PRACTICAL_FIELDS
                        for suffix in ("vi", "en", "zh")] + ["heritage_inscription",
                                                             "heritage_year"]


class AssetGeoSerializer(GeoFeatureSerializer):
    """An asset in a list: what it is, where, its code and status."""

    grouped_code = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    category_label = serializers.SerializerMethodField()
    commune = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                           help_text="GSO code of the 2025 commune.")
    commune_name = serializers.CharField(source="commune.name", read_only=True, default=None,
                                         allow_null=True)
    replaced_by = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                               allow_null=True)

    class Meta:
        model = Asset
        geo_field = "location"
        id_field = "code"
        fields = ["code", "grouped_code", "page_url", "kind", "kind_label", "category",
                  "category_label", "name", "name_vi", "name_en", "name_zh", "commune",
                  "commune_name", "heritage_rank", "status", "replaced_by", "position_verified",
                  "verified_at", "source", "synthetic", "external_id", "created_at",
                  "updated_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_kind_label(self, asset):
        return asset.kind_label

    @extend_schema_field(OpenApiTypes.STR)
    def get_category_label(self, asset):
        return asset.category_label

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, asset):
        path = f"/a/{asset.code}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, asset):
        return _in_lang(asset, "name", self)


class AssetDetailGeoSerializer(AssetGeoSerializer):
    """One asset with its descriptions, shape and plaque count."""

    description = serializers.SerializerMethodField()
    shape = ShapeField(read_only=True, allow_null=True)
    plaque_count = serializers.IntegerField(source="plaques.count", read_only=True)

    class Meta(AssetGeoSerializer.Meta):
        fields = AssetGeoSerializer.Meta.fields + [
            "description", "description_vi", "description_en", "description_zh", "shape",
            "plaque_count", *PRACTICAL_API_FIELDS]

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, asset):
        return _in_lang(asset, "description", self)


class AssetWriteGeoSerializer(GeoFeatureSerializer):
    """What a client may write: the asset's own facts. The code and the commune are
    derived, `position_verified` changes only through verify, `status` through retire."""

    shape = ShapeField(required=False, allow_null=True)

    class Meta:
        model = Asset
        geo_field = "location"
        id_field = False
        fields = ["kind", "category", "name_vi", "name_en", "name_zh", "description_vi",
                  "description_en", "description_zh", "shape", "heritage_rank", "source",
                  "external_id", *PRACTICAL_API_FIELDS]
        extra_kwargs = {name: {"max_length": MAX_DESCRIPTION}
                        for name in ("description_vi", "description_en", "description_zh")}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            kind = _JSON_TYPES.get(type(data), type(data).__name__)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [
                _("The body must be a JSON object (a GeoJSON Feature), not %(kind)s.")
                % {"kind": kind}]})
        if data.get("type", "Feature") != "Feature":
            raise serializers.ValidationError({"type": [_("A GeoJSON Feature has "
                                                          "\"type\": \"Feature\".")]})
        # A Feature may carry only a geometry (a PATCH that moves the point) or only
        # properties; drf-gis unwraps it only when "properties" is present.
        if "geometry" in data or "type" in data:
            properties = data.get("properties", {})
            if not isinstance(properties, dict):
                raise serializers.ValidationError(
                    {"properties": [_("The properties must be an object.")]})
            data = {**data, "properties": dict(properties)}
        return super().to_internal_value(data)

    def validate_location(self, point):
        if point.geom_type != "Point":
            raise serializers.ValidationError(_("The location must be a Point."))
        return _geometry_checked(point, "location")

    def validate_shape(self, shape):
        if shape is None:
            return None
        if not isinstance(shape, SHAPE_TYPES):
            raise serializers.ValidationError(
                _("The shape must be a line (street) or a polygon (site)."))
        _geometry_checked(shape, "shape")
        if not shape.valid:
            raise serializers.ValidationError(_("The shape is not a valid geometry."))
        return shape

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        rank = attrs.get("heritage_rank", getattr(self.instance, "heritage_rank", ""))
        if rank and kind != Asset.Kind.HERITAGE:
            raise serializers.ValidationError(
                {"heritage_rank": [_("Only heritage sites have a heritage rank.")]})
        return attrs


@extend_schema_field({"type": "string", "pattern": CODE_TEXT_PATTERN})
class CodeTextField(StrictCharField):
    """A code as typed (7pj2-qxrf works): 8 symbols, whose check symbol the caller tests."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not re.fullmatch(CODE_TEXT_PATTERN, data):
            raise serializers.ValidationError(_(
                "A code has 8 symbols from 0-9 and A-Z without I, L, O, U, like 7PJ2-QXRF."))
        return codes.normalize(super().to_internal_value(data))


class RetireSerializer(serializers.Serializer):
    replaced_by = CodeTextField(
        required=False, help_text="Code of the asset that replaces this one, if any: it must "
                                  "be a registered asset's code.")

    def validate_replaced_by(self, code):
        if not codes.is_valid(code):
            raise serializers.ValidationError(_("Not a valid asset code."))
        asset = Asset.objects.filter(code=code).first()
        if asset is None:
            raise serializers.ValidationError(_("No asset has this code."))
        return asset


class PlaqueGeoSerializer(GeoFeatureSerializer):
    """A physical plaque, placed at its asset's location."""

    grouped_code = serializers.CharField(read_only=True)
    asset = serializers.SlugRelatedField(slug_field="code", read_only=True)
    asset_name = serializers.CharField(source="asset.name_vi", read_only=True)
    commune = serializers.CharField(source="asset.commune.code", read_only=True, default=None,
                                    allow_null=True)
    location = GeometryField(source="asset.location", read_only=True)
    replaced_by = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                               allow_null=True)
    batch = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Plaque
        geo_field = "location"
        schema_geometry = Asset._meta.get_field("location")
        id_field = "code"
        fields = ["code", "grouped_code", "asset", "asset_name", "commune", "template",
                  "width_mm", "height_mm", "languages", "mount_distance_m", "status", "batch",
                  "replaced_by", "designed_at", "printed_at", "installed_on", "removed_on",
                  "notes"]
