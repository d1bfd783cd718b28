"""Scan counting: a daily count per code and language, nothing about the person.

A scan is a visit: it is counted for a 200 and for a 304 alike (the phone that revalidates
its cached copy is a person in front of the plaque too), and never for HEAD requests, which
link previewers and monitors send.

A scan is one HINCRBY in Redis (the shared store of every web process), not a database write
in the request; Celery beat flushes the counts into the daily Scan rows every minute:
1. the pending hash is RENAMEd to a flush key with an id (atomic: new scans go to a fresh
   hash meanwhile, nothing is lost between reading and deleting);
2. its counts are added to the Scan rows, and the flush id recorded, in ONE transaction;
3. the flush key is deleted.
A flush killed after 1 leaves its key, which the next flush takes up first; one killed after
2 leaves a key whose id is already recorded, which the next flush only deletes. So a count is
never lost and never added twice.
"""
import datetime
import secrets

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from assets.models import Asset, Plaque

# A count for an asset or plaque deleted since the scan has no row to go to: it is dropped.
_UPSERT = """
INSERT INTO assets_scan (day, code, asset_id, plaque_id, language, count)
SELECT t.day, t.code, t.asset_id, t.plaque_id, t.language, t.n
FROM unnest(%s::date[], %s::varchar[], %s::bigint[], %s::bigint[], %s::varchar[], %s::int[])
     AS t(day, code, asset_id, plaque_id, language, n)
WHERE EXISTS (SELECT 1 FROM assets_asset a WHERE a.id = t.asset_id)
  AND (t.plaque_id IS NULL OR EXISTS (SELECT 1 FROM assets_plaque p WHERE p.id = t.plaque_id))
ON CONFLICT (code, day, language) DO UPDATE SET count = assets_scan.count + EXCLUDED.count
"""
_client = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def _key(name: str) -> str:
    # The cache's prefix: a test run's counters never mix with a running site's.
    return cache.make_key(f"scans:{name}")


def scan_record(*, code: str, asset: Asset, plaque: Plaque | None = None,
                language: str = "vi", day: datetime.date | None = None) -> None:
    """Count one scan of a code (a plaque's code counts for that plaque) for today."""
    scan_record_ids(code=code, asset_id=asset.pk, plaque_id=plaque.pk if plaque else None,
                    language=language, day=day)


def scan_record_ids(*, code: str, asset_id: int, plaque_id: int | None, language: str,
                    day: datetime.date | None = None) -> None:
    """scan_record for a page served from the cache, which holds ids, not rows."""
    day = day or timezone.localdate()
    field = f"{day.isoformat()}|{code}|{asset_id}|{plaque_id or ''}|{language[:10]}"
    _redis().hincrby(_key("pending"), field, 1)


def scans_pending() -> int:
    """Scans counted in Redis and not flushed yet."""
    client = _redis()
    keys = [_key("pending"), *client.scan_iter(match=_key("flush:*"))]
    return sum(int(v) for key in keys for v in client.hvals(key))


def scans_flush(*, stop_after_commit: bool = False) -> int:
    """Move the pending counts into the Scan rows; returns how many scans were added.
    `stop_after_commit` leaves the flush key behind, as a flush killed at that point would."""
    client = _redis()
    added = 0
    for key in sorted(client.scan_iter(match=_key("flush:*"))):
        added += _flush_key(client, key, stop_after_commit)
    key = _key(f"flush:{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(6)}")
    try:
        client.rename(_key("pending"), key)
    except redis.ResponseError:  # no pending scans
        return added
    return added + _flush_key(client, key, stop_after_commit)


def _flush_key(client, key, stop_after_commit: bool) -> int:
    flush_id = (key.decode() if isinstance(key, bytes) else key).rsplit(":", 1)[-1]
    counts = client.hgetall(key)
    rows = [f.decode().split("|") + [int(n)] for f, n in counts.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO assets_scanflush (id) VALUES (%s) ON CONFLICT DO NOTHING",
                       [flush_id])
        if cursor.rowcount == 0:
            rows = []  # committed before: only the key is left to delete
        elif rows:
            cursor.execute(_UPSERT, [
                [r[0] for r in rows], [r[1] for r in rows], [int(r[2]) for r in rows],
                [int(r[3]) if r[3] else None for r in rows], [r[4] for r in rows],
                [r[5] for r in rows]])
    if not stop_after_commit:
        client.delete(key)
    return sum(r[5] for r in rows)
