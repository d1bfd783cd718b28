"""Public problem reports, staff scopes and field actions. A report is triaged through
report_moderate."""
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import ngettext

from assets import access, scope
from assets.admin.base import ReadOnlyMixin, ScopedMixin
from assets.models import FieldAction, Report, StaffScope
from assets.services.reports import report_moderate


@admin.register(Report)
class ReportAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ("created_at", "reference", "asset", "plaque", "problem", "status")
    list_filter = ("status", "problem")
    search_fields = ("asset__name_vi", "=code", "=reference", "text")
    fields = ("reference", "asset", "plaque", "code", "problem", "text", "photo", "contact",
              "created_at", "status", "staff_note", "handled_by", "handled_at")
    readonly_fields = ("reference", "asset", "plaque", "code", "problem", "text", "photo",
                       "contact", "created_at", "handled_by", "handled_at")

    def changelist_view(self, request, extra_context=None):
        # The count of new reports of the user's communes heads the list, whatever filter.
        count = scope.report_new_count(user=request.user)
        title = ngettext("Reports: %(count)d new", "Reports: %(count)d new", count) % {
            "count": count}
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    def scoped(self, user):
        return scope.report_list(user=user)

    def has_add_permission(self, request):
        return False  # reports come from the public form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            return access.report_can_moderate(user=request.user, report=obj)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        stored = Report.objects.select_related("asset").get(pk=obj.pk)
        report_moderate(user=request.user, report=stored, status=form.cleaned_data["status"],
                        staff_note=form.cleaned_data.get("staff_note", ""))


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "all_communes")
    filter_horizontal = ("provinces", "communes")
    raw_id_fields = ("user",)


@admin.register(FieldAction)
class FieldActionAdmin(ReadOnlyMixin, ScopedMixin, GISModelAdmin):
    """What clerks did at the sites, as field sync applied it: read only (a field action is a
    record, the writes were made by the services it called)."""

    list_display = ("received_at", "kind", "asset", "plaque", "user", "client_time",
                    "accuracy_m")
    list_filter = ("kind",)
    search_fields = ("asset__name_vi", "=asset__code", "=plaque__code", "user__username")
    raw_id_fields = ("asset", "plaque", "user")
    readonly_fields = ("user", "client_id", "kind", "asset", "plaque", "client_time",
                       "received_at", "accuracy_m", "note", "version_after", "photo_thumbnail")

    def scoped(self, user):
        return scope.field_action_list(user=user)
