"""The assets map: the active streets, public works and heritage sites of the public
selector, drawn from the assets vector tiles (assets.tiles) over commune outlines (tiles
too), so the page carries no asset and stays the same size whatever the registry holds.

Each kind keeps its colour and its switch in the layer control (QRMap.kindSwitch: the tile
layer draws the kinds switched on); where a tile holds too many assets it carries counts,
drawn as clusters that zoom in when clicked. A popup asks for the asset's details by id."""
import folium
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from folium.map import Layer
from folium.template import Template

from assets.models import Asset
from geodata.coverage.mapdata import bounds_of
from geodata.maps import Legend, base_map, plural_forms
from geodata.tile_maps import TileLayer
from qrmap.csp import script_json
from qrmap.i18n import language_short

# One colour per kind; the legend and asset_map.js (the "assets" tile style) use the same.
KIND_COLOURS = {
    Asset.Kind.STREET: "#1565c0",
    Asset.Kind.PUBLIC_WORK: "#2e7d32",
    Asset.Kind.HERITAGE: "#c62828",
}
FOCUS_HALF_SIDE_DEG = 0.004  # about 400 m around a focused asset


class KindSwitch(Layer):
    """A kind's entry in the layer control: an empty layer whose presence on the map tells
    the assets tile layer to draw that kind (asset_map.js, QRMap.kindSwitch)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = QRMap.kindSwitch({{ this.kind_js }});
        QRMap.layer({{ this.key_js }}, {{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, kind: str, name: str):
        # Leaflet's layer control writes layer names as HTML: the name goes in escaped.
        super().__init__(name=escape(name), overlay=True, control=True, show=True)
        self._name = "KindSwitch"
        self.kind_js, self.key_js = script_json(kind), script_json(f"assets_{kind}")


class FocusScript(folium.MacroElement):
    """Opens the popup of the asset the page was asked to focus on (?focus=CODE)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        QRMap.focusAsset({{ this.focus_js }});
        {% endmacro %}
    """)

    def __init__(self, focus: Asset):
        super().__init__()
        self._name = "FocusScript"
        self.focus_js = script_json({"id": focus.pk, "lon": focus.location.x,
                                     "lat": focus.location.y})


def asset_map(*, filters: dict, kinds: list[str], language: str, commune=None,
              focus: Asset | None = None, link_prefix: str = "/a/") -> folium.Map:
    """The map of the public assets matching `filters` (kind, category, commune code: what
    the tiles accept), with a switch per kind in `kinds`, fitted to the focused asset, the
    commune or the province."""
    if focus is not None:
        x, y = focus.location.x, focus.location.y
        bounds = (x - FOCUS_HALF_SIDE_DEG, y - FOCUS_HALF_SIDE_DEG,
                  x + FOCUS_HALF_SIDE_DEG, y + FOCUS_HALF_SIDE_DEG)
    else:
        bounds = bounds_of(commune=commune)
    fmap = base_map(bounds=bounds)
    TileLayer(key="outlines", layer="outlines", name=_("Communes"),
              options={"theme": "outlines"}).add_to(fmap)
    labels = {"open": _("Open the asset page"), "code": _("Code"),
              "unavailable": _("The details cannot be loaded right now."),
              "categories": {k: str(v) for k, v in Asset.Category.choices},
              "count": plural_forms("%(count)s place, zoom in", "%(count)s places, zoom in")}
    tiles = TileLayer(key="assets", layer="assets", name=_("Assets"), control=False,
                      query=filters, options={
                          "theme": "assets", "labels": labels, "link": link_prefix,
                          "colours": {str(k): c for k, c in KIND_COLOURS.items()},
                          "lang": language_short(language), "first": True})
    # The assets theme (styles, kind switches, popups, focus) extends maps.js: loaded after
    # it and after VectorGrid.
    tiles.default_js = [*tiles.default_js, ("qrmap_asset_map", "assets/asset_map.js")]
    tiles.add_to(fmap)
    for kind, label in Asset.Kind.choices:
        if kind in kinds:  # filtered out: no empty switch in the layer control
            KindSwitch(kind=kind, name=str(label).capitalize()).add_to(fmap)
    Legend(render_to_string("assets/asset_map_legend.html", {
        "kinds": [(f"assets_{k}", label, KIND_COLOURS[k]) for k, label in Asset.Kind.choices],
    }), title=_("Legend")).add_to(fmap)
    if focus is not None and focus.status == Asset.Status.ACTIVE:  # on the map: its popup
        FocusScript(focus).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
