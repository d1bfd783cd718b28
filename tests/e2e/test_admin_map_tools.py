"""The admin map widget's tools, as a clerk uses them on an office screen and on a phone:
find a place by name (the project's own data), type latitude and longitude, use the phone's
position, and get a clear message for a swapped pair, a comma and a refused position."""
import json

import pytest

from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff
from tests.e2e.test_coverage_map import CSP_WATCH
from tests.factories import HamletFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 768), (360, 740)]
MAP = "#id_location_map"
WIDGET = ".qrmap-map-widget:has(#id_location)"
STATUS = f"{WIDGET} .qrmap-widget-status"


def center(page):
    lat, lon = page.get_attribute(MAP, "data-center").split(",")
    return float(lat), float(lon)


def point(page):
    geometry = json.loads(page.input_value("#id_location"))
    return geometry["coordinates"]


def status(page):
    return page.inner_text(STATUS)


def log_in_to_add_form(page, live_server, username):
    page.goto(f"{live_server.url}/admin/assets/asset/add/")
    # The admin sends the clerk to the one login page, and back.
    assert "/accounts/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector(f"{MAP}.leaflet-container")


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_find_a_place_type_coordinates_and_use_my_position(live_server, page_factory, artifact,
                                                           geography, settings, size):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    communes = AdminUnit.objects.current().communes()
    home, other = communes.get(code="05977"), communes.get(code="05986")
    make_staff("clerk_tools", communes=[home, other])
    HamletFactory(name="Khối Nà Chuông", location=inside(other))
    page = page_factory(*size)
    page.add_init_script(CSP_WATCH)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in_to_add_form(page, live_server, "clerk_tools")
    start = center(page)

    # A place by name, typed without accents: the map moves into that commune.
    page.fill("#id_location_place", "tam thanh")
    option = page.locator("#id_location_places li", has_text="Phường Tam Thanh").first
    option.wait_for()
    page.locator(WIDGET).screenshot(path=artifact("place-search.png"))
    option.click()
    page.wait_for_function(f"() => document.querySelector('{MAP}').dataset.center"
                           f" !== '{start[0]:.5f},{start[1]:.5f}'")
    min_lon, min_lat, max_lon, max_lat = other.boundary.extent
    lat, lon = center(page)
    assert min_lat < lat < max_lat and min_lon < lon < max_lon
    assert "Phường Tam Thanh" in status(page)
    # A hamlet by part of its name, chosen with the keyboard; Enter does not submit the form.
    page.fill("#id_location_place", "na chuong")
    page.locator("#id_location_places li", has_text="Khối Nà Chuông").wait_for()
    page.press("#id_location_place", "ArrowDown")
    page.press("#id_location_place", "Enter")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent"
                           ".includes('Khối Nà Chuông')")
    assert "/add/" in page.url and page.input_value("#id_location") == ""

    # Typed coordinates place the marker, and the map goes there.
    page.fill("#id_location_lat", "21.8489")
    page.fill("#id_location_lon", "106.7700")
    page.press("#id_location_lon", "Enter")
    page.wait_for_selector(f"{MAP} .leaflet-marker-icon")
    assert point(page) == pytest.approx([106.77, 21.8489])
    assert center(page) == pytest.approx((21.8489, 106.77), abs=1e-4)
    page.locator(WIDGET).screenshot(path=artifact("typed-coordinates.png"))

    # A swapped pair and a decimal comma are answered, and the point stays where it was.
    page.fill("#id_location_lat", "106.77")
    page.fill("#id_location_lon", "21.8489")
    page.press("#id_location_lon", "Enter")
    assert "đảo ngược" in status(page)
    assert page.get_attribute("#id_location_lat", "aria-invalid") == "true"
    page.fill("#id_location_lat", "21,8489")
    page.press("#id_location_lat", "Enter")
    assert "dấu chấm" in status(page) and "21.8489" in status(page)
    assert point(page) == pytest.approx([106.77, 21.8489])
    page.locator(WIDGET).screenshot(path=artifact("swapped-coordinates.png"))

    # Clicking the map moves the point, and the typed fields follow it (with dots).
    box = page.locator(MAP).bounding_box()
    page.locator(MAP).click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.7})
    lon, lat = point(page)
    assert page.input_value("#id_location_lat") == f"{lat:.6f}"
    assert page.input_value("#id_location_lon") == f"{lon:.6f}"

    # "Use my position": the phone's position with its accuracy, grouped the Vietnamese way.
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 21.86, "longitude": 106.755, "accuracy": 1234})
    page.click(".qrmap-locate")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent"
                           ".includes('1.234 m')")
    assert point(page) == pytest.approx([106.755, 21.86])
    assert page.input_value("#id_location_lat") == "21.860000"
    page.locator(WIDGET).screenshot(path=artifact("my-position.png"))
    # Refused: a message saying what to do, not silence.
    page.context.clear_permissions()
    page.click(".qrmap-locate")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent"
                           ".includes('bấm vào bản đồ')")

    # The tools fit the screen: nothing sticks out sideways at 360 px.
    width = page.evaluate("() => window.innerWidth")
    right = page.evaluate("() => document.querySelector('.qrmap-widget-tools')"
                          ".getBoundingClientRect().right")
    assert right <= width
    assert errors == [] and page.evaluate("() => window.cspViolations") == []
    own = live_server.url.split("//")[1]
    assert page.requests.foreign(own) == []


def test_a_typed_point_outside_the_province_is_refused_on_save(live_server, desktop_page,
                                                                artifact, geography, settings):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    make_staff("clerk_far", communes=[AdminUnit.objects.current().communes().get(code="05977")])
    page = desktop_page
    log_in_to_add_form(page, live_server, "clerk_far")
    page.select_option("#id_kind", "public_work")
    page.select_option("#id_category", "market")
    page.fill("#id_name_vi", "Chợ Hà Nội")
    page.fill("#id_location_lat", "21.0285")
    page.fill("#id_location_lon", "105.8542")
    page.press("#id_location_lon", "Enter")
    page.click("input[name=_continue]")
    page.wait_for_selector(".errorlist, .messagelist")
    assert "ngoài mọi tỉnh" in page.inner_text("body")
    # What was typed is still there to correct.
    assert page.input_value("#id_name_vi") == "Chợ Hà Nội"
    page.screenshot(path=artifact("outside-province.png"), full_page=True)
