"""The baseline for the asset page: the way such a page is often built, a plain Django page
that embeds a default Folium map (Leaflet and its plugins from CDNs) with a marker."""
import folium
from django.http import Http404, HttpResponse
from django.template import engines

from assets.models import Asset

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
    "<title>{{ asset.name_vi }}</title>{{ header|safe }}</head><body>"
    "<h1>{{ asset.name_vi }}</h1><p>{{ asset.description_vi }}</p>{{ body|safe }}"
    "<script>{{ script|safe }}</script></body></html>"
)


def folium_page(request, code):
    asset = Asset.objects.filter(code=code.upper()).first()
    if asset is None:
        raise Http404
    lat, lon = asset.location.y, asset.location.x
    fmap = folium.Map(location=[lat, lon], zoom_start=16)
    folium.Marker([lat, lon], popup=asset.name_vi, tooltip=asset.name_vi).add_to(fmap)
    root = fmap.get_root()
    root.render()
    html = _TEMPLATE.render({
        "asset": asset, "header": root.header.render(), "body": root.html.render(),
        "script": root.script.render(),
    })
    return HttpResponse(html)
