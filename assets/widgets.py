"""A Leaflet map widget for the admin: click to place a point, draw a street line or a site
outline. Leaflet and Leaflet.draw come from static/vendor (no CDN, works on an office LAN);
the tiles come from QRMAP_TILE_URL. The geometry travels as GeoJSON in a textarea, which
stays usable (and visible) when JavaScript or the tile server is not there.
"""
from django.conf import settings
from django.contrib.gis.forms.widgets import BaseGeometryWidget
from django.template import loader
from django.utils.translation import gettext as _

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
                       center_lat=DEFAULT_CENTER[0], center_lon=DEFAULT_CENTER[1],
                       map_texts=map_texts(),
                       map_texts_id=f"{context.get('id') or name}_texts")
        return context


def map_texts() -> dict:
    """The tool tips and buttons of Leaflet and Leaflet.draw in the interface language, in
    the shape of L.drawLocal (the script merges them; they are English otherwise), and the
    messages of the widget's own tools."""
    cancel = {"title": _("Cancel drawing"), "text": _("Cancel")}
    return {
        "zoom": {"zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out")},
        "tools": tool_texts(),
        "draw": {
            "toolbar": {
                "actions": cancel,
                "finish": {"title": _("Finish drawing"), "text": _("Finish")},
                "undo": {"title": _("Delete the last point drawn"),
                         "text": _("Delete the last point")},
                "buttons": {"polyline": _("Draw a line (a street)"),
                            "polygon": _("Draw an outline (a site)")},
            },
            "handlers": {
                "polygon": {"tooltip": {"start": _("Click to start the outline."),
                                        "cont": _("Click to continue the outline."),
                                        "end": _("Click the first point to close the outline.")}},
                "polyline": {"error": _("The line must not cross itself."),
                             "tooltip": {"start": _("Click to start the line."),
                                         "cont": _("Click to continue the line."),
                                         "end": _("Click the last point to finish the line.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {"save": {"title": _("Save the changes"), "text": _("Save")},
                            "cancel": {"title": _("Cancel editing and discard the changes"),
                                       "text": _("Cancel")},
                            "clearAll": {"title": _("Delete every shape"),
                                         "text": _("Delete all")}},
                "buttons": {"edit": _("Edit the shape"), "editDisabled": _("No shape to edit"),
                            "remove": _("Delete the shape"),
                            "removeDisabled": _("No shape to delete")},
            },
            "handlers": {
                "edit": {"tooltip": {"text": _("Drag the handles to change the shape."),
                                     "subtext": _("Cancel undoes the changes.")}},
                "remove": {"tooltip": {"text": _("Click a shape to delete it.")}},
            },
        },
    }


def tool_texts() -> dict:
    """What the place search, "use my position" and the typed coordinates say. {name},
    {accuracy}, {lat}, {lon} and {value} are filled in by the script (the values as text,
    never as markup)."""
    return {
        "searching": _("Searching…"),
        "none": _("No commune, hamlet or asset that you work with has this name."),
        "failed": _("The place search did not answer. Try again."),
        "moved": _("The map shows {name}."),
        "locating": _("Finding your position…"),
        "located": _("The point is now your position, accurate to about {accuracy} m. "
                     "Check it on the map before saving."),
        "denied": _("Your position was refused. Allow this site to use your location in "
                    "the browser, or click the map."),
        "unavailable": _("Your position could not be found. Try again in the open, or "
                         "click the map."),
        "unsupported": _("This browser cannot give your position here (it needs a secure "
                         "https connection)."),
        "latNumber": _("Type the latitude as a number with a dot for decimals, for example "
                       "21.853."),
        "lonNumber": _("Type the longitude as a number with a dot for decimals, for example "
                       "106.7615."),
        "comma": _("Use a dot, not a comma, for decimals: {value}."),
        "swapped": _("{value} cannot be a latitude (at most 90): latitude and longitude look "
                     "swapped. Type the latitude (north) first and the longitude (east) "
                     "second."),
        "latRange": _("A latitude lies between -90 and 90."),
        "lonRange": _("A longitude lies between -180 and 180."),
        "placed": _("The point moved to {lat}, {lon}. Saving checks that it lies in the "
                    "province."),
    }
