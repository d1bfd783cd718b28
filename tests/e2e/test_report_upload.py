"""The report form on a phone over a slow 3G uplink, in headless Chromium: the camera photo
is shrunk before it leaves, goes with a progress bar and arrives with its report; a failed
upload keeps what was typed and says why, in the page's language."""
import io
import time

import pytest
from django.core.signals import request_started
from PIL import Image

from assets.models import Report
from tests.assets.image_samples import camera_jpeg
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UPLINK = {"offline": False, "latency": 150, "downloadThroughput": 200 * 1024,
          "uploadThroughput": 90 * 1024}


@pytest.fixture
def bridge(geography):
    return AssetFactory(name_vi="Cầu Kỳ Lừa", name_en="Ky Lua Bridge")


@pytest.fixture(scope="module")
def camera_photo(tmp_path_factory):
    """A 4000 × 3000 phone photo of about 4.4 MB, taken upright (EXIF orientation 6)."""
    path = tmp_path_factory.mktemp("camera") / "IMG_20250701_093000.jpg"
    path.write_bytes(camera_jpeg())
    return path


@pytest.fixture
def posted_sizes():
    """Content-Length of every POST the server received (the live server runs in a thread
    of this process)."""
    sizes = []

    def seen(sender, environ=None, **kwargs):
        if environ and environ.get("REQUEST_METHOD") == "POST":
            sizes.append(int(environ.get("CONTENT_LENGTH") or 0))

    request_started.connect(seen, dispatch_uid="test-report-upload-sizes")
    yield sizes
    request_started.disconnect(dispatch_uid="test-report-upload-sizes")


def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def slow_uplink(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", UPLINK)


def test_a_camera_photo_crosses_a_slow_uplink_shrunk_and_arrives_with_its_report(
    live_server, phone_page, bridge, camera_photo, posted_sizes, artifact
):
    page = phone_page
    errors = console_errors(page)
    page.goto(f"{live_server.url}/a/{bridge.code}/report/?lang=en")
    slow_uplink(page)
    page.get_by_label("the plaque is damaged").check()
    page.get_by_label("Details").fill("Bent by a truck, the QR code is scratched")
    page.get_by_label("Photo (optional)").set_input_files(str(camera_photo))
    started = time.perf_counter()
    page.get_by_role("button", name="Send the report").click()
    page.locator("#report-progress progress").wait_for(state="visible")
    page.screenshot(path=artifact("report-sending-en-360.png"), full_page=True)
    page.locator("[data-report-sent]").wait_for(timeout=90_000)
    seconds = time.perf_counter() - started
    page.screenshot(path=artifact("report-sent-en-360.png"), full_page=True)
    assert "Thank you" in page.locator("[role=status]").inner_text()
    report = Report.objects.get()
    # A reload does not post again; the address holds the reference the page names.
    assert page.url.endswith(f"?sent=1&ref={report.reference}&lang=en")
    assert report.grouped_reference in page.locator("[role=status]").inner_text()
    assert report.text == "Bent by a truck, the QR code is scratched" and report.photo
    with report.photo.open("rb") as stored_file:
        stored = stored_file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and max(image.size) <= 1600
        assert image.height > image.width  # upright: EXIF orientation 6 was applied
        assert not image.getexif()
    report.photo.delete()
    original = camera_photo.stat().st_size
    (sent,) = posted_sizes
    print(f"\nphoto {original / 1024:.0f} KB -> request {sent / 1024:.0f} KB -> stored "
          f"{len(stored) / 1024:.0f} KB {image.size}; sent in {seconds:.1f} s at 90 KB/s")
    assert original >= 4 * 1024 * 1024
    assert len(stored) <= 500 * 1024 and sent <= 500 * 1024
    assert errors == []


def test_a_failed_upload_keeps_the_text_and_says_what_happened(
    live_server, phone_page, bridge, camera_photo, settings, tmp_path, artifact
):
    page = phone_page
    url = f"{live_server.url}/a/{bridge.code}/report/"
    page.goto(url)  # Vietnamese, the page's default language
    page.get_by_label("biển bị hư hỏng").check()
    page.get_by_label("Chi tiết").fill("Biển bị cong, mã QR bị trầy")
    page.get_by_label("Ảnh (không bắt buộc)").set_input_files(str(camera_photo))

    # The link drops while the report is on its way.
    page.route(url, lambda route: route.abort("connectionreset")
               if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Gửi báo cáo").click()
    problem = page.locator("#report-problem")
    problem.wait_for(state="visible")
    assert "mất kết nối" in problem.inner_text()
    assert page.get_by_label("Chi tiết").input_value() == "Biển bị cong, mã QR bị trầy"
    assert page.get_by_label("biển bị hư hỏng").is_checked()
    assert page.get_by_role("button", name="Gửi báo cáo").is_enabled()
    page.screenshot(path=artifact("report-network-error-vi-360.png"), full_page=True)

    # The server refuses it (this sender's quota is used up): its reason, same page.
    page.unroute(url)
    settings.QRMAP_REPORT_CLIENT_RATE_LIMIT = "0/h"
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_text("Bạn đã gửi nhiều phản ánh").wait_for()
    assert page.get_by_label("Chi tiết").input_value() == "Biển bị cong, mã QR bị trầy"
    page.screenshot(path=artifact("report-refused-vi-360.png"), full_page=True)

    # The server refuses the photo: the reason goes next to it, the text stays.
    settings.QRMAP_REPORT_CLIENT_RATE_LIMIT = "5/h"
    fake = tmp_path / "IMG_0002.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is not a picture")
    page.get_by_label("Ảnh (không bắt buộc)").set_input_files(str(fake))
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.locator('[data-field="photo"] .errorlist').wait_for()
    assert "không phải là ảnh" in page.locator('[data-field="photo"] .errorlist').inner_text()
    assert "không phải là ảnh" in problem.inner_text()
    assert page.get_by_label("Chi tiết").input_value() == "Biển bị cong, mã QR bị trầy"
    page.screenshot(path=artifact("report-photo-refused-vi-360.png"), full_page=True)
    assert Report.objects.count() == 0
