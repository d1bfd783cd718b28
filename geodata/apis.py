"""Read-only REST/GeoJSON API for administrative units, hamlets, cell sites and coverage, and
the plumbing every qrmap API view shares (pagination, language, error documentation).

Lists are GeoJSON FeatureCollections with page links, details are Features. Every query
parameter is checked: an unknown one, a bad bbox or a bad number is a 400 that names it.
"""
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination

from geodata import filters, params, selectors
from geodata.coverage import coverage_figures
from geodata.models import AdminUnit, CellSite, Hamlet
from geodata.serializers import (
    AdminUnitGeoSerializer,
    CellSiteGeoSerializer,
    CommuneCoverageGeoSerializer,
    CoverageSummarySerializer,
    HamletGeoSerializer,
    PointLookupSerializer,
    lineage_attach,
)
from qrmap.i18n import language_default, language_parse, languages


def request_lang(request) -> str:
    """The asked language (site code: vi, en, zh-hans; default vi) from `lang` in any
    accepted spelling (zh, zh-hans); a 400 naming `lang` for any other value."""
    text = request.query_params.get("lang")
    if text is None:
        return language_default()
    language = language_parse(text)
    if language is None:
        raise ValidationError({"lang": [_("Unknown language. Known: %(known)s.") % {
            "known": ", ".join(entry.short for entry in languages())}]})
    return language


class ApiPagination(GeoJsonPagination):
    """GeoJSON pages (`page`, `page_size` up to 1000) with `next`/`previous` links."""

    page_size = 100
    max_page_size = 1000

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is not None:
            if not text.isdecimal() or not 1 <= int(text) <= self.max_page_size:
                raise ValidationError({self.page_size_query_param: [
                    _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        text = request.query_params.get(self.page_query_param)
        if text is not None and not (text.isdecimal() and int(text) >= 1) and text != "last":
            raise ValidationError({self.page_query_param: [_("A page number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        # drf-spectacular hands over the whole FeatureCollection component (<Feature>List),
        # but a page carries the features themselves: point `features` at the Feature.
        ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
        if ref.endswith("List"):
            schema = {"type": "array", "items": {"$ref": ref[: -len("List")]}}
        result = super().get_paginated_response_schema(schema)
        if isinstance(schema, dict):
            result["required"] = ["type", "count", "features"]
        return result


ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: {\"detail\": reason} or {field: [reasons]} per bad field.",
    "additionalProperties": True,
}


class ApiSchema(AutoSchema):
    """Documents the error answers every operation can give, so that clients (and the
    schema tests) know them: 400 with field and reason, 404, 401/403 for writes, 429."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 401 too: a wrong or expired token is refused on every operation, reads included.
        codes = ["400", "401", "429"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self.method not in ("GET", "HEAD", "OPTIONS") or getattr(self.view, "staff_only",
                                                                     False):
            codes.append("403")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ERROR_SCHEMA, code,
                                                                   direction=direction))
        return responses


class LanguageMixin:
    """Reads `lang` once per request and renders labels in that language."""

    schema = ApiSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.lang = request_lang(request)
        translation.activate(self.lang)
        request.LANGUAGE_CODE = translation.get_language()

    def get_serializer_context(self):
        return {**super().get_serializer_context(),
                "lang": getattr(self, "lang", language_default())}


LANG_PARAMETER = OpenApiParameter(
    "lang", OpenApiTypes.STR, enum=[entry.short for entry in languages()],
    description=f"Language of names, descriptions and labels (default {language_default()}).")


@extend_schema(parameters=[LANG_PARAMETER])
class GeoListApi(LanguageMixin, generics.ListAPIView):
    """Base of every public GeoJSON list: strict parameters, filters, bbox, distance, order."""

    pagination_class = ApiPagination
    filter_backends = filters.GEO_FILTER_BACKENDS
    bbox_filter_field = "location"
    bbox_filter_include_overlapping = True
    distance_filter_field = "location"


@extend_schema(parameters=[LANG_PARAMETER, OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The feature id.")])
class GeoDetailApi(LanguageMixin, generics.RetrieveAPIView):
    lookup_url_kwarg = "id"

    def get_object(self):
        # The id comes in as text, so that /api/hamlets/abc/ is a JSON 404 like any other.
        text = self.kwargs["id"]
        if not text.isdecimal() or len(text) > 18:
            raise NotFound(_("No feature has this id."))
        self.kwargs["pk"] = int(text)
        self.lookup_url_kwarg = "pk"
        return super().get_object()


class HamletListApi(GeoListApi):
    """Hamlets (thôn, bản) with their declared 3G/4G and broadband status."""

    queryset = Hamlet.objects.select_related("commune")
    serializer_class = HamletGeoSerializer
    filterset_class = filters.HamletFilter
    ordering_fields = ["name", "population", "households", "updated_at", "id"]


class HamletDetailApi(GeoDetailApi):
    queryset = Hamlet.objects.select_related("commune")
    serializer_class = HamletGeoSerializer


class CellSiteListApi(GeoListApi):
    """Mobile cell sites with their technologies and effective 3G+ coverage radius."""

    queryset = CellSite.objects.select_related("commune")
    serializer_class = CellSiteGeoSerializer
    filterset_class = filters.CellSiteFilter
    ordering_fields = ["operator", "status", "commissioned_on", "updated_at", "id"]


class CellSiteDetailApi(GeoDetailApi):
    queryset = CellSite.objects.select_related("commune")
    serializer_class = CellSiteGeoSerializer


class AdminUnitListApi(GeoListApi):
    """Province, districts (until 2025-06-30) and communes, with validity and lineage."""

    queryset = AdminUnit.objects.select_related("parent")
    serializer_class = AdminUnitGeoSerializer
    filterset_class = filters.AdminUnitFilter
    ordering_fields = ["code", "name", "level", "population", "valid_from", "id"]
    bbox_filter_field = "boundary"
    distance_filter_field = "boundary"

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        lineage_attach(page)
        return page


class AdminUnitDetailApi(GeoDetailApi):
    queryset = AdminUnit.objects.select_related("parent")
    serializer_class = AdminUnitGeoSerializer


class PointLookupApi(LanguageMixin, APIView):
    """Which units hold a point: today's commune and the commune and district before 2025."""

    @extend_schema(
        parameters=[
            OpenApiParameter("point", OpenApiTypes.STR, required=True,
                             description="lon,lat in WGS 84, e.g. 106.7615,21.853"),
            LANG_PARAMETER,
        ],
        responses=PointLookupSerializer,
    )
    def get(self, request):
        _only_params(request, {"point"})
        text = request.query_params.get("point")
        if not text:
            raise ValidationError({"point": [_("Required: point=lon,lat.")]})
        with filters.param_errors_as_400():
            point = params.point_parse(text)
        found = selectors.unit_lookup_point(point=point)
        return Response(PointLookupSerializer(found).data)


def _only_params(request, allowed):
    with filters.param_errors_as_400():
        params.params_refuse_unknown(request.query_params, set(allowed) | filters.COMMON_PARAMS)


class CommuneCoverageApi(LanguageMixin, APIView):
    """Coverage figures per 2025 commune as GeoJSON (boundary + figures), for choropleths."""

    @extend_schema(
        parameters=[OpenApiParameter("commune", OpenApiTypes.STR,
                                     description="GSO code: only this commune."),
                    LANG_PARAMETER],
        responses=CommuneCoverageGeoSerializer(many=True),
    )
    def get(self, request):
        _only_params(request, {"commune"})
        commune = None
        code = request.query_params.get("commune")
        if code is not None:
            commune = AdminUnit.objects.current().communes().filter(code=code.strip()).first()
            if commune is None:
                raise ValidationError({"commune": [_("No commune of today has this code.")]})
        figures = {unit.code: unit for unit in coverage_figures(commune=commune).communes}
        units = AdminUnit.objects.current().communes().order_by("code")
        if commune is not None:
            units = units.filter(pk=commune.pk)
        units = list(units)
        for unit in units:
            unit.figures = figures[unit.code]
        return Response(CommuneCoverageGeoSerializer(units, many=True).data)


class CoverageSummaryApi(LanguageMixin, APIView):
    """Province totals and figures per pre-2025 district."""

    @extend_schema(parameters=[LANG_PARAMETER], responses=CoverageSummarySerializer)
    def get(self, request):
        _only_params(request, set())
        return Response(CoverageSummarySerializer(coverage_figures()).data)
