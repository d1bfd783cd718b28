"""What every scoped admin shares: lists and pages limited to the user's communes, a refusal
page (not a misleading "does not exist") for another commune's object, and DomainError from
a service turned into that page or a message, never a half-saved object."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from assets import access
from assets.errors import DomainError
from geodata.params import is_whole


def refuse(error: DomainError):
    """The admin's answer to a refused write: the refusal page for the rules of scope and
    role; for broken values the caller shows a message."""
    if error.kind == DomainError.FORBIDDEN:
        raise PermissionDenied(error.message)


class ReadOnlyMixin:
    """A record the admin shows but never writes (written by a job or the field sync)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedMixin:
    """`scoped(user)` is the selector of the rows this user may see."""

    def scoped(self, user):
        raise NotImplementedError

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            pk__in=self.scoped(request.user).values("pk"))

    def _visible_or_refuse(self, request, object_id):
        """403 with a reason for an object outside the user's scope (404 if none)."""
        pk = str(object_id)
        if not is_whole(pk):
            return
        exists = self.model._default_manager.filter(pk=pk).exists()
        if exists and not self.get_queryset(request).filter(pk=pk).exists():
            raise PermissionDenied(_("This record belongs to a commune you do not work in."))

    @staticmethod
    def _answer(request, view, *args):
        """Run an admin view; a service's refusal (the transaction already rolled back) is
        the refusal page, or the same page again with the reason as a message."""
        try:
            return view(request, *args)
        except DomainError as error:
            refuse(error)
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            self._visible_or_refuse(request, object_id)
        return self._answer(request, super().changeform_view, object_id, form_url,
                            extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._visible_or_refuse(request, object_id)
        return self._answer(request, super().delete_view, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        _ids_or_404(object_id)
        self._visible_or_refuse(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _ids_or_404(object_id, version_id)
        self._visible_or_refuse(request, object_id)
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied(_("Only the province office may revert to an old version."))
        record = self.model.history.filter(id=object_id, history_id=version_id).first()
        request._qrmap_revert = record.history_date if record else None
        return self._answer(request, super().history_form_view, object_id, version_id,
                            extra_context)

    def revert_disabled(self, request, obj=None):
        return not access.user_can_revert(user=request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return self.scoped(request.user).filter(pk=obj.pk).exists()

    def delete_queryset(self, request, queryset):
        refused = 0
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except DomainError:
                refused += 1
        if refused:
            messages.warning(request, _("%(n)d records were not deleted: they are outside "
                                        "your communes or must be kept.") % {"n": refused})


class ScopedAdmin(ScopedMixin, SimpleHistoryAdmin):
    """A scoped admin of a model with history; `history_scoped(user)` selects the history
    rows the user may read."""

    def history_scoped(self, user):
        raise NotImplementedError

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        rows = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return rows.filter(history_id__in=self.history_scoped(request.user).values(
            "history_id"))


def _ids_or_404(*ids) -> None:
    """django-simple-history's screens look an id up as it is typed: anything but digits was
    a ValueError, a 500 (the change screen itself answers "does not exist")."""
    if not all(is_whole(str(pk)) for pk in ids):
        raise Http404
