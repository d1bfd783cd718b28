"""The public assets map at /maps/assets/ (filters: kind, category, commune; focus=<CODE>),
and /maps/assets/list/, the same assets as a paged list: what the map shows, for a keyboard
or a screen reader, which cannot reach the points drawn on its canvas."""
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models.functions import Collate
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assets import codes
from assets.maps import asset_map
from assets.models import Asset
from assets.selectors import asset_filter
from geodata.maps import map_parts
from geodata.models import AdminUnit
from qrmap.collation import VI_COLLATION
from qrmap.i18n import language_default, language_parse, language_short, localized

LIST_PAGE_SIZE = 50


class AssetMapFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds"))] + list(Asset.Kind.choices))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories"))]
                                 + list(Asset.Category.choices))
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, to_field_name="code", empty_label=_("Whole province"),
        queryset=AdminUnit.objects.current().communes().in_name_order(),
    )
    focus = forms.CharField(required=False, widget=forms.HiddenInput)


def _filtered(request):
    """(form, its cleaned data, the public selector's filters) of the map's query string."""
    form = AssetMapFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    commune = data.get("commune")
    # What the tiles filter by: the same values the public selector takes.
    filters = {"kind": data.get("kind", ""), "category": data.get("category", ""),
               "commune": commune.code if commune else ""}
    return form, data, filters


def _list_query(request, filters) -> str:
    """The filters and the chosen language as the list's (and the map's) query string,
    without empty values."""
    asked = language_parse(request.GET.get("lang"))
    kept = {**filters, "lang": language_short(asked) if asked else ""}
    return urlencode({key: value for key, value in kept.items() if value})


@require_GET
def asset_map_view(request):
    form, data, filters = _filtered(request)
    commune = data.get("commune")
    assets = asset_filter(status=Asset.Status.ACTIVE, **filters)
    # A switch per kind that has assets here (the (kind, category) index answers each).
    kinds = [kind for kind in Asset.Kind.values if assets.filter(kind=kind).exists()]
    focus = None
    if data.get("focus"):
        focus = Asset.objects.filter(code=codes.normalize(data["focus"])).first()
    language = get_language() or language_default()
    fmap = asset_map(filters=filters, kinds=kinds, language=language, commune=commune,
                     focus=focus)
    return render(request, "assets/asset_map.html", {
        "map": map_parts(fmap), "form": form, "focus": focus, "count": assets.count(),
        "focus_name": localized(focus, "name", language)[0] if focus else "",
        "list_query": _list_query(request, filters),
    })


@require_GET
def asset_list_view(request):
    """The assets the map shows with the same filters, by name, a page at a time."""
    form, _data, filters = _filtered(request)
    assets = asset_filter(status=Asset.Status.ACTIVE, **filters).select_related(
        "commune").order_by(Collate("name_vi", VI_COLLATION), "code")
    page = Paginator(assets, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language() or language_default()
    for asset in page.object_list:
        asset.display_name = localized(asset, "name", language)[0]
    return render(request, "assets/asset_list.html", {
        "form": form, "page": page, "results": page.object_list,
        "list_query": _list_query(request, filters),
    })
