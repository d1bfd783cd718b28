"""A Leaflet map widget for the admin: click to place a point, draw a street line or a site
outline. Leaflet and Leaflet.draw come from static/vendor (no CDN, works on an office LAN);
the tiles come from QRMAP_TILE_URL. The geometry travels as GeoJSON in a textarea, which
stays usable (and visible) when JavaScript or the tile server is not there.
"""
from django.conf import settings
from django.contrib.gis.forms.widgets import BaseGeometryWidget
from django.template import loader

# Lạng Sơn city: where an empty map opens.
DEFAULT_CENTER = (21.853, 106.7615)


class LeafletWidget(BaseGeometryWidget):
    template_name = "staff/widgets/leaflet.html"
    map_srid = settings.QRMAP_SRID
    # "point" places a marker; "shape" draws lines and polygons.
    draw = "point"

    class Media:
        css = {"all": ("vendor/leaflet/leaflet.css", "vendor/leaflet-draw/leaflet.draw.css",
                       "staff/leaflet_widget.css")}
        js = ("vendor/leaflet/leaflet.js", "vendor/leaflet-draw/leaflet.draw.js",
              "staff/leaflet_widget.js")

    def __init__(self, attrs=None, draw="point"):
        super().__init__(attrs)
        self.draw = draw

    def _render(self, template_name, context, renderer=None):
        # The project's template dirs, not the form renderer's (which only sees app dirs).
        from django.utils.safestring import mark_safe

        return mark_safe(loader.render_to_string(template_name, context))

    def serialize(self, value):
        return value.json if value else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context.update(draw=self.draw, tile_url=settings.QRMAP_TILE_URL,
                       tile_attribution=settings.QRMAP_TILE_ATTRIBUTION,
                       center_lat=DEFAULT_CENTER[0], center_lon=DEFAULT_CENTER[1])
        return context
