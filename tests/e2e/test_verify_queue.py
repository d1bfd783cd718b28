"""A verifier works the verification queue in Chromium, on a phone and an office screen: the
map and the list of their commune's unverified assets, two of them checked and verified, gone
from the list, and the verification in the recent list and the asset's history."""
import pytest
from django.contrib.gis.geos import Point

from assets.models import Asset
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")


# The elements that stick out on the right: empty when the page does not scroll sideways
# (map tiles outside the view are clipped by the map, so they do not count).
WIDER = """() => [...document.querySelectorAll("body *")]
  .filter(e => !e.closest(".leaflet-pane")
          && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + "#" + e.id + "." + e.className).slice(0, 5)"""


def _queue(home, other):
    spot = inside(home)
    names = ["Chợ Đông Kinh", "Cầu Kỳ Lừa", '<b>Trường "Lê Lợi"</b>']
    mine = [AssetFactory(location=Point(spot.x + i * 0.0004, spot.y, srid=4326), name_vi=n)
            for i, n in enumerate(names)]
    AssetFactory(location=inside(other), name_vi="Đền của phường khác")
    return mine


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_verifier_verifies_two_assets_from_the_list(live_server, phone_page, desktop_page,
                                                    artifact, geography, settings, size):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    current = AdminUnit.objects.current().communes()
    home, other = current.get(code="05977"), current.get(code="05986")
    make_staff("verifier_e2e", roles=("verifier",), communes=[home])
    chosen, _bridge, hostile = _queue(home, other)
    chosen = [chosen, _bridge]
    page = phone_page if size == "phone" else desktop_page
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text)
            if "Content Security Policy" in m.text else None)
    _login(page, live_server, "verifier_e2e", "/staff/verify/")
    page.wait_for_selector("#verify-map.leaflet-container .verify-pin")
    assert page.locator(".verify-pin").count() == 3
    assert page.get_by_role("region", name="Bản đồ các tài sản trên trang này").is_visible()
    text = page.inner_text("main")
    assert "3 tài sản chờ xác minh" in text and "Đền của phường khác" not in text
    assert page.get_by_label(hostile.name_vi).count() == 1  # the name as text, not markup
    assert page.evaluate(WIDER) == []
    page.screenshot(path=artifact(f"queue-{size}.png"), full_page=True)

    boxes = page.locator('#review-form input[name="ids"]')
    page.get_by_role("button", name="Chọn tất cả trên trang này").click()
    assert boxes.evaluate_all("bs => bs.every(b => b.checked)")
    page.get_by_role("button", name="Chọn tất cả trên trang này").click()
    assert boxes.evaluate_all("bs => bs.every(b => !b.checked)")
    for asset in chosen:
        page.get_by_label(asset.name_vi).check()
    page.click("#verify-selected")
    page.wait_for_selector("#summary")
    assert "Đã xác minh 2 tài sản." in page.inner_text("#summary")
    queue = page.inner_text("#review-form")
    assert all(a.name_vi not in queue for a in chosen) and hostile.name_vi in queue
    recent = page.inner_text("#recent")
    assert all(a.name_vi in recent for a in chosen) and "verifier_e2e" in recent
    assert page.evaluate(WIDER) == []
    page.screenshot(path=artifact(f"verified-{size}.png"), full_page=True)
    assert Asset.objects.filter(position_verified=True).count() == 2

    page.get_by_role("link", name=chosen[0].name_vi).click()
    page.wait_for_selector("#change-history")
    history = page.inner_text("#change-history")
    assert "verifier_e2e" in history
    page.screenshot(path=artifact(f"history-{size}.png"), full_page=True)
    assert problems == []
    assert page.requests.foreign(live_server.url.split("//")[1]) == []


def test_the_admin_verify_control_is_a_button(live_server, desktop_page, artifact, geography):
    home = AdminUnit.objects.current().communes().get(code="05977")
    make_staff("clerk_verify", roles=("editor", "verifier"), communes=[home])
    asset = AssetFactory(location=inside(home), name_vi="Chùa Tam Thanh")
    page = desktop_page
    _login(page, live_server, "clerk_verify", f"/admin/assets/asset/{asset.pk}/change/")
    button = page.get_by_role("button", name="Xác minh vị trí")
    button.wait_for()  # the login redirects here
    assert button.is_visible()
    # A filled button, not a link-looking pill: its background differs from the history link.
    colour = button.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(26, 127, 55)"
    page.screenshot(path=artifact("admin-verify-button.png"))
    button.click()
    page.wait_for_selector(".messagelist")
    assert Asset.objects.get(pk=asset.pk).position_verified
    page.goto(f"{live_server.url}/admin/assets/asset/")
    assert page.locator("#verify-queue-link").inner_text() == "Hàng chờ xác minh"
    page.screenshot(path=artifact("admin-changelist-queue-link.png"))


def test_a_send_back_needs_a_reason_and_the_clerk_reads_it(live_server, desktop_page, artifact,
                                                          geography, settings):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    home = AdminUnit.objects.current().communes().get(code="05977")
    make_staff("verifier_back", roles=("verifier",), communes=[home])
    make_staff("clerk_back", roles=("editor",), communes=[home])
    asset = AssetFactory(location=inside(home), name_vi="Cầu Kỳ Lừa")
    page = desktop_page
    _login(page, live_server, "verifier_back", "/staff/verify/")
    page.get_by_label("Cầu Kỳ Lừa").check()
    page.click("#reject-selected")
    # No reason: the browser keeps the form (the field is required for this button).
    assert page.eval_on_selector("#id_reason", "r => r.validity.valueMissing")
    assert Asset.objects.get(pk=asset.pk).history.filter(history_type="~").count() == 0
    page.fill("#id_reason", 'Cổng chính ở phía bắc, không phải <b>"bờ sông"</b>')
    page.click("#reject-selected")
    page.wait_for_selector("#summary")
    assert "Đã trả lại 1 tài sản để chỉnh sửa." in page.inner_text("#summary")
    assert "0 tài sản chờ xác minh" in page.inner_text("main")
    assert "đã trả lại: Cổng chính ở phía bắc" in page.inner_text("#recent")
    page.screenshot(path=artifact("sent-back.png"), full_page=True)
    page.context.clear_cookies()
    _login(page, live_server, "clerk_back", f"/admin/assets/asset/{asset.pk}/change/")
    page.wait_for_selector(".needs-correction")
    text = page.inner_text(".field-verification")
    assert 'Cổng chính ở phía bắc, không phải <b>"bờ sông"</b>' in text
    assert "verifier_back" in text
    page.screenshot(path=artifact("clerk-reads-the-reason.png"), full_page=True)
