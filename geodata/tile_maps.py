"""The coverage map drawn from vector tiles (geodata.tiles): the page carries the map's
set-up, its labels and legend, and no feature, so its size does not grow with the data.

The themes are Folium's vector-grid plugin (VectorGridProtobuf, Leaflet.VectorGrid vendored
under static/vendor and linked through geodata.maps.offline), styled and made clickable by
maps.js (QRMap.tiles): a popup asks /tiles/<layer>/features/<id>.json for its details."""
from urllib.parse import urlencode

import folium
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from folium.elements import JSCSSMixin
from folium.plugins import VectorGridProtobuf
from folium.template import Template

from geodata.coverage.mapdata import bounds_of, hamlet_features
from geodata.map_symbols import legend_symbols, symbols_js
from geodata.maps import JsLayer, Legend, base_map, coverage_labels, planned_features
from qrmap.csp import script_json


def tile_url(layer: str) -> str:
    """The layer's tile URL with Leaflet's {z}/{x}/{y} placeholders."""
    url = reverse("tiles:tile", kwargs={"layer": layer, "z": "0", "x": "1", "y": "2"})
    return url.removesuffix("0/1/2.pbf") + "{z}/{x}/{y}.pbf"


def feature_url(layer: str) -> str:
    """The details URL of a feature, with {id} for its id."""
    return reverse("tiles:feature", kwargs={"layer": layer, "pk": "0"}).removesuffix(
        "0.json") + "{id}.json"


class TileLayer(VectorGridProtobuf):
    """One theme from one tile layer: QRMap.tiles(url, options) in maps.js builds the
    L.vectorGrid.protobuf with the theme's styles (functions, which options cannot carry)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = QRMap.tiles({{ this.url_js }}, {{ this.options_js }});
        QRMap.layer({{ this.key_js }}, {{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, key: str, layer: str, name: str, options: dict, show: bool = True,
                 control: bool = True, query: dict | None = None):
        """`query`: the layer's filters (geodata.tiles.tile_filters), sent with each tile."""
        url = tile_url(layer)
        query = {name: value for name, value in (query or {}).items() if value}
        if query:
            url += "?" + urlencode(sorted(query.items()))
        # Leaflet's layer control writes layer names as HTML: the name goes in escaped.
        super().__init__(url=url, name=escape(name), show=show)
        self.control = control
        self._name = "TileLayer"
        self.key_js, self.url_js = script_json(key), script_json(url)
        self.options_js = script_json({"layer": layer, "detail": feature_url(layer),
                                       **options})


class OverviewScript(JSCSSMixin, folium.MacroElement):
    """Pins the page's overview of the hamlets (geodata.overview) to the map, and removes it
    once the hamlet layer `key` has drawn from its tiles (geodata/overview.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        QRMap.overview({{ this._parent.get_name() }}, {{ this.key_js }});
        {% endmacro %}
    """)
    default_js = [("qrmap_overview", "geodata/overview.js")]

    def __init__(self, key: str):
        super().__init__()
        self._name = "OverviewScript"
        self.key_js = script_json(key)


def coverage_tile_map(*, commune=None, theme: str = "mobile", link: str = "",
                      controls: bool = True, gains=None, gains_title: str = "",
                      overview: bool = False) -> folium.Map:
    """The coverage map: communes shaded by gap share, sites, hamlets by status, from the
    tiles; the planned or proposed sites of a scenario (few: the form caps them) inline.
    `overview`: the page draws geodata.overview in the map's box, which the map takes over."""
    labels = coverage_labels()
    fmap = base_map(bounds=bounds_of(commune=commune), zoom_control=controls)
    shown = "broadband" if theme == "broadband" else "mobile"
    TileLayer(key="communes", layer="communes", name=_("Communes: share without 3G/4G"),
              options={"labels": labels, "link": link, "theme": "communes"}).add_to(fmap)
    TileLayer(key="sites", layer="sites", name=_("Cell sites and 3G/4G radius"),
              options={"labels": labels, "theme": "sites"}).add_to(fmap)
    for key, name, hamlet_theme in (("hamlets_mobile", _("Hamlets: 3G/4G"), "mobile"),
                                    ("hamlets_broadband", _("Hamlets: broadband"),
                                     "broadband")):
        TileLayer(key=key, layer="hamlets", name=name, show=hamlet_theme == shown,
                  options={"labels": labels, "theme": hamlet_theme, "link": link,
                           "symbols": symbols_js(),
                           "radius": 6 if commune else 4,
                           "first": hamlet_theme == shown}).add_to(fmap)
    if gains:
        closed = {row.id: row for gain in gains for row in gain.hamlets}
        JsLayer(key="closed", factory="hamlets", name=_("Gap hamlets the sites close"),
                data=closed_features(list(closed.values())),
                options={"labels": labels, "theme": "mobile", "radius": 7,
                         "symbols": symbols_js()}).add_to(fmap)
        JsLayer(key="planned", factory="planned", name=gains_title or _("Planned sites"),
                data=planned_features(gains), options={"labels": labels}).add_to(fmap)
    Legend(render_to_string("geodata/coverage_legend.html", {
        "labels": labels, "tiles": True, "planned": bool(gains),
        "symbols": legend_symbols(labels)}),
        title=_("Legend")).add_to(fmap)
    if controls:
        # The themes keep the stacking maps.js gives them (broadband marks under the
        # 3G/4G ones), not the control's order of addition.
        folium.LayerControl(collapsed=False, position="topright",
                            autoZIndex=False).add_to(fmap)
    if overview:
        OverviewScript(key=f"hamlets_{shown}").add_to(fmap)
    return fmap


def closed_features(rows) -> dict:
    """The gap hamlets a scenario's sites would close, drawn over the tiles (flag s)."""
    table = hamlet_features(rows)
    for row in table["r"]:
        row[8] = 1  # s: closed by a planned or proposed site
    return table
