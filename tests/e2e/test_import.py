"""Browser test of the staff import: upload a CSV, correct one column in the preview, see the
refused row, commit the good rows, and find the new assets on the map (or, while the asset
map is not there, in the admin list)."""
from pathlib import Path

import pytest
from django.test import Client

from assets.models import Asset
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parents[1] / "data"
NEW = ["Nhà văn hóa khối 5", "Trạm y tế phường Chi Lăng", "Sân vận động Đông Kinh"]


def _log_in(page, live_server):
    """A staff session made by Django's test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(UserFactory(username="importer", is_staff=True, is_superuser=True))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_upload_correct_mapping_commit_and_see_assets(
        live_server, desktop_page, artifact, geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = desktop_page
    _log_in(page, live_server)
    page.goto(live_server.url + "/staff/import/")
    page.screenshot(path=artifact("0-upload.png"), full_page=True)
    page.select_option("select[name=layer]", "assets")
    page.set_input_files("input[name=file]", str(DATA / "staff_upload.csv"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#mapping")

    # "Thông tin" is the description, but no header rule can know that: the user says so.
    assert page.input_value("#map-description_vi") == ""
    assert page.input_value("#map-name_vi") == "Tên công trình"
    page.select_option("#map-description_vi", "Thông tin")
    page.click("#recheck")
    page.wait_for_selector("#refused-rows")
    assert page.input_value("#map-description_vi") == "Thông tin"
    refused = page.inner_text("#refused-rows")
    assert "Điểm ngoài tỉnh" in refused
    assert page.locator("#refused-rows tr.refused").count() == 1
    page.screenshot(path=artifact("1-preview.png"), full_page=True)

    page.check("#good-rows")
    page.click("#commit")
    page.wait_for_selector("#map-link")
    assert page.locator("#refused-rows tr.refused").count() == 1
    assert "Điểm ngoài tỉnh" in page.inner_text("#refused-rows")
    page.screenshot(path=artifact("2-result.png"), full_page=True)
    assert sorted(Asset.objects.values_list("name_vi", flat=True)) == sorted(NEW)
    assert Asset.objects.get(name_vi=NEW[2]).description_vi == "Sân bóng đá trung tâm"

    if page.request.get(live_server.url + "/maps/assets/").ok:
        page.click("#map-link")
        page.wait_for_load_state("networkidle")
        # The map opens on the first imported asset.
        assert f"focus={Asset.objects.get(name_vi=NEW[0]).code}" in page.url
        # Drawn from the tiles: the page names it and opens its popup (details by id).
        assert NEW[0] in page.locator("h1").inner_text()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert NEW[0] in popup.inner_text()
        page.screenshot(path=artifact("3-map.png"))
    else:  # the asset map is not built yet: the admin list shows the new assets
        page.goto(live_server.url + "/admin/assets/asset/")
        body = page.inner_text("body")
        for name in NEW:
            assert name in body
        page.screenshot(path=artifact("3-admin-list.png"))
