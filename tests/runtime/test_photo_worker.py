"""A phone photo uploaded through the API is processed by a real Celery worker: the request
only keeps it privately and queues it; the worker publishes small variants without the
phone's GPS position, and the public pages show it from then on. A worker killed while it
holds the job leaves it to the next one (the job recovery at its start)."""
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets.models import AssetPhoto
from qrmap.celery import app
from tests.assets.image_samples import GPS, camera_jpeg
from tests.assets.staff_fixtures import make_staff, verified_asset
from tests.runtime.test_print_job_survives import own_queue  # noqa: F401 - a fixture
from tests.runtime_processes import Worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _wait(photo, until, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        photo.refresh_from_db()
        if until(photo):
            return photo
        time.sleep(0.2)
    raise AssertionError(f"photo {photo.pk}: {photo.status} {photo.message}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(asset, user, data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    sent = client.post(f"/api/assets/{asset.code}/photos/", {
        "image": SimpleUploadedFile("IMG_0007.jpg", data, "image/jpeg"),
        "caption_vi": "Cổng đền", "caption_en": "Temple gate"}, format="multipart")
    assert sent.status_code == 202, sent.content
    return AssetPhoto.objects.get(pk=sent.json()["id"])


def test_the_worker_publishes_an_uploaded_photo(geography, communes, media, tmp_path,
                                                own_queue, client):  # noqa: F811
    clerk = make_staff("photo_clerk", communes=[communes[0]])
    temple = verified_asset(communes[0], clerk, name_vi="Đền Mẫu")
    worker = Worker(queue=own_queue, log=tmp_path / "worker.log", MEDIA_ROOT=media)
    try:
        photo = _upload(temple, clerk, camera_jpeg())  # 12 MP, ~4.4 MB, with GPS in EXIF
        assert photo.status in ("queued", "running") and not photo.image
        photo = _wait(photo, lambda p: p.status in ("done", "failed"))
    finally:
        worker.stop()
    assert photo.status == "done", photo.message
    assert not photo.original and photo.attempts == 1
    sizes = {name: getattr(photo, name).size for name in (
        "image", "large_webp", "thumb_jpeg", "thumb_webp")}
    assert max(sizes["thumb_jpeg"], sizes["thumb_webp"]) <= 30 * 1024, sizes
    assert max(sizes.values()) < 1024 * 1024, sizes  # from a 4.4 MB upload
    for name in sizes:
        with getattr(photo, name).open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert GPS not in image.getexif() and "exif" not in image.info, name
    page = client.get(f"/a/{temple.code}?lang=en").content.decode()
    assert photo.thumb_jpeg.url in page and 'alt="Temple gate"' in page


def test_a_job_whose_worker_died_is_done_by_the_next(geography, communes, media, tmp_path,
                                                     own_queue):  # noqa: F811
    clerk = make_staff("photo_clerk", communes=[communes[0]])
    temple = verified_asset(communes[0], clerk)
    # The task goes to a queue no worker reads, and the row says a worker claimed it and
    # went silent: what a worker killed halfway leaves behind.
    dead = f"{own_queue}-dead"
    app.conf.task_default_queue = dead
    try:
        photo = _upload(temple, clerk, camera_jpeg(2000, 1500, orientation=None))
    finally:
        app.conf.task_default_queue = own_queue
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(dead)
    AssetPhoto.objects.filter(pk=photo.pk).update(status="running", attempts=1,
                                                  heartbeat_at="2000-01-01T00:00Z")
    # The next worker sends again, as it starts, what its predecessor left running
    # (geodata.jobs.jobs_recover, also run by beat every minute).
    worker = Worker(queue=own_queue, log=tmp_path / "worker.log", MEDIA_ROOT=media)
    try:
        photo = _wait(photo, lambda p: p.status in ("done", "failed"))
    finally:
        worker.stop()
    assert photo.status == "done" and photo.attempts == 2, photo.message
    assert photo.thumb_webp and not photo.original
