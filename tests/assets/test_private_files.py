"""Private files (issue #11): print PDFs, report photos, installation photos and import
uploads live under random names outside MEDIA_ROOT, and only the staff who may read the row
that owns a file get its bytes, streamed or handed to nginx by X-Accel-Redirect."""
import base64
import importlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve
from PIL import Image

from assets.importers.uploads import upload_store
from assets.models import Plaque, PrintBatch, Report
from assets.printing import print_batch_create, print_batch_run
from tests.assets.staff_fixtures import make_staff, verified_asset
from tests.factories import PlaqueFactory

pytestmark = pytest.mark.django_db
NAME = re.compile(r"^(print|reports|plaques)/\d{4}/\d{2}/(?P<token>[A-Za-z0-9_-]{32})\.(pdf|jpg)$")


@pytest.fixture(autouse=True)
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_PRIVATE_ROOT = tmp_path / "private"
    settings.QRMAP_PRIVATE_ACCEL_PREFIX = ""
    return tmp_path


def _jpeg(name="IMG_0042.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def batch(communes, clerk_a):
    verified_asset(communes[0], clerk_a, name_vi="Cầu Kỳ Lừa")
    job = print_batch_create(user=clerk_a, commune="05977")
    print_batch_run(batch=job)
    job.refresh_from_db()
    assert job.status == PrintBatch.Status.DONE
    return job


@pytest.fixture
def report(communes, clerk_a):
    asset = verified_asset(communes[0], clerk_a)
    return Report.objects.create(asset=asset, problem="damaged", photo=_jpeg())


def _token_bits(name):
    token = NAME.match(name)["token"]
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def _public_files():
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_names_are_random_private_and_not_derived_from_ids_or_uploads(batch, report):
    for field in (batch.file, report.photo):
        assert NAME.match(field.name), field.name
        assert _token_bits(field.name) >= 128
        assert (Path(settings.QRMAP_PRIVATE_ROOT) / field.name).is_file()
    assert "batch" not in batch.file.name and "IMG" not in report.photo.name
    assert _public_files() == []  # nothing under MEDIA_ROOT
    # Two files of the same kind share nothing but the folder.
    again = Report.objects.create(asset=report.asset, problem="damaged", photo=_jpeg())
    assert NAME.match(again.photo.name)["token"] != NAME.match(report.photo.name)["token"]


def test_print_pdf_is_refused_to_anonymous_and_other_commune_and_served_to_its_clerk(
        client, batch, clerk_a, clerk_b):
    download = reverse("staff:batch_download", args=[batch.pk])
    direct = batch.file.url
    assert direct == reverse("staff:private_file", kwargs={"name": batch.file.name})
    for url in (download, direct):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(clerk_b)
    assert client.get(download).status_code in (403, 404)
    assert client.get(direct).status_code == 404
    client.force_login(clerk_a)
    for url in (download, direct):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"qrmap-plaques-{batch.pk}.pdf" in client.get(download)["Content-Disposition"]


def test_the_old_public_media_url_serves_nothing(client, batch, clerk_a):
    client.force_login(clerk_a)
    old = f"print/{batch.created_at:%Y/%m}/plaques-batch-{batch.pk}.pdf"
    for name in (old, batch.file.name):
        assert client.get(settings.MEDIA_URL + name).status_code == 404
        # Whatever serves MEDIA_ROOT (nginx's /media/ alias, DEBUG's static view) finds nothing.
        with pytest.raises(Http404):
            serve(RequestFactory().get("/"), name, document_root=settings.MEDIA_ROOT)


def test_report_photo_needs_the_report_scope_and_permission(client, report, communes, clerk_a,
                                                            clerk_b, province):
    url = report.photo.url
    assert client.get(url).status_code == 302
    client.force_login(clerk_b)
    assert client.get(url).status_code == 404
    planner = make_staff("planner_a", roles=("planner",), communes=[communes[0]])
    client.force_login(planner)  # sees the commune, but not its reports
    assert client.get(url).status_code == 404
    for user in (clerk_a, province):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == report.photo.open("rb").read()


def test_install_photo_follows_the_plaque_scope(client, communes, clerk_a, clerk_b):
    plaque = PlaqueFactory(asset=verified_asset(communes[0], clerk_a))
    plaque.install_photo = _jpeg("plaque.jpg")
    plaque.save()
    plaque = Plaque.objects.get(pk=plaque.pk)
    assert NAME.match(plaque.install_photo.name) and plaque.install_photo.name.startswith(
        "plaques/")
    client.force_login(clerk_b)
    assert client.get(plaque.install_photo.url).status_code == 404
    client.force_login(clerk_a)
    assert client.get(plaque.install_photo.url).status_code == 200


def test_with_nginx_the_view_answers_x_accel_redirect_and_no_body(client, settings, batch,
                                                                   report, clerk_a, clerk_b):
    settings.QRMAP_PRIVATE_ACCEL_PREFIX = "/_private/"
    client.force_login(clerk_a)
    response = client.get(reverse("staff:batch_download", args=[batch.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{batch.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    response = client.get(report.photo.url)
    assert response["X-Accel-Redirect"] == f"/_private/{report.photo.name}"
    assert response.content == b"" and response["Content-Type"] == "image/jpeg"
    client.force_login(clerk_b)  # a refusal stays a refusal
    response = client.get(report.photo.url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_names_no_row_owns_are_not_served(admin_client, report):
    for name in ("imports/" + "a" * 43 + "/upload.csv", "orphaned/print/x.pdf",
                 report.photo.name.replace("reports/", "plaques/"), "../private/x"):
        assert admin_client.get(f"/staff/files/{name}").status_code == 404


def test_admin_links_the_report_photo_to_the_scoped_view(admin_client, report):
    page = admin_client.get(reverse("admin:assets_report_change", args=[report.pk]))
    html = page.content.decode()
    assert report.photo.url in html and settings.MEDIA_URL + "reports" not in html


def test_import_uploads_are_kept_outside_media(db, roots):
    user = make_staff("importer", roles=("editor",))
    token = upload_store(file=SimpleUploadedFile("hamlets.csv", b"ten,x,y\n"), user=user,
                         layer="hamlets")
    assert (Path(settings.QRMAP_PRIVATE_ROOT) / "imports" / token).is_dir()
    assert _public_files() == []


def test_migration_moves_existing_public_files_under_new_names(
        communes, clerk_a, django_capture_on_commit_callbacks):
    from django.apps import apps

    migration = importlib.import_module("assets.migrations.0006_private_files")
    old = default_storage.save("reports/2026/01/report.jpg", _jpeg())
    stray = default_storage.save("print/2026/12/plaques-batch-1.pdf", ContentFile(b"%PDF-1"))
    upload = default_storage.save("imports/" + "t" * 43 + "/file.csv", ContentFile(b"a,b\n"))
    report = Report.objects.create(asset=verified_asset(communes[0], clerk_a), problem="other")
    Report.objects.filter(pk=report.pk).update(photo=old)
    with django_capture_on_commit_callbacks(execute=True):
        migration.forwards(apps, None)
    report.refresh_from_db()
    assert NAME.match(report.photo.name) and report.photo.name != old
    assert report.photo.open("rb").read()[:2] == b"\xff\xd8"
    private = Path(settings.QRMAP_PRIVATE_ROOT)
    assert (private / "orphaned" / stray).read_bytes() == b"%PDF-1"
    assert (private / upload).read_bytes() == b"a,b\n"
    assert _public_files() == []
