"""The admin in Vietnamese and Chinese on a phone and an office screen: model names without an
English plural glued on, and the map widget's tool tips in the interface language."""
import pytest

from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(360, 740), (1366, 768)]
WORDS = {  # (locale, changelist title, zoom-in tip, line tool tip)
    "vi": ("vi-VN", "Tài sản", "Phóng to", "Vẽ đường (tuyến phố)"),
    "zh": ("zh-CN", "登记对象", "放大", "绘制线（街道）"),
}


@pytest.mark.parametrize("language", ["vi", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_admin_changelist_and_map_widget_speak_the_language(
        live_server, page_factory, artifact, geography, settings, language, size):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    locale, title, zoom_in, line_tool = WORDS[language]
    home = AdminUnit.objects.current().communes().get(code="05977")
    make_staff("clerk_lang", communes=[home])
    asset = AssetFactory(location=inside(home))
    page = page_factory(*size, locale=locale)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/assets/asset/")
    page.fill("#id_username", "clerk_lang")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    text = page.inner_text("body")
    assert title in text and f"{title}s" not in text
    assert "ASSETS" not in text.upper() and "GROUPED CODE" not in text.upper()
    page.screenshot(path=artifact(f"changelist-{language}.png"), full_page=True)
    # The shape widget (Leaflet.draw): its buttons and the zoom control have translated tips.
    page.goto(f"{live_server.url}/admin/assets/asset/{asset.pk}/change/")
    page.wait_for_selector("#id_shape_map .leaflet-draw-draw-polyline")
    assert page.get_attribute("#id_shape_map .leaflet-draw-draw-polyline", "title") == line_tool
    assert page.get_attribute("#id_location_map .leaflet-control-zoom-in", "title") == zoom_in
    page.screenshot(path=artifact(f"map-widget-{language}.png"), full_page=True)
    assert errors == []
