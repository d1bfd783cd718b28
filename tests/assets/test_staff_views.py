"""The plaque page: staff record installation (date, photo), damage, replacement, removal."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assets.models import Plaque
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "JPEG")
    return SimpleUploadedFile("plaque.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_install_with_date_and_photo_then_replace(client, communes, clerk_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])))
    client.force_login(clerk_a)
    url = reverse("staff:plaque_detail", args=[plaque.code])
    response = client.post(url, {"event": "install", "day": "2026-03-02", "photo": _photo()})
    assert response.status_code == 302
    plaque.refresh_from_db()
    assert plaque.status == Plaque.Status.INSTALLED
    assert str(plaque.installed_on) == "2026-03-02" and plaque.install_photo

    response = client.post(url, {"event": "replace", "note": "bị xe đâm"})
    plaque.refresh_from_db()
    new = plaque.replaced_by
    assert new is not None and response["Location"].endswith(f"/{new.code}/")
    page = client.get(url).content.decode()
    assert new.grouped_code in page and "clerk_a" in page


def test_clerk_of_another_commune_cannot_record(client, communes, clerk_b):
    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])))
    client.force_login(clerk_b)
    url = reverse("staff:plaque_detail", args=[plaque.code])
    assert client.post(url, {"event": "remove"}).status_code == 403
    plaque.refresh_from_db()
    assert plaque.status == Plaque.Status.DESIGNED


@pytest.mark.parametrize("fmt, mime", [("svg", "image/svg+xml"), ("png", "image/png"),
                                       ("pdf", "application/pdf")])
def test_single_plaque_files_scan(client, communes, clerk_a, clerk_b, fmt, mime):
    import pypdfium2 as pdfium
    import zxingcpp

    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])),
                           template="sticker", width_mm=70, height_mm=90,
                           mount_distance_m=0.4)
    client.force_login(clerk_a)
    url = reverse("staff:plaque_file", args=[plaque.code, fmt]) + "?dpi=200"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == mime
    want = f"HTTP://127.0.0.1:8000/Q/{plaque.code}"
    if fmt == "png":
        image = Image.open(io.BytesIO(response.content))
        assert round(image.info["dpi"][0]) == 200
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [want]
    elif fmt == "pdf":
        image = pdfium.PdfDocument(response.content)[0].render(scale=150 / 72).to_pil()
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [want]
    else:
        assert 'width="70mm"' in response.content.decode()
    client.force_login(clerk_b)
    assert client.get(url).status_code == 403


def test_hostile_plaque_addresses_are_a_404_or_a_400_never_a_500(client, communes, clerk_a):
    plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0])),
                           template="sticker", width_mm=70, height_mm=90,
                           mount_distance_m=0.4)
    client.force_login(clerk_a)
    for code in ("\x00", "A\x00B", "X" * 300, "<b>"):
        assert client.get(f"/staff/plaques/{code}/").status_code == 404, code
        assert client.get(f"/staff/plaques/{code}/plaque.svg").status_code == 404, code
    # The forgiving spellings of a code reach the same plaque.
    typed = f"{plaque.code[:4]}-{plaque.code[4:]}".lower()
    assert client.get(f"/staff/plaques/{typed}/").status_code == 200
    url = reverse("staff:plaque_file", args=[plaque.code, "png"])
    for dpi in ("abc", "1e308", "3\x00", "9" * 40):
        response = client.get(url, {"dpi": dpi})
        expected = 200 if dpi == "9" * 40 else 400  # past 1,200: drawn at 1,200
        assert response.status_code == expected, dpi
