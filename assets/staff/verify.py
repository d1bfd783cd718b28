"""/staff/verify/: the verification queue. A verifier sees the unverified assets of their
communes on a map and a list, and verifies or sends back several at once. Scope comes from the
selectors (assets.scope), every write from assets.services.verification."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assets import access, scope
from assets.errors import DomainError
from assets.models import Asset
from assets.services.verification import REJECT, VERIFY, asset_review_batch
from geodata.params import ParamError, point_parse

PAGE_SIZE = 50


class QueueFilterForm(forms.Form):
    commune = forms.ChoiceField(label=_("Commune / ward"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all kinds"))] + list(Asset.Kind.choices))
    order = forms.ChoiceField(label=_("Order"), required=False, choices=[
        ("oldest", _("oldest registered first")), ("nearest", _("nearest to a point first"))])
    near = forms.CharField(label=_("Point (longitude,latitude)"), required=False,
                           max_length=60, help_text=_("For the nearest first, e.g. "
                                                      "106.7612,21.8547, or use your position."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("all my communes"))] + [
            (c.code, c.name) for c in scope.user_communes(user=user).defer("boundary")
            .in_name_order()]

    def clean_near(self):
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        try:
            return point_parse(text, parameter="near")
        except ParamError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if data.get("order") == "nearest" and not data.get("near") and "near" not in self.errors:
            self.add_error("near", _("Give a point, or use your position, to sort by distance."))
        return data


class ReviewForm(forms.Form):
    """The batch action; the ids are the checked boxes, read by the service."""

    action = forms.ChoiceField(choices=[(VERIFY, VERIFY), (REJECT, REJECT)])
    reason = forms.CharField(label=_("Reason for sending back"), required=False,
                             max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required to send back: the clerk reads it on the "
                                         "asset's page."))


def _summary(request, outcome) -> None:
    done = number_format(len(outcome.done), force_grouping=True)
    if outcome.action == VERIFY:
        text = ngettext("%(n)s verified.", "%(n)s verified.", len(outcome.done))
    else:
        text = ngettext("%(n)s sent back for correction.", "%(n)s sent back for correction.",
                        len(outcome.done))
    messages.success(request, text % {"n": done})
    for label, why in outcome.refused:
        messages.warning(request, _("Refused: %(asset)s: %(reason)s") % {"asset": label,
                                                                          "reason": why})


def _review(request, form) -> bool:
    """Run the batch; True when done (redirect), False to show the form again."""
    try:
        outcome = asset_review_batch(user=request.user, ids=request.POST.getlist("ids"),
                                     action=form.cleaned_data["action"],
                                     reason=form.cleaned_data["reason"])
    except DomainError as error:
        form.add_error("reason" if "reason" in error.errors else None, error.message)
        return False
    _summary(request, outcome)
    return True


@staff_member_required
def verify_queue(request):
    if not access.user_can_verify(user=request.user):
        raise PermissionDenied(_("Only verifiers may open the verification queue."))
    filters = QueueFilterForm(request.GET or None, user=request.user)
    review = ReviewForm(request.POST or None)
    if request.method == "POST" and review.is_valid() and _review(request, review):
        return redirect(request.get_full_path())
    data = filters.cleaned_data if filters.is_valid() else {}
    queue = scope.verification_queue(user=request.user, commune=data.get("commune", ""),
                                     kind=data.get("kind", ""),
                                     order=data.get("order") or "oldest", near=data.get("near"))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    checked = set(request.POST.getlist("ids")) if request.method == "POST" else set()
    return render(request, "staff/verify.html", {
        "filters": filters, "review": review, "page": page, "checked": checked,
        "points": [{"id": a.pk, "n": page.start_index() + i, "name": a.name_vi,
                    "code": a.grouped_code, "lon": a.location.x, "lat": a.location.y}
                   for i, a in enumerate(page.object_list)],
        "counts": scope.verification_counts(user=request.user),
        "recent": scope.verification_recent(user=request.user),
        "tile_url": settings.QRMAP_TILE_URL, "query": _query_without_page(request),
    }, status=400 if request.method == "POST" or (filters.is_bound and not data) else 200)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
