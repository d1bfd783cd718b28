"""Folium maps: nothing from a CDN, one canvas GeoJSON layer per theme, small pages."""
import json
import re

import folium
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from bench.coverage_map import marker_per_hamlet_html
from geodata.coverage import coverage_figures
from geodata.coverage.mapdata import hamlet_features, site_features
from geodata.maps import coverage_map, map_parts, offline
from geodata.models import CellSite, Hamlet

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'<>)\\]+")


def test_offline_replaces_every_cdn_link_of_folium():
    fmap = folium.Map(tiles=None)
    offline(fmap)
    assert [name for name, _url in fmap.default_js] == ["leaflet"]
    assert [name for name, _url in fmap.default_css] == ["leaflet_css"]
    assert all(url.startswith(settings.STATIC_URL) for _n, url in fmap.default_js)


def test_coverage_map_loads_only_static_files_and_the_tiles(province_hamlets):
    parts = map_parts(coverage_map(figures=coverage_figures()))
    sources = re.findall(r'(?:src|href)="([^"]+)"', parts.header)
    assert sources, parts.header
    for source in sources:
        assert source.startswith(settings.STATIC_URL)
        assert finders.find(source.removeprefix(settings.STATIC_URL)), source
    page = parts.header + parts.html + parts.script
    urls = {url.rstrip(",;") for url in URL.findall(page)}
    tile_prefix = settings.QRMAP_TILE_URL.split("{")[0]
    attribution = set(URL.findall(settings.QRMAP_TILE_ATTRIBUTION))
    assert {u for u in urls if not u.startswith(tile_prefix)} <= attribution
    for forbidden in ("jquery", "bootstrap", "awesome", "cdn"):
        assert forbidden not in page.lower()


def test_each_theme_is_one_canvas_geojson_layer(province_hamlets):
    script = map_parts(coverage_map(figures=coverage_figures())).script
    assert '"preferCanvas": true' in script
    for factory in ("communes", "sites", "hamlets"):
        assert f"QRMap.{factory}(" in script
    assert script.count("QRMap.hamlets(") == 2  # 3G/4G and broadband views
    # The hamlet data goes inline once and the broadband view reuses it.
    assert script.count('"Thôn ') == Hamlet.objects.count()
    assert "L.circleMarker" not in script and "L.marker(" not in script


def test_hamlet_table_carries_status_codes(province_hamlets):
    figures = coverage_figures()
    table = hamlet_features(figures.hamlets)
    assert table["f"] == ["n", "c", "p", "m", "b", "d", "s"]
    assert len(table["r"]) == Hamlet.objects.count()
    codes = {row[5] for row in table["r"]}
    assert codes <= {"Y", "y", "N", "n"} and "N" in codes
    no = Hamlet.objects.filter(mobile_status="no").count()
    assert sum(1 for row in table["r"] if row[5] == "N") == no
    sites = site_features()
    assert len(sites["r"]) == CellSite.objects.active().count()


def test_province_map_is_at_most_a_quarter_of_a_marker_per_hamlet_map(province_hamlets):
    figures = coverage_figures()
    parts = map_parts(coverage_map(figures=figures))
    ours = len((parts.header + parts.html + parts.script).encode())
    # The same marker-per-hamlet map that `make bench` compares against.
    theirs = len(marker_per_hamlet_html())
    assert len(figures.hamlets) > 1500
    assert ours <= 0.25 * theirs, (ours, theirs)


def test_legend_follows_the_page_language(province_hamlets):
    from django.utils import translation

    with translation.override("en"):
        script = map_parts(coverage_map(figures=coverage_figures())).script
    legend = json.loads(re.search(r"QRMap\.legend\([^,]+, (\".*?\"),\s*\n", script).group(1))
    assert "Hamlets: 3G/4G" in legend and 'data-layer="hamlets_broadband"' in legend
