"""Map data in pages is never code: script_json escapes what could end a <script> element,
and no hostile name, in any map, gets "</script" or "<!--" into the inline script."""
import json
import re

import folium
import pytest
from django.contrib.gis.geos import Point
from folium.template import Template

from assets.maps import asset_map
from geodata.coverage import coverage_figures
from geodata.maps import JsLayer, base_map, coverage_map, map_parts
from qrmap.csp import script_json
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db

HOSTILE = ("</script><img src=x onerror=alert(1)><!-- ]]> \"quoted\" 'single' & "
           "\u2028\u2029 \u202bنص\u202c </SCRIPT ><script>window.__xss=1</script>")
BREAKERS = re.compile(r"</script|<script|<!--", re.IGNORECASE)


def test_script_json_escapes_what_ends_a_script_element():
    text = script_json({"n": HOSTILE, "long": "<" * 10_000})
    for raw in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert raw not in text
    for escaped in ("\\u003c", "\\u003e", "\\u0026", "\\u2028", "\\u2029"):
        assert escaped in text
    # The same values come back out, for JSON.parse as for json.loads.
    assert json.loads(text) == {"n": HOSTILE, "long": "<" * 10_000}


def test_js_layer_keeps_hostile_data_as_data(geography):
    fmap = base_map(bounds=(106.7, 21.8, 106.8, 21.9), tiles=False)
    JsLayer(key="k</script>", factory="hamlets", name=HOSTILE,
            data={"f": ["n"], "r": [[106.76, 21.85, HOSTILE]]},
            options={"labels": {"x": HOSTILE}}).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    script = map_parts(fmap).script
    assert not BREAKERS.search(script)
    data = re.search(r"var \w+_data = (.*);\n", script).group(1)
    assert json.loads(data)["r"][0][2] == HOSTILE
    # Leaflet's layer control writes names as HTML: ours arrive escaped.
    overlay = json.loads(re.search(r"overlays :\s*\{\s*(\".*?\")\s*:", script).group(1))
    assert overlay.startswith("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")


def test_map_parts_refuses_a_script_that_would_end_early(geography):
    class Smuggler(folium.MacroElement):
        _template = Template('{% macro script(this, kwargs) %}var s = "</script>";'
                             "{% endmacro %}")

    fmap = base_map(bounds=(106.7, 21.8, 106.8, 21.9), tiles=False)
    Smuggler().add_to(fmap)
    with pytest.raises(ValueError, match="end its <script> element early"):
        map_parts(fmap)


def test_coverage_map_with_hostile_hamlet_and_site_names(geography):
    HamletFactory(name=HOSTILE[:200], location=Point(106.7615, 21.853, srid=4326))
    CellSiteFactory(name=HOSTILE[:200], location=Point(106.77, 21.86, srid=4326))
    script = map_parts(coverage_map(figures=coverage_figures())).script
    assert not BREAKERS.search(script)
    assert HOSTILE[:40] not in script  # the raw text is not there: only its escaped form
    assert script_json(HOSTILE[:200])[1:-1] in script


def test_asset_map_with_a_hostile_name(geography, client):
    asset = AssetFactory(name_vi=HOSTILE, description_vi=HOSTILE * 50,
                         location=Point(106.7615, 21.853, srid=4326))
    script = map_parts(asset_map(filters={"kind": "", "category": "", "commune": ""},
                                 kinds=["street"], language="vi", focus=asset)).script
    assert not BREAKERS.search(script)
    assert HOSTILE[:20] not in script  # the name comes with the popup's details, as JSON
    detail = client.get(f"/tiles/assets/features/{asset.pk}.json")
    assert detail["Content-Type"] == "application/json" and detail.json()["n"] == HOSTILE
