"""GeoJSON serializers for assets and plaques.

An asset's Feature id is its digital-address code (never changes, never reused). `name` and
`description` follow the `lang` parameter and fall back to Vietnamese, the required language,
when blank (qrmap.i18n.localized, as on the public page); the three language fields stay in
the properties for clients that want them all.
"""
from django.conf import settings
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from assets import codes
from assets.models import Asset, Plaque
from geodata.serializers import GeoFeatureSerializer
from qrmap.i18n import language_default, localized

# A street is a line, a site an outline; a point shape would only repeat the location.
SHAPE_TYPES = (LineString, MultiLineString, Polygon, MultiPolygon)


def _in_lang(asset, field, serializer):
    return localized(asset, field, serializer.context.get("lang") or language_default())[0]


class AssetGeoSerializer(GeoFeatureSerializer):
    """An asset in a list: what it is, where, its code and status."""

    grouped_code = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
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
    shape = GeometryField(read_only=True, allow_null=True)
    plaque_count = serializers.IntegerField(source="plaques.count", read_only=True)

    class Meta(AssetGeoSerializer.Meta):
        fields = AssetGeoSerializer.Meta.fields + [
            "description", "description_vi", "description_en", "description_zh", "shape",
            "plaque_count"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, asset):
        return _in_lang(asset, "description", self)


class AssetWriteGeoSerializer(GeoFeatureSerializer):
    """What a client may write: the asset's own facts. The code and the commune are
    derived, `position_verified` changes only through verify, `status` through retire."""

    shape = GeometryField(required=False, allow_null=True)

    class Meta:
        model = Asset
        geo_field = "location"
        id_field = False
        fields = ["kind", "category", "name_vi", "name_en", "name_zh", "description_vi",
                  "description_en", "description_zh", "shape", "heritage_rank", "source",
                  "external_id"]

    def to_internal_value(self, data):
        # A Feature may carry only a geometry (a PATCH that moves the point) or only
        # properties; drf-gis unwraps it only when "properties" is present.
        if isinstance(data, dict) and ("geometry" in data or data.get("type") == "Feature"):
            properties = data.get("properties") or {}
            if not isinstance(properties, dict):
                raise serializers.ValidationError(
                    {"properties": [_("The properties must be an object.")]})
            data = {**data, "properties": dict(properties)}
        return super().to_internal_value(data)

    def validate_location(self, point):
        if point.geom_type != "Point":
            raise serializers.ValidationError(_("The location must be a Point."))
        if not (-180 <= point.x <= 180 and -90 <= point.y <= 90):
            raise serializers.ValidationError(_("Longitude/latitude out of range (WGS 84)."))
        point.srid = point.srid or settings.QRMAP_SRID
        return point

    def validate_shape(self, shape):
        if shape is None:
            return None
        if not isinstance(shape, SHAPE_TYPES):
            raise serializers.ValidationError(
                _("The shape must be a line (street) or a polygon (site)."))
        if not shape.valid:
            raise serializers.ValidationError(_("The shape is not a valid geometry."))
        shape.srid = shape.srid or settings.QRMAP_SRID
        return shape

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        rank = attrs.get("heritage_rank", getattr(self.instance, "heritage_rank", ""))
        if rank and kind != Asset.Kind.HERITAGE:
            raise serializers.ValidationError(
                {"heritage_rank": [_("Only heritage sites have a heritage rank.")]})
        return attrs


class RetireSerializer(serializers.Serializer):
    replaced_by = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Code of the asset that replaces this one, if any.")

    def validate_replaced_by(self, text):
        if not text:
            return None
        code = codes.normalize(text)
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
