"""Folium maps that work with no internet: Leaflet comes from static/vendor, every theme is
one GeoJSON layer drawn on a shared canvas, and the styling code lives in one cached static
file (geodata/static/geodata/maps.js) instead of being repeated for each feature.

Every value our elements put in the map's inline script goes through qrmap.csp.script_json;
names and descriptions stay data, and maps.js shows them as text (never as HTML)."""
import re
from dataclasses import dataclass

import folium
from branca.element import CssLink, JavascriptLink
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from qrmap.csp import script_json

# Folium's defaults point at CDNs; each is replaced by a vendored file or dropped (jQuery,
# Bootstrap and awesome-markers: these maps use none of them).
VENDOR_JS = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "markercluster": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "subgroup": "vendor/leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js",
    "vectorGrid": "vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js",
    "qrmap_maps": "geodata/maps.js",
}
VENDOR_CSS = {
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "markercluster_css": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markercluster_default_css": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "qrmap_maps_css": "geodata/maps.css",
}


def _static_links(links: list, vendored: dict) -> list:
    """Folium's links (CDN URLs) by their vendored file, or left out; an element of ours
    names a static path of its own app (no scheme), kept as a static URL."""
    return [(name, static(vendored.get(name, url))) for name, url in links
            if name in vendored or not re.match(r"^[a-z]+:|^//", url)]


def offline(element) -> None:
    """Point every JS/CSS link of the element and its children at our static files."""
    if isinstance(element, JSCSSMixin):
        element.default_js = _static_links(element.default_js, VENDOR_JS)
        element.default_css = _static_links(element.default_css, VENDOR_CSS)
    for child in element._children.values():
        offline(child)


class QRMapScript(JSCSSMixin, folium.MacroElement):
    """Loads maps.js and publishes the map object as window.qrmap.map (tests and legend use it)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        QRMap.register({{ this._parent.get_name() }});
        {% endmacro %}
    """)
    default_js = [("qrmap_maps", "geodata/maps.js")]
    default_css = [("qrmap_maps_css", "geodata/maps.css")]


class JsLayer(Layer):
    """One GeoJSON theme built by a factory function of maps.js: QRMap.<factory>(data, options).

    `data` goes inline once; `data_from` reuses the data of another JsLayer, so the 3G/4G and
    the broadband views of the hamlets share one copy."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {{ this.data_js }};
        var {{ this.get_name() }} = QRMap.{{ this.factory }}(
            {{ this.get_name() }}_data, {{ this.options_js }});
        QRMap.layer({{ this.key_js }}, {{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, key, factory, name, data=None, data_from=None, options=None,
                 show=True, control=True):
        # Leaflet's layer control writes layer names as HTML: the name goes in escaped.
        super().__init__(name=escape(name), overlay=True, control=control, show=show)
        self._name = "JsLayer"
        if not re.fullmatch(r"[a-z]+", factory):
            raise ValueError(f"not a QRMap factory: {factory!r}")
        self.factory = factory
        self.key_js, self.options_js = script_json(key), script_json(options or {})
        self.data_js = (f"{data_from.get_name()}_data" if data_from is not None
                        else script_json(data))


class Legend(folium.MacroElement):
    """A legend box whose sections follow the layers that are switched on."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        QRMap.legend({{ this._parent.get_name() }}, {{ this.html_js }},
                     {{ this.title_js }});
        {% endmacro %}
    """)

    def __init__(self, html: str, title: str):
        """`html` is rendered by a Django template (auto-escaped), with no data of the map."""
        super().__init__()
        self._name = "Legend"
        self.html_js, self.title_js = script_json(html), script_json(title)


def base_map(*, bounds, tiles: bool = True, zoom_control: bool = True) -> folium.Map:
    """A map on canvas with the configured tiles, fitted to (min_lon, min_lat, max_lon, max_lat)."""
    fmap = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_start=9,
                      zoom_control=zoom_control, zoom_snap=0.25, zoom_delta=0.5,
                      location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2])
    if tiles:
        folium.TileLayer(
            tiles=settings.QRMAP_TILE_URL, attr=settings.QRMAP_TILE_ATTRIBUTION,
            name=_("Base map"), max_zoom=19, max_native_zoom=19,
        ).add_to(fmap)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    QRMapScript().add_to(fmap)
    return fmap


# What would end an inline <script> early or switch the HTML parser into another state inside
# it. script_json escapes every "<" of the data, so only a bug can put one there.
SCRIPT_BREAKERS = re.compile(r"</script|<script|<!--", re.IGNORECASE)


@dataclass
class MapParts:
    """A rendered map in three parts that a Django template places in its own page
    (templates/geodata/_map.html puts the script inline with the request's CSP nonce)."""

    header: str
    html: str
    script: str


def map_parts(fmap: folium.Map) -> MapParts:
    """Render the map; the header keeps only the JS/CSS links (all of them from /static/)."""
    offline(fmap)
    root = fmap.get_root()
    root.render()
    links = []
    for child in root.header._children.values():
        if isinstance(child, (JavascriptLink, CssLink)):
            if not child.url.startswith(settings.STATIC_URL):
                raise ValueError(f"map asset outside static files: {child.url}")
            # Scripts are deferred: the page paints (figures, legend text, forms) while
            # they download, which on a 3G link is most of the wait (templates/geodata/
            # _map.html runs the map's set-up once they have run).
            links.append(child.render().replace("<script src=", "<script defer src="))
        # The rest is Folium's full-page CSS and a viewport meta that forbids zooming: the
        # page template sizes the map itself.
    script = root.script.render()
    if SCRIPT_BREAKERS.search(script):
        raise ValueError("the map script would end its <script> element early")
    return MapParts(header="\n".join(links), html=root.html.render(), script=script)


def coverage_labels() -> dict:
    """Words the popups use, in the language of the request."""
    from geodata.models import CellSite

    return {
        "commune": _("Commune"), "population": _("Population"), "households": _("Households"),
        "mobile": _("3G/4G"), "broadband": _("Broadband"), "note": _("Note"),
        "hamlets": _("Hamlets"), "mobile_gaps": _("Without 3G/4G"),
        "mobile_gap_people": _("People without 3G/4G"), "broadband_gaps": _("Without broadband"),
        "operator": _("Operator"), "technologies": _("Technologies"),
        "radius": _("3G/4G radius"), "open": _("Open this commune"), "site": _("Site"),
        "adds_hamlets": _("Gap hamlets it covers"), "adds_people": _("People it adds"),
        "closed": _("Gap closed by a planned site"),
        "sites_here": _("Cell sites here"),
        "unavailable": _("The details cannot be loaded right now."),
        "operators": dict(CellSite.Operator.choices),
        "mobile_status": {"Y": _("covered (declared)"), "y": _("covered (modelled)"),
                          "N": _("gap (declared)"), "n": _("gap (modelled)")},
        "broadband_status": {"Y": _("yes (declared)"), "N": _("no (declared)"),
                             "U": _("unknown")},
        "disagreement": {1: _("declared covered, but no site in range"),
                         2: _("declared without 3G/4G, but a site covers it")},
        # What a screen reader says of a count drawn on the map (maps.js, countButtons).
        "count_mobile": plural_forms(
            "%(count)s hamlet without 3G/4G in %(commune)s",
            "%(count)s hamlets without 3G/4G in %(commune)s"),
        "count_broadband": plural_forms(
            "%(count)s hamlet without broadband in %(commune)s",
            "%(count)s hamlets without broadband in %(commune)s"),
        "count_sites": plural_forms("%(count)s cell site here", "%(count)s cell sites here"),
    }


def plural_forms(singular: str, plural: str) -> list[str]:
    """[the form for 1, the form for other counts] of a message in the request's language,
    for a script to choose between by `count === 1`: the rule of each of the site's
    languages (en: two forms; vi and zh: one, the same for both)."""
    return [ngettext(singular, plural, 1), ngettext(singular, plural, 2)]


def planned_features(gains) -> dict:
    """Planned or proposed sites, numbered, with what each adds."""
    from geodata.coverage.mapdata import point_table

    return point_table(["i", "n", "r", "h", "p"], [
        [g.site.lon, g.site.lat, index, g.site.label, round(g.site.radius_m), len(g.hamlets),
         g.population]
        for index, g in enumerate(gains, start=1)
    ])


def coverage_map(*, figures, commune=None, gains=None, gains_title="", link="",
                 theme="mobile", controls=True) -> folium.Map:
    """The coverage map with every feature inline: communes shaded by gap share, sites,
    hamlets (3G/4G, broadband). The pages draw from the tiles (geodata.tile_maps); this
    one stays as the benchmarks' reference (bench.baseline, bench/tiles.py)."""
    from django.template.loader import render_to_string

    from geodata.coverage.mapdata import (
        bounds_of,
        commune_features,
        hamlet_features,
        site_features,
    )
    from geodata.map_symbols import legend_symbols, symbols_js

    labels = coverage_labels()
    fmap = base_map(bounds=bounds_of(commune=commune), zoom_control=controls)
    broadband = theme == "broadband"
    communes = {unit.code: unit.name for unit in figures.communes}
    JsLayer(key="communes", factory="communes", name=_("Communes: share without 3G/4G"),
            data=commune_features(figures), options={"labels": labels, "link": link},
            ).add_to(fmap)
    JsLayer(key="sites", factory="sites", name=_("Cell sites and 3G/4G radius"),
            data=site_features(commune=commune), options={"labels": labels}).add_to(fmap)
    mobile = JsLayer(key="hamlets_mobile", factory="hamlets", name=_("Hamlets: 3G/4G"),
                     data=hamlet_features(figures.hamlets),
                     show=not broadband,
                     options={"labels": labels, "symbols": symbols_js(),
                              "communes": communes, "theme": "mobile",
                              "radius": 6 if commune else 4})
    mobile.add_to(fmap)
    JsLayer(key="hamlets_broadband", factory="hamlets", name=_("Hamlets: broadband"),
            data_from=mobile, show=broadband,
            options={"labels": labels, "symbols": symbols_js(),
                     "communes": communes, "theme": "broadband",
                     "radius": 6 if commune else 4},
            ).add_to(fmap)
    if gains:
        JsLayer(key="planned", factory="planned", name=gains_title or _("Planned sites"),
                data=planned_features(gains), options={"labels": labels}).add_to(fmap)
    Legend(render_to_string("geodata/coverage_legend.html", {
        "labels": labels, "planned": bool(gains), "symbols": legend_symbols(labels)}),
           title=_("Legend")).add_to(fmap)
    if controls:
        folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    return fmap
