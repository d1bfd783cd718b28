"""Scan counting: one daily row per code and language, nothing about the person.

A scan is a visit: it is counted for a 200 and for a 304 alike (the phone that revalidates
its cached copy is a person in front of the plaque too), and never for HEAD requests, which
link previewers and monitors send.
"""
import datetime

from django.db import connection
from django.utils import timezone

from assets.models import Asset, Plaque

# One statement, one round trip, atomic under concurrency: the unique (code, day, language)
# constraint turns a second INSERT of the same day into an increment instead of a race.
# set_config(..., true) turns off the wait for the WAL flush for this statement's own
# transaction only: a scan count is not worth a disk flush per page view, and a server
# crash may at worst lose the last few counts.
_UPSERT = """
WITH quick AS (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO assets_scan (day, code, asset_id, plaque_id, language, count)
SELECT %s, %s, %s, %s, %s, 1 FROM quick
ON CONFLICT (code, day, language) DO UPDATE SET count = assets_scan.count + 1
"""


def scan_record(*, code: str, asset: Asset, plaque: Plaque | None = None,
                language: str = "vi", day: datetime.date | None = None) -> None:
    """Count one scan of a code (a plaque's code counts for that plaque) for today."""
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [day, code, asset.pk, plaque.pk if plaque else None,
                                 language[:10]])
