"""The public assets map at /maps/assets/ (filters: kind, category, commune; focus=<CODE>),
and /maps/assets/list/, the same assets as a paged list: what the map shows, for a keyboard
or a screen reader, which cannot reach the points drawn on its canvas."""
from urllib.parse import urlencode

from django import forms
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
from qrmap.paging import KeysetOrder, PagingError, count_about, keyset_page, position_parse

LIST_PAGE_SIZE = 50
PAGING_PARAMS = ("after", "before", "from")


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
    # Exact up to a few thousand, then the planner's estimate: a full count read a national
    # registry's million rows for every view of the map.
    count, exact = count_about(assets)
    return render(request, "assets/asset_map.html", {
        "map": map_parts(fmap), "form": form, "focus": focus, "count": count,
        "count_exact": exact,
        "focus_name": localized(focus, "name", language)[0] if focus else "",
        "list_query": _list_query(request, filters),
    })


# The list's order, Vietnamese by name then by code (unique): the key its pages start after,
# which the index of migration 0023 holds in this order for the active assets.
ASSET_ORDER = KeysetOrder(
    columns=(f'"assets_asset"."name_vi" COLLATE "{VI_COLLATION}"', '"assets_asset"."code"'),
    ascending=(Collate("name_vi", VI_COLLATION), "code"),
    descending=(Collate("name_vi", VI_COLLATION).desc(), "-code"))


def _cursor_key(text: str | None):
    """The sort key of the asset whose code a next (after=) or previous (before=) link
    carries, or None; PagingError when it names no asset."""
    if text is None:
        return None
    code = codes.normalize(text[:40])
    key = (Asset.objects.filter(code=code).values_list("name_vi", "code").first()
           if codes.is_well_formed(code) else None)
    if key is None:
        raise PagingError(text)
    return key


@require_GET
def asset_list_view(request):
    """The assets the map shows with the same filters, by name, a page at a time: pages
    start after the last asset of the one before (keyset), and the total is "about" where
    counting it would read them all."""
    form, _data, filters = _filtered(request)
    assets = asset_filter(status=Asset.Status.ACTIVE, **filters).select_related("commune")
    try:
        page = keyset_page(assets, ASSET_ORDER, size=LIST_PAGE_SIZE,
                           after=_cursor_key(request.GET.get("after")),
                           before=_cursor_key(request.GET.get("before")),
                           first=position_parse(request.GET.get("from")))
    except PagingError:
        return render(request, "assets/bad_request.html", {"message": _(
            "This page of the list no longer exists: start again from its first page."),
            "parameters": [name for name in PAGING_PARAMS if name in request.GET]},
            status=400)
    language = get_language() or language_default()
    for asset in page.rows:
        asset.display_name = localized(asset, "name", language)[0]
    total, exact = count_about(assets)
    return render(request, "assets/asset_list.html", {
        "form": form, "page": page, "results": page.rows, "total": total, "exact": exact,
        "list_query": _list_query(request, filters),
        "first_key": page.rows[0].code if page.rows else "",
        "last_key": page.rows[-1].code if page.rows else "",
    })
