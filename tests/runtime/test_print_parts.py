"""A queued print job of a few hundred plaques, run by a real Celery worker: its pages are
drawn in parts by the job's pool of processes, each part a file on disk while the job runs,
and joined into one PDF whose every QR decodes to its plaque's code, in plaque order."""
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.conf import settings
from django.utils import timezone

from assets.access import SYSTEM
from assets.models import Asset, PrintBatch
from assets.plaques.qr import qr_payload
from assets.printing import print_batch_create, print_batch_start
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory
from tests.runtime.test_print_job_survives import own_queue  # noqa: F401 - a fixture
from tests.runtime_processes import Worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ASSETS, COPIES = 60, 4  # 240 heritage plaques, one an A4 page: parts of 30 (8 parts)


def _parts_on_disk() -> list[Path]:
    try:
        return sorted((Path(settings.QRMAP_PRIVATE_ROOT) / "print" / "parts").glob(
            "*/part-*.pdf"))
    except FileNotFoundError:  # the worker removed a job's folder while it was being read
        return []


def test_queued_job_in_parts_gives_one_pdf_in_plaque_order(geography, communes, tmp_path,
                                                            own_queue):  # noqa: F811
    for n in range(ASSETS):
        AssetFactory(location=inside(communes[0]), kind="heritage", category="temple",
                     name_vi=f"Đền thử {n:02d}")
    Asset.objects.update(position_verified=True, verified_at=timezone.now())
    worker = Worker(queue=own_queue, log=tmp_path / "worker.log", QRMAP_PRINT_PROCESSES=2)
    try:
        batch = print_batch_create(user=SYSTEM, template="heritage", paper="A4",
                                   copies=COPIES, commune=communes[0].code)
        print_batch_start(batch=batch)
        parts_seen = set()
        deadline = time.monotonic() + 300
        while batch.status not in ("done", "failed") and time.monotonic() < deadline:
            parts_seen |= {p.name for p in _parts_on_disk()}
            time.sleep(0.1)
            batch.refresh_from_db()
    finally:
        worker.stop()
    assert batch.status == PrintBatch.Status.DONE, batch.message
    assert batch.progress == batch.total == 2 * ASSETS * COPIES
    # The parts were files of their own while the job ran, and are gone once joined.
    assert len(parts_seen) >= 2 and _parts_on_disk() == []
    plaques = list(batch.plaques.order_by("pk"))
    assert len(plaques) == ASSETS * COPIES
    texts = _qr_per_page(batch)
    cover = texts.index(next(t for t in texts if t))  # the cover pages carry no QR
    assert texts[cover:] == [[qr_payload(code=p.code)] for p in plaques]


def _qr_per_page(batch) -> list[list[str]]:
    with batch.file.open("rb") as pdf:
        document = pdfium.PdfDocument(pdf.read())
    out = []
    try:
        for page in document:
            image = page.render(scale=150 / 72, grayscale=True).to_pil()
            out.append([b.text for b in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormat.QRCode)])
            page.close()
    finally:
        document.close()
    return out
