"""The home page: what the site is, for whom, and the province's figures at a glance."""
from django.core.cache import cache
from django.db.models import Count
from django.views.generic import TemplateView

from assets.models import Asset, Plaque
from geodata.coverage.figures import coverage_province_figures


def home_figures() -> dict:
    """Registry and coverage figures; cached for a minute since every visitor sees the same."""
    figures = cache.get("qrmap:home-figures")
    if figures is None:
        by_kind = dict(
            Asset.objects.filter(status=Asset.Status.ACTIVE)
            .values_list("kind").annotate(n=Count("id")).order_by()
        )
        coverage = coverage_province_figures()
        figures = {
            "streets": by_kind.get(Asset.Kind.STREET, 0),
            "public_works": by_kind.get(Asset.Kind.PUBLIC_WORK, 0),
            "heritage": by_kind.get(Asset.Kind.HERITAGE, 0),
            "plaques": Plaque.objects.count(),
            "hamlets": coverage.hamlets,
            "mobile_gaps": coverage.mobile_gap_hamlets,
            "broadband_gaps": coverage.broadband_gap_hamlets,
            "affected_population": coverage.affected_population,
        }
        cache.set("qrmap:home-figures", figures, 60)
    return figures


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=home_figures(), **kwargs)
