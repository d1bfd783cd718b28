"""A clerk registers an asset in the admin by clicking the map (Leaflet from static/)."""
import pytest

from assets.models import Asset
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_places_a_point_on_the_map_and_sees_the_qr(live_server, desktop_page, artifact,
                                                         geography, settings):
    # Tiles from the test server itself (they 404): the page must not call any other host.
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    home = AdminUnit.objects.current().communes().get(code="05977")
    make_staff("clerk_map", communes=[home])
    page = desktop_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/assets/asset/add/")
    page.fill("#id_username", "clerk_map")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#id_location_map.leaflet-container")
    page.select_option("#id_kind", "public_work")
    page.select_option("#id_category", "market")
    page.fill("#id_name_vi", "Chợ Đông Kinh")
    # The empty map opens on Lạng Sơn city centre, inside Phường Đông Kinh.
    page.locator("#id_location_map").click(position={"x": 380, "y": 190})
    assert errors == []
    assert '"Point"' in page.input_value("#id_location")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Chợ Đông Kinh")
    asset = Asset.objects.get(name_vi="Chợ Đông Kinh")
    assert asset.commune == home
    html = page.content()
    assert asset.grouped_code in html and "HTTP://" in html
    page.screenshot(path=artifact("admin-asset-change.png"), full_page=True)
    # An edit shows in the history: who, when, and the old and new values.
    page.fill("#id_name_vi", "Chợ Đông Kinh mới")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Chợ Đông Kinh mới")
    page.goto(f"{live_server.url}/admin/assets/asset/{asset.pk}/history/")
    history = page.inner_text("#change-history")
    assert "clerk_map" in history and "Chợ Đông Kinh mới" in history
    page.screenshot(path=artifact("admin-asset-history.png"), full_page=True)
    own = live_server.url.split("//")[1]
    assert page.requests.foreign(own) == []
