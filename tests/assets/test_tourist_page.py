"""What a tourist meets on the asset page beyond the basics: the code they read first,
directions for every phone, sharing (OpenGraph tags and the server-drawn card), practical
information, and the Chinese address."""
import gzip
import html as html_lib
import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings
from PIL import Image

from assets.models import Asset
from assets.public.card import card_version
from tests.assets.test_apis import client_for, communes, inside, new_asset, staff  # noqa: F401
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>\u202e<img src=x onerror=alert(2)>&amp;'


@pytest.fixture
def pagoda(geography):
    return AssetFactory(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.PAGODA,
        heritage_rank=Asset.HeritageRank.NATIONAL,
        name_vi="Chùa Tam Thanh", name_en="Tam Thanh Pagoda", name_zh="三清寺",
        description_vi="Ngôi chùa trong động Tam Thanh.",
        description_en="A pagoda inside Tam Thanh cave.",
        location=Point(106.7481, 21.8591, srid=4326),
    )


def _page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def _meta(html, name):
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', html)
    return html_lib.unescape(found.group(1)) if found else None


def test_a_plaque_scan_leads_with_the_plaque_code_and_names_its_asset(client, pagoda):
    plaque = PlaqueFactory(asset=pagoda)
    html = _page(client, f"/Q/{plaque.code}")
    heading = re.search(r'<p class="read code" id="read-code">([^<]*)</p>', html).group(1)
    assert heading == f"Biển QR {plaque.grouped_code}"
    assert html.index(heading) < html.index("<h1")
    assert (f"Biển này thuộc địa điểm Chùa Tam Thanh, mã {pagoda.grouped_code}."
            in html)
    assert f"<title>Chùa Tam Thanh · {plaque.grouped_code}</title>" in html
    english = _page(client, f"/Q/{plaque.code}?lang=en")
    assert f'id="read-code">Plaque {plaque.grouped_code}<' in english
    assert f"This plaque belongs to Tam Thanh Pagoda, code {pagoda.grouped_code}." in english


def test_an_asset_code_scan_leads_with_the_asset_code(client, pagoda):
    html = _page(client, f"/Q/{pagoda.code}")
    assert f'id="read-code">Mã {pagoda.grouped_code}<' in html
    assert "Biển này thuộc" not in html


def test_every_spelling_with_a_trailing_slash_opens_the_page(client, pagoda):
    for url in (f"/Q/{pagoda.code}/", f"/q/{pagoda.code.lower()}/", f"/a/{pagoda.code}/"):
        assert "Chùa Tam Thanh" in _page(client, url)


def test_directions_work_on_every_phone(client, pagoda):
    html = _page(client, f"/Q/{pagoda.code}")
    main = re.search(r'<a class="btn" id="directions" href="([^"]+)"', html).group(1)
    assert main == "https://www.openstreetmap.org/directions?to=21.859100,106.748100"
    routes = {route: url for url, route in
              re.findall(r'<a href="([^"]+)" data-route="(\w+)"', html)}
    assert routes == {
        "osm": "https://www.openstreetmap.org/directions?to=21.859100,106.748100",
        "apple": "https://maps.apple.com/?daddr=21.859100,106.748100",
        "google": "https://www.google.com/maps/dir/?api=1&amp;destination=21.859100,106.748100",
        "geo": "geo:21.859100,106.748100?q=21.859100,106.748100",
    }


@override_settings(QRMAP_PUBLIC_BASE_URL="https://qr.langson.example")
def test_opengraph_and_twitter_tags_describe_the_place(client, pagoda):
    html = _page(client, f"/Q/{pagoda.code}?lang=en")
    assert _meta(html, "og:title") == "Tam Thanh Pagoda"
    assert _meta(html, "og:description") == "A pagoda inside Tam Thanh cave."
    assert _meta(html, "og:url") == f"https://qr.langson.example/a/{pagoda.code}?lang=en"
    assert _meta(html, "og:image") == (f"https://qr.langson.example/a/{pagoda.code}/card.png"
                                       f"?lang=en&v={card_version(pagoda)}")
    assert _meta(html, "og:locale") == "en_US"
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "twitter:title") == "Tam Thanh Pagoda"
    # The share button carries the same link for the Web Share API / copy fallback.
    assert f'data-url="https://qr.langson.example/a/{pagoda.code}?lang=en"' in html
    # An unexplicit language shares the bare address; the request's Host is never used.
    with override_settings(ALLOWED_HOSTS=["evil.example"]):
        html = _page(client, f"/Q/{pagoda.code}", HTTP_HOST="evil.example")
    assert _meta(html, "og:url") == f"https://qr.langson.example/a/{pagoda.code}"
    assert "evil.example" not in html


def test_hostile_names_are_escaped_in_the_tags_and_drawn_on_the_card(client, geography):
    asset = AssetFactory(name_vi=HOSTILE * 4, description_vi=HOSTILE,
                         location=Point(106.7481, 21.8591, srid=4326))
    html = _page(client, f"/Q/{asset.code}")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert _meta(html, "og:title") == HOSTILE * 4
    assert _meta(html, "og:description").startswith(HOSTILE.strip())
    card = client.get(f"/a/{asset.code}/card.png")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)


def test_the_card_is_a_small_png_kept_long_when_its_address_is_current(client, pagoda):
    url = f"/a/{pagoda.code}/card.png"
    current = client.get(url, {"lang": "zh", "v": card_version(pagoda)})
    assert current.status_code == 200
    assert current["Content-Type"] == "image/png"
    assert current["Cache-Control"] == "public, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(current.content))
    assert image.size == (1200, 630)
    assert len(current.content) < 80 * 1024
    # The Chinese card is drawn with the Chinese name: it differs from the Vietnamese one.
    assert client.get(url, {"lang": "vi"}).content != current.content
    stale = client.get(url, {"v": "old"})
    assert stale.status_code == 200 and stale["Cache-Control"] == "public, max-age=3600"
    assert client.get("/a/ZZZZZZZZ/card.png").status_code == 404
    assert client.post(url).status_code == 405


def test_practical_information_shows_only_when_filled(client, pagoda):
    assert "Thông tin hữu ích" not in _page(client, f"/Q/{pagoda.code}")
    for name, value in dict(
            opening_hours_vi="6:00–18:00 hằng ngày", opening_hours_en="6 am to 6 pm daily",
            fee_vi="Miễn phí", access_zh="从市中心步行十分钟", accessibility_en="Steps at the gate",
            heritage_inscription="QĐ 313/VH-QĐ ngày 28/4/1962", heritage_year=1962).items():
        setattr(pagoda, name, value)
    pagoda.save()
    html = _page(client, f"/Q/{pagoda.code}?lang=en")
    assert "Practical information" in html
    assert "<dt>Opening hours</dt><dd class=\"desc\">6 am to 6 pm daily</dd>" in html
    assert "<dt>Fee</dt><dd class=\"desc\" lang=\"vi\">Miễn phí</dd>" in html  # fallback
    assert "<dt>Accessibility</dt>" in html and "Steps at the gate" in html
    assert "<dt>Access</dt>" not in html  # only in Chinese, which falls back to no text
    assert "national relic, since 1962" in html
    assert "QĐ 313/VH-QĐ ngày 28/4/1962" in html
    chinese = _page(client, f"/Q/{pagoda.code}?lang=zh")
    assert "从市中心步行十分钟" in chinese and "实用信息" in chinese


def test_practical_information_through_the_api(communes):  # noqa: F811
    a, _b = communes
    clerk = client_for(staff("clerk_a", communes=[a]))
    created = clerk.post("/api/assets/", new_asset(
        inside(a), opening_hours_en="9 to 5", fee_vi="20.000 đồng", heritage_year=1999),
        format="json")
    assert created.status_code == 201, created.content
    asset = Asset.objects.get(code=created.json()["id"])
    assert (asset.opening_hours_en, asset.fee_vi, asset.heritage_year) == (
        "9 to 5", "20.000 đồng", 1999)
    detail = clerk.get(f"/api/assets/{asset.code}/").json()["properties"]
    assert detail["opening_hours_en"] == "9 to 5" and detail["fee_vi"] == "20.000 đồng"
    refused = clerk.patch(f"/api/assets/{asset.code}/", {"properties": {"heritage_year": 99}},
                          format="json")
    assert refused.status_code == 400 and "heritage_year" in refused.json()


def test_the_chinese_page_gives_the_address_with_chinese_labels(client, pagoda):
    html = _page(client, f"/Q/{pagoda.code}?lang=zh")
    assert "谅山省，Tam Thanh 坊" in html
    assert "Phường Tam Thanh" not in html
    assert "Phường Tam Thanh" in _page(client, f"/Q/{pagoda.code}")


def test_the_map_link_keeps_the_chosen_language(client, pagoda):
    html = _page(client, f"/Q/{pagoda.code}?lang=zh")
    assert f'href="/maps/assets/?focus={pagoda.code}&amp;lang=zh"' in html
    # Without a choice, the link stays bare (the map reads Accept-Language like the page).
    assert f'href="/maps/assets/?focus={pagoda.code}"' in _page(client, f"/Q/{pagoda.code}")


def test_the_page_with_all_additions_stays_within_15_kb(client, pagoda):
    PlaqueFactory(asset=pagoda)
    for name in ("opening_hours", "fee", "access", "accessibility"):
        for suffix in ("vi", "en", "zh"):
            setattr(pagoda, f"{name}_{suffix}", f"{name} {suffix} " * 14)
    pagoda.heritage_year, pagoda.heritage_inscription = 1962, "QĐ 313/VH-QĐ ngày 28/4/1962"
    pagoda.save()
    for lang in ("vi", "en", "zh"):
        response = client.get(f"/Q/{pagoda.code}?lang={lang}", HTTP_ACCEPT_ENCODING="gzip")
        assert len(response.content) <= 15 * 1024
        assert "Tam Thanh" in gzip.decompress(response.content).decode()


def test_the_locator_numbers_the_nearby_places_names_the_neighbours_and_shows_scale(
        client, geography):
    from assets.locator import locator_build

    asset = AssetFactory(location=Point(106.7481, 21.8591, srid=4326))
    # One neighbour on the very same spot, others around: the first must not hide under
    # the asset's own dot.
    AssetFactory(name_vi="Cổng chùa", name_en="Pagoda gate",
                 location=Point(106.7481, 21.8591, srid=4326))
    for i in range(4):
        AssetFactory(location=Point(106.7481 + 0.002 * (i + 1), 21.8591, srid=4326))
    html = _page(client, f"/Q/{asset.code}?lang=en")
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    numbers = re.findall(r'<text x="[\d.]+" y="[\d.]+" dy="3.2" fill="#fff">(\d)</text>', svg)
    assert numbers == ["1", "2", "3", "4", "5"]
    listed = re.findall(r'<span class="num" aria-hidden="true">(\d)</span><a href="[^"]+">'
                        r'([^<]+)</a>', html)
    assert [n for n, _name in listed] == numbers and listed[0][1] == "Pagoda gate"
    # The neighbouring wards and communes of Tam Thanh are named on the picture.
    names = re.findall(r'<text x="[\d.]+" y="[\d.]+">([^<]+)</text>', svg)
    assert "Đông Kinh" in names and "Tam Thanh" not in names
    assert re.search(r'>\d+ (m|km)</text>', svg)  # the scale bar's length
    assert ">N</text>" in svg  # north
    assert ">B</text>" in _page(client, f"/Q/{asset.code}")  # Bắc, in Vietnamese
    locator = locator_build(commune_id=asset.commune_id, lon=106.7481, lat=21.8591,
                            neighbours=[(106.7481, 21.8591)])
    (mark,) = locator.neighbours
    point = tuple(float(v) for v in locator.point)
    assert ((float(mark.x) - point[0]) ** 2 + (float(mark.y) - point[1]) ** 2) ** 0.5 >= 12.9
    assert locator.scale.metres in {m * 10 ** k for m in (1, 2, 5) for k in range(6)}


def test_numbers_crowded_around_the_asset_are_spread_apart(geography):
    from assets.locator import MIN_SEPARATION, locator_build

    asset = AssetFactory(location=Point(106.7566, 21.8473, srid=4326))
    crowd = [(106.7566 + 0.0005 * i, 21.8473) for i in range(5)]
    locator = locator_build(commune_id=asset.commune_id, lon=106.7566, lat=21.8473,
                            neighbours=crowd)
    places = [tuple(map(float, locator.point))] + [(float(m.x), float(m.y))
                                                     for m in locator.neighbours]
    assert [m.label for m in locator.neighbours] == ["1", "2", "3", "4", "5"]
    for i, (x, y) in enumerate(places):
        for ox, oy in places[i + 1:]:
            assert ((x - ox) ** 2 + (y - oy) ** 2) ** 0.5 >= MIN_SEPARATION - 0.2
