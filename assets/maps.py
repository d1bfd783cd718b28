"""The assets map: every active street, public work and heritage site, one clustered canvas
GeoJSON layer per kind (Leaflet.markercluster, vendored), popups linking to the asset page."""
import folium
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from folium.elements import JSCSSMixin
from folium.template import Template

from assets.models import Asset
from geodata.coverage.mapdata import bounds_of, commune_outlines, point_table
from geodata.maps import JsLayer, Legend, base_map
from qrmap.csp import script_json
from qrmap.i18n import localized

# One colour per kind; the legend and maps.js (QRMap.assets) use the same.
KIND_COLOURS = {
    Asset.Kind.STREET: "#1565c0",
    Asset.Kind.PUBLIC_WORK: "#2e7d32",
    Asset.Kind.HERITAGE: "#c62828",
}
FOCUS_HALF_SIDE_DEG = 0.004  # about 400 m around a focused asset


class ClusterScript(JSCSSMixin, folium.MacroElement):
    """Loads Leaflet.markercluster and FeatureGroup.SubGroup (vendored): the kinds share one
    cluster group, so that a street and a temple at the same place fall in one cluster, and
    each kind stays a layer of its own in the layer control. Opens the focused asset."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.focus_js %}QRMap.focusAsset({{ this.focus_js }});{% endif %}
        {% endmacro %}
    """)
    default_js = [
        ("markercluster", "vendor/leaflet.markercluster/leaflet.markercluster.js"),
        ("subgroup", "vendor/leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js"),
    ]
    default_css = [
        ("markercluster_css", "vendor/leaflet.markercluster/MarkerCluster.css"),
        ("markercluster_default_css", "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
    ]

    def __init__(self, focus: str = ""):
        super().__init__()
        self._name = "ClusterScript"
        self.focus_js = script_json(focus) if focus else ""


def asset_table(assets: QuerySet, *, language: str) -> dict:
    """Points with code, name in the language (Vietnamese fallback) and category."""
    rows = []
    for asset in assets.only("code", "kind", "category", "location", "name_vi", "name_en",
                             "name_zh"):
        name, _fallback = localized(asset, "name", language)
        rows.append([asset.location.x, asset.location.y, asset.code, name, asset.category])
    return point_table(["k", "n", "c"], rows)


def asset_map(*, assets: QuerySet, language: str, commune=None, focus: Asset | None = None,
              link_prefix: str = "/a/") -> folium.Map:
    """The map of the given assets, fitted to the focused asset, the commune or the province."""
    if focus is not None:
        x, y = focus.location.x, focus.location.y
        bounds = (x - FOCUS_HALF_SIDE_DEG, y - FOCUS_HALF_SIDE_DEG,
                  x + FOCUS_HALF_SIDE_DEG, y + FOCUS_HALF_SIDE_DEG)
    else:
        bounds = bounds_of(commune=commune)
    fmap = base_map(bounds=bounds)
    JsLayer(key="outlines", factory="outlines", name=_("Communes"),
            data=commune_outlines()).add_to(fmap)
    labels = {"open": _("Open the asset page"), "code": _("Code"),
              "categories": {k: str(v) for k, v in Asset.Category.choices}}
    for kind, label in Asset.Kind.choices:
        table = asset_table(assets.filter(kind=kind), language=language)
        if not table["r"]:
            continue  # filtered out: no empty switch in the layer control
        JsLayer(key=f"assets_{kind}", factory="assets", name=str(label).capitalize(),
                data=table, options={"labels": labels, "colour": KIND_COLOURS[kind],
                                     "link": link_prefix}).add_to(fmap)
    Legend(render_to_string("assets/asset_map_legend.html", {
        "kinds": [(f"assets_{k}", label, KIND_COLOURS[k]) for k, label in Asset.Kind.choices],
    }), title=_("Legend")).add_to(fmap)
    ClusterScript(focus=focus.code if focus else "").add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
