"""Hostile names and descriptions, saved through every way in (the API, the admin, an import,
and hamlet and cell-site rows), show as text on every page that shows them, in Chromium:
no dialog, no console error, no Content-Security-Policy violation, and map popups that
read the name literally."""
import base64
import csv
import re
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets.importers.run import import_file
from assets.models import Asset
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import CellSiteFactory, HamletFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What ends a <script> element or a comment early, closes CDATA, breaks out of quoted
# attributes, ends a JavaScript line (U+2028/9) and turns text around (RTL marks).
HOSTILE = ("</script><img src=x onerror=alert(1)><!-- ]]> \"dq\" 'sq' `bt` &amp; "
           "a\u2028b\u2029c \u202eRLO\u202c \u200fRLM <script>window.__xss=1</script>")
TILE_HOST = urlparse(settings.QRMAP_TILE_URL.replace("{s}", "a")).netloc
# A 1×1 transparent PNG for every tile: no internet here, and no failed request to log.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAA"
                        "YAAjCB0C8AAAAASUVORK5CYII=")
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


def description(tag):
    """10,000 characters, hostile at both ends."""
    text = f"{tag} {HOSTILE} "
    return (text + "x" * 10_000)[:10_000 - len(HOSTILE)] + HOSTILE


@pytest.fixture
def hostile(geography, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    home = AdminUnit.objects.current().communes().get(code="05977")
    office = make_staff("province_office", all_communes=True)
    # The planner's permission (dashboard, hamlet list) and sight of the cell sites.
    office.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_hamlet", "view_cellsite"]))
    point = inside(home)

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=office).key}")
    created = api.post("/api/assets/", {
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "properties": {"kind": "public_work", "category": "school",
                       "name_vi": f"API {HOSTILE}", "name_en": f"API-en {HOSTILE}",
                       "description_vi": description("API")}}, format="json")
    assert created.status_code == 201, created.content

    admin = Client()
    admin.force_login(office)
    added = admin.post(reverse("admin:assets_asset_add"), {
        "kind": "heritage", "category": "temple", "heritage_rank": "", "status": "active",
        "name_vi": f"Admin {HOSTILE}", "name_en": "", "name_zh": "",
        "description_vi": description("Admin"), "description_en": "", "description_zh": "",
        "location": f'{{"type": "Point", "coordinates": [{point.x + 0.0005}, {point.y}]}}',
        "shape": "", "source": "", "external_id": "",
        "plaques-TOTAL_FORMS": "0", "plaques-INITIAL_FORMS": "0"})
    assert added.status_code == 302, added.content.decode()[:3000]

    path = tmp_path / "hostile.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Tên công trình", "Tên tiếng Anh", "Loại", "Vĩ độ", "Kinh độ", "Thông tin"])
        out.writerow([f"Import {HOSTILE}", "", "market", point.y + 0.0005, point.x,
                      description("Import")])
    import_file(path=path, layer="assets", commit=True, user=office,
                mapping={"description_vi": "Thông tin"})

    HamletFactory(name=f"Thôn {HOSTILE}"[:200], commune=home, location=point,
                  mobile_status="no", broadband_status="no")
    CellSiteFactory(name=f"BTS {HOSTILE}"[:200], location=point)
    assets = {a.name_vi.split(" ")[0]: a for a in Asset.objects.all()}
    assert set(assets) == {"API", "Admin", "Import"}, set(assets)
    for asset in assets.values():
        assert "</script><img src=x" in asset.name_vi  # stored as typed, not cleaned away
        assert len(asset.description_vi) == 10_000, len(asset.description_vi)
    return {"assets": assets, "office": office, "home": home, "point": point}


class Visit:
    """One browser page per URL, each watched for dialogs, console errors and CSP reports."""

    def __init__(self, browser, live_server, cookie=None):
        self.context = browser.new_context(viewport={"width": 1366, "height": 768},
                                           locale="vi-VN")
        self.context.add_init_script(WATCH)
        if cookie:
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                                       "url": live_server.url}])
        self.context.route(re.compile(r"^https?://" + re.escape(TILE_HOST)),
                           lambda route: route.fulfill(body=TILE, content_type="image/png"))
        self.base, self.problems = live_server.url, []

    def open(self, url):
        page = self.context.new_page()
        page.on("dialog", lambda d: (self.problems.append(f"{url}: dialog {d.message}"),
                                     d.dismiss()))
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"{url}: console {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"{url}: error {e}"))
        response = page.goto(self.base + url)
        assert response.status == 200, (url, response.status)
        page.wait_for_load_state("load")
        return page

    def check(self, page, url):
        """Nothing ran, nothing was blocked, no injected element exists."""
        state = page.evaluate("""() => ({violations: window.__cspViolations,
            xss: window.__xss, injected: document.querySelectorAll('img[src="x"]').length})""")
        assert state == {"violations": [], "xss": None, "injected": 0}, (url, state)
        page.close()


def body_text(page):
    return page.evaluate("() => document.body.textContent")


def popup(page, name):
    """The open popup that shows the name (an earlier one may still be fading out)."""
    box = page.locator(".leaflet-popup-content").filter(has_text=name[:4])
    box.wait_for(timeout=10_000)
    assert box.locator("img, script").count() == 0
    return box


# Every tile layer shown has finished loading its tiles.
TILES_IDLE = ("() => !QRMap.map._animatingZoom && Object.values(QRMap.layers).every("
              "l => !QRMap.map.hasLayer(l) || !l.isLoading || !l.isLoading())")


def click_tile_feature(page, point, name):
    """Zoom to the point, click what the tiles draw there, and return its popup."""
    page.wait_for_function("() => window.QRMap && QRMap.map")
    page.evaluate(f"() => QRMap.map.setView([{point.y}, {point.x}], 15, {{animate: false}})")
    page.wait_for_timeout(100)
    page.wait_for_function(TILES_IDLE)
    at = page.evaluate("""([lat, lon]) => {
        const p = QRMap.map.latLngToContainerPoint([lat, lon]);
        const box = QRMap.map.getContainer().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y}; }""", [point.y, point.x])
    page.mouse.click(at["x"], at["y"])
    return popup(page, name)


def test_hostile_names_show_as_text_everywhere(live_server, browser, hostile, artifact):
    assets, home = hostile["assets"], hostile["home"]
    api, admin, imported = assets["API"], assets["Admin"], assets["Import"]
    hamlet = f"Thôn {HOSTILE}"[:200]
    public = Visit(browser, live_server)

    for url, asset in ((f"/a/{api.code}", api), (f"/Q/{imported.code}", imported),
                       (f"/a/{admin.code}?lang=en", admin)):
        page = public.open(url)
        assert page.locator("h1").text_content() == asset.name_vi
        assert page.locator("p.desc").text_content() == asset.description_vi
        public.check(page, url)

    lat, lon = hostile["point"].y, hostile["point"].x
    for url in (f"/search/?q={quote('onerror')}", f"/near/?lat={lat:.5f}&lon={lon:.5f}",
                "/ogc/collections/assets/items?f=html", "/ogc/collections/hamlets/items?f=html"):
        page = public.open(url)
        text = body_text(page)
        for name in (api.name_vi, admin.name_vi, imported.name_vi):
            assert name in text or "hamlets" in url, (url, name)
        if "hamlets" in url:
            assert hamlet in text
        public.check(page, url)

    url = f"/maps/assets/?focus={api.code}"
    page = public.open(url)
    box = popup(page, api.name_vi)
    assert box.locator("strong").text_content() == api.name_vi
    assert box.locator("a").get_attribute("href") == f"/a/{api.code}"
    page.screenshot(path=artifact("asset-map-hostile-popup.png"))
    public.check(page, url)

    # The public coverage map draws from vector tiles; a click fetches the details as JSON.
    url = f"/maps/coverage/?commune={home.code}"
    page = public.open(url)
    box = click_tile_feature(page, hostile["point"], hamlet)
    assert box.locator("strong").text_content() == hamlet
    assert home.name in box.text_content()
    page.screenshot(path=artifact("coverage-map-hostile-popup.png"))
    page.evaluate("() => QRMap.map.removeLayer(QRMap.layers.hamlets_mobile)")
    page.keyboard.press("Escape")
    site = f"BTS {HOSTILE}"[:200]
    assert click_tile_feature(page, hostile["point"], site).locator(
        "strong").text_content() == site
    public.check(page, url)
    assert public.problems == []

    client = Client()
    client.force_login(hostile["office"])
    staff = Visit(browser, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    url = f"/planning/?commune={home.code}"
    page = staff.open(url)
    assert hamlet in page.locator("#gap-list").text_content()
    # The dashboard's map draws from the tiles too.
    assert click_tile_feature(page, hostile["point"], hamlet).locator(
        "strong").text_content() == hamlet
    # The scenario's "pick on the map" button is wired by maps.js (no inline script).
    page.evaluate("() => QRMap.map.closePopup()")
    page.click("#pick-sites")
    assert page.get_attribute("#pick-sites", "aria-pressed") == "true"
    page.locator("#coverage-map .leaflet-container").click(position={"x": 300, "y": 120})
    sites = "#" + page.get_attribute("#pick-sites", "data-qrmap-pick")
    assert re.fullmatch(r"\d+\.\d{5}, \d+\.\d{5}", page.input_value(sites))
    staff.check(page, url)

    for url in (reverse("admin:assets_asset_changelist"),
                reverse("admin:geodata_hamlet_changelist"),
                reverse("admin:geodata_cellsite_changelist")):
        page = staff.open(url)
        text = body_text(page)
        if "asset" in url:
            assert all(a.name_vi in text for a in assets.values()), url
        else:
            assert HOSTILE[:60] in text, url
        staff.check(page, url)
    for asset in assets.values():
        url = reverse("admin:assets_asset_change", args=[asset.pk])
        page = staff.open(url)
        page.wait_for_selector("#id_location_map.leaflet-container")
        assert page.input_value("#id_name_vi") == asset.name_vi
        assert page.input_value("#id_description_vi") == asset.description_vi
        staff.check(page, url)
    url = reverse("admin:assets_asset_history", args=[admin.pk])
    page = staff.open(url)
    staff.check(page, url)
    assert staff.problems == []
    staff.context.close()
    public.context.close()


def test_every_page_type_runs_under_the_policy(live_server, browser, hostile):
    """The pages without hostile data on them: no CSP report, no console error either."""
    code = hostile["assets"]["API"].code
    public = Visit(browser, live_server)
    for url in ("/", "/accounts/login/", f"/a/{code}/report/", "/ogc/?f=html",
                "/ogc/collections?f=html", "/api/assets/", "/api/docs/"):
        page = public.open(url)
        if url == "/api/docs/":
            page.wait_for_selector(".swagger-ui .opblock")
        public.check(page, url)
    assert public.problems == []
    client = Client()
    client.force_login(hostile["office"])
    staff = Visit(browser, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    for url in ("/planning/print/", "/staff/print/", "/staff/import/", "/staff/plaques/health/",
                reverse("admin:index"), reverse("admin:assets_asset_add")):
        page = staff.open(url)
        staff.check(page, url)
    assert staff.problems == []
    staff.context.close()
    public.context.close()
