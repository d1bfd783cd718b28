"""A commune clerk logs in, prints the verified assets of the commune in the print centre,
watches the job progress and downloads a PDF whose every QR decodes."""
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from assets.models import Plaque
from geodata.models import AdminUnit
from tests.assets.staff_fixtures import inside, make_staff, verified_asset
from tests.factories import AssetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_prints_verified_assets_of_the_commune(celery_worker, live_server, desktop_page,
                                                     artifact, geography):
    communes = AdminUnit.objects.current().communes()
    home, other = communes.get(code="05977"), communes.get(code="05986")
    clerk = make_staff("clerk_dk", communes=[home])
    verified_asset(home, clerk, kind="heritage", category="temple", heritage_rank="provincial",
                   name_vi="Đền Kỳ Cùng", name_en="Ky Cung Temple", name_zh="奇穷庙",
                   description_vi="Đền thờ bên bờ sông Kỳ Cùng, lễ hội tháng Giêng.")
    verified_asset(home, clerk, kind="street", category="street", name_vi="Đường Trần Đăng Ninh")
    AssetFactory(location=inside(home), name_vi="Chợ Đông Kinh")  # not verified
    verified_asset(other, None, name_vi="Chùa Tam Thanh")  # another commune

    page = desktop_page
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/print/")
    page.fill("#id_username", "clerk_dk")
    page.fill("#id_password", "pass-word-123")
    page.click("form.login [type=submit]")
    page.wait_for_selector("#print-form")
    # The clerk's only commune is offered; the other commune is not.
    options = page.locator("#id_commune option").all_inner_texts()
    assert "Phường Đông Kinh" in options and "Phường Tam Thanh" not in options
    page.select_option("#id_commune", "05977")
    page.select_option("#id_paper", "A4")
    page.click("button[name=preview]")
    preview = page.inner_text("#preview")
    assert "Đền Kỳ Cùng" in preview and "Chợ Đông Kinh" in preview
    page.screenshot(path=artifact("print-centre.png"), full_page=True)
    page.click("#make-pdf")

    page.wait_for_selector("#download:not([hidden]) a", timeout=90_000)
    # The unverified asset is listed as skipped, the other commune's asset is not there.
    assert "Chợ Đông Kinh" in page.inner_text("#skipped")
    assert "Chùa Tam Thanh" not in page.inner_text("body")
    page.screenshot(path=artifact("print-batch-done.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#download a")
    target = Path(artifact("plaques.pdf"))
    info.value.save_as(target)
    own = live_server.url.split("//")[1]
    assert page.requests.foreign(own) == []

    plaques = Plaque.objects.filter(asset__commune=home)
    assert plaques.count() == 2 and {p.status for p in plaques} == {"printed"}
    document = pdfium.PdfDocument(target.read_bytes())
    found = set()
    for number, pdf_page in enumerate(document):
        image = pdf_page.render(scale=150 / 72).to_pil()
        found |= {b.text for b in zxingcpp.read_barcodes(image)}
        image.save(artifact(f"pdf-page-{number + 1}.png"))
    assert found == {f"HTTP://127.0.0.1:8000/Q/{p.code}" for p in plaques}
