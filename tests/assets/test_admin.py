"""The admin and the staff pages as a clerk uses them: scope answers 403, history shows edits,
deleting an asset with plaques retires it, the print centre runs a job."""
import pytest
from django.urls import reverse

from assets.models import Asset, PrintBatch
from tests.assets.staff_fixtures import inside, verified_asset
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def test_clerk_gets_403_on_another_communes_asset(client, communes, clerk_a):
    theirs = AssetFactory(location=inside(communes[1]))
    mine = AssetFactory(location=inside(communes[0]))
    client.force_login(clerk_a)
    assert client.get(reverse("admin:assets_asset_change", args=[theirs.pk])).status_code == 403
    page = client.get(reverse("admin:assets_asset_change", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.grouped_code in html and "<svg" in html and "vendor/leaflet/leaflet.js" in html
    listing = client.get(reverse("admin:assets_asset_changelist")).content.decode()
    assert mine.name_vi in listing and theirs.name_vi not in listing


def test_clerk_cannot_print_another_commune(client, communes, clerk_a):
    client.force_login(clerk_a)
    response = client.post(reverse("staff:print_centre"), {
        "commune": "05986", "template": "auto", "paper": "A4", "copies": 1, "status": "active"})
    # 05986 is not among the clerk's choices: the form refuses it, nothing is queued.
    assert response.status_code == 200 and not PrintBatch.objects.exists()
    other = verified_asset(communes[1], None)
    response = client.post(reverse("staff:print_centre"), {
        "codes": other.code, "template": "auto", "paper": "A4", "copies": 1, "status": ""})
    assert response.status_code == 403


def test_history_shows_who_changed_what(client, communes, clerk_a):
    asset = AssetFactory(location=inside(communes[0]), name_vi="Chợ Giếng Vuông")
    client.force_login(clerk_a)
    url = reverse("admin:assets_asset_change", args=[asset.pk])
    form = {"kind": asset.kind, "category": asset.category, "heritage_rank": "",
            "status": "active", "name_vi": "Chợ Giếng Vuông mới", "name_en": "", "name_zh": "",
            "description_vi": "", "description_en": "", "description_zh": "",
            "location": asset.location.json, "shape": "", "source": "", "external_id": "",
            "synthetic": "on", "plaques-TOTAL_FORMS": "0", "plaques-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    assert client.post(url, form).status_code == 302
    history = client.get(reverse("admin:assets_asset_history", args=[asset.pk])).content.decode()
    assert "clerk_a" in history
    assert "Chợ Giếng Vuông mới" in history and "Chợ Giếng Vuông" in history


def test_history_screens_of_an_id_of_no_possible_shape_are_a_404(client, communes, province):
    asset = AssetFactory(location=inside(communes[0]))
    client.force_login(province)
    for typed in ("\x00", "<b>", "x" * 300, "9" * 30, "²"):
        for url in (f"/admin/assets/asset/{typed}/history/",
                    f"/admin/assets/asset/{typed}/history/1/",
                    f"/admin/assets/asset/{asset.pk}/history/{typed}/",
                    f"/admin/assets/plaque/{typed}/history/"):
            assert client.get(url).status_code == 404, url
        # The change screen's own answer: back to the index, "does not exist".
        assert client.get(f"/admin/assets/asset/{typed}/change/").status_code == 302


def test_delete_of_an_asset_with_plaques_retires_it(client, communes, province):
    asset = PlaqueFactory(asset=AssetFactory(location=inside(communes[0]))).asset
    client.force_login(province)
    url = reverse("admin:assets_asset_delete", args=[asset.pk])
    client.post(url, {"post": "yes"})
    assert Asset.objects.get(pk=asset.pk).status == Asset.Status.RETIRED


def test_print_centre_runs_a_job_and_serves_the_pdf(client, communes, clerk_a, settings):
    settings.QRMAP_JOBS_INLINE = True
    verified_asset(communes[0], clerk_a, name_vi="Trường THPT Việt Bắc")
    AssetFactory(location=inside(communes[0]), name_vi="Nhà văn hoá khối 3")
    client.force_login(clerk_a)
    response = client.post(reverse("staff:print_centre"), {
        "commune": "05977", "template": "sticker", "paper": "A4", "copies": 1,
        "status": "active"})
    batch = PrintBatch.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("staff:batch_detail", args=[batch.pk])).content.decode()
    assert "Nhà văn hoá khối 3" in page and "Trường THPT Việt Bắc" in page
    status = client.get(reverse("staff:batch_status", args=[batch.pk])).json()
    assert status["status"] == "done" and status["plaques"] == 1
    pdf = client.get(reverse("staff:batch_download", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_plaque_health_lists_reported_plaques(client, communes, province):
    from assets.models import Report

    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])))
    Report.objects.create(asset=plaque.asset, plaque=plaque, problem="damaged")
    client.force_login(province)
    page = client.get(reverse("staff:plaque_health")).content.decode()
    assert plaque.grouped_code in page


def test_public_pages_need_no_login_and_staff_pages_do(client):
    assert client.get("/").status_code == 200
    assert client.get(reverse("staff:print_centre")).status_code == 302
    assert client.get(reverse("login")).status_code == 200


def test_verify_button_records_who_and_other_communes_get_403(client, communes, clerk_a,
                                                              clerk_b):
    asset = AssetFactory(location=inside(communes[0]))
    client.force_login(clerk_a)
    page = client.get(reverse("admin:assets_asset_change", args=[asset.pk])).content.decode()
    assert 'id="verify-position"' in page
    url = reverse("admin:assets_asset_verify", args=[asset.pk])
    assert client.get(url).status_code == 403  # GET never changes anything
    assert client.post(url).status_code == 302
    asset.refresh_from_db()
    assert asset.position_verified and asset.verified_by == clerk_a
    client.force_login(clerk_b)
    assert client.post(url).status_code == 403


def test_print_centre_preview_lists_what_will_print_and_what_is_skipped(client, communes,
                                                                        clerk_a):
    verified_asset(communes[0], clerk_a, name_vi="Cầu Kỳ Lừa")
    AssetFactory(location=inside(communes[0]), name_vi="Nhà văn hoá khối 5")
    client.force_login(clerk_a)
    page = client.post(reverse("staff:print_centre"), {
        "commune": "05977", "template": "auto", "paper": "A4", "copies": 1,
        "status": "active", "preview": "1"}).content.decode()
    preview = page[page.index('id="preview"'):]
    assert "Cầu Kỳ Lừa" in preview and "Nhà văn hoá khối 5" in preview
    assert not PrintBatch.objects.exists()


def test_plaque_list_links_the_plaque_page(client, communes, province):
    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])))
    client.force_login(province)
    page = client.get(reverse("admin:assets_plaque_changelist")).content.decode()
    assert reverse("staff:plaque_detail", args=[plaque.code]) in page


def test_the_asset_page_of_the_admin_previews_the_qr_it_will_print(client, communes, clerk_a,
                                                                    settings):
    settings.QRMAP_PUBLIC_BASE_URL = "https://qr.example.vn"
    asset = AssetFactory(location=inside(communes[0]))
    client.force_login(clerk_a)
    html = client.get(reverse("admin:assets_asset_change", args=[asset.pk])).content.decode()
    assert "<svg" in html
    assert f"<code>HTTPS://QR.EXAMPLE.VN/Q/{asset.code}</code>" in html
