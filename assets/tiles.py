"""The assets tile layer (geodata.tiles): what the public asset map shows, i.e. the active
assets of the public selector asset_filter, as points with code (k) and kind (t); where a
tile would hold too many, counts (n) per commune at low zoom and on a pixel grid above."""
import re

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db.models import Count, F

from assets.models import Asset
from assets.selectors import asset_filter
from geodata.tiles import (
    Tile,
    cached_per_version,
    commune_points_mvt,
    count_at_most,
    grid_mvt,
    point_limit,
    points_mvt,
    tile_layer_register,
)

# Below this zoom a tile spans whole districts: counting a grid there would read every
# asset of the tile, while the counts per commune are read once per data version.
GRID_MIN_ZOOM = 11


def public_assets(tile: Tile) -> tuple[str, dict]:
    """SQL of the public assets in the tile (id, code k, kind t, location), from the
    public selector with its bbox filter, with named parameters (the tile SQL's style)."""
    bbox = Polygon.from_bbox(tile.bounds())
    bbox.srid = settings.QRMAP_SRID
    queryset = (asset_filter(status=Asset.Status.ACTIVE, bbox=bbox).order_by()
                .values("id", "location", k=F("code"), t=F("kind")))
    sql, params = queryset.query.sql_with_params()
    names = iter(range(len(params)))
    named = re.sub(r"(?<!%)%s", lambda _m: f"%(asset_p{next(names)})s", sql)
    return named, {f"asset_p{i}": value for i, value in enumerate(params)}


def commune_counts() -> list[tuple[int, int]]:
    """(commune id, public assets) per commune, once per data version."""
    return cached_per_version("asset-communes", lambda: list(
        asset_filter(status=Asset.Status.ACTIVE).filter(commune__isnull=False)
        .values_list("commune_id").annotate(n=Count("id")).order_by("commune_id")))


def assets_tile(tile: Tile) -> bytes:
    counts = commune_counts()
    total = sum(n for _pk, n in counts)
    if total > point_limit() and tile.z < GRID_MIN_ZOOM:
        # Counting a low-zoom tile's assets reads most of them; the counts per commune
        # are already there.
        return commune_points_mvt("assets", tile, columns={
            "id": ("bigint", [pk for pk, _n in counts]), "n": ("int", [n for _pk, n in counts])})
    rows_sql, params = public_assets(tile)
    if total <= point_limit() or count_at_most(rows_sql, params, tile,
                                               point_limit()) <= point_limit():
        return points_mvt("assets", tile, rows_sql=rows_sql, params=params,
                          properties=["k", "t"])
    return grid_mvt("assets", tile, rows_sql=rows_sql, params=params)


def register() -> None:
    tile_layer_register("assets", assets_tile)
