"""Language and routing on the public pages: a switch on every page that keeps the page,
`?lang=` honoured everywhere, and 404/500 pages in the visitor's language with navigation."""
import re

import pytest
from django.test import RequestFactory

from assets.public.error_views import server_error
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def _switch(html):
    """{label: href} of the language switch in the page header."""
    header = re.search(r'<span class="lang">(.*?)</span>', html, re.S).group(1)
    return {label: href.replace("&amp;", "&") for href, label in
            re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', header)}


@pytest.mark.parametrize("url", ["/", "/search/?q=ch%C3%B9a", "/maps/assets/?kind=heritage",
                                 "/maps/coverage/", "/near/?lat=21.85&lon=106.76"])
def test_every_public_page_has_a_language_switch_that_keeps_the_page(client, geography, url):
    html = client.get(url).content.decode()
    links = _switch(html)
    assert set(links) == {"Tiếng Việt", "English", "中文"}, url
    query = url.partition("?")[2]
    for label, short in (("Tiếng Việt", "vi"), ("English", "en"), ("中文", "zh")):
        assert links[label] == "?" + (query + "&" if query else "") + f"lang={short}"
    chinese = client.get(links["中文"] if url == "/" else url.partition("?")[0] + links["中文"])
    assert chinese.status_code == 200
    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert 'aria-current="true">中文<' in chinese.content.decode()


def test_lang_in_the_query_wins_over_accept_language_on_any_page(client, geography):
    html = client.get("/maps/assets/?lang=en", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html
    # The filter form carries the choice on, as does the search box of the home page.
    assert '<input type="hidden" name="lang" value="en">' in html
    home = client.get("/?lang=zh").content.decode()
    assert 'href="/maps/assets/?lang=zh"' in home and 'name="lang" value="zh"' in home


def test_the_map_opened_from_an_asset_page_keeps_its_language(client, geography):
    asset = AssetFactory(name_vi="Chợ Kỳ Lừa", name_zh="奇庐市场")
    page = client.get(f"/a/{asset.code}?lang=zh").content.decode()
    link = re.search(r'href="(/maps/assets/\?focus=[^"]+)"', page).group(1).replace("&amp;", "&")
    html = client.get(link).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "奇庐市场" in html


def test_the_asset_page_switch_carries_only_the_language(client, geography):
    asset = AssetFactory()
    html = client.get(f"/a/{asset.code}?lang=en&utm_source=zalo").content.decode()
    assert _switch(html) == {"Tiếng Việt": "?lang=vi", "English": "?lang=en", "中文": "?lang=zh"}


@pytest.mark.parametrize("lang, title, nav", [
    ("vi", "Không tìm thấy trang", "Tìm kiếm"), ("en", "Page not found", "Search"),
    ("zh", "页面不存在", "搜索")])
def test_404_is_in_the_interface_language_with_navigation(client, lang, title, nav):
    response = client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f'href="/search/?lang={lang}">{nav}</a>' in html
    assert 'role="search"' in html and 'href="/?lang=' in html
    assert "/no/such/page" in html
    assert response["Content-Language"] == {"zh": "zh-hans"}.get(lang, lang)


def test_404_follows_accept_language_and_escapes_the_path(client):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E", HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("lang, title", [("vi", "Đã có lỗi xảy ra"), ("en", "Something went wrong"),
                                         ("zh", "出错了")])
def test_500_page_is_translated_and_needs_no_database(django_assert_num_queries, lang, title):
    request = RequestFactory().get(f"/anything?lang={lang}")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f"<h1>{title}</h1>" in html
    assert 'href="/search/?lang=' in html and 'href="/maps/assets/?lang=' in html
    assert html.count('hreflang="') == 3  # the language switch
