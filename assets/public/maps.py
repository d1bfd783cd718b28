"""The public assets map at /maps/assets/ (filters: kind, category, commune; focus=<CODE>)."""
from django import forms
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
from qrmap.i18n import language_default, localized


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


@require_GET
def asset_map_view(request):
    form = AssetMapFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    commune = data.get("commune")
    assets = asset_filter(status=Asset.Status.ACTIVE, kind=data.get("kind", ""),
                          category=data.get("category", ""),
                          commune=commune.code if commune else "")
    focus = None
    if data.get("focus"):
        focus = Asset.objects.filter(code=codes.normalize(data["focus"])).first()
    language = get_language() or language_default()
    fmap = asset_map(assets=assets, language=language, commune=commune, focus=focus)
    return render(request, "assets/asset_map.html", {
        "map": map_parts(fmap), "form": form, "focus": focus, "count": assets.count(),
        "focus_name": localized(focus, "name", language)[0] if focus else "",
    })
