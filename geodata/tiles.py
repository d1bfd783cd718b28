"""Mapbox vector tiles (`/tiles/<layer>/<z>/<x>/<y>.pbf`) made by PostGIS (ST_AsMVT), cached in
the shared cache under the data version, so that maps beyond a province never carry their
features inline (DESIGN.md, "Scale").

A layer is a function (z, x, y) -> bytes registered by name: geodata.tile_layers registers the
hamlets, cell sites and communes; assets.tiles registers the assets (geodata never imports
assets). The helpers here write the SQL that every layer shares: the tile envelope in both
projections, points, points clustered on a pixel grid, and commune points carrying counts.
"""
import contextlib
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils.translation import gettext as _

# Tile grid of ST_AsMVT: 4096 units a side, i.e. 16 units per pixel of a 256 px tile.
EXTENT = 4096
# Points within 64 units (4 px) of the edge go in both tiles, so a circle cut by the edge
# is drawn whole; VectorGrid draws a point only from the tile that holds it.
POINT_BUFFER = 64
MAX_ZOOM = 20
TILE_SECONDS = 24 * 3600  # the key carries the data version: a write makes a new key
# Half the equator in metres (EPSG:3857): a tile at zoom z is 2 * HALF / 2^z wide.
HALF_WORLD_M = 20037508.342789244


class TileError(ValueError):
    """A tile address that names no tile; `status` is the HTTP answer (400 or 404)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    @property
    def unit_m(self) -> float:
        """Metres (EPSG:3857) per unit of the tile grid."""
        return 2 * HALF_WORLD_M / (2 ** self.z) / EXTENT

    def bounds(self) -> tuple[float, float, float, float]:
        """min_lon, min_lat, max_lon, max_lat of the tile and its point buffer (for
        selectors that filter by bbox).

        >>> [round(v, 4) for v in Tile(1, 1, 0).bounds()]
        [-2.8125, -2.8114, 182.8125, 85.2879]
        """
        margin = POINT_BUFFER / EXTENT
        n = 2 ** self.z

        def lat(ty):
            return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n))))

        return ((self.x - margin) / n * 360 - 180, lat(self.y + 1 + margin),
                (self.x + 1 + margin) / n * 360 - 180, lat(self.y - margin))

    def params(self) -> dict:
        return {"tz": self.z, "tx": self.x, "ty": self.y, "tsrid": settings.QRMAP_SRID,
                "tmargin": POINT_BUFFER / EXTENT, "textent": EXTENT, "tbuffer": POINT_BUFFER}


def tile_parse(z: str, x: str, y: str) -> Tile:
    """The tile of a URL's z/x/y, or TileError: digits only, z ≤ MAX_ZOOM, x and y < 2^z.

    >>> tile_parse("6", "51", "28")
    Tile(z=6, x=51, y=28)
    >>> tile_parse("1", "2", "0")
    Traceback (most recent call last):
    geodata.tiles.TileError: x and y must be below 2^z (2 at zoom 1).
    """
    values = []
    for name, text in (("z", z), ("x", x), ("y", y)):
        # isascii first: "²".isdigit() is True, and int() of 10,000 digits is slow.
        if not (text.isascii() and text.isdigit() and len(text) <= 7):
            raise TileError(_("%(name)s must be a whole number of at most 7 digits.")
                            % {"name": name})
        values.append(int(text))
    z_, x_, y_ = values
    if z_ > MAX_ZOOM:
        raise TileError(_("z must be between 0 and %(max)d.") % {"max": MAX_ZOOM})
    if x_ >= 2 ** z_ or y_ >= 2 ** z_:
        raise TileError(_("x and y must be below 2^z (%(n)d at zoom %(z)d).")
                        % {"n": 2 ** z_, "z": z_})
    return Tile(z_, x_, y_)


def point_limit() -> int:
    """The most points a tile holds; beyond, its layer counts them (per commune or grid)."""
    return getattr(settings, "QRMAP_TILE_POINT_LIMIT", 1500)


# --- Layers ----------------------------------------------------------------------------
LAYERS: dict[str, Callable[..., bytes]] = {}
DETAILS: dict[str, Callable[..., dict | None]] = {}
FILTERS: dict[str, Callable[[dict], dict[str, str]]] = {}


def tile_layer_register(name: str, render: Callable[..., bytes],
                        detail: Callable[..., dict | None] | None = None,
                        filters: Callable[[dict], dict[str, str]] | None = None) -> None:
    """Serve `render(tile, **filters)` at /tiles/<name>/..., and `detail(pk, language=...)`
    (a feature's popup) by id. `filters` reads the query string of a tile request into the
    keyword arguments of `render` (raising TileError on a bad value); a layer without it
    ignores the query."""
    LAYERS[name] = render
    if detail is not None:
        DETAILS[name] = detail
    if filters is not None:
        FILTERS[name] = filters


def tile_filters(layer: str, query) -> dict[str, str]:
    """The layer's filters from a query string (empty values left out), or TileError."""
    parse = FILTERS.get(layer)
    if parse is None:
        return {}
    return {name: value for name, value in parse(query).items() if value}


def filters_key(filters: dict[str, str]) -> str:
    """The filters in one canonical string, for cache keys and ETags.

    >>> filters_key({"kind": "street", "category": ""})
    'kind=street'
    """
    return "&".join(f"{name}={value}" for name, value in sorted(filters.items()) if value)


# --- Data version and cache --------------------------------------------------------------
# Every versioned table with its version, in one text: a scalar subquery, so that a statement
# that reads rows can read the version they belong to with them (assets.ogc.encoding).
VERSIONS_SQL = ("SELECT coalesce(string_agg(name || ':' || version, ',' ORDER BY name), '') "
                "FROM geodata_dataversion")


def data_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """The versions of every table tiles read, moved by triggers on any write (migration
    geodata 0008): a short hash, read in one indexless query of a few rows."""
    return version_hash(versions_read(using))


def versions_read(using: str = DEFAULT_DB_ALIAS) -> str:
    """The text of VERSIONS_SQL, read from the database `using`."""
    with connections[using].cursor() as cursor:
        cursor.execute(VERSIONS_SQL)
        return cursor.fetchone()[0]


def version_hash(versions: str) -> str:
    """data_version of a text VERSIONS_SQL read."""
    return hashlib.md5(versions.encode(), usedforsecurity=False).hexdigest()[:16]


def versioned_tables(versions: str) -> set[str]:
    """The tables whose writes move data_version (their triggers' names), from its text."""
    return {entry.rpartition(":")[0] for entry in versions.split(",") if entry}


def tile_key(layer: str, tile: Tile, version: str, filters: dict | None = None) -> str:
    key = f"qrmap:tile:{version}:{point_limit()}:{layer}:{tile.z}:{tile.x}:{tile.y}"
    if filters:
        # Hashed: a filter value is short and checked, but a key must stay one token.
        key += ":" + hashlib.md5(filters_key(filters).encode(),
                                 usedforsecurity=False).hexdigest()[:16]
    return key


def tile_get(layer: str, tile: Tile, filters: dict | None = None) -> tuple[bytes, str]:
    """The tile's bytes (b"" when empty) and the data version they belong to."""
    version = data_version()
    key = tile_key(layer, tile, version, filters)
    body = cache.get(key)
    if body is None:
        body = bytes(LAYERS[layer](tile, **(filters or {})))
        # Kept only when no write committed while it was made: the version is bumped in the
        # writer's transaction, so an unchanged version means the tile saw that version.
        if data_version() == version:
            cache.set(key, body, TILE_SECONDS)
    return body, version


def cached_per_version(name: str, compute):
    """compute() once per data version, in the shared cache (what several tiles share)."""
    key = f"qrmap:tiles:{name}:{data_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TILE_SECONDS)
    return value


# --- SQL shared by the layers ------------------------------------------------------------
# The tile in the storage SRID, with the point buffer: what the GiST index on location is
# asked for (`location && ENVELOPE`), so that only the tile's rows are read.
ENVELOPE = ("ST_Transform(ST_TileEnvelope(%(tz)s, %(tx)s, %(ty)s, margin => %(tmargin)s), "
            "%(tsrid)s)")
# A storage-SRID geometry expression in tile coordinates.
MVT_GEOM = ("ST_AsMVTGeom(ST_Transform({geom}, 3857), ST_TileEnvelope(%(tz)s, %(tx)s, %(ty)s),"
            " %(textent)s, %(tbuffer)s, true)")


@contextlib.contextmanager
def tile_cursor():
    """A cursor for the queries of a tile, without JIT: a tile query of a few thousand rows
    has the estimated cost at which PostgreSQL compiles it, and compiling took longer than
    the query (at national size: 600-900 ms instead of ~110 ms for an asset tile at z12).
    Off for this transaction only."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        yield cursor


def mvt(sql: str, params: dict) -> bytes:
    """Run a `SELECT ST_AsMVT(...)` and return its bytes (b"" for no feature)."""
    with tile_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def points_mvt(layer: str, tile: Tile, *, rows_sql: str, params: dict,
               properties: list[str]) -> bytes:
    """A layer of points: rows_sql selects `id`, the properties and `location`, limited to
    the tile by `{envelope}` (where NULL, a property is left out of its feature)."""
    columns = "".join(f"r.{name}, " for name in properties)
    sql = f"""
        SELECT ST_AsMVT(mvt_row, %(layer)s, %(textent)s, 'geom', 'id') FROM (
          SELECT r.id, {columns}{MVT_GEOM.format(geom='r.location')} AS geom
          FROM ({rows_sql.format(envelope=ENVELOPE)}) r
        ) mvt_row WHERE mvt_row.geom IS NOT NULL
    """
    return mvt(sql, {**params, **tile.params(), "layer": layer})


def grid_mvt(layer: str, tile: Tile, *, rows_sql: str, params: dict, cell_px: int = 16,
             count_by: tuple[str, list[str]] | None = None) -> bytes:
    """Points of the tile counted per square of cell_px pixels (property `n`), at the mean
    position of each square's points: the clusters of a zoom too low for one point each.
    The squares are cut in degrees (a Mercator pixel spans cos(lat) as many degrees of
    latitude as of longitude), so only one point per square is transformed, not each row.
    count_by=(column, values) adds `n_<value>`: the square's rows whose column is value."""
    min_lon, min_lat, max_lon, max_lat = tile.bounds()
    cell_lon = cell_px / 256 * 360 / 2 ** tile.z
    cell_lat = cell_lon * math.cos(math.radians((min_lat + max_lat) / 2))
    column, values = count_by or ("", [])
    split = "".join(
        f"count(*) FILTER (WHERE r.{column} = %(by_{i})s) AS n_{value}, "
        for i, value in enumerate(values) if re.fullmatch(r"[a-z_]+", column + value))
    params = {**params, **{f"by_{i}": value for i, value in enumerate(values)}}
    sql = f"""
        SELECT ST_AsMVT(mvt_row, %(layer)s, %(textent)s, 'geom') FROM (
          SELECT count(*) AS n, {split}
                 {MVT_GEOM.format(geom="ST_SetSRID(ST_MakePoint(avg(ST_X(r.location)), "
                                       "avg(ST_Y(r.location))), %(tsrid)s)")} AS geom
          FROM ({rows_sql.format(envelope=ENVELOPE)}) r
          GROUP BY floor(ST_X(r.location) / %(cell_lon)s), floor(ST_Y(r.location) / %(cell_lat)s)
        ) mvt_row WHERE mvt_row.geom IS NOT NULL
    """
    return mvt(sql, {**params, **tile.params(), "layer": layer, "cell_lon": cell_lon,
                     "cell_lat": cell_lat})


def commune_points_mvt(layer: str, tile: Tile, *, columns: dict[str, tuple[str, list]]) -> bytes:
    """One point per commune (its label point, else a point on its surface) carrying counts:
    `columns` maps a property to (SQL array type, values), with `id` the unit ids."""
    names = list(columns)
    unnest = ", ".join(f"%({name})s::{kind}[]" for name, (kind, _v) in columns.items())
    props = ", ".join(f"v.{name}" for name in names if name != "id")
    sql = f"""
        SELECT ST_AsMVT(mvt_row, %(layer)s, %(textent)s, 'geom', 'id') FROM (
          SELECT v.id, {props}, {MVT_GEOM.format(geom='p.location')} AS geom
          FROM unnest({unnest}) v({", ".join(names)})
          JOIN geodata_adminunit u ON u.id = v.id
          CROSS JOIN LATERAL (SELECT coalesce(u.label_point, ST_PointOnSurface(u.boundary))
                              AS location) p
          WHERE u.boundary && {ENVELOPE}
        ) mvt_row WHERE mvt_row.geom IS NOT NULL
    """
    params = {name: values for name, (_kind, values) in columns.items()}
    return mvt(sql, {**params, **tile.params(), "layer": layer})


def count_at_most(rows_sql: str, params: dict, tile: Tile, limit: int) -> int:
    """How many rows rows_sql has in the tile, counting no further than limit + 1."""
    with tile_cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({rows_sql.format(envelope=ENVELOPE)} "
                       f"LIMIT %(tlimit)s) r", {**params, **tile.params(), "tlimit": limit + 1})
        return cursor.fetchone()[0]
