"""API filters for units, hamlets and cell sites, and the filter backends every list shares.

Errors name the query parameter and the reason ({"bbox": ["..."]}, HTTP 400), so that a
client can tell which part of its request was wrong. The parameter rules themselves (bbox,
point, unknown parameters) are geodata.params, which the OGC API uses as well.
"""
import datetime
import math
import re
from contextlib import contextmanager

import django_filters
from django import forms
from django.contrib.gis.db.models.functions import GeometryDistance
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError as FormValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework_gis.filters import DistanceToPointFilter, InBBoxFilter

from geodata import params
from geodata.models import AdminUnit, Availability, CellSite, Hamlet
from geodata.params import ParamError

# The longest distance a client may ask for: the whole province fits in 250 km.
MAX_DISTANCE_M = 500_000
# Parameters every list accepts besides its filters (DRF's format suffix, the language).
COMMON_PARAMS = {"format", "lang"}


@contextmanager
def param_errors_as_400():
    """Turn a geodata.params error into DRF's 400 that names the parameter(s)."""
    try:
        yield
    except ParamError as error:
        raise ValidationError({name: [error.message] for name in error.parameters}) from None


class BBoxFilter(InBBoxFilter):
    """`bbox=min_lon,min_lat,max_lon,max_lat`; features whose geometry meets the box."""

    bbox_param = "bbox"

    def get_filter_bbox(self, request):
        text = request.query_params.get(self.bbox_param)
        if text is None:
            return None
        with param_errors_as_400():
            return params.bbox_parse(text, parameter=self.bbox_param)

    def get_schema_operation_parameters(self, view):
        return [{
            "name": self.bbox_param, "in": "query", "required": False,
            "description": "Bounding box min_lon,min_lat,max_lon,max_lat (WGS 84 decimal "
                           "degrees, each minimum at most its maximum); six numbers are a 3-D "
                           "box whose heights are ignored.",
            "schema": {"type": "string", "pattern": params.BBOX_PATTERN,
                       "example": "106.70,21.80,106.80,21.90"},
        }]


class DistanceFilter(DistanceToPointFilter):
    """`point=lon,lat&dist=metres`: features within that many metres, nearest first."""

    def filter_queryset(self, request, queryset, view):
        field = getattr(view, "distance_filter_field", None)
        text = request.query_params.get(self.point_param)
        if not field:
            return queryset
        if text is None:
            if self.dist_param in request.query_params:
                raise ValidationError({self.point_param: [_("dist needs a point=lon,lat.")]})
            return queryset
        with param_errors_as_400():
            point = params.point_parse(text, parameter=self.point_param)
            dist = params.number_parse(request.query_params.get(self.dist_param, "1000"),
                                       parameter=self.dist_param, low=0, high=MAX_DISTANCE_M)
        # The degree box is a cheap prefilter that can use the GiST index (a degree of
        # longitude is shorter than 111 km here, so it over-selects); distance_lte on the
        # sphere then keeps the exact set.
        degrees = dist / (111_320 * max(math.cos(math.radians(abs(point.y) + 1)), 0.01)) + 1e-6
        queryset = queryset.filter(**{f"{field}__dwithin": (point, degrees),
                                      f"{field}__distance_lte": (point, D(m=dist))})
        if not request.query_params.get("ordering"):
            queryset = queryset.order_by(GeometryDistance(field, point))
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.point_param, "in": "query", "required": False,
             "description": "Centre of a distance filter, lon,lat (WGS 84 decimal degrees); "
                            "nearest first.",
             "schema": {"type": "string", "pattern": params.POINT_PATTERN,
                        "example": "106.7615,21.853"}},
            {"name": self.dist_param, "in": "query", "required": False,
             "description": "Radius of the distance filter in metres (default 1000); only "
                            "with point.",
             "schema": {"type": "number", "minimum": 0, "maximum": MAX_DISTANCE_M}},
        ]


class StrictQueryParamsFilter(BaseFilterBackend):
    """Refuse query parameters the list does not know: a misspelt filter must not silently
    return the whole table."""

    def allowed(self, view):
        names = set(COMMON_PARAMS) | set(getattr(view, "extra_query_params", ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        for backend in getattr(view, "filter_backends", ()):
            for attr in ("bbox_param", "point_param", "dist_param", "ordering_param"):
                if hasattr(backend, attr):
                    names.add(getattr(backend, attr))
        paginator = getattr(view, "paginator", None)
        for attr in ("page_query_param", "page_size_query_param"):
            if getattr(paginator, attr, None):
                names.add(getattr(paginator, attr))
        return names

    def filter_queryset(self, request, queryset, view):
        with param_errors_as_400():
            params.params_refuse_unknown(request.query_params, self.allowed(view))
        return queryset


class Ordering(OrderingFilter):
    """`ordering=name` or `ordering=-updated_at,id`; anything else is a 400, not ignored."""

    @staticmethod
    def pattern(view) -> str:
        names = "|".join(re.escape(name) for name in sorted(view.ordering_fields))
        return rf"^-?(?:{names})(?:,-?(?:{names}))*$"

    def get_ordering(self, request, queryset, view):
        text = request.query_params.get(self.ordering_param)
        if text is not None and not re.fullmatch(self.pattern(view), text):
            raise ValidationError({self.ordering_param: [
                _("Cannot order by %(bad)s. Allowed: %(valid)s, comma-separated, - for "
                  "descending.") % {"bad": text, "valid": ", ".join(sorted(view.ordering_fields))}
            ]})
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        return [{
            "name": self.ordering_param, "in": "query", "required": False,
            "description": "Order by " + ", ".join(sorted(view.ordering_fields))
                           + " (comma-separated; - for descending).",
            "schema": {"type": "string", "pattern": self.pattern(view)},
        }]


GEO_FILTER_BACKENDS = [
    StrictQueryParamsFilter,
    django_filters.rest_framework.DjangoFilterBackend,
    BBoxFilter,
    DistanceFilter,
    Ordering,
]


def _pattern_validator(pattern: str, message):
    """A form validator that takes exactly what `pattern` (the schema's) matches."""
    def validate(value):
        if not re.fullmatch(pattern, value):
            raise FormValidationError(message)
    return validate


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class BooleanFilter(django_filters.TypedChoiceFilter):
    """true or false; anything else is a 400, not silently ignored. Cleans to True/False, or
    to "" when the parameter is absent or empty."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("true", "true"), ("false", "false")],
                         coerce=lambda value: value == "true", **kwargs)


@extend_schema_field({"type": "string", "pattern": params.GSO_CODE_PATTERN})
class GsoCodeFilter(django_filters.CharFilter):
    """The GSO code of a unit: 2 to 5 digits."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, validators=[_pattern_validator(
            params.GSO_CODE_PATTERN, _("A GSO code is 2 to 5 digits, like 05977."))], **kwargs)


class CommuneCodeFilter(GsoCodeFilter):
    """`commune=<GSO code>` of a 2025 commune (or of any unit, when the code is unique)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__code": value})


@extend_schema_field({"type": "string", "pattern": params.TEXT_PATTERN, "maxLength": 200})
class TextFilter(django_filters.CharFilter):
    """Free text of at most 200 characters."""

    def __init__(self, **kwargs):
        super().__init__(max_length=200, **kwargs)


class _DateTimeField(forms.Field):
    def to_python(self, value):
        if value is None:
            return None
        try:
            return params.datetime_parse(value, parameter="updated_since")
        except ParamError as error:
            # django-filter formats the message with its params: a "%" must not be read.
            raise FormValidationError("%(reason)s", params={"reason": error.message}) from None


@extend_schema_field({"type": "string", "format": "date-time",
                      "pattern": params.DATETIME_PATTERN,
                      "example": params.DATETIME_EXAMPLE})
class UpdatedSinceFilter(django_filters.Filter):
    """`updated_since=<RFC 3339 date-time>`: rows changed since then (empty: a 400)."""

    field_class = _DateTimeField

    def __init__(self, **kwargs):
        super().__init__(field_name="updated_at", lookup_expr="gte", **kwargs)


class HamletFilter(django_filters.FilterSet):
    commune = CommuneCodeFilter(field_name="commune", help_text="GSO code of the commune.")
    mobile_status = django_filters.ChoiceFilter(choices=Availability.choices)
    broadband_status = django_filters.ChoiceFilter(choices=Availability.choices)
    synthetic = BooleanFilter()
    updated_since = UpdatedSinceFilter(help_text="RFC 3339 date-time; changed since then.")

    class Meta:
        model = Hamlet
        fields = ["commune", "mobile_status", "broadband_status", "synthetic", "updated_since"]


class CellSiteFilter(django_filters.FilterSet):
    commune = CommuneCodeFilter(field_name="commune", help_text="GSO code of the commune.")
    operator = django_filters.ChoiceFilter(choices=CellSite.Operator.choices)
    status = django_filters.ChoiceFilter(choices=CellSite.Status.choices)
    technology = django_filters.ChoiceFilter(
        field_name="technologies", lookup_expr="contains",
        choices=[(t, t) for t in CellSite.TECHNOLOGIES], method="filter_technology",
        help_text="Sites that offer this technology.")
    updated_since = UpdatedSinceFilter(help_text="RFC 3339 date-time; changed since then.")

    class Meta:
        model = CellSite
        fields = ["commune", "operator", "status", "technology", "updated_since"]

    def filter_technology(self, qs, name, value: str):
        return qs.filter(technologies__contains=[value]) if value else qs


class AdminUnitFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=AdminUnit.Level.choices)
    code = GsoCodeFilter(help_text="GSO code of the unit.")
    parent = CommuneCodeFilter(field_name="parent", help_text="GSO code of the parent unit.")
    valid_on = django_filters.DateFilter(
        method="filter_valid_on", input_formats=["%Y-%m-%d"],
        help_text="Units in force on this day (YYYY-MM-DD).")
    current = BooleanFilter(
        method="filter_current", help_text="true: today's units; false: units that ended.")

    class Meta:
        model = AdminUnit
        fields = ["level", "code", "parent", "valid_on", "current"]

    def filter_valid_on(self, qs, name, value: datetime.date):
        return qs.valid_on(value) if value else qs

    def filter_current(self, qs, name, value: bool):
        if value is None:
            return qs
        today = datetime.date.today()
        current = qs.valid_on(today)
        return current if value else qs.exclude(pk__in=current.values("pk"))
