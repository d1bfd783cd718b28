"""Query filters of the asset and plaque APIs (django-filter); bbox and distance come from the
shared backends in geodata.filters.

AssetFilter declares, checks and documents the parameters; the filtering itself is
assets.selectors.asset_filter, which the public map and the print centre call as well.
"""
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from assets import codes
from assets.api.pagination import COUNT_CAP
from assets.api.serializers import CODE_TEXT_PATTERN
from assets.models import Asset, Plaque
from assets.selectors import asset_filter
from geodata.filters import BooleanFilter, CommuneCodeFilter, TextFilter, UpdatedSinceFilter


class AssetFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices)
    category = django_filters.ChoiceFilter(choices=Asset.Category.choices)
    commune = CommuneCodeFilter(field_name="commune", help_text="GSO code of the 2025 commune.")
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices)
    verified = BooleanFilter(field_name="position_verified",
                             help_text="true: verified positions only; false: unverified only.")
    heritage_rank = django_filters.ChoiceFilter(
        choices=[c for c in Asset.HeritageRank.choices if c[0]])
    synthetic = BooleanFilter()
    updated_since = UpdatedSinceFilter(help_text="RFC 3339 date-time; changed since then.")
    q = TextFilter(help_text="Part of the name, in any language (Vietnamese accents optional). "
                             f"The list then holds the first {COUNT_CAP:,} matches by id at most "
                             "(count_capped says when more match).")

    class Meta:
        model = Asset
        fields = ["kind", "category", "commune", "status", "verified", "heritage_rank",
                  "synthetic", "updated_since", "q"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return asset_filter(
            queryset, kind=data.get("kind") or "", category=data.get("category") or "",
            commune=data.get("commune") or "", status=data.get("status") or "",
            verified=_boolean(data.get("verified")), heritage_rank=data.get("heritage_rank") or "",
            synthetic=_boolean(data.get("synthetic")), updated_since=data.get("updated_since"),
            name=data.get("q") or "")


def _boolean(value):
    # BooleanFilter cleans to True/False, or to "" when the parameter is absent.
    return value if isinstance(value, bool) else None


def _code_text_check(value):
    if not re.fullmatch(CODE_TEXT_PATTERN, value):
        raise ValidationError(_("A code has 8 symbols, like 7PJ2-QXRF."))


@extend_schema_field({"type": "string", "pattern": CODE_TEXT_PATTERN})
class CodeFilter(django_filters.CharFilter):
    """A code as typed (any case, dashes and spaces ignored), matched exactly."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, validators=[_code_text_check], **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, codes.normalize(value) if value else value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number that a bigint column holds."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class PlaqueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Plaque.Status.choices)
    template = django_filters.ChoiceFilter(choices=Plaque.Template.choices)
    asset = CodeFilter(field_name="asset__code", help_text="Code of the asset.")
    commune = CommuneCodeFilter(field_name="asset__commune",
                                help_text="GSO code of the asset's commune.")
    batch = IdFilter(field_name="batch_id", help_text="Id of the print batch.")

    class Meta:
        model = Plaque
        fields = ["status", "template", "asset", "commune", "batch"]
