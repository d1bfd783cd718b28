"""The page a QR plaque opens, in headless Chromium at phone size."""
import urllib.request

import pytest
from django.contrib.gis.geos import Point

from assets.models import Asset, Report
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The page caches neighbours and addresses per asset; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def temple(geography):
    """A demo-like heritage site in Lạng Sơn city with a few neighbours."""
    asset = AssetFactory(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
        heritage_rank=Asset.HeritageRank.PROVINCIAL,
        name_vi="Đền Kỳ Cùng", name_en="Ky Cung Temple", name_zh="奇穷庙",
        description_vi="Đền thờ bên bờ sông Kỳ Cùng, nổi tiếng với lễ hội đầu xuân.",
        description_en="A temple on the bank of the Ky Cung river, known for its spring festival.",
        location=Point(106.7566, 21.8473, srid=4326),
    )
    neighbours = [("Chợ Đông Kinh", "Dong Kinh Market", "东京市场", Asset.Category.MARKET),
                  ("Cầu Kỳ Lừa", "Ky Lua Bridge", "奇庐桥", Asset.Category.BRIDGE),
                  ("Trường THPT Việt Bắc", "Viet Bac High School", "越北高中",
                   Asset.Category.SCHOOL),
                  ("Bưu điện tỉnh", "Provincial Post Office", "省邮局",
                   Asset.Category.POST_OFFICE),
                  ("Công viên Chi Lăng", "Chi Lang Park", "支棱公园", Asset.Category.PARK),
                  ("Bến xe phía Bắc", "North Bus Station", "北客运站",
                   Asset.Category.BUS_STATION)]
    for i, (vi, en, zh, category) in enumerate(neighbours):
        AssetFactory(name_vi=vi, name_en=en, name_zh=zh, category=category,
                     location=Point(106.7566 + 0.003 * (i + 1) * (-1) ** i,
                                    21.8473 + 0.002 * i, srid=4326))
    return asset


def test_a_visitor_reads_the_page_switches_language_and_reports(
    live_server, phone_page, temple, artifact
):
    page = phone_page
    page.goto(f"{live_server.url}/Q/{temple.code}")
    assert page.locator("h1").inner_text() == "Đền Kỳ Cùng"
    assert page.locator("html").get_attribute("lang") == "vi"
    locator_map = page.locator("figure.map svg")
    assert locator_map.is_visible()
    box = locator_map.bounding_box()
    assert box["width"] > 250 and box["height"] > 100
    assert page.locator("figure.map path[fill-rule=evenodd]").count() == 1  # the outline
    nearby = page.locator("ul.list li")
    assert nearby.count() == 5
    assert "m" in nearby.first.locator(".dist").inner_text()
    assert page.get_by_text(f"{temple.code[:4]}-{temple.code[4:]}", exact=True).is_visible()
    # nothing is wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=artifact("asset-vi-360.png"), full_page=True)

    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Ky Cung Temple"
    assert page.get_by_role("heading", name="Digital address").is_visible()
    page.screenshot(path=artifact("asset-en-360.png"), full_page=True)

    page.get_by_role("link", name="中文").click()
    assert page.locator("h1").inner_text() == "奇穷庙"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="数字地址").is_visible()
    assert page.get_by_text("东京市场").is_visible()
    page.screenshot(path=artifact("asset-zh-360.png"), full_page=True)

    page.get_by_role("link", name="报告问题").click()
    page.get_by_label("标牌已损坏").check()
    page.get_by_label("详细说明").fill("二维码褪色了 / the QR code is faded")
    page.screenshot(path=artifact("report-form-zh-360.png"), full_page=True)
    page.get_by_role("button", name="提交报告").click()
    assert page.locator("[role=status]").inner_text().startswith("谢谢")
    page.screenshot(path=artifact("report-sent-zh-360.png"), full_page=True)
    report = Report.objects.get()
    assert (report.asset_id, report.problem) == (temple.pk, Report.Problem.DAMAGED)

    own = live_server.url.split("//")[1]
    assert page.requests.foreign(own) == []


def test_the_page_fits_320_pixels_and_15_kb_and_makes_one_request(
    live_server, page_factory, temple, artifact
):
    page = page_factory(320, 640)
    page.goto(f"{live_server.url}/Q/{temple.code}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=artifact("asset-vi-320.png"), full_page=False)
    # One request for the whole page to read: no stylesheet, font or tile; the only other
    # one is the small deferred script that adds the share button (the page reads without).
    assert page.requests.urls[0] == f"{live_server.url}/Q/{temple.code}"
    assert [url.split("?")[0].removeprefix(live_server.url) for url in page.requests.urls[1:]
            ] == ["/static/assets/asset_page.js"]
    request = urllib.request.Request(f"{live_server.url}/Q/{temple.code}",
                                     headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.read()) <= 15 * 1024


def test_a_mistyped_code_leads_through_did_you_mean_and_search(
    live_server, phone_page, temple, artifact
):
    page = phone_page
    wrong = temple.code[:-1] + ("0" if temple.code[-1] != "0" else "1")
    response = page.goto(f"{live_server.url}/q/{wrong.lower()}?lang=en")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Did you mean…"
    page.screenshot(path=artifact("did-you-mean-en-360.png"), full_page=True)
    page.get_by_role("link", name=f"{temple.code[:4]}-{temple.code[4:]}").click()
    assert page.locator("h1").inner_text() == "Ky Cung Temple"

    page.goto(f"{live_server.url}/search/?lang=en")
    page.get_by_role("searchbox").fill("den ky cung")
    page.get_by_role("button", name="Search").click()
    results = page.locator("ul.list li a")
    assert results.first.inner_text() == "Ky Cung Temple"
    page.screenshot(path=artifact("search-en-360.png"), full_page=True)
    own = live_server.url.split("//")[1]
    assert page.requests.foreign(own) == []
