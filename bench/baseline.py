"""The baselines: for the asset page, the way such a page is often built, a plain Django page
that embeds a default Folium map (Leaflet and its plugins from CDNs) with a marker; for the
asset list API, its Features built by AssetGeoSerializer, as before PostgreSQL wrote them."""
import folium
from django.http import Http404, HttpResponse
from django.template import engines
from rest_framework import generics

from assets.api.apis import AssetListApi
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


def coverage_inline_page(request):
    """The coverage map as it was before the tiles: the same page, with every hamlet, site
    and commune inline (geodata.maps.coverage_map) and its scripts loaded before the page
    paints (not deferred), for the 3G first-paint benchmark."""
    from django.shortcuts import render

    from geodata.coverage import coverage_figures
    from geodata.forms import CoverageFilterForm
    from geodata.maps import coverage_map, map_parts

    figures = coverage_figures()
    parts = map_parts(coverage_map(figures=figures, link="/maps/coverage/?commune="))
    parts.header = parts.header.replace("<script defer src=", "<script src=")
    return render(request, "geodata/coverage_map.html", {
        "map": parts, "unit": figures.province, "commune": None,
        "form": CoverageFilterForm()})


class SerializedAssetListApi(AssetListApi):
    """The asset list with every Feature built by AssetGeoSerializer (DRF-gis), the path
    before assets.api.features: the search benchmark's reference, and the answer the tests
    compare the written Features with, byte for byte."""

    page_encode = None

    def list(self, request, *args, **kwargs):
        return generics.ListCreateAPIView.list(self, request, *args, **kwargs)
