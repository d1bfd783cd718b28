"""Fixtures of the geodata tests: a province-sized set of hamlets and sites made in SQL."""
import pytest
from django.db import connection

from tests.second_province import second_province  # noqa: F401


@pytest.fixture
def province_hamlets(geography):
    """About 1,650 hamlets spread over the 65 communes by population, ~16% without 3G/4G and
    ~25% without broadband, and a site near every fifth covered hamlet (fixed seeds)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO geodata_hamlet (name, commune_id, location, households, population,
                mobile_status, broadband_status, source, synthetic, external_id, updated_at)
            SELECT 'Thôn ' || c.short_name || ' ' || g.path[1], c.id, g.geom,
                   60 + (g.path[1] * 37) % 140, 250 + (g.path[1] * 53) % 500,
                   CASE WHEN g.path[1] % 6 = 0 THEN 'no' WHEN g.path[1] % 11 = 0
                        THEN 'unknown' ELSE 'yes' END,
                   CASE WHEN g.path[1] % 4 = 0 THEN 'no' ELSE 'yes' END,
                   'test', true, '', now()
            FROM geodata_adminunit c,
                 ST_Dump(ST_GeneratePoints(c.boundary,
                         greatest(8, coalesce(c.population, 20000) / 520), 7)) g
            WHERE c.level = 'commune' AND c.valid_to IS NULL AND c.boundary IS NOT NULL
        """)
        cursor.execute("""
            INSERT INTO geodata_cellsite (name, operator, technologies, terrain,
                radius_overrides, coverage_radius_m, location, status, source, synthetic,
                external_id, updated_at)
            SELECT 'BTS ' || h.id,
                   (ARRAY['viettel', 'vinaphone', 'mobifone', 'vietnamobile'])[1 + h.id % 4],
                   ARRAY['2G', '3G', '4G'], 'rural', '{}', 2500 + (h.id % 5) * 700,
                   ST_Translate(h.location, 0.004, 0.003), 'active', 'test', true, '', now()
            FROM geodata_hamlet h WHERE h.mobile_status = 'yes' AND h.id % 5 = 0
        """)
