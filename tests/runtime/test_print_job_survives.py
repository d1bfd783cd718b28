"""A print job survives the death of its worker: SIGKILL halfway, a new worker starts, and
the job ends done with a PDF whose every QR decodes (or failed with a reason), never stuck
"running"."""
import time

import pytest
from django.utils import timezone

from assets.access import SYSTEM
from assets.models import Asset, PrintBatch
from assets.plaques.qr import qr_payload
from assets.printing import print_batch_create, print_batch_start
from qrmap.celery import app
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory
from tests.runtime_processes import Worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PLAQUES = 300


def _wait(batch, until, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if until(batch):
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch.pk}: {batch.status} {batch.progress}/{batch.total}")


@pytest.fixture
def own_queue():
    """A queue of this test's own (its workers die on purpose); the run's queue is put back
    after it, for the tests that use the shared celery_worker."""
    previous = app.conf.task_default_queue
    queue = f"kill-{time.monotonic_ns()}"
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous


def test_killed_worker_halfway_the_job_still_ends_done(geography, communes, tmp_path, own_queue):
    queue = own_queue
    for _ in range(PLAQUES):
        AssetFactory(location=inside(communes[0]), kind="street", category="street")
    Asset.objects.update(position_verified=True, verified_at=timezone.now())
    # Heartbeats older than 3 s mean a dead worker (the site uses two minutes).
    first = Worker(queue=queue, log=tmp_path / "first.log", QRMAP_JOB_STALE_SECONDS=3)
    batch = print_batch_create(user=SYSTEM, template="street_sign", paper="A4",
                               commune=communes[0].code)
    assert batch.total == PLAQUES
    print_batch_start(batch=batch)
    _wait(batch, lambda b: b.status == "running" and b.progress >= PLAQUES // 2, 240)
    first.kill()
    halfway = batch.progress
    time.sleep(4)  # the heartbeat goes stale
    second = Worker(queue=queue, log=tmp_path / "second.log", QRMAP_JOB_STALE_SECONDS=3)
    try:
        batch = _wait(batch, lambda b: b.status in ("done", "failed"), 300)
    finally:
        second.stop()
    assert batch.status == PrintBatch.Status.DONE, batch.message
    assert batch.attempts == 2 and 0 < halfway < batch.total
    assert batch.plaques.count() == PLAQUES
    # Every QR of the delivered PDF decodes, read independently of the job's own check.
    with batch.file.open("rb") as pdf:
        found = _decode_every_page(pdf.read())
    assert sorted(found) == sorted(qr_payload(code=p.code) for p in batch.plaques.all())


def _decode_every_page(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(pdf)
    texts = []
    try:
        for page in document:
            image = page.render(scale=150 / 72, grayscale=True).to_pil()
            texts += [b.text for b in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormat.QRCode)]
            page.close()
    finally:
        document.close()
    return texts
