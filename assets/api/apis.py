"""REST/GeoJSON API for assets and plaques.

Reads of assets are public. Writes need a token or a staff session and pass the same checks
as the admin (assets.access: role and commune scope) and the same services (assets.services),
so the code, the derived commune, the verification rule and the history are the same whatever
the door. A code in the URL is read forgivingly, like on a plaque page: `7pj2-qxrf` works,
a wrong check symbol gets a 404 whose body lists the codes the client probably meant.
"""
import json
import re

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from assets import codes, scope, selectors
from assets.api.features import asset_features
from assets.api.filters import AssetFilter, PlaqueFilter
from assets.api.pagination import AssetPagination
from assets.api.serializers import (
    CODE_TEXT_PATTERN,
    AssetDetailGeoSerializer,
    AssetGeoSerializer,
    AssetWriteGeoSerializer,
    PlaqueGeoSerializer,
    RetireSerializer,
)
from assets.errors import DomainError
from assets.models import Asset
from assets.services import registry as services
from geodata.apis import LANG_PARAMETER, GeoListApi, LanguageMixin
from qrmap.parsers import JSONBodyParser

CODE_PARAMETER = OpenApiParameter(
    "code", {"type": "string", "pattern": CODE_TEXT_PATTERN}, OpenApiParameter.PATH,
    description="Asset (or plaque) code, any case, dashes and spaces ignored: 7PJ2-QXRF.")
# The write doors take GeoJSON as JSON, nothing else (no form posts: a form cannot carry a
# Feature), so a wrong content type is a 415.
JSON_ONLY = [JSONBodyParser]


class StaffWritePermission(permissions.BasePermission):
    """Anyone reads; only active staff users write (the per-asset rules come after)."""

    # The schema's anonymous option (geodata.api_schema.ApiSchema) comes from here.
    anonymous_methods = permissions.SAFE_METHODS

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class StaffOnlyPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def _typed_code(text: str) -> str:
    """The code in a typed one, or "" when it cannot be a code (CODE_TEXT_PATTERN, the
    schema's rule: codes.normalize alone would also read "ß" as "SS")."""
    return codes.normalize(text) if re.fullmatch(CODE_TEXT_PATTERN, text) else ""


def asset_by_code_or_error(text: str) -> Asset:
    """The asset behind a typed code; 400 if it cannot be a code, 404 (with "did you mean"
    candidates when the check symbol is wrong) if no asset or plaque has it."""
    code = _typed_code(text)
    if not codes.is_well_formed(code):
        raise ValidationError({"code": [_(
            "A code has 8 symbols from 0-9 and A-Z without I, L, O, U, like 7PJ2-QXRF.")]})
    resolved = selectors.code_resolve(code=code)
    if resolved is not None:
        return resolved.asset
    if not codes.is_valid(code):
        suggestions = selectors.code_suggestions(code=code)
        raise NotFound({
            "detail": _("%(code)s is not a valid code: its check symbol is wrong.")
            % {"code": codes.group(code)},
            "code": code,
            "did_you_mean": [
                {"code": s.asset.code, "grouped_code": s.asset.grouped_code,
                 "name": s.asset.name_vi, "url": f"/api/assets/{s.asset.code}/"}
                for s in suggestions
            ],
        })
    raise NotFound({"detail": _("No asset or plaque has the code %(code)s.")
                    % {"code": codes.group(code)}, "code": code})


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def domain_error_raise(error: DomainError):
    """A service's refusal as the API's answer: 403 for role and scope, 409 for a state that
    does not allow it, 400 naming the fields for bad values."""
    if error.kind == DomainError.FORBIDDEN:
        raise PermissionDenied(error.message) from error
    if error.kind == DomainError.CONFLICT:
        raise Conflict(error.as_dict()) from error
    raise ValidationError(error.errors or {"detail": [error.message]}) from error


class AssetListApi(GeoListApi, generics.ListCreateAPIView):
    """Assets (streets, public works, heritage sites); POST registers one (staff)."""

    # Not what a list leaves out (AssetGeoSerializer): the commune's boundary is kilobytes
    # per row, descriptions and shapes can be as large, all read for nothing.
    queryset = Asset.objects.select_related("commune", "replaced_by").defer(
        "commune__boundary", "description_vi", "description_en", "description_zh", "shape")
    serializer_class = AssetGeoSerializer
    filterset_class = AssetFilter
    pagination_class = AssetPagination
    permission_classes = [StaffWritePermission]
    parser_classes = JSON_ONLY
    ordering_fields = ["name_vi", "code", "kind", "category", "created_at", "updated_at"]

    def get_serializer_class(self):
        return AssetWriteGeoSerializer if self.request.method == "POST" else AssetGeoSerializer

    def page_encode(self, rows):
        """A page's rows as the texts of their Features, written by PostgreSQL
        (assets.api.features): AssetGeoSerializer's JSON without its 1 ms per row."""
        return asset_features(rows, lang=self.lang,
                              page_url=self.request.build_absolute_uri("/a/"))

    def page_encode_key(self):
        """What page_encode's query depends on besides its rows: the language and the
        address of /a/ (its host), and the time zone its times are written in."""
        return (type(self), self.lang, self.request.build_absolute_uri("/a/"),
                timezone.get_current_timezone_name())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Parsed back (a fraction of a millisecond a page) so that DRF renders the page as
        # any other: the same bytes as the serializer's, the browsable API, the envelope.
        return self.get_paginated_response(
            {"features": [json.loads(feature) for feature in page]})

    @extend_schema(request=AssetWriteGeoSerializer, responses={201: AssetDetailGeoSerializer})
    def post(self, request, *args, **kwargs):
        serializer = AssetWriteGeoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            asset = services.asset_create(user=request.user, fields=serializer.validated_data,
                                          reason="API")
        except DomainError as error:
            domain_error_raise(error)
        data = AssetDetailGeoSerializer(asset, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/assets/{asset.code}/"})


@extend_schema(parameters=[CODE_PARAMETER, LANG_PARAMETER])
class AssetDetailApi(LanguageMixin, generics.RetrieveUpdateAPIView):
    """One asset by its code; PATCH/PUT change it (staff of its commune)."""

    serializer_class = AssetDetailGeoSerializer
    permission_classes = [StaffWritePermission]
    parser_classes = JSON_ONLY
    lookup_url_kwarg = "code"

    def get_object(self):
        return asset_by_code_or_error(self.kwargs["code"])

    @extend_schema(request=AssetWriteGeoSerializer, responses=AssetDetailGeoSerializer)
    def put(self, request, *args, **kwargs):
        return self._write(request, partial=False)

    @extend_schema(request=AssetWriteGeoSerializer, responses=AssetDetailGeoSerializer)
    def patch(self, request, *args, **kwargs):
        return self._write(request, partial=True)

    def _write(self, request, *, partial):
        asset = self.get_object()
        serializer = AssetWriteGeoSerializer(asset, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            asset = services.asset_update(user=request.user, asset=asset,
                                          fields=serializer.validated_data, reason="API")
        except DomainError as error:
            domain_error_raise(error)
        return Response(self.get_serializer(asset).data)


class _AssetActionApi(LanguageMixin, generics.GenericAPIView):
    serializer_class = AssetDetailGeoSerializer
    permission_classes = [StaffOnlyPermission]
    parser_classes = JSON_ONLY

    def asset(self):
        return asset_by_code_or_error(self.kwargs["code"])

    def done(self, asset):
        asset.refresh_from_db()
        return Response(AssetDetailGeoSerializer(asset, context=self.get_serializer_context()).data)


@extend_schema(parameters=[CODE_PARAMETER], request=None,
               responses={200: AssetDetailGeoSerializer})
class AssetVerifyApi(_AssetActionApi):
    """Confirm that an asset's position is right (verifiers of its commune); only verified
    assets get printed plaques."""

    def post(self, request, code):
        asset = self.asset()
        try:
            services.asset_verify(user=request.user, asset=asset)
        except DomainError as error:
            domain_error_raise(error)
        return self.done(asset)


@extend_schema(parameters=[CODE_PARAMETER], request=RetireSerializer,
               responses={200: AssetDetailGeoSerializer})
class AssetRetireApi(_AssetActionApi):
    """Retire an asset (it keeps its code and page, which then names its replacement)."""

    def post(self, request, code):
        asset = self.asset()
        body = RetireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.asset_retire(user=request.user, asset=asset,
                                  replaced_by=body.validated_data.get("replaced_by"))
        except DomainError as error:
            domain_error_raise(error)
        return self.done(asset)


@extend_schema(parameters=[LANG_PARAMETER])
class PlaqueListApi(GeoListApi):
    """Plaques of the assets in the user's communes (staff only)."""

    serializer_class = PlaqueGeoSerializer
    filterset_class = PlaqueFilter
    permission_classes = [StaffOnlyPermission]
    staff_only = True
    bbox_filter_field = "asset__location"
    distance_filter_field = "asset__location"
    ordering_fields = ["code", "status", "designed_at", "printed_at", "installed_on"]

    def get_queryset(self):
        return scope.plaque_list(user=self.request.user).select_related(
            "asset__commune", "replaced_by", "batch")


@extend_schema(parameters=[
    OpenApiParameter("code", {"type": "string", "pattern": CODE_TEXT_PATTERN},
                     OpenApiParameter.PATH,
                     description="Plaque code, any case, dashes and spaces ignored."),
    LANG_PARAMETER,
], responses={200: PlaqueGeoSerializer, 404: OpenApiResponse(description="No such plaque.")})
class PlaqueDetailApi(LanguageMixin, generics.RetrieveAPIView):
    serializer_class = PlaqueGeoSerializer
    permission_classes = [StaffOnlyPermission]
    staff_only = True

    def get_object(self):
        code = _typed_code(self.kwargs["code"])
        if not codes.is_well_formed(code):
            raise ValidationError({"code": [_("Not a plaque code.")]})
        plaques = scope.plaque_list(user=self.request.user).select_related(
            "asset__commune", "replaced_by", "batch")
        return get_object_or_404(plaques, code=code)
