"""Coverage: the province map against a marker-per-hamlet Folium map, and the analysis at
national scale against a Python loop.

1. Province (the demo data in the configured database): the HTML of /maps/coverage/ (bytes,
   gzip bytes, server time through Django's test client) against a baseline made in the same
   run: the same analysis, then a default Folium map with one CircleMarker and one Popup per
   hamlet, rendered to HTML (timed as a plain function call, without the middleware the
   real page pays for, so the comparison favours the baseline).
2. Province, first paint on an emulated rural 3G link (bench._paint) in headless Chromium
   against gunicorn: the tile map at /maps/coverage/ (its first response carries the
   overview of the hamlets, geodata.overview) against the same page with every feature
   inline and blocking scripts (bench.baseline.coverage_inline_page), same run.
3. Nation (generated: 100,000 hamlets, 10,000 sites, ~680 old districts, in a throwaway
   schema that this benchmark creates and drops): coverage_figures() with the index-friendly
   SQL, against a baseline that loops over hamlets and sites in Python (haversine) on a 1%
   sample of the hamlets and scales the time up by 100.
"""
import gzip
import math
import os
import statistics
import time

import folium
from django.conf import settings
from django.db import connection
from django.test import Client

from bench._report import Row

TIMED_REQUESTS = 20
NATION_HAMLETS = 100_000
NATION_SITES = 10_000
SAMPLE_SHARE = 0.01
EARTH_RADIUS_M = 6_371_008.8


def marker_per_hamlet_html() -> bytes:
    from geodata.coverage import coverage_figures

    figures = coverage_figures()
    fmap = folium.Map(location=[21.85, 106.76], zoom_start=9)
    for row in figures.hamlets:
        folium.CircleMarker(
            [row.lat, row.lon], radius=5, fill=True,
            color="#1a9850" if row.mobile_covered else "#d73027",
            popup=folium.Popup(f"<b>{row.name}</b><br>{row.commune_name}<br>"
                               f"{row.population}<br>{row.mobile_declared}"),
        ).add_to(fmap)
    return fmap.get_root().render().encode()


def _median_p95(fn, n=TIMED_REQUESTS):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def province_rows():
    from geodata.models import Hamlet

    if not Hamlet.objects.exists():
        raise SystemExit("No hamlet in the database: load the demo data first (make demo).")
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = client.get("/maps/coverage/")
    assert response.status_code == 200, response.status_code
    body = response.content
    ours_raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    theirs_raw = marker_per_hamlet_html()
    t_ours = _median_p95(lambda: client.get("/maps/coverage/"))
    t_base = _median_p95(marker_per_hamlet_html)
    etag = response["ETag"]
    t_304 = _median_p95(lambda: client.get("/maps/coverage/", HTTP_IF_NONE_MATCH=etag))
    share = len(ours_raw) / len(theirs_raw)
    return [
        Row("province map HTML, uncompressed (bytes)", len(ours_raw), len(theirs_raw)),
        Row("province map HTML, gzip (bytes)", len(gzip.compress(ours_raw)),
            len(gzip.compress(theirs_raw))),
        Row("province map, share of the baseline's bytes (%)", round(100 * share, 1), 100.0),
        Row("province map, server time median (ms)", t_ours[0], t_base[0]),
        Row("province map, server time p95 (ms)", t_ours[1], t_base[1]),
        Row("province map, revalidation 304, median (ms)", t_304[0], None),
    ], {"hamlets": Hamlet.objects.count(), "bytes_share_ok": share <= 0.25}


# --- National scale ---------------------------------------------------------------------
GENERATE = """
SELECT setseed(0.2025);
INSERT INTO geodata_adminunit (code, name, short_name, unit_type, level, boundary, admin_center,
                               valid_from, valid_to, source)
SELECT 'B' || x || '-' || y, 'District ' || x || '-' || y, '', '', 'district',
       ST_Multi(ST_MakeEnvelope(102.1 + x * 0.28, 8.5 + y * 0.57, 102.38 + x * 0.28,
                                9.07 + y * 0.57, %(srid)s)), '', NULL, '2025-06-30', 'bench'
FROM generate_series(0, 25) x, generate_series(0, 25) y;
INSERT INTO geodata_hamlet (name, location, households, population, mobile_status,
                            broadband_status, source, synthetic, external_id, updated_at)
SELECT 'Hamlet ' || i,
       ST_SetSRID(ST_MakePoint(102.1 + random() * 7.3, 8.5 + random() * 14.8), %(srid)s),
       50 + (random() * 200)::int, 200 + (random() * 800)::int,
       (ARRAY['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'unknown',
              'unknown'])[1 + floor(random() * 10)::int],
       (ARRAY['yes', 'yes', 'yes', 'no', 'unknown'])[1 + floor(random() * 5)::int],
       'bench', true, '', now()
FROM generate_series(1, %(hamlets)s) i;
INSERT INTO geodata_cellsite (name, operator, technologies, terrain, radius_overrides,
                              coverage_radius_m, location, status, source, synthetic,
                              external_id, updated_at)
SELECT 'Site ' || i, 'viettel',
       CASE WHEN random() < 0.1 THEN ARRAY['2G'] ELSE ARRAY['2G', '3G', '4G'] END::varchar[],
       'rural', '{}', 1500 + floor(random() * 10) * 500,
       ST_SetSRID(ST_MakePoint(102.1 + random() * 7.3, 8.5 + random() * 14.8), %(srid)s),
       CASE WHEN random() < 0.05 THEN 'retired' ELSE 'active' END, 'bench', true, '', now()
FROM generate_series(1, %(sites)s) i;
UPDATE geodata_cellsite SET coverage_radius_m = NULL WHERE technologies = ARRAY['2G']::varchar[];
"""


def _haversine(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _python_loop(sample_size):
    """The baseline: read hamlets and sites, test every pair in Python."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ST_X(location), ST_Y(location), mobile_status "
                       "FROM geodata_hamlet ORDER BY id LIMIT %s", [sample_size])
        hamlets = cursor.fetchall()
        cursor.execute("SELECT ST_X(location), ST_Y(location), coverage_radius_m, technologies "
                       "FROM geodata_cellsite WHERE status = 'active'")
        sites = [(x, y, r) for x, y, r, techs in cursor.fetchall()
                 if r and {"3G", "4G", "5G"} & set(techs)]
    modelled = {}
    for hamlet_id, hx, hy, _status in hamlets:
        modelled[hamlet_id] = any(_haversine(sx, sy, hx, hy) <= r for sx, sy, r in sites)
    return modelled


def nation_rows():
    from geodata.coverage import coverage_figures, hamlet_coverage
    from geodata.coverage.model import status_query

    schema = f"bench_coverage_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        old_path = cursor.fetchone()[0]
        cursor.execute(f"CREATE SCHEMA {schema}")
    try:
        with connection.cursor() as cursor:
            for table in ("geodata_adminunit", "geodata_hamlet", "geodata_cellsite"):
                # INCLUDING ALL copies the indexes too, the geography GiST ones among them.
                cursor.execute(f"CREATE TABLE {schema}.{table} "
                               f"(LIKE public.{table} INCLUDING ALL)")
            cursor.execute(f"SET search_path TO {schema}, public")
            started = time.perf_counter()
            cursor.execute(GENERATE, {"hamlets": NATION_HAMLETS, "sites": NATION_SITES,
                                      "srid": settings.QRMAP_SRID})
            cursor.execute("ANALYZE geodata_adminunit; ANALYZE geodata_hamlet; "
                           "ANALYZE geodata_cellsite")
            generate_s = time.perf_counter() - started
            sql, params = status_query()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        started = time.perf_counter()
        figures = coverage_figures()
        ours_s = time.perf_counter() - started
        sample = int(NATION_HAMLETS * SAMPLE_SHARE)
        started = time.perf_counter()
        loop = _python_loop(sample)
        base_sample_s = time.perf_counter() - started
        ours_rows = {row.id: row.mobile_modelled for row in hamlet_coverage()
                     if row.id in loop}
        agree = sum(ours_rows[i] == loop[i] for i in loop) / len(loop)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {old_path}")
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    rows = [
        Row(f"national analysis, {NATION_HAMLETS:,} hamlets × {NATION_SITES:,} sites (s)",
            round(ours_s, 2), round(base_sample_s / SAMPLE_SHARE, 1)),
        Row(f"same, baseline measured on a {SAMPLE_SHARE:.0%} sample (s)", None,
            round(base_sample_s, 2)),
    ]
    context = {
        "national_hamlets_without_3g4g": figures.province.mobile_gap_hamlets,
        "national_data_generated_in_s": round(generate_s, 1),
        "modelled_status_agreement_on_sample": f"{agree:.2%} (haversine vs. spheroid)",
        "site_index_used": "Index Scan" in plan and "geodata_cellsite" in plan,
    }
    return rows, context


def paint_rows():
    """The coverage map's first paint on the emulated rural 3G link (bench._paint), beside
    the same page with its features inline and its scripts blocking (the map before the
    tiles), both served by gunicorn with the production settings, in the same run."""
    from bench import _load, _paint

    with _paint.dead_base_tiles(), _load.gunicorn() as base_url:
        found = _paint.first_paints(base_url, {"tiles": "/maps/coverage/",
                                               "inline": "/bench/coverage-inline/"})
    ours, old = found["tiles"], found["inline"]
    link = (f"{_paint.RTT_MS} ms RTT, {_paint.DOWN_KBIT} kbit/s down, {_paint.UP_KBIT} "
            f"kbit/s up, {_paint.VIEWPORT['width']}×{_paint.VIEWPORT['height']}")
    rows = [
        Row("3G: first contentful paint, median (ms)", ours["fcp"], old["fcp"]),
        Row("3G: first hamlet drawn, median (ms)", ours["hamlet"], old["hamlet"]),
        Row("3G: first hamlet drawn by the map's hamlet layer, median (ms)",
            ours["map_hamlet"], old["map_hamlet"]),
        Row("3G: load event, median (ms)", ours["load"], old["load"]),
        Row("3G: bytes transferred until the map's first hamlet", ours["bytes"], old["bytes"]),
    ]
    return rows, {"3g_link": f"{link}; cache off; {_paint.VISITS} first visits each",
                  "3g_first_paint_under_2s": ours["fcp"] < 2000,
                  "3g_first_hamlet_under_2s": ours["hamlet"] < 2000,
                  # The first hamlet is the overview's when it has marks drawn then.
                  "3g_overview_marks_at_first_hamlet": ours["marks"],
                  "3g_overview_marks_in_the_first_screen": ours["marks_on_screen"]}


def run():
    """Measure, print and return the rows of the coverage benchmark."""
    province, province_context = province_rows()
    paint, paint_context = paint_rows()
    nation, nation_context = nation_rows()
    return {"title": "Coverage map and analysis vs. a marker-per-hamlet map and a Python loop",
            "rows": province + paint + nation,
            "context": {**province_context, **paint_context, **nation_context}}
