"""The assets map at /maps/assets/: drawn from the assets tiles with a switch per kind,
filters carried to the tiles, focus on a code, popups from the details by id, and a page
whose size does not follow the registry's."""
import gzip
import json
import re

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from assets.models import Asset
from geodata.models import AdminUnit
from tests.factories import CITY_CENTRE, AssetFactory
from tests.geodata.test_tiles import tile_of
from tests.national import national_assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def assets(geography):
    made = {
        "street": AssetFactory(kind=Asset.Kind.STREET, category=Asset.Category.STREET,
                               name_vi="Đường Trần Đăng Ninh", name_en="Tran Dang Ninh Street"),
        "school": AssetFactory(kind=Asset.Kind.PUBLIC_WORK, category=Asset.Category.SCHOOL),
        "temple": AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
                               name_vi="Đền Bắc Lệ", location=Point(106.6372, 21.6389)),
    }
    made["retired"] = AssetFactory(status=Asset.Status.RETIRED, name_vi="Chợ cũ")
    return made


def page_of(client, **query):
    response = client.get(reverse("maps:assets"), query)
    assert response.status_code == 200
    return response.content.decode()


def tile_codes(url: str) -> set[str]:
    response = Client().get(url)
    assert response.status_code in (200, 204), response.content
    if response.status_code == 204:
        return set()
    layer = mapbox_vector_tile.decode(response.content)["assets"]
    return {f["properties"]["k"] for f in layer["features"]}


def tile_url_in(html: str) -> str:
    return re.search(r'QRMap\.tiles\("(/tiles/assets/[^"]*)"', html).group(1).replace(
        "\\u0026", "&")


def test_asset_map_draws_the_assets_tiles_with_a_switch_per_kind(client, assets):
    html = page_of(client)
    assert 'QRMap.tiles("/tiles/assets/{z}/{x}/{y}.pbf"' in html
    assert 'QRMap.tiles("/tiles/outlines/{z}/{x}/{y}.pbf"' in html
    for kind in ("street", "public_work", "heritage"):
        assert f'QRMap.kindSwitch("{kind}")' in html
    for asset in assets.values():  # no asset in the page: they come from the tiles
        assert asset.code not in html
    assert "leaflet.markercluster.js" not in html
    assert "Leaflet.VectorGrid.bundled.min.js" in html
    scripts = re.findall(r'<script defer src="([^"]+)"', html)
    assert [s.rsplit("/", 1)[-1].split(".")[0] for s in scripts][-2:] == [
        "Leaflet", "asset_map"]  # the assets theme after VectorGrid and maps.js
    hosts = {u for u in re.findall(r"https?://[^/\"']+", html)}
    assert hosts <= {"https://tile.openstreetmap.org", "https://www.openstreetmap.org"}
    z, x, y = tile_of(*CITY_CENTRE, 9)
    shown = tile_codes(f"/tiles/assets/{z}/{x}/{y}.pbf")
    assert {assets[k].code for k in ("street", "school", "temple")} <= shown
    assert assets["retired"].code not in shown


def test_filters_go_to_the_tiles(client, assets):
    z, x, y = tile_of(*CITY_CENTRE, 9)
    html = page_of(client, kind="heritage")
    url = tile_url_in(html)
    assert url.endswith("?kind=heritage")
    assert 'QRMap.kindSwitch("heritage")' in html and 'kindSwitch("street")' not in html
    assert tile_codes(url.format(z=z, x=x, y=y)) == {assets["temple"].code}
    url = tile_url_in(page_of(client, category="school"))
    assert tile_codes(url.format(z=z, x=x, y=y)) == {assets["school"].code}
    commune = assets["temple"].commune
    assert commune is not None
    url = tile_url_in(page_of(client, commune=commune.code))
    assert f"commune={commune.code}" in url
    assert tile_codes(url.format(z=z, x=x, y=y)) == {assets["temple"].code}
    other = AdminUnit.objects.current().communes().exclude(pk=commune.pk).first()
    url = tile_url_in(page_of(client, commune=other.code))
    assert assets["temple"].code not in tile_codes(url.format(z=z, x=x, y=y))


def test_bad_tile_filters_are_refused_with_a_message(client, assets):
    z, x, y = tile_of(*CITY_CENTRE, 9)
    for query, words in (("kind=castle", "Unknown kind"), ("category=%3Cb%3E", "Unknown category"),
                         ("commune=%27%3B--", "commune code")):
        response = client.get(f"/tiles/assets/{z}/{x}/{y}.pbf?{query}",
                              HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert words in response.content.decode()
        assert "<" not in response.content.decode()


def test_low_zoom_counts_carry_each_kind(client, assets, settings):
    settings.QRMAP_TILE_POINT_LIMIT = 1
    z, x, y = tile_of(*CITY_CENTRE, 8)
    response = client.get(f"/tiles/assets/{z}/{x}/{y}.pbf")
    features = mapbox_vector_tile.decode(response.content)["assets"]["features"]
    assert sum(f["properties"]["n"] for f in features) == 3
    assert sum(f["properties"]["n_heritage"] for f in features) == 1
    assert sum(f["properties"]["n_street"] for f in features) == 1
    # A grid at z12: the same split per square.
    z, x, y = tile_of(*CITY_CENTRE, 12)
    response = client.get(f"/tiles/assets/{z}/{x}/{y}.pbf")
    features = mapbox_vector_tile.decode(response.content)["assets"]["features"]
    assert features and all(f["properties"]["n"] == sum(
        f["properties"][f"n_{k}"] for k in ("street", "public_work", "heritage"))
        for f in features)


def test_focus_takes_a_forgiving_code_and_opens_that_asset(client, assets):
    temple = assets["temple"]
    typed = f"{temple.code[:4]}-{temple.code[4:]}".lower()
    html = page_of(client, focus=typed)
    focus = json.loads(re.search(r"QRMap\.focusAsset\((\{.*?\})\)", html).group(1))
    assert focus == {"id": temple.pk, "lon": 106.6372, "lat": 21.6389}
    assert "Đền Bắc Lệ" in html.split("</h1>")[0]
    assert "QRMap.focusAsset" not in page_of(client, focus="nonsense")
    # A retired asset still names the page, with no popup to open.
    retired = assets["retired"]
    html = page_of(client, focus=retired.code)
    assert "Chợ cũ" in html.split("</h1>")[0] and "QRMap.focusAsset" not in html


def test_popup_details_follow_the_language_and_link_to_the_asset_page(client, assets):
    street = assets["street"]
    url = f"/tiles/assets/features/{street.pk}.json"
    english = client.get(url, {"lang": "en"}).json()
    assert english == {"id": street.pk, "k": street.code, "t": "street", "c": "street",
                       "n": "Tran Dang Ninh Street"}
    assert client.get(url, {"lang": "vi"}).json()["n"] == "Đường Trần Đăng Ninh"
    # No English name: the Vietnamese one.
    assert client.get(f"/tiles/assets/features/{assets['temple'].pk}.json",
                      {"lang": "zh"}).json()["n"] == "Đền Bắc Lệ"
    assert client.get(f"/tiles/assets/features/{assets['retired'].pk}.json").status_code == 404
    html = page_of(client)
    assert re.search(r'"link":\s*"/a/"', html) and re.search(r'"lang":\s*"vi"', html)
    html = client.get(reverse("maps:assets"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'"lang":\s*"en"', html)


def test_the_page_stays_small_whatever_the_registry_holds(client, assets):
    small = client.get(reverse("maps:assets"), HTTP_ACCEPT_ENCODING="gzip")
    assert national_assets(20_000) > 19_000
    large = client.get(reverse("maps:assets"), HTTP_ACCEPT_ENCODING="gzip")
    assert large.status_code == 200 and large["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(large.content)) > 10_000  # the page itself
    assert len(large.content) <= 100_000  # the bytes sent
    assert abs(len(large.content) - len(small.content)) < 100  # only the count differs


def test_the_list_shows_what_the_map_shows_by_name_a_page_at_a_time(client, assets, settings):
    page = page_of(client, kind="heritage", lang="en")
    # The map links its list first, with the same filters and the chosen language.
    link = re.search(r'<a id="map-list" href="([^"]+)"', page).group(1)
    assert link == "/maps/assets/list/?kind=heritage&amp;lang=en"
    listed = client.get("/maps/assets/list/", {"kind": "heritage", "lang": "en"})
    assert listed.status_code == 200
    text = listed.content.decode()
    assert f'href="/a/{assets["temple"].code}?lang=en"' in text and "Chợ cũ" not in text
    everything = client.get("/maps/assets/list/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    names = re.findall(r'<a href="/a/\w+">([^<]+)</a>', everything)
    assert names.index("Đền Bắc Lệ") < names.index("Đường Trần Đăng Ninh")  # by name
    assert "Chợ cũ" not in names  # a retired asset is not on the map
    for query in ({"page": "\x00"}, {"page": "99999"}, {"commune": "x\x00"}, {"kind": "<b>"}):
        assert client.get("/maps/assets/list/", query).status_code == 200, query
