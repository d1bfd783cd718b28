"""The public asset page, search and near pages: what a phone receives."""
import gzip
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from assets.models import Asset, Plaque
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The page caches neighbours and addresses per asset; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cave():
    asset = AssetFactory(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.CAVE,
        heritage_rank=Asset.HeritageRank.NATIONAL,
        name_vi="Động Tam Thanh", name_en="Tam Thanh Cave", name_zh="三清洞",
        description_vi="Hang động đá vôi giữa thành phố.", description_en="A limestone cave.",
        location=Point(106.7481, 21.8591, srid=4326),
    )
    for i in range(6):
        AssetFactory(location=Point(106.7481 + 0.002 * (i + 1), 21.8591, srid=4326))
    return asset


def test_the_qr_url_serves_the_page_directly_in_every_spelling(client, cave):
    for url in (f"/Q/{cave.code}", f"/q/{cave.code.lower()}", f"/a/{cave.code}",
                f"/a/{cave.code[:4]}-{cave.code[4:]}".lower(), f"/a/{cave.code}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Động Tam Thanh" in response.content.decode()


def test_the_page_shows_what_a_visitor_needs(client, cave):
    html = client.get(f"/Q/{cave.code}").content.decode()
    assert f"{cave.code[:4]}-{cave.code[4:]}" in html
    assert "Hang động đá vôi" in html
    assert "7PH8VP5X+J6" in html and "VP5X+J6" in html  # plus code, full and short
    assert "21.85910° N, 106.74810° E" in html
    assert "Phường Tam Thanh" in html
    assert 'href="geo:21.859100,106.748100' in html
    assert 'href="https://www.openstreetmap.org/directions?to=21.859100,106.748100"' in html
    assert "https://maps.apple.com/?daddr=21.859100,106.748100" in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=21.859100,106.748100" in html
    assert f"/maps/assets/?focus={cave.code}" in html
    assert 'href="/near/?lat=21.859100&amp;lon=106.748100"' in html
    assert f"/a/{cave.code}/report/" in html
    assert html.count("<circle") >= 3  # the point and neighbours on the locator
    assert re.search(r'<svg viewBox="0 0 320 \d+"[^>]*role="img"', html)
    assert re.search(r'<path d="M[\d. L]+Z', html)
    assert len(re.findall(r'<li><span class="dist">', html)) == 5  # five nearest


def test_a_cold_page_is_a_few_index_lookups_and_a_repeat_none(
        client, cave, django_assert_max_num_queries, django_assert_num_queries):
    """Cold (empty cache): the code, the nearest assets (KNN), photos, the address from the
    stored commune (two), the commune outline; a repeat scan is served from the cache."""
    from django.core.cache import cache

    # A first page warms what a process reads once (the spheroid from spatial_ref_sys).
    client.get(f"/Q/{Asset.objects.exclude(pk=cave.pk).first().code}")
    cache.clear()
    with django_assert_max_num_queries(6):
        html = client.get(f"/Q/{cave.code}").content.decode()
    assert "Phường Tam Thanh" in html and "thành phố Lạng Sơn" in html  # both addresses
    with django_assert_num_queries(0):
        assert client.get(f"/Q/{cave.code}").status_code == 200


def test_the_nearest_assets_come_from_the_knn_index(cave):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assets.selectors import asset_nearest

    with CaptureQueriesContext(connection) as queries:
        nearest = asset_nearest(point=cave.location, limit=5, exclude_pk=cave.pk)
    assert [round(n.distance_m) for n in nearest] == sorted(round(n.distance_m) for n in nearest)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")
        # A few rows: forbidding a scan and a sort shows the plan of a national table, where
        # reading every active asset (the list's partial index) and sorting them loses.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        try:
            cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    assert "Index Scan using assets_asset_location" in plan and "Order By: (location <->" in plan


def test_the_page_sets_no_cookie_and_does_not_vary_on_cookies(cave):
    client = Client()
    client.cookies["sessionid"] = "whatever"  # a returning visitor's cookie is ignored
    response = client.get(f"/Q/{cave.code}", HTTP_ACCEPT_ENCODING="gzip")
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "Accept-Language" in response["Vary"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.get("ETag")


def test_a_repeat_visit_with_the_etag_gets_304(client, cave):
    first = client.get(f"/Q/{cave.code}", HTTP_ACCEPT_ENCODING="gzip")
    etag = first["ETag"]
    assert etag.startswith('W/"')  # GZipMiddleware weakens it; both forms must match
    again = client.get(f"/Q/{cave.code}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    strong = client.get(f"/Q/{cave.code}", HTTP_IF_NONE_MATCH=etag.removeprefix("W/"))
    assert strong.status_code == 304
    # another language is another representation
    assert client.get(f"/Q/{cave.code}?lang=en", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # an edit changes the ETag
    cave.description_vi = "Mô tả mới."
    cave.save()
    assert client.get(f"/Q/{cave.code}", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_language_from_the_query_then_accept_language_then_vietnamese(client, cave):
    page = client.get(f"/Q/{cave.code}")
    assert page["Content-Language"] == "vi" and '<html lang="vi">' in page.content.decode()
    english = client.get(f"/Q/{cave.code}", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english["Content-Language"] == "en"
    assert "<h1>Tam Thanh Cave</h1>" in english.content.decode()
    chinese = client.get(f"/Q/{cave.code}?lang=zh", HTTP_ACCEPT_LANGUAGE="en")
    html = chinese.content.decode()
    assert chinese["Content-Language"] == "zh-hans" and '<html lang="zh-hans">' in html
    assert "<h1>三清洞</h1>" in html
    # no Chinese description: the Vietnamese one is shown, marked as such
    assert '<p class="desc" lang="vi">Hang động đá vôi' in html
    assert 'class="note"' in html
    assert client.get(f"/Q/{cave.code}", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "vi"


def test_interface_strings_are_translated(client, cave):
    assert "Địa chỉ số" in client.get(f"/Q/{cave.code}").content.decode()
    assert "Digital address" in client.get(f"/Q/{cave.code}?lang=en").content.decode()
    assert "数字地址" in client.get(f"/Q/{cave.code}?lang=zh").content.decode()


def test_page_is_small_and_needs_no_other_request(client, cave):
    response = client.get(f"/Q/{cave.code}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= 15 * 1024
    html = gzip.decompress(response.content).decode()
    # No inline script: the one script is static, deferred, and only improves the page.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/assets/asset_page.js" defer>']
    assert not re.search(r'<link[^>]+rel="stylesheet"', html)
    assert not re.search(r'<img(?![^>]*loading="lazy")', html)


def test_retired_asset_still_answers_and_links_its_replacement(client, cave):
    new = AssetFactory(name_vi="Cầu mới")
    cave.status, cave.replaced_by = Asset.Status.RETIRED, new
    cave.save()
    html = client.get(f"/Q/{cave.code}").content.decode()
    assert "Động Tam Thanh" in html and f'href="/a/{new.code}"' in html


def test_replaced_plaque_still_answers_and_names_the_new_plaque(client, cave):
    new = PlaqueFactory(asset=cave)
    old = PlaqueFactory(asset=cave, status=Plaque.Status.REPLACED, replaced_by=new)
    html = client.get(f"/Q/{old.code}").content.decode()
    assert "Động Tam Thanh" in html
    assert f"{new.code[:4]}-{new.code[4:]}" in html


def test_unknown_code_is_a_404_with_a_search_box(client):
    response = client.get("/Q/ZZZZZZZZ")
    assert response.status_code == 404
    assert '<form class="search" action="/search/"' in response.content.decode()
    assert client.get("/Q/hello").status_code == 404


def test_a_code_of_no_possible_shape_is_a_404_that_never_reaches_the_cache(client, cave):
    import warnings

    from django.core.cache import CacheKeyWarning

    typed = "X" * 300
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for url in (f"/Q/{typed}", f"/a/{typed}/card.png", f"/a/{typed}/photos/"):
            assert client.get(url).status_code == 404, url
    # Django warns of every cache key past 250 characters, read or written.
    assert not [w for w in seen if issubclass(w.category, CacheKeyWarning)]


def test_wrong_check_symbol_gets_did_you_mean(client, cave):
    last = cave.code[-1]
    wrong = cave.code[:-1] + ("0" if last != "0" else "1")
    response = client.get(f"/Q/{wrong}")
    assert response.status_code == 404
    assert f'href="/a/{cave.code}"' in response.content.decode()


def test_search_by_name_code_and_plus_code(client, cave):
    html = client.get("/search/", {"q": "dong tam thanh"}).content.decode()
    assert f'href="/a/{cave.code}"' in html
    html = client.get("/search/", {"q": cave.code[:4].lower() + " " + cave.code[4:]}).content
    assert f'href="/a/{cave.code}"' in html.decode()
    html = client.get("/search/", {"q": "VP5X+J6 Lạng Sơn"}).content.decode()
    assert re.search(rf'<span class="dist">[^<]+</span><a href="/a/{cave.code}"', html)
    assert "Nothing found" in client.get("/search/", {"q": "xyzzy", "lang": "en"}).content.decode()


def test_near_lists_assets_by_distance_and_refuses_bad_input(client, cave):
    response = client.get("/near/", {"lat": "21.8591", "lon": "106.7481"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(cave.code) < html.index("/a/", html.index(cave.code) + 10)
    assert client.get("/near/", {"lat": "x", "lon": "1"}).status_code == 400
    assert client.get("/near/", {"lat": "95", "lon": "1"}).status_code == 400


def test_every_demo_asset_page_is_under_15_kb_gzip_in_every_language(client, geography):
    from assets.demo import demo_assets_load
    from geodata.demo import demo_seed

    demo_assets_load(seed=demo_seed(), force=True)
    demo = list(Asset.objects.filter(synthetic=True, external_id__startswith="demo"))
    assert len(demo) > 50
    largest = 0
    for asset in demo:
        for lang in ("vi", "en", "zh"):
            response = client.get(f"/Q/{asset.code}?lang={lang}", HTTP_ACCEPT_ENCODING="gzip")
            assert response.status_code == 200
            largest = max(largest, len(response.content))
    assert largest <= 15 * 1024
