"""A fingerprint of everything the coverage analysis reads, so that pages can answer
If-None-Match with 304 and the home page can reuse the province figures until data change.

Row timestamps are not enough: bulk updates (imports, admin actions, QuerySet.update) skip
auto_now. The fingerprint hashes the columns the model uses instead, a few ms per province.
A corrected boundary reaches it through the units the triggers of migration 0007 store on
the hamlets.
"""
from django.core.cache import cache
from django.db import connection

FINGERPRINT_SQL = """
SELECT md5(
  coalesce((SELECT string_agg(concat_ws(',', id, commune_id, district_before_id, households,
                population, mobile_status, broadband_status, ST_X(location), ST_Y(location)),
                ';' ORDER BY id)
            FROM geodata_hamlet), '')
  || '|' ||
  coalesce((SELECT string_agg(concat_ws(',', id, status, coverage_radius_m, technologies::text,
                ST_X(location), ST_Y(location)), ';' ORDER BY id)
            FROM geodata_cellsite), '')
  || '|' ||
  (SELECT concat_ws(',', count(*), max(id)) FROM geodata_adminunit)
)
"""
CACHE_SECONDS = 3600


def coverage_fingerprint() -> str:
    """md5 over the hamlets, sites and units the analysis reads."""
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL)
        return cursor.fetchone()[0]


def cached(name: str, compute):
    """compute() once per data fingerprint (per process cache)."""
    key = f"qrmap:coverage:{name}:{coverage_fingerprint()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
