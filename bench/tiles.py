"""Vector tiles at national scale (bench._national: 100,000 hamlets, 10,000 sites, 1,000,000
assets): the size of each layer's tiles and their server time at z6, z9, z12 and z15, cold
(the tile's cache key deleted first) and warm (from the shared cache), through Django's test
client in-process; beside the bare ST_AsMVT of the same tiles in SQL, in the same run.

The tiles timed at each zoom are those holding a sample of the hamlets (fixed seed), so they
are where the data is, not empty sea.
"""
import random
import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client

from bench._national import national_database, tables_prewarm
from bench._report import Row

LAYERS = ["hamlets", "sites", "communes", "assets"]
ZOOMS = [6, 9, 12, 15]
TILES_PER_ZOOM = 25
TILE_BUDGET = 50_000
WARM_MS, COLD_MS = 50, 300
# What the four layers read.
TILE_TABLES = ["assets_asset", "geodata_hamlet", "geodata_cellsite", "geodata_adminunit",
               "geodata_unitpart"]
NOTES = """
Cold: the tile's key is deleted from the shared cache before each request, so the request
pays the data version, the SQL and ST_AsMVT; what several tiles share per data version (the
coverage counts per commune, the public assets per commune) is already computed, as it is
after the first tile of a version, timed on its own row. Warm: the same request again.
"Cold" is the tile cache's, not the disk's: the layers' tables are read into the operating
system's page cache first (bench._national.tables_prewarm), as on a server with the memory
the README asks for. Without that, on this shared machine, whose page cache is reclaimed
between runs, the first pass over the assets at z12 had a p95 of 740 ms (one tile 1.75 s)
and a second pass over the same tiles, the tile cache emptied again, 62 ms.
The reference is the bare SQL a tile server without our model would run for the same tile:
every row in the tile envelope as a point (or an unsimplified outline), with no status
model, no aggregation, no Django and no cache. At low zoom it is a tile of every hamlet
of the province, which is the size the aggregation avoids.
"""
# layer: (properties, geometry column, table and condition)
BARE = {
    "hamlets": ("mobile_status AS m, broadband_status AS b", "location", "geodata_hamlet",
                "TRUE"),
    "sites": ("operator AS o, coverage_radius_m AS r", "location", "geodata_cellsite",
              "status = 'active'"),
    "communes": ("code AS k, name AS n", "boundary", "geodata_adminunit",
                 "level = 'commune' AND valid_to IS NULL"),
    "assets": ("code AS k, kind AS t", "location", "assets_asset", "status = 'active'"),
}


def _p95(values):
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)], 1) if ordered else None


def sample_tiles(zoom: int, count: int = TILES_PER_ZOOM, seed: int = 6) -> list[tuple]:
    """Distinct tiles at zoom that hold sampled hamlets (at low zoom, fewer than count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(location), ST_Y(location) FROM geodata_hamlet "
                       "ORDER BY id")
        points = cursor.fetchall()
    rng = random.Random(seed)
    tiles = []
    for lon, lat in rng.sample(points, min(len(points), 400)):
        tile = _tile_of(lon, lat, zoom)
        if tile not in tiles:
            tiles.append(tile)
        if len(tiles) == count:
            break
    return tiles


def _tile_of(lon, lat, z):
    import math

    n = 2 ** z
    lat_r = math.radians(lat)
    return (z, int((lon + 180) / 360 * n),
            int((1 - math.log(math.tan(lat_r) + 1 / math.cos(lat_r)) / math.pi) / 2 * n))


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response


def ours(client, layer, tiles):
    """(sizes, cold ms, warm ms) over the tiles, each asked REPEAT times."""
    from geodata.tiles import Tile, data_version, tile_key

    sizes, cold, warm = [], [], []
    repeat = max(1, TILES_PER_ZOOM // len(tiles))
    for _ in range(repeat):
        for z, x, y in tiles:
            url = f"/tiles/{layer}/{z}/{x}/{y}.pbf"
            cache.delete(tile_key(layer, Tile(z, x, y), data_version()))
            ms, response = _timed_get(client, url)
            assert response.status_code in (200, 204), (url, response.status_code)
            cold.append(ms)
            sizes.append(len(response.content))
            ms, again = _timed_get(client, url)
            assert again.content == response.content
            warm.append(ms)
    return sizes, cold, warm


def bare(layer, tiles):
    """(sizes, ms) of the bare ST_AsMVT of the same tiles."""
    properties, geom, table, condition = BARE[layer]
    sql = f"""
        SELECT ST_AsMVT(mvt_row, %(layer)s, 4096, 'geom', 'id') FROM (
          SELECT id, {properties}, ST_AsMVTGeom(ST_Transform({geom}, 3857),
                 ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom
          FROM {table}
          WHERE {condition} AND {geom} && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                                                      4326)
        ) mvt_row
    """
    sizes, times = [], []
    with connection.cursor() as cursor:
        for z, x, y in tiles:
            started = time.perf_counter()
            cursor.execute(sql, {"layer": layer, "z": z, "x": x, "y": y})
            body = cursor.fetchone()[0]
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(len(bytes(body)) if body is not None else 0)
    return sizes, times


def page_rows(client) -> list[Row]:
    """The coverage map page at this size, beside the inline map it replaced (every hamlet
    in the page, geodata.maps.coverage_map), rendered in the same run."""
    import gzip

    from geodata.coverage import coverage_figures
    from geodata.maps import coverage_map, map_parts

    first = client.get("/maps/coverage/", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    times = [_timed_get(client, "/maps/coverage/")[0] for _ in range(10)]
    parts = map_parts(coverage_map(figures=coverage_figures()))
    inline = (parts.header + parts.html + parts.script).encode()
    return [Row("coverage map page, first response (gzip bytes; reference: the inline "
                "map alone)", len(first.content), len(gzip.compress(inline))),
            Row("coverage map page, p95 (ms), figures cached", _p95(times), None)]


def run():
    from geodata.tiles import data_version

    with national_database() as national:
        prewarmed = tables_prewarm(TILE_TABLES)
        client = Client()
        # What tiles share per data version, dropped: the next tile computes it again, as
        # the first tile after a write does.
        for name in ("commune-figures", "asset-communes"):
            cache.delete(f"qrmap:tiles:{name}:{data_version()}")
        started = time.perf_counter()
        response = client.get("/tiles/hamlets/6/51/28.pbf")  # computes the commune counts
        first_ms = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 204)
        rows, context = [Row("first low-zoom hamlet tile of a data version, with the "
                             "national coverage analysis (ms)", round(first_ms), None)], {}
        rows += page_rows(client)
        verdicts = []
        for zoom in ZOOMS:
            tiles = sample_tiles(zoom)
            for layer in LAYERS:
                sizes, cold, warm = ours(client, layer, tiles)
                ref_sizes, ref_ms = bare(layer, tiles)
                label = f"{layer} z{zoom} ({len(tiles)} tiles)"
                rows += [
                    Row(f"{label}: largest tile (bytes)", max(sizes), max(ref_sizes)),
                    Row(f"{label}: mean tile (bytes)", round(statistics.mean(sizes)),
                        round(statistics.mean(ref_sizes))),
                    Row(f"{label}: p95 cold (ms)", _p95(cold), _p95(ref_ms)),
                    Row(f"{label}: p95 warm (ms)", _p95(warm), _p95(ref_ms)),
                ]
                verdicts.append((label, max(sizes) <= TILE_BUDGET, _p95(warm) <= WARM_MS,
                                 _p95(cold) <= COLD_MS))
        context.update({
            **national.context(),
            "targets": f"each tile ≤ {TILE_BUDGET:,} bytes; p95 ≤ {WARM_MS} ms warm and "
                       f"≤ {COLD_MS} ms cold",
            "database pages in memory": prewarmed,
            "over budget": "; ".join(
                f"{label}: " + ", ".join(name for name, ok in (
                    ("size", size_ok), ("warm", warm_ok), ("cold", cold_ok)) if not ok)
                for label, size_ok, warm_ok, cold_ok in verdicts
                if not (size_ok and warm_ok and cold_ok)) or "none",
        })
    return {"title": "Vector tiles at national scale: sizes and server time per zoom",
            "rows": rows, "context": context,
            "baseline_label": "bare ST_AsMVT SQL, no model, no cache", "notes": NOTES}
