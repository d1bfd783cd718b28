"""The coverage map and the planner dashboard in headless Chromium at 1366×768."""
import csv
import io
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from geodata.models import CellSite, Hamlet
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE_HOST = urlparse(settings.QRMAP_TILE_URL.replace("{s}", "a")).netloc


@pytest.fixture
def demo(geography):
    call_command("qrmap_load_demo", verbosity=0)


def no_tiles(page):
    """No internet here: tile requests fail, as on a LAN without one."""
    page.route(re.compile(r"^https?://" + re.escape(TILE_HOST)), lambda route: route.abort())


def layer_on(page, key):
    return page.evaluate(f"() => QRMap.map.hasLayer(QRMap.layers['{key}'])")


def test_coverage_map_draws_every_theme_on_canvas_without_tiles(
    live_server, page_factory, demo, artifact
):
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.goto(live_server.url + "/maps/coverage/")
    page.wait_for_function("() => window.QRMap && QRMap.map && QRMap.count('communes') > 0")
    counts = page.evaluate("() => Object.fromEntries(Object.keys(QRMap.layers)"
                           ".map(k => [k, QRMap.count(k)]))")
    assert counts["hamlets_mobile"] == Hamlet.objects.count() == 1650
    assert counts["hamlets_broadband"] == 1650
    assert counts["communes"] == 65
    assert counts["sites"] == CellSite.objects.active().filter(coverage_radius_m__gt=0).count()
    # All themes share one canvas: a handful of elements, not one per hamlet.
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert page.locator(".leaflet-overlay-pane path, .leaflet-marker-pane > *").count() == 0
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
    page.screenshot(path=artifact("coverage-map-1366.png"))

    # The legend shows the 3G/4G colours; the broadband section only with its layer.
    legend = page.locator(".qrmap-legend")
    assert legend.is_visible()
    assert legend.locator('[data-layer="hamlets_mobile"]').is_visible()
    assert not legend.locator('[data-layer="hamlets_broadband"]').is_visible()

    # The layer control switches the hamlets from 3G/4G to broadband.
    control = page.locator(".leaflet-control-layers")
    control.get_by_text("Hamlets: broadband").click()
    control.get_by_text("Hamlets: 3G/4G").click()
    assert layer_on(page, "hamlets_broadband") and not layer_on(page, "hamlets_mobile")
    assert legend.locator('[data-layer="hamlets_broadband"]').is_visible()
    assert not legend.locator('[data-layer="hamlets_mobile"]').is_visible()
    control.get_by_text("Cell sites").click()
    assert not layer_on(page, "sites")
    assert not legend.locator('[data-layer="sites"]').is_visible()
    page.screenshot(path=artifact("coverage-map-broadband.png"))


def test_a_hamlet_popup_names_it_with_its_commune_and_people(
    live_server, desktop_page, demo, artifact
):
    page = desktop_page
    no_tiles(page)
    hamlet = Hamlet.objects.filter(mobile_status="no").select_related("commune").first()
    page.goto(f"{live_server.url}/maps/coverage/?commune={hamlet.commune.code}")
    page.wait_for_function("() => window.QRMap && QRMap.count('hamlets_mobile') > 0")
    # The map zooms to the commune with an animation; wait until it is still, move to the
    # hamlet, and wait again, so the click lands where the marker is drawn.
    idle = ("() => !QRMap.map._animatingZoom"
            " && !(QRMap.map._panAnim && QRMap.map._panAnim._inProgress)")
    page.wait_for_function(idle)
    page.evaluate(
        """([lat, lon]) => {
            const away = l => l.getLatLng().distanceTo([lat, lon]);
            const layer = QRMap.layers.hamlets_mobile.getLayers().reduce(
                (best, l) => !best || away(l) < away(best) ? l : best, null);
            window._target = layer;
            QRMap.map.setView(layer.getLatLng(), 14, {animate: false});
            layer.bringToFront();
        }""", [hamlet.location.y, hamlet.location.x])
    page.wait_for_function(idle)
    page.wait_for_timeout(300)
    point = page.evaluate(
        """() => {
            const p = QRMap.map.latLngToContainerPoint(window._target.getLatLng());
            const box = QRMap.map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""")
    page.mouse.click(point["x"], point["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert hamlet.name in text and hamlet.commune.name in text
    assert str(hamlet.population) in re.sub(r"\D", "", text)
    page.screenshot(path=artifact("coverage-popup.png"))


def test_dashboard_table_matches_the_command_and_prints(
    live_server, desktop_page, demo, artifact, celery_worker
):
    user = UserFactory(username="planner-e2e")
    user.user_permissions.add(Permission.objects.get(codename="view_hamlet"))
    client = Client()
    client.force_login(user)
    page = desktop_page
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    no_tiles(page)
    page.goto(live_server.url + "/planning/")
    page.wait_for_function("() => window.QRMap && QRMap.count('hamlets_mobile') > 0")
    out = StringIO()
    call_command("qrmap_coverage", "--format", "csv", stdout=out)
    expected = {row["code"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    shown = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#commune-table tbody tr')).map(tr => [tr.dataset.code,
        tr.querySelector('[data-col=mobile_gap_hamlets]').textContent,
        tr.querySelector('[data-col=broadband_gap_hamlets]').textContent])""")
    assert len(shown) == 66  # 65 communes and the province
    for code, mobile, broadband in shown:
        assert re.sub(r"\D", "", mobile) == expected[code]["mobile_gap_hamlets"]
        assert re.sub(r"\D", "", broadband) == expected[code]["broadband_gap_hamlets"]
    assert expected["20"]["mobile_gap_hamlets"] == "268"
    assert expected["20"]["broadband_gap_hamlets"] == "405"
    assert page.locator("#fig-mobile-gaps").inner_text() == "268"
    page.screenshot(path=artifact("dashboard-1366.png"), full_page=True)

    # Proposal: three sites drawn on the map and listed. Province-wide it is above the inline
    # limit: the worker computes it and the page shows the result once it is there.
    page.fill("#id_k", "3")
    page.get_by_role("button", name=re.compile("Propose|Đề xuất")).click()
    page.wait_for_function("() => window.QRMap && QRMap.count('planned') === 3")
    assert page.locator("#proposal-result tbody tr").count() == 3
    page.screenshot(path=artifact("dashboard-proposal.png"), full_page=True)

    page.goto(live_server.url + "/planning/print/")
    page.wait_for_function("() => window.QRMap && QRMap.count('communes') === 65")
    assert page.locator(".qrmap-legend").is_visible()
    assert page.locator(".leaflet-control-layers").count() == 0
    page.emulate_media(media="print")
    page.screenshot(path=artifact("print-view.png"), full_page=True)
    own = urlparse(live_server.url).netloc
    assert page.requests.foreign(own, allowed=[TILE_HOST]) == []
