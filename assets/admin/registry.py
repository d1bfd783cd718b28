"""The asset admin: a Leaflet map for the point and the shape, the digital address (today's and
the pre-2025 address, as on the asset page) and a QR preview, history with what changed.
Adding, changing, deleting, reverting, verifying and retiring all go through the services."""
from django import forms
from django.contrib import admin, messages
from django.contrib.gis.db import models as gis_models
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assets import access, rules, scope
from assets.admin.base import ScopedAdmin, refuse
from assets.admin.photos import AssetPhotoInline, photos_save
from assets.errors import DomainError
from assets.models import Asset, AssetPhoto, Plaque
from assets.plaques.qr import qr_payload, qr_symbol
from assets.plaques.svg import svg_symbol
from assets.printing import asset_base_url
from assets.selectors import asset_addresses
from assets.services import registry as services
from assets.widgets import LeafletWidget


class AssetAdminForm(forms.ModelForm):
    """Runs the service's own check in clean(), so that a refused value is a form error
    beside its field and a refused scope is the refusal page, before anything is saved."""

    user = None  # set per request by AssetAdmin.get_form

    def service_fields(self) -> dict:
        return {n: self.cleaned_data[n] for n in rules.ASSET_EDITABLE if n in self.cleaned_data}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk:
                stored = Asset.objects.get(pk=self.instance.pk)
                services.asset_update_check(user=self.user, asset=stored,
                                            fields=self.service_fields())
            else:
                services.asset_create_check(user=self.user, fields=self.service_fields())
        except DomainError as error:
            refuse(error)
            for field, problems in error.errors.items():
                self.add_error(field if field in self.fields else None, problems)
            if not error.errors:
                raise ValidationError(error.message) from None
        return data


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
        return False  # plaques are made by print jobs, the plaque admin and replacements

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(ScopedAdmin):
    form = AssetAdminForm
    list_display = ("name_vi", "grouped_code", "kind", "category", "commune", "status",
                    "position_verified", "synthetic")
    list_filter = ("kind", "category", ("province", admin.RelatedOnlyFieldListFilter),
                   ("commune", admin.RelatedOnlyFieldListFilter), "status",
                   "position_verified", ("correction_reason", admin.EmptyFieldListFilter),
                   "synthetic", "heritage_rank")
    search_fields = ("name_vi", "name_en", "name_zh", "=code", "external_id")
    list_select_related = ("commune",)
    readonly_fields = ("digital_address", "qr_preview", "province", "commune",
                       "district_before", "commune_before", "verification", "status",
                       "replaced_by")
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
        (_("Practical information"), {
            "classes": ("collapse",),
            "fields": (("opening_hours_vi", "opening_hours_en", "opening_hours_zh"),
                       ("fee_vi", "fee_en", "fee_zh"), ("access_vi", "access_en", "access_zh"),
                       ("accessibility_vi", "accessibility_en", "accessibility_zh"),
                       ("heritage_inscription", "heritage_year"))}),
        (_("Where"), {"fields": ("location", "shape", "province", "commune",
                                 "district_before", "commune_before", "verification")}),
        (_("Digital address"), {"fields": ("digital_address", "qr_preview")}),
        (_("Source"), {"fields": ("source", "synthetic", "external_id")}),
    )

    def scoped(self, user):
        return scope.asset_list(user=user)

    def history_scoped(self, user):
        return scope.asset_history_list(user=user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description=_("code"), ordering="code")
    def grouped_code(self, obj):
        return obj.grouped_code

    @admin.display(description=_("digital address"))
    def digital_address(self, obj):
        if not obj.pk:
            return _("given when the asset is saved")
        from openlocationcode import openlocationcode as olc

        addresses = asset_addresses(asset=obj)
        before = format_html("<br>{}: {}{}", _("before 1 July 2025"), addresses.before_reform,
                             " (≈)" if addresses.before_reform_approximate else "") \
            if addresses.before_reform else ""
        return format_html("<strong style='font-size:1.3em'>{}</strong><br>{} {}<br>{}{}",
                           obj.grouped_code, _("plus code"),
                           olc.encode(obj.location.y, obj.location.x, 10),
                           addresses.today or _("outside every commune"), before)

    @admin.display(description=_("QR preview"))
    def qr_preview(self, obj):
        if not obj.pk:
            return "—"
        payload = qr_payload(code=obj.code, base_url=asset_base_url(obj))
        # The SVG is drawn from the checked payload (no user text); the payload, which holds
        # the configured base URL, goes through escaping like any other text.
        # svg_symbol escapes the title; a screen reader names the image by it.
        title = f"{_('QR preview')} {obj.grouped_code}"
        svg = mark_safe(svg_symbol(qr_symbol(payload), module_px=4, title=title))  # noqa: S308
        return format_html('<div style="width:160px">{}</div><code>{}</code>', svg, payload)

    @admin.display(description=_("position verified"))
    def verification(self, obj):
        if obj.position_verified:
            when = date_format(localtime(obj.verified_at), "SHORT_DATETIME_FORMAT") \
                if obj.verified_at else ""
            return format_html("✔ {}", _("verified by %(user)s (%(when)s)") % {
                "user": obj.verified_by or "?", "when": when})
        if obj.correction_reason:
            # The verifier's reason for the clerk who must correct the asset (asset_reject).
            when = date_format(localtime(obj.correction_requested_at), "SHORT_DATETIME_FORMAT") \
                if obj.correction_requested_at else ""
            return format_html(
                '<strong class="needs-correction">{}</strong><br>{}<br><span>{}</span>',
                _("needs correction: a verifier sent it back"), obj.correction_reason,
                _("by %(user)s (%(when)s); saving a correction puts it back in the "
                  "verification queue") % {"user": obj.correction_requested_by or "?",
                                           "when": when})
        return _("not verified: plaques cannot be printed until a verifier confirms the point")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            return access.asset_can_edit(user=request.user, asset=obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            return access.asset_can_delete(user=request.user, asset=obj)
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = form.service_fields()
        if not change:
            saved = services.asset_create(user=request.user, fields=fields)
        else:
            stored = Asset.objects.get(pk=obj.pk)
            version = getattr(request, "_qrmap_revert", None)
            if version is not None:
                saved = services.asset_revert(user=request.user, asset=stored, fields=fields,
                                              version_date=version)
            else:
                saved = services.asset_update(user=request.user, asset=stored, fields=fields)
            if stored.position_verified and not saved.position_verified:
                messages.warning(request, _("The point moved more than 25 m, so its "
                                            "verification was cleared: a verifier must "
                                            "confirm it again."))
        for field in Asset._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def get_inlines(self, request, obj):
        # Photos belong to a saved asset: its commune decides who may add them.
        return [PlaqueInline, AssetPhotoInline] if obj is not None and obj.pk else [PlaqueInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is AssetPhoto:
            return photos_save(request, formset, form.instance)
        return super().save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        # Plaques protect their asset; here "delete" retires such an asset (asset_delete),
        # so the confirmation page must not stop at the protected plaques.
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        if protected:
            return deleted, counts, set(), []
        return deleted, counts, perms, protected

    def delete_model(self, request, obj):
        if services.asset_delete(user=request.user, asset=obj) == "retired":
            messages.warning(request, _("%(asset)s has plaques, so it was retired instead of "
                                        "deleted; its codes keep answering.") % {"asset": obj})

    def get_urls(self):
        own = [path("<int:pk>/verify/", self.admin_site.admin_view(self.verify_view),
                    name="assets_asset_verify")]
        return own + super().get_urls()

    def verify_view(self, request, pk):
        """The change page's "Verify position" button (POST only)."""
        self._visible_or_refuse(request, pk)
        asset = get_object_or_404(Asset, pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            services.asset_verify(user=request.user, asset=asset)
        except DomainError as error:
            raise PermissionDenied(error.message) from None
        self.message_user(request, _("Position of %(asset)s verified.") % {"asset": asset})
        return redirect("admin:assets_asset_change", pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        context["can_verify"] = bool(obj and access.asset_can_verify(user=request.user,
                                                                     asset=obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _each(self, request, queryset, action) -> tuple[int, int]:
        done = refused = 0
        for asset in queryset:
            try:
                action(asset)
                done += 1
            except DomainError:
                refused += 1
        if refused:
            messages.warning(request, ngettext(
                "%d asset was refused (outside your communes or your role).",
                "%d assets were refused (outside your communes or your role).",
                refused) % refused)
        return done, refused

    @admin.action(description=_("Mark the positions as verified"))
    def verify_positions(self, request, queryset):
        done, _refused = self._each(request, queryset, lambda a: services.asset_verify(
            user=request.user, asset=a))
        self.message_user(request, ngettext("%d position verified.", "%d positions verified.",
                                            done) % done)

    @admin.action(description=_("Retire (keep the codes answering)"))
    def retire_assets(self, request, queryset):
        done, _refused = self._each(request, queryset, lambda a: services.asset_retire(
            user=request.user, asset=a))
        self.message_user(request, ngettext("%d asset retired.", "%d assets retired.",
                                            done) % done)

    @admin.action(description=_("Print plaques in the print centre"))
    def print_plaques(self, request, queryset):
        codes = ",".join(queryset.values_list("code", flat=True)[:500])
        return redirect(f"{reverse('staff:print_centre')}?codes={codes}")
