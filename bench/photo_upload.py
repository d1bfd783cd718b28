"""What a photo upload costs the web request: asset_photo_add as the admin and the API call
it (checks from the header, a private copy, a queued job) beside the same call processed
inline, which is what the request did before the work moved to a Celery worker (decode,
turn upright, resize, four encodes). A 12-megapixel phone photo of about 4.4 MB, median of
a few runs, in one run. Every row (the asset too) is rolled back and the files go to a
throwaway folder; run it on a database of its own (DATABASE_URL=postgis:///qrmap_bench_photos,
migrated), like the other benchmarks.
"""
import statistics
import tempfile
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings

from bench._report import Row

RUNS = 5


class _Rollback(Exception):
    pass


def _timed(asset, data: bytes, *, inline: bool) -> float:
    from assets.access import SYSTEM
    from assets.services.photos import asset_photo_add

    with transaction.atomic():
        started = time.perf_counter()
        asset_photo_add(user=SYSTEM, asset=asset, inline=inline,
                        upload=SimpleUploadedFile("IMG.jpg", data, "image/jpeg"))
        return (time.perf_counter() - started) * 1000


def _medians(data: bytes) -> tuple[float, float]:
    from tests.factories import AssetFactory

    try:
        with transaction.atomic():  # no row kept, no task sent (on_commit never runs)
            asset = AssetFactory()
            queued = statistics.median(_timed(asset, data, inline=False) for _ in range(RUNS))
            inline = statistics.median(_timed(asset, data, inline=True) for _ in range(RUNS))
            raise _Rollback
    except _Rollback:
        return queued, inline


def run():
    from tests.assets.image_samples import camera_jpeg

    data = camera_jpeg()
    with tempfile.TemporaryDirectory() as media, tempfile.TemporaryDirectory() as private, \
            override_settings(MEDIA_ROOT=media, QRMAP_PRIVATE_ROOT=private):
        queued, inline = _medians(data)
    return {
        "title": "Photo upload: time the web request spends (ms, median of "
                 f"{RUNS}); baseline = the variants made in the request",
        "rows": [Row("asset_photo_add, 12 MP JPEG", round(queued, 1), round(inline, 1))],
        "context": {"upload_bytes": len(data), "pixels": "4000 × 3000", "runs": RUNS},
    }
