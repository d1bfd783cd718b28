"""Read-only REST/GeoJSON API for administrative units, hamlets, cell sites and coverage, and
the plumbing every qrmap API view shares (pagination, language, error documentation).

Lists are GeoJSON FeatureCollections with page links, details are Features. Every query
parameter is checked: an unknown one, a bad bbox or a bad number is a 400 that names it.
"""
import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination

from geodata import filters, params, selectors
from geodata.api_schema import ApiSchema
from geodata.coverage import coverage_sums
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
    """GeoJSON pages (`page` from 1, `page_size` up to 1000) with `next`/`previous` links;
    a page past the end is a 404."""

    page_size = 100
    max_page_size = 1000
    # The largest page number a 32-bit client integer holds.
    max_page = 2**31 - 1
    last_page_strings = ()  # not in the schema, so not accepted either

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is not None:
            with filters.param_errors_as_400():
                params.int_parse(text, parameter=self.page_size_query_param, low=1,
                                 high=self.max_page_size)
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        text = request.query_params.get(self.page_query_param)
        if text is not None:
            with filters.param_errors_as_400():
                params.int_parse(text, parameter=self.page_query_param, low=1,
                                 high=self.max_page)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        bounds = {self.page_query_param: (1, self.max_page),
                  self.page_size_query_param: (1, self.max_page_size)}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
        return parameters

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


class LanguageMixin:
    """Reads `lang` once per request and renders labels in that language; refuses a NUL in
    any query or path parameter, and a query parameter without a value (after
    authentication, so that a request without credentials still gets its 401)."""

    schema = ApiSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        with filters.param_errors_as_400():
            params.params_refuse_nul(request.query_params, kwargs)
            params.params_refuse_empty(request.query_params)
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


# The largest id a bigint column holds.
MAX_ID = 2**63 - 1


@extend_schema(parameters=[LANG_PARAMETER, OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH,
    description="The feature id.")])
class GeoDetailApi(LanguageMixin, generics.RetrieveAPIView):
    lookup_url_kwarg = "id"

    def get_object(self):
        # The id comes in as text, so that /api/hamlets/abc/ is a JSON 404 like any other.
        text = self.kwargs["id"]
        if not (text.isascii() and text.isdigit() and len(text) <= 19
                and int(text) <= MAX_ID):
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
            OpenApiParameter("point", {"type": "string", "pattern": params.POINT_PATTERN},
                             required=True,
                             description="lon,lat in WGS 84 decimal degrees, e.g. "
                                         "106.7615,21.853"),
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
        parameters=[OpenApiParameter("commune", {"type": "string",
                                                 "pattern": params.GSO_CODE_PATTERN},
                                     description="GSO code of a commune of today: only this "
                                                 "commune (another code is a 400)."),
                    LANG_PARAMETER],
        responses=CommuneCoverageGeoSerializer(many=True),
    )
    def get(self, request):
        _only_params(request, {"commune"})
        commune = None
        code = request.query_params.get("commune")
        if code is not None:
            if not re.fullmatch(params.GSO_CODE_PATTERN, code):
                raise ValidationError({"commune": [_("A GSO code is 2 to 5 digits, like 05977.")]})
            commune = selectors.commune_by_code(code=code)
            if commune is None:
                raise ValidationError({"commune": [_("No commune of today has this code.")]})
        figures = {unit.code: unit for unit in coverage_sums(commune=commune).communes}
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
        return Response(CoverageSummarySerializer(coverage_sums()).data)
