"""Name search at national scale: /search/?q= and the API's ?q= filter over 1,000,000 assets
(bench._national), beside the same requests with the trigram index switched off, in one run.

The query mix is drawn from the generated names: full Vietnamese names as typed with accents,
parts of names without accents (a phone without a Vietnamese keyboard), English names, names
with two letters swapped (typos) and single common words. Times are server times through
Django's test client in-process, each request a fresh client address (the API's per-address
throttle counts, as in production, but never refuses).
"""
import os
import random
import statistics
import time
import unicodedata

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench._national import national_database, tables_prewarm
from bench._report import Row

QUERIES = 200
# With the index off every request reads the whole table: a sample of the mix is enough.
REFERENCE_EVERY = 20
TARGET_MS = 50
INDEX = "assetsearch_joined_trgm"
SERIALIZED = "Features built by AssetGeoSerializer (before)"
# What a search reads: the names, their index and vocabulary, the asset rows of a page.
SEARCH_TABLES = ["assets_assetsearch", "assets_assetsearchword", "assets_asset",
                 "geodata_adminunit"]
NOTES = """
The reference is the very same request with `enable_bitmapscan` off, the only way PostgreSQL
reads a GIN index, so that it scans the table. The bare index lookup is the candidate query
of /search/ alone (at most assets.search.CANDIDATES ids), the floor of what a search page
costs; the SQL-time rows sum what the driver saw of every statement of a request, so the rest
of a request's time is Python.

The API writes its Features in the page's query (assets.api.features: json_build_object over
the row, the same bytes as AssetGeoSerializer's); its second reference is the same request
with the Features built by AssetGeoSerializer (bench.baseline, DRF-gis, about 1 ms a Feature),
each pair of requests one after the other, in turns.

The trigram index holds the folded names with their spaces made a letter (assets.search.JOINER),
so that trigrams run across words and a lookup sees which words stand next to each other.
/search/ gives it the whole text of a query of one or two words, and the rarest adjacent pair
of words (counted in assets_assetsearchword) of a longer one, whose whole text strpos() then
checks on the rows found; it ranks the first CANDIDATES matches. A typo is corrected word by
word against that vocabulary when the text finds nothing, then searched like any text. With
`q` the API lists the first 1,000 matches by id (assets.api.pagination; `count_capped` says
when more match), one search for count and page: when PostgreSQL expects at most
SPARSE_MATCHES matches it reads them all from the index, otherwise it walks the ids in order.
The search brings each match's name_vi too (a copy in the search row, assets 0027): PostgreSQL
sorts those pairs and the page's query reads its own hundred asset rows, not the thousand
listed (page query p95 15-16 ms before, 8-9 ms after, at 1,000,000 assets).

Before timing, the search tables and the asset rows are read into the operating system's
page cache (bench._national.tables_prewarm), as a server with the memory the README asks for
holds them: on a machine whose page cache is reclaimed between runs the first pass's p95 went
from 56 ms to 635 ms between runs of the same code, a figure of the disk. The second pass
asks the same requests again, once the first has read every page they need: the steady
state of a server that keeps its search tables in memory (the index is 44 MB at 1,000,000
assets).

The machine is shared with other benchmarks, which come and go: runs of the same code a few
minutes apart differ by up to 4 times at the 95th percentile; the load average is recorded
but follows them only loosely. Before (the first trigram search, same database, load about
4.4): /search/ p95 350 ms, API 837 ms, typos 1,580 ms. Before the joined index (words looked up
each on its own, the two rarest given to the index; quiet machine, load 0.4): /search/ p95
64 ms, API 146 ms.
"""


def _plain(text: str) -> str:
    """Without accents, as typed on a phone with no Vietnamese keyboard."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    i = rng.choice(letters)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def query_mix(count: int = QUERIES, *, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, query, the Vietnamese name it was drawn from) from the names in the database."""
    from assets.models import Asset

    rng = random.Random(seed)
    top = Asset.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = rng.sample(range(1, top + 1), min(count, top))
    names = dict(Asset.objects.filter(pk__in=picked).values_list("pk", "name_vi"))
    english = dict(Asset.objects.filter(pk__in=picked).values_list("pk", "name_en"))
    mix = []
    for i, pk in enumerate(p for p in picked if p in names):
        name = names[pk]
        words = name.split()
        kind = ("partial, no accents", "full name", "typo, no accents", "English",
                "one common word")[[0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4][i % 12]]
        if kind == "full name":
            query = name
        elif kind == "partial, no accents":
            start = rng.randrange(max(1, len(words) - 1))
            query = _plain(" ".join(words[start:start + 2]))
        elif kind == "typo, no accents":
            query = _typo(_plain(name), rng)
        elif kind == "English":
            query = english[pk]
        else:
            query = _plain(rng.choice(words[:-1] or words))
        mix.append((kind, query, name))
    return mix


def _timed(client: Client, urls: list[str], sql: list[float] | None = None) -> list[float]:
    """Each request's time (ms); `sql` gets the time its SQL statements took, as the driver
    saw them (round trips included), when given."""
    times = []
    for n, url in enumerate(urls):
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=address)
            times.append((time.perf_counter() - started) * 1000)
        if sql is not None:
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _alternating(client: Client, ours: list[str], reference: list[str],
                 sql: list[float]) -> tuple[list[float], list[float]]:
    """The times of `ours` and of `reference`, requested in pairs (the same query), each pair
    in the other order than the last, so that the machine's load and a warm cache fall on
    both alike; `sql` gets the SQL time of ours."""
    pairs = [(a, b) if n % 2 else (b, a) for n, (a, b) in enumerate(zip(ours, reference,
                                                                       strict=True))]
    captured = []
    times = _timed(client, [url for pair in pairs for url in pair], captured)
    ours_times, reference_times = [], []
    for n in range(len(pairs)):
        at_ours = 2 * n + (0 if n % 2 else 1)
        at_reference = 2 * n + (1 if n % 2 else 0)
        ours_times.append(times[at_ours])
        reference_times.append(times[at_reference])
        sql.append(captured[at_ours])
    return ours_times, reference_times


def _bare_index(queries: list[str]) -> list[float]:
    from assets import search

    times = []
    for query in queries:
        started = time.perf_counter()
        list(search.name_matches(query).values_list("asset_id", flat=True)[:search.CANDIDATES])
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return round(sorted(times)[max(0, round(len(times) * 0.95) - 1)], 1)


def _p50(times: list[float]) -> float:
    return round(statistics.median(times), 1)


def _plan(query: str) -> str:
    from assets import search
    from assets.selectors import asset_filter

    plan = asset_filter(name=query).order_by().values("pk")[:search.CANDIDATES].explain()
    return f"GIN index ({INDEX})" if INDEX in plan else plan


def _typos_found(mix: list[tuple[str, str, str]]) -> str:
    """How many typed-with-a-typo queries list the name they were made from."""
    from assets.selectors import asset_search

    typos = [(query, name) for kind, query, name in mix if kind.startswith("typo")]
    found = sum(name in {a.name_vi for a in asset_search(query=query)} for query, name in typos)
    return f"{found} of {len(typos)}"


def run():
    from urllib.parse import urlencode

    with national_database() as national:
        prewarmed = tables_prewarm(SEARCH_TABLES)
        mix = query_mix()
        queries = [q for _, q, _ in mix]
        search = [f"/search/?{urlencode({'q': q})}" for q in queries]
        api = [f"/api/assets/?{urlencode({'q': q})}" for q in queries]
        serialized = [f"/bench/api/assets/?{urlencode({'q': q})}" for q in queries]
        client = Client()
        load_before = os.getloadavg()[0]
        # Warm: imports, templates, first plans.
        _timed(client, search[:20] + api[:20] + serialized[:20])
        sql_search, sql_api = [], []
        ours_search = _timed(client, search, sql_search)
        ours_api, ref_serialized = _alternating(client, api, serialized, sql_api)
        bare = _bare_index(queries)
        # The same requests again: every page they read is now in memory, as on a server
        # whose search index and names stay cached (the first pass reads some from disk).
        again_search = _timed(client, search)
        again_api = _timed(client, api)
        load_after = os.getloadavg()[0]
        sample = slice(None, None, REFERENCE_EVERY)
        with connection.cursor() as cursor:
            cursor.execute("SET enable_bitmapscan = off")
        ref_search, ref_api = _timed(client, search[sample]), _timed(client, api[sample])
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_bitmapscan")
            assert cursor.fetchone()[0] == "off", "the reference lost its connection setting"
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("SELECT pg_size_pretty(pg_relation_size(%s))", [INDEX])
            index_size = cursor.fetchone()[0]
        plan = _plan(queries[0])
        typos_found = _typos_found(mix)
    by_kind = {}
    for (kind, _, _), ms in zip(mix, ours_search, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    rows = [
        Row("/search/ p50 (ms)", _p50(ours_search), _p50(ref_search)),
        Row("/search/ p95 (ms)", _p95(ours_search), _p95(ref_search)),
        Row("API /api/assets/?q= p50 (ms)", _p50(ours_api), _p50(ref_api)),
        Row("API /api/assets/?q= p95 (ms)", _p95(ours_api), _p95(ref_api)),
        Row(f"API ?q= p50 (ms), ref.: {SERIALIZED}", _p50(ours_api), _p50(ref_serialized)),
        Row(f"API ?q= p95 (ms), ref.: {SERIALIZED}", _p95(ours_api), _p95(ref_serialized)),
        Row("/search/ p95 (ms), second pass, pages in memory", _p95(again_search), None),
        Row("API /api/assets/?q= p95 (ms), second pass, pages in memory", _p95(again_api),
            None),
        Row("/search/ p95 of the SQL time alone (ms)", _p95(sql_search), None),
        Row("API p95 of the SQL time alone (ms)", _p95(sql_api), None),
        Row("bare index lookup p95 (ms), no reference", _p95(bare), None),
        *(Row(f"/search/ p95, {kind} ({len(ms)} queries)", _p95(ms), None)
          for kind, ms in by_kind.items()),
    ]
    context = {
        **national.context(),
        "queries": f"{len(queries)} timed per endpoint; reference on every "
                   f"{REFERENCE_EVERY}th ({len(ref_search)})",
        "examples": "; ".join(f"{kind}: {q!r}" for kind, q, _ in mix[:12:2]),
        "typo queries whose first page lists the name they were made from": typos_found,
        "plan of the candidate query": plan, "index size": index_size,
        "target": f"p95 ≤ {TARGET_MS} ms at 1,000,000 assets",
        "database pages in memory": prewarmed,
        "load average (1 min) before and after the timed requests":
            f"{load_before:.1f}, {load_after:.1f} on {os.cpu_count()} cores",
    }
    return {"title": "Name search at national scale: /search/ and the API name filter",
            "rows": rows, "context": context,
            "baseline_label": "same request, index off (seq scan)", "notes": NOTES}
