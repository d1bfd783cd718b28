"""axe-core (WCAG 2.0/2.1 A and AA) on every public and staff page, in Chromium at 360×740 and
1366×768; then a keyboard-only visitor reaches an asset from the assets map through the list
of what the map shows.

axe is vendored under tests/e2e/vendor/ for the tests only; the site never serves it. It is
injected as a script, which the site's strict CSP would block, so these contexts bypass the
CSP (the CSP itself is tested elsewhere). One context per audience and size visits its pages
in a loop, and one assertion lists every violation found, so a run shows them all at once."""
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client

from assets.models import Asset, Plaque
from assets.services.reports import report_create
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import make_staff
from tests.e2e.test_coverage_map import no_tiles
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = [(360, 740), (1366, 768)]
# The maps draw on canvas after their scripts run: audit them once they are drawn.
MAP_READY = "() => !document.querySelector('.folium-map') || (window.QRMap && QRMap.map)"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " -> "
    + v.nodes.slice(0, 4).map(n => n.target.join(" ") + " [" + n.html.slice(0, 120) + "]")
        .join(" | "));
}"""


@pytest.fixture
def site(geography):
    """The demo province (communes, hamlets, sites, assets), a plaque and a report."""
    call_command("qrmap_load_demo", verbosity=0)
    asset = Asset.objects.filter(kind=Asset.Kind.HERITAGE).order_by("pk").first()
    plaque = Plaque.objects.create(asset=asset, template="heritage", width_mm=300,
                                   height_mm=200, code="M5KTMQCE")
    report = report_create(asset=asset, plaque=plaque, code=plaque.code, problem="damaged",
                           text="Biển bị cong.", photo=None, contact="")
    commune = AdminUnit.objects.current().communes().get(code="05977")
    return {"asset": asset, "plaque": plaque, "report": report, "commune": commune}


def _context(browser, live_server, size, user=None):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="vi-VN", bypass_csp=True)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "url": live_server.url,
                              "value": client.cookies["sessionid"].value}])
    page = context.new_page()
    no_tiles(page)
    return context, page


def audit(page, label, found):
    """Run axe on what the page shows now; add its violations to `found`."""
    page.wait_for_function(MAP_READY)
    page.add_script_tag(path=str(AXE))
    found.extend(f"{label}: {violation}" for violation in page.evaluate(RUN_AXE, TAGS))


def visit(page, live_server, path, found, size):
    response = page.goto(live_server.url + path)
    assert response.status == (404 if path == MISSING else 200), path
    audit(page, f"{path} @{size[0]}", found)


MISSING = "/khong-co-trang-nay/"


def public_paths(site):
    asset, commune = site["asset"], site["commune"]
    return ["/", "/search/?q=chua", f"/a/{asset.code}", f"/Q/{site['plaque'].code}/",
            f"/a/{asset.code}/report/", f"/r/{site['report'].reference}/",
            "/maps/assets/", f"/maps/assets/?commune={commune.code}",
            f"/maps/assets/list/?commune={commune.code}",
            "/maps/coverage/", f"/maps/coverage/?commune={commune.code}",
            "/near/?lat=21.8537&lon=106.7615", "/ogc/?f=html", "/api/", MISSING,
            "/accounts/login/"]


def staff_paths(site):
    asset = site["asset"]
    # The changelist searched: the same page as the whole registry's, with fewer rows for
    # axe to walk.
    return ["/admin/", "/admin/assets/asset/?q=dong", f"/admin/assets/asset/{asset.pk}/change/",
            f"/admin/assets/asset/{asset.pk}/history/", "/admin/assets/report/",
            "/staff/print/", "/staff/import/", "/staff/verify/", "/staff/plaques/health/",
            f"/staff/plaques/{site['plaque'].code}/"]


def failed_report(page, live_server, site, found, size, artifact):
    """A report sent with nothing chosen: the reasons come back on the form."""
    page.goto(f"{live_server.url}/a/{site['asset'].code}/report/")
    page.evaluate("document.querySelector('form.report').noValidate = true")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.locator("#report-problem").wait_for(state="visible")
    # The reason has the focus and the title says it failed.
    assert page.evaluate("document.activeElement.id") == "report-problem"
    assert page.title().startswith("Lỗi:")
    page.screenshot(path=artifact(f"failed-report-{size[0]}.png"))
    audit(page, f"failed report @{size[0]}", found)


def import_preview(page, live_server, found, size):
    """The preview of a file the clerk uploads."""
    page.goto(live_server.url + "/staff/import/")
    page.select_option("select[name=layer]", "assets")
    page.set_input_files("input[name=file]", str(Path(__file__).parents[1] / "data"
                                                 / "staff_upload.csv"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#mapping")
    audit(page, f"import preview @{size[0]}", found)


def test_every_public_and_staff_page_has_no_wcag_violations(
        browser, live_server, site, tmp_path, settings, artifact):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = make_staff("clerk_axe", all_communes=True)
    planner = make_staff("planner_axe", roles=("planner",), all_communes=True)
    commune = site["commune"].code
    found = []
    for size in SIZES:
        context, page = _context(browser, live_server, size)
        for path in public_paths(site):
            visit(page, live_server, path, found, size)
        failed_report(page, live_server, site, found, size, artifact)
        context.close()
        context, page = _context(browser, live_server, size, user=clerk)
        for path in staff_paths(site):
            visit(page, live_server, path, found, size)
        import_preview(page, live_server, found, size)
        context.close()
        context, page = _context(browser, live_server, size, user=planner)
        # The whole province's dashboard once (its tables are long); a commune's at both.
        for path in [f"/planning/?commune={commune}"] + (["/planning/"] if size[0] > 1000 else []):
            visit(page, live_server, path, found, size)
        context.close()
    assert not found, "\n".join(found)


# What has the keyboard focus: where it is, whether it shows, and whether it is in the map.
FOCUSED = """() => {
  const e = document.activeElement, box = e.getBoundingClientRect(), s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || "").trim().slice(0, 40),
          href: e.getAttribute("href") || "", inMap: !!e.closest(".leaflet-container"),
          shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                 && box.top < innerHeight && box.left < innerWidth
                 && s.visibility !== "hidden" && s.outlineStyle !== "none"};
}"""


def tab_until(page, wanted, limit=40):
    """Press Tab until `wanted(focused)`; every element passed on the way is returned."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        passed.append(focused)
        if wanted(focused):
            return passed
    pytest.fail(f"not reached in {limit} Tabs: {passed}")


def test_keyboard_reaches_an_asset_from_the_map_through_its_list(
        browser, live_server, geography, artifact):
    names = ["Cầu Kỳ Lừa", "Chợ Đông Kinh", "Đền Kỳ Cùng"]
    for i, name in enumerate(names):
        AssetFactory(name_vi=name, location=Point(106.757 + 0.002 * i, 21.853, srid=4326))
    context, page = _context(browser, live_server, (1366, 768))
    page.goto(live_server.url + "/maps/assets/")
    page.wait_for_function(MAP_READY)
    passed = tab_until(page, lambda f: f["id"] == "map-list")
    # Header, language switch and filters come first; the map's own controls after the list.
    assert not any(f["inMap"] for f in passed), passed
    assert [f["tag"] for f in passed[-5:-1]] == ["SELECT", "SELECT", "SELECT", "BUTTON"], passed
    assert all(f["shown"] for f in passed), [f for f in passed if not f["shown"]]
    assert page.locator('[role="region"][aria-label]').first.get_attribute(
        "aria-label") == "Bản đồ đường phố, công trình công cộng và di tích"
    page.screenshot(path=artifact("map-list-link-focused.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/maps/assets/list/**")
    assert page.locator("h1").inner_text() == "Danh sách những gì bản đồ hiển thị"
    # The list in Vietnamese order; the first asset is the first link after the way back.
    passed = tab_until(page, lambda f: f["href"].startswith("/a/"))
    assert passed[-1]["text"] == "Cầu Kỳ Lừa" and all(f["shown"] for f in passed), passed
    assert page.locator("ul.list a").all_inner_texts() == names
    page.screenshot(path=artifact("list-first-asset-focused.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/a/*")
    assert page.locator("h1").inner_text() == "Cầu Kỳ Lừa"
    context.close()
