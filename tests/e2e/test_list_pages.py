"""The lists of what the maps show, in Chromium at 360×740 and 1366×768: no WCAG 2.1 A/AA
violation (axe-core) on the coverage and assets lists, filtered and paged, and a keyboard
reaches the coverage list from the coverage map before the map's own controls."""
import pytest
from django.contrib.gis.geos import Point

from geodata.models import Hamlet
from tests.e2e.test_accessibility import MAP_READY, SIZES, _context, audit, tab_until
from tests.e2e.test_coverage_map import demo  # noqa: F401
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_lists_have_no_wcag_violations_and_the_map_leads_to_its_list(
        browser, live_server, demo, artifact, monkeypatch):  # noqa: F811
    monkeypatch.setattr("assets.public.maps.LIST_PAGE_SIZE", 2)
    for i in range(5):
        AssetFactory(name_vi=f"Chợ {i}", location=Point(106.757 + 0.002 * i, 21.853))
    commune = Hamlet.objects.filter(mobile_status="no").first().commune.code
    found = []
    for size in SIZES:
        context, page = _context(browser, live_server, size)
        paths = ["/maps/coverage/list/", f"/maps/coverage/list/?commune={commune}"
                 "&status=mobile_gap", "/maps/coverage/list/?status=unknown&lang=zh",
                 "/maps/assets/list/"]
        for index, path in enumerate(paths):
            page.goto(live_server.url + path)
            audit(page, f"{path} @{size[0]}", found)
            # No sideways scrolling of the page (the table scrolls in its own box).
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > size[0]:
                found.append(f"{path} @{size[0]}: the page is {wide} px wide")
            # Every line of text in sight without scrolling its box (the note above the
            # coverage table was its caption, as wide as the table, cut at 360 px).
            cut = page.evaluate("""() => [
                ...document.querySelectorAll('main p, main h1, main caption')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .map(e => e.textContent.slice(0, 40))""")
            if cut:
                found.append(f"{path} @{size[0]}: text past the right edge: {cut}")
            page.screenshot(path=artifact(f"list-{size[0]}-{index}.png"), full_page=True)
        # The next page, by its link.
        page.get_by_role("link", name="Trang sau").click()
        page.wait_for_url("**after=**")
        audit(page, f"assets list page 2 @{size[0]}", found)
        context.close()
    assert not found, "\n".join(found)

    context, page = _context(browser, live_server, (1366, 768))
    page.goto(live_server.url + f"/maps/coverage/?commune={commune}")
    page.wait_for_function(MAP_READY)
    passed = tab_until(page, lambda f: f["id"] == "map-list")
    assert not any(f["inMap"] for f in passed), passed
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/maps/coverage/list/?commune={commune}")
    assert page.locator("table.hamlets tbody tr").count() == Hamlet.objects.filter(
        commune__code=commune).count()
    page.screenshot(path=artifact("coverage-list-from-map.png"), full_page=True)
    context.close()
