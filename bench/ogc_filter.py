"""OGC API – Features items pages with a CQL2 filter over 100,000 assets, beside the bare
PostGIS query that builds the same FeatureCollection (ST_AsGeoJSON + json_agg), in one run.

The data is bench._national's generator at 100,000 assets, in a database of its own (so the
1,000,000-asset one the national benchmarks share is not rebuilt to another size). Requests
go through Django's test client in-process, as in bench.search: what is measured is the whole
request (middleware, throttle, view, its one query, the JSON it writes) as the bare query's
text is measured, received in this process, with no HTTP on either side. The last rows ask
the plain pages through gunicorn over HTTP, with and without gzip, beside the same query.
"""
import http.client
import json
import os
from unittest import mock
from urllib.parse import urlencode, urlparse

from django.db import connection
from django.test import Client
from django.utils.text import compress_string

from bench import _load, _national
from bench._report import Row, medians_ms

DATABASE = "qrmap_bench_ogc_filter"
ASSETS = 100_000
REPEATS = 15
TARGET = 1.5  # at most 1.5× the bare query (issue 16)
BOX = (106.6, 21.7, 106.9, 22.0)  # Lạng Sơn city and around
CITY = "{},{},{},{}".format(*BOX)
CASES = [  # (label, query, limit)
    ("no filter (limit 1000)", {}, 1000),
    ("no filter (limit 10000)", {}, 10000),
    ("bbox=city (limit 1000)", {"bbox": CITY}, 1000),
    ("bbox=city (limit 10000)", {"bbox": CITY}, 10000),
    ("kind = 'heritage' (limit 1000)", {"filter": "kind = 'heritage'"}, 1000),
    ("S_INTERSECTS(geometry, BBOX(city)) (limit 1000)",
     {"filter": "S_INTERSECTS(geometry, BBOX({}, {}, {}, {}))".format(*BOX)}, 1000),
    ("kind = 'street' AND S_INTERSECTS(BBOX) AND name_vi LIKE 'Đường%' (limit 1000)",
     {"filter": "kind = 'street' AND S_INTERSECTS(geometry, BBOX({}, {}, {}, {})) AND name_vi "
                "LIKE 'Đường%'".format(*BOX)}, 1000),
    ("kind IN ('street', 'public_work') (limit 10000)",
     {"filter": "kind IN ('street', 'public_work')"}, 10000),
]
# The same rows as the view, written by PostgreSQL alone; {where} holds only constants below.
# Each Feature has the same keys in the same order as the view's, the id included (PostGIS
# 3.3's ST_AsGeoJSON(record) writes none): run() checks that the features are equal.
BARE = """
SELECT json_build_object('type', 'FeatureCollection', 'numberReturned', count(*), 'features',
       coalesce(json_agg(json_build_object(
           'type', 'Feature', 'id', t.code, 'geometry', ST_AsGeoJSON(t.location, 7)::json,
           'properties', json_build_object(
               'code', t.code, 'kind', t.kind, 'category', t.category, 'name_vi', t.name_vi,
               'name_en', t.name_en, 'name_zh', t.name_zh, 'commune', t.commune,
               'heritage_rank', t.heritage_rank, 'status', t.status,
               'position_verified', t.position_verified, 'synthetic', t.synthetic,
               'updated_at', t.updated_at))), '[]'::json))::text
FROM (SELECT a.code, a.kind, a.category, a.name_vi, a.name_en, a.name_zh, u.code AS commune,
             a.heritage_rank, a.status, a.position_verified, a.synthetic, a.updated_at,
             a.location
      FROM assets_asset a LEFT JOIN geodata_adminunit u ON u.id = a.commune_id
      WHERE {where} ORDER BY a.code LIMIT %s) t
"""
BARE_WHERE = [
    ("TRUE", []),
    ("TRUE", []),
    ("ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", list(BOX)),
    ("ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", list(BOX)),
    ("a.kind = %s", ["heritage"]),
    ("ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", list(BOX)),
    ("a.kind = %s AND ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326)) "
     "AND a.name_vi LIKE %s", ["street", *BOX, "Đường%"]),
    ("a.kind IN (%s, %s)", ["street", "public_work"]),
]
NOTES = """
Each figure is the median of the repeats, the two sides interleaved request by request. Both
sides write the same features (run() checks them equal): the bare query builds each Feature
with its id and the view's key order, as PostGIS 3.3's ST_AsGeoJSON(record) writes no id.
The bare query does not count: the view's numberMatched is kept per data version and filter
in the shared cache, since a client paging through a layer asks the same count on every
page, so the repeats here read it from the cache; a first, uncounted request costs about
twice the bare query in the BBOX cases (the count reads every matching row).
A counted page is one SQL statement: the rows, written whole by PostgreSQL, with the data
version on the first row (before, the versioned tables and the data version were two more
round trips), and the Feature texts are passed through as UTF-8 bytes, never decoded and
encoded again. Joining the page into one text inside PostgreSQL (string_agg) was tried and
was slower (10,000 features: median 389 against 356 ms, same run, on this loaded machine):
the client then waits for the last row before the first byte, where rows are read while
PostgreSQL writes the next.
Over HTTP the page also pays gunicorn and the socket; when the client asks for gzip, the
reference is the bare query's text compressed the same way (level 6, some 5 ms of CPU per
1,000 features on this machine; the body is about 11 times smaller).
A client following `next` in the default order pages by keyset (after=<last code>): the
deep-page rows compare the page 90 of 100 reached that way with the same page by offset, and
with the first page, in one run.
"""


def _page(client, query, limit):
    url = f"/ogc/collections/assets/items?{urlencode({**query, 'limit': limit})}"

    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response

    return call


def _url_page(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response

    return call


def _deep_rows(client) -> list:
    """Page 90 of 100 (limit 1000) by keyset, by offset, and the first page."""
    from assets.models import Asset

    base = "/ogc/collections/assets/items?limit=1000"
    after = Asset.objects.order_by("code").values_list("code", flat=True)[89_000 - 1]
    keyset = _url_page(client, f"{base}&offset=89000&after={after}")
    offset = _url_page(client, f"{base}&offset=89000")
    first = _url_page(client, base)
    assert keyset().json()["features"] == offset().json()["features"]
    by_keyset, by_offset, at_first = medians_ms(keyset, offset, first, repeats=REPEATS)
    return [Row("page 90 of 100 by keyset, ref. the same page by offset (ms)", by_keyset,
                by_offset),
            Row("page 90 of 100 by keyset, ref. the first page (ms)", by_keyset, at_first)]


def _http_rows(data) -> list:
    """The plain pages again through gunicorn over HTTP, as a client gets them, beside the
    same bare query; with gzip (GZipMiddleware, level 6) beside its text gzipped alike."""
    env = {"DATABASE_URL": data.database_url, "QRMAP_CACHE_PREFIX": f"qrmap:{DATABASE}:http"}
    rows = []
    with mock.patch.dict(os.environ, env), _load.gunicorn(workers=1) as base:
        address = urlparse(base)
        for limit in (1000, 10000):
            calls = [_http_page(address, limit, gzip) for gzip in (False, True)]
            bare = _bare("TRUE", [], limit)

            def bare_gzipped(bare=bare):  # the same bytes, compressed as GZipMiddleware does
                return compress_string(bare().encode())

            for call in calls:
                call()  # the worker's first request, and the count kept
            plain, gzipped, by_bare, by_bare_gzipped = medians_ms(
                *calls, bare, bare_gzipped, repeats=REPEATS)
            rows += [Row(f"no filter (limit {limit}), HTTP through gunicorn (ms)", plain, by_bare),
                     Row(f"no filter (limit {limit}), HTTP through gunicorn, gzip (ms) "
                         "(ref.: the bare query's text gzipped alike)", gzipped, by_bare_gzipped)]
    return rows


def _http_page(address, limit, gzip):
    headers = {"Accept-Encoding": "gzip"} if gzip else {}

    def call():
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            connection.request("GET", f"/ogc/collections/assets/items?limit={limit}",
                               headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 200, (response.status, body[:300])
        return body

    return call


def _bare(where, params, limit):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(BARE.format(where=where), [*params, limit])
            return cursor.fetchone()[0]

    return call


def run():
    # bench._national reads its database name at call time: this one keeps its own.
    with mock.patch.object(_national, "NAME", DATABASE), \
            _national.national_database(assets=ASSETS, hamlets=1_000, sites=100) as data:
        client = Client()
        rows, matched = [], []
        for (label, query, limit), (where, params) in zip(CASES, BARE_WHERE, strict=True):
            ours, bare = _page(client, query, limit), _bare(where, params, limit)
            first = ours().json()
            assert first["features"] == json.loads(bare())["features"], label
            matched.append(f"{label}: {first['numberMatched']:,} matched")
            rows.append(Row(f"{label} (ms)", *medians_ms(ours, bare, repeats=REPEATS)))
        rows += _deep_rows(client)
        rows += _http_rows(data)
        load = os.getloadavg()[0]
    context = {**data.context(), "repeats": f"median of {REPEATS}",
               "matches": "; ".join(matched), "target": f"at most {TARGET}× the bare query",
               "load average (1 min) at the end": f"{load:.1f} on {os.cpu_count()} cores"}
    return {"title": "OGC API – Features: items at 100,000 assets, plain, by bbox and CQL2",
            "rows": rows, "context": context,
            "baseline_label": "bare PostGIS (ST_AsGeoJSON + json_agg)", "notes": NOTES}
