"""A national-like load for map tests: tens of thousands of hamlets, sites and assets made
set-wise in SQL at random points (fixed seeds) inside today's communes, the way
bench/_national.py fills its database, every row flagged synthetic (source 'test-national').

The hamlets' commune and old district are set by the triggers of geodata 0007, as for any
insert; the assets get codes 'Y' + 7 hex digits, outside what codes.py issues (no check
symbol), which the code constraint accepts."""
from django.db import connection

SOURCE = "test-national"


def _points_sql(count: int, seed: int) -> str:
    """SELECT commune_id, location, n: count points spread over today's communes by area."""
    return f"""
        WITH communes AS (
          SELECT id, boundary, ST_Area(boundary) / sum(ST_Area(boundary)) OVER () AS share
          FROM geodata_adminunit
          WHERE level = 'commune' AND valid_to IS NULL AND boundary IS NOT NULL)
        SELECT c.id AS commune_id, g.geom AS location,
               row_number() OVER (ORDER BY c.id, g.path[1]) AS n
        FROM communes c,
             ST_Dump(ST_GeneratePoints(c.boundary, greatest(1, round(c.share * {count}))::int,
                                       {seed})) g
    """


def national_hamlets(count: int = 20_000) -> int:
    """count hamlets (about): 1 in 6 without 3G/4G, 1 in 4 without broadband."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO geodata_hamlet (name, commune_id, location, households, population,
                mobile_status, broadband_status, source, synthetic, external_id, updated_at)
            SELECT 'Thôn QG ' || p.n, p.commune_id, p.location, 40 + p.n % 160,
                   150 + (p.n * 53) % 700,
                   CASE WHEN p.n % 6 = 0 THEN 'no' WHEN p.n % 11 = 0 THEN 'unknown'
                        ELSE 'yes' END,
                   CASE WHEN p.n % 4 = 0 THEN 'no' ELSE 'yes' END,
                   '{SOURCE}', true, '', now()
            FROM ({_points_sql(count, 11)}) p""")
        return cursor.rowcount


def national_sites(count: int = 2_000) -> int:
    """count active 3G/4G sites of the four operators (about)."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO geodata_cellsite (name, operator, technologies, terrain,
                radius_overrides, coverage_radius_m, location, commune_id, status, source,
                synthetic, external_id, updated_at)
            SELECT 'BTS QG ' || p.n,
                   (ARRAY['viettel', 'vinaphone', 'mobifone', 'vietnamobile'])[1 + p.n % 4],
                   ARRAY['2G', '3G', '4G'], 'rural', '{{}}', 1500 + (p.n % 5) * 500,
                   p.location, p.commune_id, 'active', '{SOURCE}', true, '', now()
            FROM ({_points_sql(count, 12)}) p""")
        return cursor.rowcount


def national_assets(count: int = 20_000) -> int:
    """count active assets (about), the three kinds in turn."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO assets_asset (code, kind, category, name_vi, name_en, name_zh,
                description_vi, description_en, description_zh, location, commune_id,
                heritage_rank, status, position_verified, source, synthetic, external_id,
                created_at, updated_at)
            SELECT 'Y' || upper(lpad(to_hex(p.n::int), 7, '0')),
                   (ARRAY['street', 'public_work', 'heritage'])[1 + p.n % 3],
                   (ARRAY['street', 'school', 'pagoda'])[1 + p.n % 3],
                   'Địa điểm QG ' || p.n, 'Place ' || p.n, '', '', '', '', p.location,
                   p.commune_id, '', 'active', false, '{SOURCE}', true, '', now(), now()
            FROM ({_points_sql(count, 13)}) p""")
        return cursor.rowcount
