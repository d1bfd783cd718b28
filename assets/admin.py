"""Staff admin for assets and plaques: a Leaflet map for the point and the shape, the digital
address and a QR preview on the page, history with what changed, and commune scope: a clerk
sees and edits only the assets of the clerk's communes (others answer 403)."""
from django.contrib import admin, messages
from django.contrib.gis.db import models as gis_models
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from openlocationcode import openlocationcode as olc
from simple_history.admin import SimpleHistoryAdmin

from assets import access, lifecycle
from assets.models import Asset, Plaque, PrintBatch, Report, StaffScope
from assets.plaques.qr import qr_payload, qr_symbol
from assets.plaques.svg import svg_symbol
from assets.services import asset_prepare
from assets.widgets import LeafletWidget


class ScopedAdminMixin:
    """Rows outside the user's communes are invisible in lists and 403 when opened."""

    asset_path = "asset"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if access.user_sees_all_communes(user=request.user):
            return qs
        visible = access.assets_visible_to(user=request.user)
        return qs.filter(**{f"{self.asset_path}__in" if self.asset_path else "pk__in": visible})

    def _asset_of(self, obj):
        return obj if not self.asset_path else getattr(obj, self.asset_path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.model.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if obj is not None and not access.asset_in_scope(user=request.user,
                                                         asset=self._asset_of(obj)):
            raise PermissionDenied
        return super().change_view(request, object_id, form_url, extra_context)


class PlaqueInline(admin.TabularInline):
    model = Plaque
    extra = 0
    can_delete = False
    fields = ("code_link", "template", "width_mm", "height_mm", "status", "batch",
              "installed_on", "replaced_by")
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("code"))
    def code_link(self, obj):
        return obj.grouped_code

    def has_add_permission(self, request, obj=None):
        return False  # plaques are made by print jobs and replacements


@admin.register(Asset)
class AssetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    asset_path = ""
    list_display = ("name_vi", "grouped_code", "kind", "category", "commune", "status",
                    "position_verified", "synthetic")
    list_filter = ("kind", "category", ("commune", admin.RelatedOnlyFieldListFilter), "status",
                   "position_verified", "synthetic", "heritage_rank")
    search_fields = ("name_vi", "name_en", "name_zh", "=code", "external_id")
    list_select_related = ("commune",)
    readonly_fields = ("digital_address", "qr_preview", "commune", "verification")
    inlines = [PlaqueInline]
    actions = ["verify_positions", "retire_assets", "print_plaques"]
    formfield_overrides = {
        gis_models.PointField: {"widget": LeafletWidget(draw="point")},
        gis_models.GeometryField: {"widget": LeafletWidget(draw="shape")},
    }
    fieldsets = (
        (None, {"fields": ("kind", "category", "heritage_rank", "status", "replaced_by")}),
        (_("Names and descriptions"), {"fields": (("name_vi", "name_en", "name_zh"),
                                                  "description_vi", "description_en",
                                                  "description_zh")}),
        (_("Where"), {"fields": ("location", "shape", "commune", "verification")}),
        (_("Digital address"), {"fields": ("digital_address", "qr_preview")}),
        (_("Source"), {"fields": ("source", "synthetic", "external_id")}),
    )
    raw_id_fields = ("replaced_by",)

    @admin.display(description=_("digital address"))
    def digital_address(self, obj):
        if not obj.pk:
            return _("given when the asset is saved")
        plus = olc.encode(obj.location.y, obj.location.x, 10)
        old = self._old_address(obj)
        return format_html("<strong style='font-size:1.3em'>{}</strong><br>{} {}<br>{}<br>{}",
                           obj.grouped_code, _("plus code"), plus,
                           obj.commune.name if obj.commune_id else _("outside every commune"),
                           old)

    def _old_address(self, obj):
        from geodata.models import AdminUnit

        units = AdminUnit.objects.before_reform().communes().containing(obj.location)
        unit = units.select_related("parent").first()
        if unit is None:
            return ""
        parent = f", {unit.parent.name}" if unit.parent_id else ""
        return format_html("{}: {}{}", _("before 1 July 2025"), unit.name, parent)

    @admin.display(description=_("QR preview"))
    def qr_preview(self, obj):
        if not obj.pk:
            return "—"
        payload = qr_payload(code=obj.code)
        return mark_safe(  # noqa: S308 - generated SVG from a checked code, no user text
            f'<div style="width:160px">{svg_symbol(qr_symbol(payload), module_px=4)}</div>'
            f"<code>{payload}</code>")

    @admin.display(description=_("position verified"))
    def verification(self, obj):
        if obj.position_verified:
            when = obj.verified_at.strftime("%Y-%m-%d %H:%M") if obj.verified_at else ""
            return format_html("✔ {} {} ({})", _("verified by"), obj.verified_by or "?", when)
        return _("not verified: plaques cannot be printed until a verifier confirms the point")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.asset_can_edit(user=request.user, asset=obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        was_verified = obj.position_verified
        asset_prepare(obj)
        if not access.asset_in_scope(user=request.user, asset=obj):
            raise PermissionDenied(_("This point lies outside your communes."))
        super().save_model(request, obj, form, change)
        if was_verified and not obj.position_verified:
            messages.warning(request, _("The point moved more than 25 m, so its verification "
                                        "was cleared: a verifier must confirm it again."))

    def get_deleted_objects(self, objs, request):
        # Plaques protect their asset from deletion; here "delete" retires such an asset
        # (delete_model), so the confirmation page must not stop at the protected plaques.
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        if protected:  # only plaques protect an asset
            # Retiring deletes nothing, so no delete permission on related rows is needed.
            return deleted, counts, set(), []
        return deleted, counts, perms, protected

    def delete_model(self, request, obj):
        if lifecycle.asset_delete_or_retire(asset=obj) == "retired":
            messages.warning(request, _("%(asset)s has plaques, so it was retired instead of "
                                        "deleted; its codes keep answering.") % {"asset": obj})

    def delete_queryset(self, request, queryset):
        for asset in queryset:
            self.delete_model(request, asset)

    def get_urls(self):
        from django.urls import path

        own = [path("<int:pk>/verify/", self.admin_site.admin_view(self.verify_view),
                    name="assets_asset_verify")]
        return own + super().get_urls()

    def verify_view(self, request, pk):
        """The change page's "Verify position" button (POST only)."""
        from django.shortcuts import get_object_or_404, redirect

        asset = get_object_or_404(Asset, pk=pk)
        if request.method != "POST" or not access.asset_can_verify(user=request.user,
                                                                    asset=asset):
            raise PermissionDenied
        lifecycle.asset_verify(asset=asset, user=request.user)
        self.message_user(request, _("Position of %(asset)s verified.") % {"asset": asset})
        return redirect("admin:assets_asset_change", pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        context["can_verify"] = bool(obj and access.asset_can_verify(user=request.user,
                                                                     asset=obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Mark the positions as verified"))
    def verify_positions(self, request, queryset):
        done = 0
        for asset in queryset:
            if access.asset_can_verify(user=request.user, asset=asset):
                lifecycle.asset_verify(asset=asset, user=request.user)
                done += 1
        self.message_user(request, ngettext("%d position verified.", "%d positions verified.",
                                            done) % done)

    @admin.action(description=_("Retire (keep the codes answering)"))
    def retire_assets(self, request, queryset):
        for asset in queryset:
            if access.asset_can_edit(user=request.user, asset=asset):
                lifecycle.asset_retire(asset=asset)

    @admin.action(description=_("Print plaques in the print centre"))
    def print_plaques(self, request, queryset):
        from django.shortcuts import redirect

        codes = ",".join(queryset.values_list("code", flat=True)[:500])
        return redirect(f"{reverse('staff:print_centre')}?codes={codes}")


@admin.register(Plaque)
class PlaqueAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "asset", "template", "status", "batch", "installed_on",
                    "staff_page")
    list_filter = ("status", "template")
    search_fields = ("=code", "asset__name_vi", "=asset__code")
    raw_id_fields = ("asset", "batch", "replaced_by")
    readonly_fields = ("code", "status", "batch", "replaced_by", "printed_at", "removed_on")
    actions = ["mark_installed", "mark_damaged", "replace", "mark_removed"]

    @admin.display(description=_("record installation, damage, replacement"))
    def staff_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("staff:plaque_detail", args=[obj.code]),
                           _("plaque page"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.plaque_can_manage(user=request.user, plaque=obj):
            return False
        return super().has_change_permission(request, obj)

    def _each(self, request, queryset, service, verb):
        done = [p for p in queryset if access.plaque_can_manage(user=request.user, plaque=p)]
        results = [service(plaque=p) for p in done]
        self.message_user(request, _("%(n)d plaques %(verb)s.") % {"n": len(done), "verb": verb})
        return results

    @admin.action(description=_("Mark installed today"))
    def mark_installed(self, request, queryset):
        self._each(request, queryset, lifecycle.plaque_install, _("installed"))

    @admin.action(description=_("Mark damaged"))
    def mark_damaged(self, request, queryset):
        self._each(request, queryset, lifecycle.plaque_mark_damaged, _("marked damaged"))

    @admin.action(description=_("Replace (new code; the old one keeps answering)"))
    def replace(self, request, queryset):
        self._each(request, queryset, lifecycle.plaque_replace, _("replaced"))

    @admin.action(description=_("Mark removed"))
    def mark_removed(self, request, queryset):
        self._each(request, queryset, lifecycle.plaque_remove, _("removed"))


@admin.register(PrintBatch)
class PrintBatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_by", "template", "paper", "status", "progress", "total")
    list_filter = ("status", "paper")
    readonly_fields = [f.name for f in PrintBatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "asset", "plaque", "problem", "status")
    list_filter = ("status", "problem")
    raw_id_fields = ("asset", "plaque", "handled_by")
    search_fields = ("asset__name_vi", "=code", "text")


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "all_communes")
    filter_horizontal = ("communes",)
    raw_id_fields = ("user",)
