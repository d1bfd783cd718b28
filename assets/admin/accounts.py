"""Users and groups as Django's admin shows them, except that a role group reads as its
translated label (assets.roles.ROLE_LABELS) wherever the admin names it: the group list and
page, the role list filter and the role choices on a user's page. The stored names stay the
English identifiers that code and data migrations look groups up by."""
import copy

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from assets.roles import role_label
from geodata.params import is_whole

User = get_user_model()


class RoleFilter(admin.SimpleListFilter):
    """The user list's filter by group, with the groups' labels."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        groups = sorted(Group.objects.only("name"), key=lambda group: role_label(group.name))
        return [(str(group.pk), role_label(group.name)) for group in groups]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        # A hand-written ?role= that is no number lists nobody instead of failing.
        return queryset.filter(groups__pk=value) if is_whole(value) else queryset.none()


class RoleGroupAdmin(GroupAdmin):
    list_display = ("role",)

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return role_label(group.name)

    def _labelled(self, request, object_id):
        """The group as the admin's pages show it (breadcrumbs, titles): a copy named by its
        label, for display only; the views still read and save the stored group."""
        group = self.get_object(request, object_id)
        if group is None:
            return None
        shown = copy.copy(group)
        shown.name = role_label(group.name)
        return shown

    def change_view(self, request, object_id, form_url="", extra_context=None):
        shown = self._labelled(request, object_id)
        if shown is not None:
            extra_context = {**(extra_context or {}), "subtitle": shown.name, "original": shown}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        shown = self._labelled(request, object_id)
        if shown is not None:
            extra_context = {**(extra_context or {}), "object": shown,
                             "title": _("Change history: %s") % shown.name}
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        shown = self._labelled(request, object_id)
        if shown is not None:
            extra_context = {**(extra_context or {}), "object": shown}
        return super().delete_view(request, object_id, extra_context)


class RoleUserAdmin(UserAdmin):
    list_filter = ("is_staff", "is_superuser", "is_active", RoleFilter)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and formfield is not None:
            formfield.label_from_instance = lambda group: role_label(group.name)
        return formfield


for model, model_admin in ((Group, RoleGroupAdmin), (User, RoleUserAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

