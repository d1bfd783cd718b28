"""Plaque and print-batch admin. A plaque is issued, moved, changed and deleted through the
plaque services (scope, role, verified-only printing); its life events are actions."""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from assets import access, rules, scope
from assets.admin.base import ReadOnlyMixin, ScopedAdmin
from assets.errors import DomainError
from assets.models import Plaque, PrintBatch
from assets.services import plaques as services
from qrmap.formats.admin import admin_figure


@admin.register(Plaque)
class PlaqueAdmin(ScopedAdmin):
    list_display = ("code", "asset", "template", "status", "batch", "installed_on",
                    "staff_page")
    list_filter = ("status", "template")
    search_fields = ("=code", "asset__name_vi", "=asset__code")
    raw_id_fields = ("asset", "batch", "replaced_by")
    readonly_fields = ("code", "status", "batch", "replaced_by", "printed_at", "installed_on",
                       "removed_on", "install_photo")
    actions = ["mark_installed", "mark_damaged", "replace", "mark_removed"]

    def scoped(self, user):
        return scope.plaque_list(user=user)

    def history_scoped(self, user):
        return scope.plaque_history_list(user=user)

    @admin.display(description=_("record installation, damage, replacement"))
    def staff_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("staff:plaque_detail", args=[obj.code]),
                           _("plaque page"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            return access.plaque_can_manage(user=request.user, plaque=obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            return access.plaque_can_delete(user=request.user, plaque=obj)
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        design = {n: form.cleaned_data[n] for n in rules.PLAQUE_EDITABLE
                  if n in form.cleaned_data}
        if not change:
            saved = services.plaque_issue(user=request.user, asset=obj.asset, fields=design)
        else:
            saved = Plaque.objects.select_related("asset").get(pk=obj.pk)
            if "asset" in form.cleaned_data and obj.asset_id != saved.asset_id:
                saved = services.plaque_move(user=request.user, plaque=saved, asset=obj.asset)
            saved = services.plaque_update(user=request.user, plaque=saved, fields=design)
        for field in Plaque._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.plaque_delete(user=request.user, plaque=obj)

    def get_deleted_objects(self, objs, request):
        # The service decides (only a designed plaque may go); the page need not list
        # permissions on history rows.
        deleted, counts, _perms, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def _each(self, request, queryset, service, done_message):
        done = refused = 0
        for plaque in queryset.select_related("asset"):
            try:
                service(user=request.user, plaque=plaque)
                done += 1
            except DomainError:
                refused += 1
        self.message_user(request, done_message % {"n": done})
        if refused:
            messages.warning(request, _("%(n)d plaques were refused (outside your communes, "
                                        "your role, or their state).") % {"n": refused})

    @admin.action(description=_("Mark installed today"))
    def mark_installed(self, request, queryset):
        self._each(request, queryset, services.plaque_install, ngettext_lazy(
            "%(n)d plaque installed.", "%(n)d plaques installed.", "n"))

    @admin.action(description=_("Mark damaged"))
    def mark_damaged(self, request, queryset):
        self._each(request, queryset, services.plaque_damage, ngettext_lazy(
            "%(n)d plaque marked damaged.", "%(n)d plaques marked damaged.", "n"))

    @admin.action(description=_("Replace (new code; the old one keeps answering)"))
    def replace(self, request, queryset):
        self._each(request, queryset, services.plaque_replace, ngettext_lazy(
            "%(n)d plaque replaced.", "%(n)d plaques replaced.", "n"))

    @admin.action(description=_("Mark removed"))
    def mark_removed(self, request, queryset):
        self._each(request, queryset, services.plaque_remove, ngettext_lazy(
            "%(n)d plaque removed.", "%(n)d plaques removed.", "n"))


@admin.register(PrintBatch)
class PrintBatchAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: batches are made by the print centre; a clerk sees only the clerk's own."""

    list_display = ("__str__", "created_by", "template_label", "paper_label", "status",
                    admin_figure("progress", _("progress")), admin_figure("total", _("total")))
    list_filter = ("status", "paper")
    readonly_fields = [f.name for f in PrintBatch._meta.fields if f.name != "file"]
    exclude = ("file",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            pk__in=scope.print_batch_list(user=request.user).values("pk"))

    @admin.display(description=_("template"), ordering="template")
    def template_label(self, obj):
        """The stored key ("heritage", "auto") in words of the interface language."""
        if obj.template in Plaque.Template.values:
            return Plaque.Template(obj.template).label
        return _("by kind (street sign, heritage plaque, sticker)")

    @admin.display(description=_("paper"), ordering="paper")
    def paper_label(self, obj):
        return _("one plaque per page, real size") if obj.paper == "plaque" else obj.paper
