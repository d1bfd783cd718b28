"""GeoJSON serializers for administrative units, hamlets and cell sites (read-only API), and
the base every qrmap GeoJSON serializer shares (strict text fields; its OpenAPI shape is
geodata.api_schema).

Hamlets carry their declared 3G/4G and broadband status and aggregate counts (households,
population); nothing about a person is stored or served.
"""
from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import Point
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeoJsonDict, GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.models import AdminUnit, CellSite, Hamlet, UnitSuccession
from geodata.params import BLANKS


class StrictCharField(serializers.CharField):
    """A text field that takes only JSON strings (DRF's would store `0` as "0"), counts
    the length of what was sent and trims the ASCII blanks around it."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "trim_whitespace": False})

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if not self.allow_blank and not data.strip(BLANKS):
            self.fail("blank")
        return data.strip(BLANKS)


class PointGeometryField(GeometryField):
    """GeoJSON of a point written from its two coordinates. GeometryField asks GEOS for
    `.geojson` twice per feature, each time through an OGR geometry: a fifth of the time a
    page of 100 assets took."""

    def to_representation(self, value):
        if isinstance(value, Point) and not value.empty:
            return GeoJsonDict({"type": "Point", "coordinates": [value.x, value.y]})
        return super().to_representation(value)


class GeoFeatureSerializer(GeoFeatureModelSerializer):
    """Base of qrmap's GeoJSON serializers. Text fields are strict (StrictCharField).
    `Meta.schema_geometry` names the model field whose type the geometry has in the OpenAPI
    schema, when the geometry comes from a related row (a plaque stands where its asset is)."""

    serializer_field_mapping = {
        **GeoFeatureModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        gis_models.PointField: PointGeometryField,
    }


class UnitRefSerializer(serializers.Serializer):
    """A short reference to another unit (lineage, parent)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class LineageSerializer(UnitRefSerializer):
    kind = serializers.ChoiceField(choices=UnitSuccession.Kind.choices,
                                   help_text="full: the whole unit; partial: part of it.")
    effective_on = serializers.DateField()


def lineage_attach(units) -> None:
    """Load the merger edges of a page of units in two queries instead of two per unit."""
    ids = [unit.pk for unit in units]
    before = {pk: [] for pk in ids}
    after = {pk: [] for pk in ids}
    edges = UnitSuccession.objects.select_related("predecessor", "successor")
    for edge in edges.filter(successor_id__in=ids).order_by("predecessor__code"):
        before[edge.successor_id].append((edge.predecessor, edge))
    for edge in edges.filter(predecessor_id__in=ids).order_by("successor__code"):
        after[edge.predecessor_id].append((edge.successor, edge))
    for unit in units:
        unit.lineage_before, unit.lineage_after = before[unit.pk], after[unit.pk]


def _lineage(unit, *, backwards):
    """The merger edges of a unit: (other unit, edge) pairs, oldest code first."""
    if not hasattr(unit, "lineage_before"):
        lineage_attach([unit])
    return unit.lineage_before if backwards else unit.lineage_after


def _unit_ref(unit, edge=None):
    ref = {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level,
           "valid_from": unit.valid_from, "valid_to": unit.valid_to}
    if edge is not None:
        ref.update(kind=edge.kind, effective_on=edge.effective_on)
    return ref


class AdminUnitGeoSerializer(GeoFeatureSerializer):
    """A province, district or commune with its validity dates and its place in the 2025
    merger: `predecessors` are the units it was formed from, `successors` what it went into."""

    parent = serializers.SerializerMethodField()
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = AdminUnit
        geo_field = "boundary"
        fields = ["id", "code", "name", "short_name", "unit_type", "level", "level_label",
                  "parent", "valid_from", "valid_to", "population", "area_km2",
                  "admin_center", "predecessors", "successors", "source"]

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_parent(self, unit):
        return _unit_ref(unit.parent) if unit.parent_id else None

    @extend_schema_field(LineageSerializer(many=True))
    def get_predecessors(self, unit):
        return [_unit_ref(u, e) for u, e in _lineage(unit, backwards=True)]

    @extend_schema_field(LineageSerializer(many=True))
    def get_successors(self, unit):
        return [_unit_ref(u, e) for u, e in _lineage(unit, backwards=False)]


class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", read_only=True, allow_null=True, **kwargs)


class HamletGeoSerializer(GeoFeatureSerializer):
    commune = UnitCodeField(help_text="GSO code of the 2025 commune.")
    commune_name = serializers.CharField(source="commune.name", read_only=True, allow_null=True,
                                         default=None)
    mobile_status_label = serializers.CharField(source="get_mobile_status_display",
                                                read_only=True)
    broadband_status_label = serializers.CharField(source="get_broadband_status_display",
                                                   read_only=True)

    class Meta:
        model = Hamlet
        geo_field = "location"
        fields = ["id", "name", "commune", "commune_name", "households", "population",
                  "mobile_status", "mobile_status_label", "broadband_status",
                  "broadband_status_label", "survey_date", "source", "synthetic", "updated_at"]


class CellSiteGeoSerializer(GeoFeatureSerializer):
    commune = UnitCodeField(help_text="GSO code of the 2025 commune.")
    technologies = serializers.ListField(child=serializers.CharField(), read_only=True)
    radius_overrides = serializers.SerializerMethodField()

    class Meta:
        model = CellSite
        geo_field = "location"
        fields = ["id", "name", "operator", "technologies", "terrain", "coverage_radius_m",
                  "radius_overrides", "status", "commissioned_on", "retired_on", "commune",
                  "source", "synthetic", "updated_at"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
    def get_radius_overrides(self, site):
        return site.radius_overrides or {}


class UnitBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class PointLookupSerializer(serializers.Serializer):
    """Where a point lies, in today's units and in the units before the 2025 reform."""

    lon = serializers.FloatField()
    lat = serializers.FloatField()
    today = UnitBriefSerializer(many=True, help_text="Province, then commune, today.")
    before_reform = UnitBriefSerializer(
        many=True, help_text="Province, district, then commune before the 2025 reform.")
    address_today = serializers.CharField(allow_blank=True)
    address_before_reform = serializers.CharField(allow_blank=True)
    commune_before_approximate = serializers.BooleanField(
        help_text="true when several old communes could hold the point and the nearest "
                  "centre was chosen (the pre-2025 communes have no polygons).")
    message = serializers.CharField(allow_blank=True,
                                    help_text="Why nothing was found, e.g. outside the province.")


class CommuneCoverageGeoSerializer(GeoFeatureSerializer):
    """A 2025 commune with its coverage figures (declared first, modelled where unknown):
    hamlets, households and people without 3G/4G and without broadband."""

    hamlets = serializers.IntegerField(source="figures.hamlets")
    households = serializers.IntegerField(source="figures.households")
    population = serializers.IntegerField(source="figures.population")
    mobile_gap_hamlets = serializers.IntegerField(source="figures.mobile_gap_hamlets")
    mobile_gap_households = serializers.IntegerField(source="figures.mobile_gap_households")
    mobile_gap_population = serializers.IntegerField(source="figures.mobile_gap_population")
    mobile_gap_share = serializers.FloatField(source="figures.mobile_gap_share",
                                              help_text="Share of hamlets without 3G/4G.")
    mobile_covered_population = serializers.IntegerField(
        source="figures.mobile_covered_population")
    broadband_gap_hamlets = serializers.IntegerField(source="figures.broadband_gap_hamlets")
    broadband_gap_households = serializers.IntegerField(
        source="figures.broadband_gap_households")
    broadband_gap_population = serializers.IntegerField(
        source="figures.broadband_gap_population")
    broadband_gap_share = serializers.FloatField(source="figures.broadband_gap_share",
                                                 help_text="Share of hamlets without broadband.")
    mobile_unknown_hamlets = serializers.IntegerField(source="figures.mobile_unknown_hamlets")
    broadband_unknown_hamlets = serializers.IntegerField(
        source="figures.broadband_unknown_hamlets")
    disagreements = serializers.IntegerField(
        source="figures.disagreements",
        help_text="Hamlets whose declaration the cell-site model contradicts.")

    class Meta:
        model = AdminUnit
        geo_field = "boundary"
        id_field = "code"
        fields = ["code", "name", "hamlets", "households", "population", "mobile_gap_hamlets",
                  "mobile_gap_households", "mobile_gap_population", "mobile_gap_share",
                  "mobile_covered_population", "broadband_gap_hamlets",
                  "broadband_gap_households", "broadband_gap_population", "broadband_gap_share",
                  "mobile_unknown_hamlets", "broadband_unknown_hamlets", "disagreements"]


class UnitFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    hamlets = serializers.IntegerField()
    households = serializers.IntegerField()
    population = serializers.IntegerField()
    mobile_gap_hamlets = serializers.IntegerField()
    mobile_gap_population = serializers.IntegerField()
    mobile_gap_share = serializers.FloatField()
    broadband_gap_hamlets = serializers.IntegerField()
    broadband_gap_population = serializers.IntegerField()
    broadband_gap_share = serializers.FloatField()
    disagreements = serializers.IntegerField()


class CoverageSummarySerializer(serializers.Serializer):
    """Province totals and the figures per district as it was before 2025."""

    province = UnitFiguresSerializer()
    districts_before_reform = UnitFiguresSerializer(many=True, source="districts")
    active_sites = serializers.IntegerField(source="sites",
                                            help_text="Active sites with 3G or better.")
