"""A large file is checked and saved by a real Celery worker, not in the web request: the
preview page shows the job's progress (202) until the worker's plan is there, and the commit
ends on the result page; a refused file says why and saves nothing."""
import time

import pytest
from django.urls import reverse

from assets.models import Asset, ImportJob
from tests.assets.staff_fixtures import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def _csv(rows: int, *, bad: bool = False) -> bytes:
    lines = ["ten,loai,vi_do,kinh_do"]
    for i in range(rows):
        lat = "abc" if bad and i == rows - 1 else f"{21.84 + (i % 100) * 0.0002:.5f}"
        lines.append(f"Trường số {i},Trường học,{lat},{106.75 + (i // 100) * 0.0002:.5f}")
    return ("\n".join(lines) + "\n").encode()


def _until(client, url, *, timeout=120):
    """GET url until it is no longer the progress page (202)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(url)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        assert "http-equiv=\"refresh\"" in response.content.decode()
        time.sleep(0.5)


@pytest.fixture
def uploaded(client, geography, settings, celery_worker):
    settings.QRMAP_IMPORT_INLINE_BYTES = 1000  # every file of this test is "large"
    client.force_login(make_staff("big_import", all_communes=True))

    def upload(content, name="truong.csv"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(reverse("staff:import_upload"), {
            "layer": "assets", "file": SimpleUploadedFile(name, content, "text/csv")})
        assert response.status_code == 302
        return response["Location"]

    return upload


def test_a_large_file_is_checked_and_saved_by_a_worker(client, uploaded):
    preview = uploaded(_csv(600))
    first = client.get(preview)
    assert first.status_code == 202  # the worker has it; the request did not read the file
    page = _until(client, preview)
    assert page.status_code == 200 and "600" in page.content.decode()
    job = ImportJob.objects.get(kind="preview")
    assert job.status == "done" and job.progress == job.total == 600
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("staff:import_confirm", args=[token]))
    assert response.status_code == 302 and "/job/" in response["Location"]
    result = _until(client, response["Location"])
    assert result.status_code == 302 and result["Location"].endswith("/result/")
    assert Asset.objects.filter(name_vi__startswith="Trường số ").count() == 600
    assert ImportJob.objects.get(kind="commit").status == "done"


def test_a_refused_large_file_says_why_and_saves_nothing(client, uploaded):
    preview = uploaded(_csv(300, bad=True))
    page = _until(client, preview)
    assert page.status_code == 200 and "abc" in page.content.decode()
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("staff:import_confirm", args=[token]))
    back = _until(client, response["Location"])
    assert back.status_code == 302 and "error=" in back["Location"]
    assert not Asset.objects.filter(name_vi__startswith="Trường số ").exists()
    assert ImportJob.objects.get(kind="commit").status == "failed"
