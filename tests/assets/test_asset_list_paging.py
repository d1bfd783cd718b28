"""/maps/assets/list/ pages by keyset (after=/before= the code of a row) and never counts
every asset: "1–3 of 7" while counting is cheap, "of about N" from the planner beyond;
a cursor that names no asset, or garbage, is a 400 page that says so."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Asset
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

NAMES = ["Đền Kỳ Cùng", "Bắc Sơn", "Chùa Tiên", "Bình Gia", "Dương", "Ải Chi Lăng", "Tam Thanh"]
IN_ORDER = ["Ải Chi Lăng", "Bắc Sơn", "Bình Gia", "Chùa Tiên", "Dương", "Đền Kỳ Cùng",
            "Tam Thanh"]


@pytest.fixture
def listed(geography, monkeypatch):
    monkeypatch.setattr("assets.public.maps.LIST_PAGE_SIZE", 3)
    made = [AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE, name_vi=n,
                         name_en="", name_zh="")
            for n in NAMES]
    AssetFactory(kind=Asset.Kind.STREET, category=Asset.Category.STREET, name_vi="Ấp Phố")
    return made


def names(html):
    return re.findall(r'<a href="/a/\w+(?:\?lang=\w+)?">([^<]+)</a>', html)


def links(html):
    return dict((rel, href.replace("&amp;", "&")) for href, rel in re.findall(
        r'<a href="\?([^"]+)" rel="(next|prev)"', html))


def test_pages_follow_by_keyset_with_the_filters_and_language_kept(client, listed):
    first = client.get("/maps/assets/list/", {"kind": "heritage", "lang": "en"})
    html = first.content.decode()
    assert names(html) == IN_ORDER[:3]
    assert "1–3 of 7" in html
    by_code = {a.name_vi: a.code for a in listed}
    assert links(html) == {"next": f"kind=heritage&lang=en&after={by_code['Bình Gia']}&from=4"}
    second = client.get("/maps/assets/list/?" + links(html)["next"]).content.decode()
    assert names(second) == IN_ORDER[3:6] and "4–6 of 7" in second
    assert links(second)["prev"] == f"kind=heritage&lang=en&before={by_code['Chùa Tiên']}&from=4"
    third = client.get("/maps/assets/list/?" + links(second)["next"]).content.decode()
    assert names(third) == IN_ORDER[6:] and "7–7 of 7" in third and "next" not in links(third)
    back = client.get("/maps/assets/list/?" + links(third)["prev"]).content.decode()
    assert names(back) == IN_ORDER[3:6] and "4–6 of 7" in back
    again = client.get("/maps/assets/list/?" + links(back)["prev"]).content.decode()
    assert names(again) == IN_ORDER[:3] and "prev" not in links(again)


def test_no_page_counts_every_asset(client, listed, monkeypatch):
    monkeypatch.setattr("qrmap.paging.COUNT_EXACT_UP_TO", 4)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/maps/assets/list/", {"lang": "en"}).content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts), counts
    assert not any("OFFSET" in q["sql"] for q in queries)
    # Eight assets, counted no further than five: the planner's estimate, said as such.
    assert re.search(r"1–3 of about \d", html), html


def test_the_map_page_counts_no_further_than_the_list(client, listed, monkeypatch):
    """The assets map says how many assets it shows: exactly while that is cheap, "about N"
    (the planner's estimate) beyond, never a count of the whole registry."""
    html = client.get("/maps/assets/", {"kind": "heritage", "lang": "en"}).content.decode()
    assert ">7 assets</span>" in html
    monkeypatch.setattr("qrmap.paging.COUNT_EXACT_UP_TO", 4)
    with CaptureQueriesContext(connection) as queries:
        for lang, about in (("en", "about "), ("vi", "khoảng "), ("zh-hans", "约")):
            html = client.get("/maps/assets/", {"lang": lang}).content.decode()
            assert re.search(f'<span class="count">{about}\\d', html), html
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts), counts


@pytest.mark.parametrize("query", [
    {"after": "\x00"}, {"after": "ZZZZZZZZ"}, {"after": "A" * 5000}, {"before": "<script>"},
    {"from": "-1"}, {"from": "abc"}, {"from": "9" * 30}, {"after": "é"},
], ids=["nul", "unknown-code", "long", "markup", "negative", "letters", "huge", "accent"])
def test_a_bad_cursor_is_a_400_that_says_so(client, listed, query):
    response = client.get("/maps/assets/list/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "start again from its first page" in html or "trang đầu" in html
    assert "<script>" not in html.split("</head>")[-1].replace('<script nonce', '')


def test_an_old_page_number_is_ignored(client, listed):
    assert client.get("/maps/assets/list/", {"page": "99999"}).status_code == 200
