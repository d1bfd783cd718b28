"""Admin for administrative units, hamlets, cell sites, data loads and analysis jobs.

No map widget here: GeoDjango's default one loads OpenLayers from a CDN, which the project
never does, and the Leaflet widget lives in assets (geodata must not import assets). A point
is typed as WKT, EWKT or GeoJSON (lon lat order) and shown with a link to open it on a map.
"""
from django import forms
from django.contrib import admin
from django.contrib.gis.db import models as gis_models
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models.functions import Collate
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geodata import radio
from geodata.models import AdminUnit, AnalysisJob, CellSite, DataLoad, Hamlet, UnitSuccession
from geodata.selectors import commune_at_point
from qrmap.collation import VI_COLLATION
from qrmap.formats.admin import admin_figure

POINT_HELP = _("WKT or GeoJSON in longitude, latitude order, e.g. POINT(106.7615 21.853).")


def _lonlat(point) -> str:
    return f"{point.x:.6f}, {point.y:.6f}" if point else "—"


def _map_link(point):
    if point is None:
        return "—"
    url = (f"https://www.openstreetmap.org/?mlat={point.y:.6f}&mlon={point.x:.6f}"
           f"#map=15/{point.y:.6f}/{point.x:.6f}")
    return format_html('<a href="{}" rel="noopener" target="_blank">{}</a>', url, _lonlat(point))


class ValidityFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("current", _("in force today")), ("before", _("before 2025-07-01"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "before":
            return queryset.before_reform()
        return queryset


class PredecessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    fields = ["predecessor", "kind", "effective_on"]
    readonly_fields = fields
    extra = 0
    verbose_name = _("merged from")
    verbose_name_plural = _("merged from (2025 reform)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    """Read-only: units come from the bundled files (qrmap_load_geodata), and a reload would
    overwrite any hand edit."""

    list_display = ["code", "name", "level", "unit_type", "parent", "valid_from", "valid_to",
                    "population_figure", "area_km2"]
    list_display_links = ["code", "name"]
    # Also the order of the unit lists of other admins (list filters, the staff scope's
    # communes): Vietnamese alphabetical order by name.
    ordering = ["level", Collate("name", VI_COLLATION), "code"]
    list_filter = ["level", ValidityFilter, "unit_type"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    inlines = [PredecessorInline]
    fields = ["code", "name", "short_name", "unit_type", "level", "parent", "valid_from",
              "valid_to", "population_figure", "area_km2", "admin_center", "label", "outline",
              "successor_list", "source"]
    readonly_fields = fields
    population_figure = admin_figure("population", _("population"))

    @admin.display(description=_("label point"))
    def label(self, obj):
        return _map_link(obj.label_point)

    @admin.display(description=_("boundary"))
    def outline(self, obj):
        if obj.boundary is None:
            return _("no polygon (pre-2025 commune: label point only)")
        return _("%(parts)s part(s), %(points)s vertices, valid: %(valid)s") % {
            "parts": intcomma(len(obj.boundary)), "points": intcomma(obj.boundary.num_points),
            "valid": _("yes") if obj.boundary.valid else _("no")}

    @admin.display(description=_("became part of"))
    def successor_list(self, obj):
        return ", ".join(str(unit) for unit in obj.successors.all()) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LocatedAdmin(admin.ModelAdmin):
    """Hamlets and sites: the point is typed as text; the commune follows from it."""

    formfield_overrides = {
        gis_models.PointField: {"widget": forms.TextInput(attrs={"size": 60}),
                                "help_text": POINT_HELP},
    }
    readonly_fields = ["commune", "map_link", "updated_at"]
    list_select_related = ["commune"]

    @admin.display(description=_("on the map"))
    def map_link(self, obj):
        return _map_link(obj.location)

    def save_model(self, request, obj, form, change):
        obj.commune = commune_at_point(point=obj.location)
        super().save_model(request, obj, form, change)


@admin.register(Hamlet)
class HamletAdmin(LocatedAdmin):
    list_display = ["name", "commune", admin_figure("households", _("households")),
                    admin_figure("population", _("population")), "mobile_status",
                    "broadband_status", "survey_date", "synthetic"]
    list_filter = ["mobile_status", "broadband_status", "synthetic",
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "external_id", "commune__name"]
    fields = ["name", "location", "map_link", "commune", "district_before", "households",
              "population", "mobile_status", "broadband_status", "survey_date", "source",
              "synthetic", "external_id", "updated_at"]
    # Kept by a database trigger from the position (migration 0007), so it is shown, not edited.
    readonly_fields = [*LocatedAdmin.readonly_fields, "district_before"]


@admin.register(CellSite)
class CellSiteAdmin(LocatedAdmin):
    list_display = ["__str__", "operator", "technologies", "terrain", "coverage_radius_m",
                    "status", "commune", "synthetic"]
    list_filter = ["operator", "status", "terrain", "synthetic",
                   ("commune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "external_id", "commune__name"]
    fields = ["name", "operator", "technologies", "terrain", "radius_overrides",
              "coverage_radius_m", "location", "map_link", "commune", "status",
              "commissioned_on", "retired_on", "source", "synthetic", "external_id",
              "updated_at"]
    readonly_fields = [*LocatedAdmin.readonly_fields, "coverage_radius_m"]

    def save_model(self, request, obj, form, change):
        # The stored 3G+ radius is what coverage queries use: recompute it on every save.
        radio.site_radius_refresh(obj)
        super().save_model(request, obj, form, change)


@admin.register(DataLoad)
class DataLoadAdmin(admin.ModelAdmin):
    list_display = ["name", "loaded_at", "fingerprint"]  # counts: on the record page
    readonly_fields = ["name", "fingerprint", "loaded_at", "counts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnalysisJob)
class AnalysisJobAdmin(admin.ModelAdmin):
    """Read-only: the dashboard makes the jobs and the worker runs them; here one sees which
    failed and why. No role holds its permissions, so it is the superusers' view."""

    list_display = ("__str__", "kind", "commune", "created_by", "created_at", "status",
                    admin_figure("progress", _("progress")), admin_figure("total", _("steps")),
                    "attempts")
    list_filter = ("status", "kind")
    list_select_related = ("commune", "created_by")
    readonly_fields = [f.name for f in AnalysisJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
