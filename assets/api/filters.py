"""Query filters of the asset and plaque APIs (django-filter); bbox and distance come from the
shared backends in geodata.filters.

AssetFilter declares, checks and documents the parameters; the filtering itself is
assets.selectors.asset_filter, which the public map and the print centre call as well.
"""
import django_filters

from assets.models import Asset, Plaque
from assets.selectors import asset_filter
from geodata.filters import BooleanParam, CommuneCodeFilter, UpdatedSinceFilter


class AssetFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices)
    category = django_filters.ChoiceFilter(choices=Asset.Category.choices)
    commune = CommuneCodeFilter(field_name="commune", help_text="GSO code of the 2025 commune.")
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices)
    verified = BooleanParam(field_name="position_verified",
                            help_text="true: verified positions only; false: unverified only.")
    heritage_rank = django_filters.ChoiceFilter(
        choices=[c for c in Asset.HeritageRank.choices if c[0]])
    synthetic = BooleanParam()
    updated_since = UpdatedSinceFilter(help_text="ISO 8601 date-time; changed since then.")
    q = django_filters.CharFilter(
        help_text="Part of the name, in any language (Vietnamese accents optional).")

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
    # BooleanParam cleans to True/False, or to "" when the parameter is absent.
    return value if isinstance(value, bool) else None


class PlaqueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Plaque.Status.choices)
    template = django_filters.ChoiceFilter(choices=Plaque.Template.choices)
    asset = django_filters.CharFilter(field_name="asset__code",
                                      help_text="Code of the asset (8 symbols, no dash).")
    commune = CommuneCodeFilter(field_name="asset__commune",
                                help_text="GSO code of the asset's commune.")
    batch = django_filters.NumberFilter(field_name="batch_id")

    class Meta:
        model = Plaque
        fields = ["status", "template", "asset", "commune", "batch"]
