"""Field mode in Chromium on a 360 px phone, with emulated position, network and camera
(a Y4M video of the plaque's own QR, see fake_camera): the to-do list loads online, the phone
goes offline, the clerk verifies three assets (one moved by 40 m) and installs two plaques,
each scanned and photographed, then the signal returns and the server has applied everything
through the services, with who, when and where. Also: a wrong plaque is refused showing both
codes and is reported damaged instead; an asset retired and another renamed on the server
while the phone was offline come back as conflicts, the first dropped, the second kept."""
import io
import os

import pytest
from django.contrib.gis.geos import Point
from PIL import Image

from assets.access import SYSTEM
from assets.models import Asset, FieldAction, Plaque
from assets.services.registry import asset_retire, asset_update
from geodata.distance import distance_m
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff, verified_asset
from tests.e2e.conftest import CHROMIUM_ARGS, _chromium_path
from tests.e2e.fake_camera import camera_show, plaque_picture
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NORTH_40_M = 0.00036  # degrees of latitude, about 40 m at Lạng Sơn
WIDER = """() => [...document.querySelectorAll("body *")]
  .filter(e => !e.closest(".leaflet-pane") && e.offsetParent !== null
          && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + "#" + e.id).slice(0, 5)"""


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("camera") / "camera.y4m"
    camera_show(path, Image.new("RGB", (64, 48), "white"))
    return path


@pytest.fixture(scope="module")
def camera_browser(camera_file, playwright_driver):
    """Chromium whose camera plays camera_file, without asking the user."""
    browser = playwright_driver.chromium.launch(
        executable_path=_chromium_path(), headless=True, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_file}"])
    yield browser
    browser.close()


@pytest.fixture
def field_phone(camera_browser, live_server, settings):
    settings.QRMAP_TILE_URL = live_server.url + "/static/tiles/{z}/{x}/{y}.png"
    context = camera_browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN",
        permissions=["geolocation", "camera"], base_url=live_server.url)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: page.problems.append(m.text)
            if "Content Security Policy" in m.text else None)
    yield page
    context.close()


def _open_online(page, username):
    page.goto("/admin/login/?next=/field/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#todo button")
    page.wait_for_selector("#offline-ready", state="visible")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _at(page, point, accuracy=5):
    page.context.set_geolocation({"longitude": point.x, "latitude": point.y,
                                  "accuracy": accuracy})
    page.click("#here")
    page.wait_for_function("() => document.getElementById('here-text').textContent"
                           ".includes('±')")


def _pick(page, key):
    page.click(f'#todo button[data-key="{key}"]')
    page.wait_for_selector("#site", state="visible")


def _pending(page, n):
    page.wait_for_function("n => document.getElementById('pending').textContent"
                           ".startsWith(n + ' ')", arg=n)


def _all_synced(page):
    page.wait_for_function("() => !/^\\d/.test(document.getElementById('pending').textContent)")


def _scan(page, camera_file, plaque):
    camera_show(camera_file, plaque_picture(plaque))
    page.click("#scan")
    page.wait_for_selector("#scan-result.right, #scan-result.wrong")


def _big_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 120, 160)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_offline_round_verifies_moves_and_installs_then_syncs(field_phone, camera_file,
                                                              artifact, geography):
    page = field_phone
    home = AdminUnit.objects.current().communes().get(code="05977")
    clerk = make_staff("field_e2e", communes=[home])
    spot = inside(home)
    assets = [AssetFactory(location=Point(spot.x + i * 0.001, spot.y, srid=4326),
                           name_vi=name) for i, name in
              enumerate(["Chợ Đông Kinh", "Cầu Kỳ Lừa", '<b>Trường "Lê Lợi"</b>'])]
    plaques = [PlaqueFactory(asset=verified_asset(home, None, name_vi=f"Đền {i}"),
                             status="printed", mount_distance_m=0.5)
               for i in range(2)]
    _open_online(page, "field_e2e")
    assert page.locator("#todo button").count() == 5
    assert page.get_by_text('<b>Trường "Lê Lợi"</b>').count() == 1  # text, not markup
    assert page.evaluate(WIDER) == []
    page.screenshot(path=artifact("online.png"), full_page=True)

    page.context.set_offline(True)
    page.reload()  # from the service worker's copy
    page.wait_for_selector("#todo button")
    assert page.evaluate("navigator.onLine") is False

    moved_to = Point(assets[2].location.x, assets[2].location.y + NORTH_40_M, srid=4326)
    for asset, where, button in ((assets[0], assets[0].location, "#accept"),
                                 (assets[1], assets[1].location, "#accept"),
                                 (assets[2], moved_to, "#move")):
        _pick(page, f"a{asset.pk}")
        _at(page, where)
        if button == "#move":
            assert "40 m" in page.inner_text("#here-text")
        page.click(button)
        page.wait_for_selector("#todo-box", state="visible")
    _pending(page, 3)

    for i, plaque in enumerate(plaques):
        _pick(page, f"p{plaque.pk}")
        _at(page, plaque.asset.location)
        _scan(page, camera_file, plaque)
        assert plaque.grouped_code in page.inner_text("#scan-result.right")
        if i == 0:
            page.click("#snap")
        else:
            page.set_input_files("#photo-file", files=[{
                "name": "big.jpg", "mimeType": "image/jpeg", "buffer": _big_photo()}])
        page.wait_for_selector("#photo-preview", state="visible")
        page.screenshot(path=artifact(f"plaque-{i}.png"), full_page=True)
        page.click("#install")
        page.wait_for_selector("#todo-box", state="visible")
    _pending(page, 5)
    assert not FieldAction.objects.exists()
    page.screenshot(path=artifact("offline-queue.png"), full_page=True)

    page.context.set_offline(False)
    _all_synced(page)
    page.screenshot(path=artifact("synced.png"), full_page=True)
    actions = FieldAction.objects.order_by("pk")
    assert [a.kind for a in actions] == ["verify", "verify", "move", "install", "install"]
    assert all(a.user == clerk and a.accuracy_m == 5 for a in actions)
    assert distance_m(actions[2].location, moved_to) < 0.01
    accepted = Asset.objects.filter(pk__in=[assets[0].pk, assets[1].pk])
    assert all(a.position_verified and a.verified_by == clerk for a in accepted)
    moved = Asset.objects.get(pk=assets[2].pk)
    assert not moved.position_verified and distance_m(moved.location, moved_to) < 0.01
    last = moved.history.first()
    assert last.history_user == clerk and last.history_change_reason.startswith(
        "đã dời đến vị trí đo ở hiện trường tại 21.")  # the clerk's language, and where
    for plaque in Plaque.objects.filter(pk__in=[p.pk for p in plaques]):
        assert plaque.status == "installed"
        assert plaque.history.first().history_user == clerk
        with Image.open(plaque.install_photo.path) as photo:
            assert max(photo.size) <= 1600
    for action in actions[3:]:
        assert os.path.exists(action.photo_thumbnail.path)
        with Image.open(action.photo_thumbnail.path) as thumb:
            assert max(thumb.size) == 320
    # The moved asset waits for a verifier again, until someone accepts it.
    page.wait_for_selector(f'#todo button[data-key="a{moved.pk}"]')
    assert page.locator("#todo button").count() == 1
    assert page.problems == []


def test_conflicts_wrong_plaque_and_damage(field_phone, camera_file, artifact, geography):
    page = field_phone
    home = AdminUnit.objects.current().communes().get(code="05977")
    clerk = make_staff("field_e2e2", communes=[home])
    spot = inside(home)
    retired, renamed = (AssetFactory(location=Point(spot.x + i * 0.001, spot.y, srid=4326),
                                     name_vi=name)
                        for i, name in enumerate(["Nhà văn hóa", "Cầu treo"]))
    expected = PlaqueFactory(asset=verified_asset(home, None), status="printed",
                             mount_distance_m=0.5)
    wrong = PlaqueFactory(asset=verified_asset(home, None), status="installed",
                          mount_distance_m=0.5)
    _open_online(page, "field_e2e2")
    page.context.set_offline(True)

    _pick(page, f"p{expected.pk}")
    _at(page, expected.asset.location)
    _scan(page, camera_file, wrong)
    refusal = page.inner_text("#scan-result.wrong")
    assert expected.grouped_code in refusal and wrong.grouped_code in refusal
    assert page.locator("#install").is_disabled()
    page.screenshot(path=artifact("wrong-plaque.png"), full_page=True)
    page.fill("#damage-note", "Biển bị gãy chân")
    page.click("#damage")
    _pending(page, 1)

    for asset in (retired, renamed):
        _pick(page, f"a{asset.pk}")
        _at(page, asset.location)
        page.click("#accept")
        page.wait_for_selector("#todo-box", state="visible")
    _pending(page, 3)
    # At the office, meanwhile:
    asset_retire(user=SYSTEM, asset=retired)
    asset_update(user=SYSTEM, asset=renamed, fields={"name_vi": "Cầu treo Kỳ Lừa"},
                 reason="renamed at the office")

    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('#conflicts li').length === 2")
    text = page.inner_text("#conflicts")
    assert "Nhà văn hóa" in text and "renamed at the office" in text
    page.screenshot(path=artifact("conflicts.png"), full_page=True)
    retired_item = page.locator("#conflicts li", has_text="Nhà văn hóa")
    renamed_item = page.locator("#conflicts li", has_text="Cầu treo")
    assert retired_item.locator("button[id^=keep]").count() == 0  # retired: cannot keep
    renamed_item.locator("button[id^=keep]").click()
    page.wait_for_function("() => document.querySelectorAll('#conflicts li').length === 1")
    _all_synced(page)  # sent again on top of their version
    retired_item.locator("button[id^=drop]").click()
    page.wait_for_selector("#conflicts-box", state="hidden")

    retired.refresh_from_db()
    renamed.refresh_from_db()
    expected.refresh_from_db()
    assert retired.status == "retired" and not retired.position_verified
    assert renamed.position_verified and renamed.name_vi == "Cầu treo Kỳ Lừa"  # both kept
    assert expected.status == "damaged" and "Biển bị gãy chân" in expected.notes
    assert sorted(FieldAction.objects.values_list("kind", "user")) == [
        ("damage", clerk.pk), ("verify", clerk.pk)]
    assert page.problems == []
