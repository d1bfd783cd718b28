"""OGC API – Features items pages with a CQL2 filter over 100,000 assets, beside the bare
PostGIS query that builds the same FeatureCollection (ST_AsGeoJSON + json_agg), in one run.

The data is bench._national's generator at 100,000 assets, in a database of its own (so the
1,000,000-asset one the national benchmarks share is not rebuilt to another size). Requests
go through Django's test client in-process, as in bench.search: what is measured is the view,
its queries and the JSON it writes, not a network.
"""
import json
import os
import statistics
import time
from unittest import mock
from urllib.parse import urlencode

from django.db import connection
from django.test import Client

from bench import _national
from bench._report import Row

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
BARE = """
SELECT json_build_object('type', 'FeatureCollection', 'features',
       coalesce(json_agg(ST_AsGeoJSON(t.*, 'location', 7)::json), '[]'::json))::text
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
Each figure is the median of the repeats, the two sides interleaved request by request.
PostgreSQL writes each Feature whole (json_build_object), so the view's Python only joins
texts: before that, a 10,000-feature page took 3.6 times the bare query (528 against 145 ms,
same run). The view also counts the matches (numberMatched): that count is kept per data
version and filter in the shared cache, since a client paging through a layer asks the same
count on every page, so the repeats here read it from the cache; a first, uncounted request
costs about twice the bare query in the BBOX cases (the count reads every matching row).
The smallest plain page (1,000 features, no filter) is about twice the bare query: there
Django's fixed cost of a request (middleware, throttle, data version; about 15 ms) is as
large as the query itself; from 10,000 features, or with a filter, it is 1.0-1.3 times.
A client following `next` in the default order pages by keyset (after=<last code>): the
deep-page rows compare the page 90 of 100 reached that way with the same page by offset, and
with the first page, in one run.
"""


def _medians_ms(*calls) -> list[float]:
    """The median time of each call, the calls interleaved so that the machine's load
    weighs on each alike."""
    times = [[] for _ in calls]
    for _ in range(REPEATS):
        for call, spent in zip(calls, times, strict=True):
            started = time.perf_counter()
            call()
            spent.append((time.perf_counter() - started) * 1000)
    return [round(statistics.median(spent), 1) for spent in times]


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
    by_keyset, by_offset, at_first = _medians_ms(keyset, offset, first)
    return [Row("page 90 of 100 by keyset, ref. the same page by offset (ms)", by_keyset,
                by_offset),
            Row("page 90 of 100 by keyset, ref. the first page (ms)", by_keyset, at_first)]


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
            assert first["numberReturned"] == len(json.loads(bare())["features"])
            matched.append(f"{label}: {first['numberMatched']:,} matched")
            rows.append(Row(f"{label} (ms)", *_medians_ms(ours, bare)))
        rows += _deep_rows(client)
        load = os.getloadavg()[0]
    context = {**data.context(), "repeats": f"median of {REPEATS}",
               "matches": "; ".join(matched), "target": f"at most {TARGET}× the bare query",
               "load average (1 min) at the end": f"{load:.1f} on {os.cpu_count()} cores"}
    return {"title": "OGC API – Features: items at 100,000 assets, plain, by bbox and CQL2",
            "rows": rows, "context": context,
            "baseline_label": "bare PostGIS (ST_AsGeoJSON + json_agg)", "notes": NOTES}
