"""The assets tile layer (geodata.tiles): what the public asset map shows, i.e. the active
assets of the public selector asset_filter, as points with code (k) and kind (t); where a
tile would hold too many, counts per commune at low zoom and on a pixel grid above: `n` in
all, `n_<kind>` per kind, so the map can leave out the kinds switched off.

The map's filters travel in the tile's query string (?kind=&category=&commune=) and are
checked here; the details of a popup come by id (asset_detail), in the page's language."""
import re

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db.models import Count, F
from django.utils.translation import gettext as _

from assets.models import Asset
from assets.selectors import asset_filter
from geodata.tiles import (
    Tile,
    TileError,
    cached_per_version,
    commune_points_mvt,
    count_at_most,
    filters_key,
    grid_mvt,
    point_limit,
    points_mvt,
    tile_layer_register,
)
from qrmap.i18n import localized

# Below this zoom a tile spans whole districts: counting a grid there would read every
# asset of the tile, while the counts per commune are read once per data version.
GRID_MIN_ZOOM = 11
KINDS = [kind for kind, _label in Asset.Kind.choices]
COMMUNE_CODE = re.compile(r"[0-9A-Za-z-]{1,20}")


def asset_tile_filters(query) -> dict[str, str]:
    """kind, category and commune (GSO code) of the asset map's form, or TileError."""
    kind = query.get("kind", "")
    category = query.get("category", "")
    commune = query.get("commune", "")
    if kind and kind not in Asset.Kind.values:
        raise TileError(_("Unknown kind of asset."))
    if category and category not in Asset.Category.values:
        raise TileError(_("Unknown category of asset."))
    if commune and not COMMUNE_CODE.fullmatch(commune):
        raise TileError(_("A commune code is letters and digits only."))
    return {"kind": kind, "category": category, "commune": commune}


def public_assets(tile: Tile, **filters) -> tuple[str, dict]:
    """SQL of the public assets in the tile (id, code k, kind t, location), from the
    public selector with its bbox filter, with named parameters (the tile SQL's style)."""
    bbox = Polygon.from_bbox(tile.bounds())
    bbox.srid = settings.QRMAP_SRID
    queryset = (asset_filter(status=Asset.Status.ACTIVE, bbox=bbox, **filters).order_by()
                .values("id", "location", k=F("code"), t=F("kind")))
    sql, params = queryset.query.sql_with_params()
    names = iter(range(len(params)))
    named = re.sub(r"(?<!%)%s", lambda _m: f"%(asset_p{next(names)})s", sql)
    return named, {f"asset_p{i}": value for i, value in enumerate(params)}


def commune_counts(**filters) -> dict[int, dict[str, int]]:
    """{commune id: {kind: public assets}} for the filters, once per data version."""
    def compute():
        counts: dict[int, dict[str, int]] = {}
        for pk, kind, n in (asset_filter(status=Asset.Status.ACTIVE, **filters)
                            .filter(commune__isnull=False).values_list("commune_id", "kind")
                            .annotate(n=Count("id")).order_by("commune_id")):
            counts.setdefault(pk, {})[kind] = n
        return counts
    return cached_per_version(f"asset-communes:{filters_key(filters)}", compute)


def assets_tile(tile: Tile, **filters) -> bytes:
    counts = commune_counts(**filters)
    total = sum(sum(by_kind.values()) for by_kind in counts.values())
    if total > point_limit() and tile.z < GRID_MIN_ZOOM:
        # Counting a low-zoom tile's assets reads most of them; the counts per commune
        # are already there.
        ids = list(counts)
        columns = {"id": ("bigint", ids),
                   "n": ("int", [sum(counts[pk].values()) for pk in ids])}
        for kind in KINDS:
            columns[f"n_{kind}"] = ("int", [counts[pk].get(kind, 0) for pk in ids])
        return commune_points_mvt("assets", tile, columns=columns)
    rows_sql, params = public_assets(tile, **filters)
    if total <= point_limit() or count_at_most(rows_sql, params, tile,
                                               point_limit()) <= point_limit():
        return points_mvt("assets", tile, rows_sql=rows_sql, params=params,
                          properties=["k", "t"])
    return grid_mvt("assets", tile, rows_sql=rows_sql, params=params, count_by=("t", KINDS))


def asset_detail(pk: int, language: str) -> dict | None:
    """What an asset's popup shows: code, kind, category and name in the language (the
    Vietnamese one where it has none). Public assets only, as on the map."""
    asset = (asset_filter(status=Asset.Status.ACTIVE).filter(pk=pk)
             .only("code", "kind", "category", "name_vi", "name_en", "name_zh").first())
    if asset is None:
        return None
    return {"id": asset.pk, "k": asset.code, "t": asset.kind, "c": asset.category,
            "n": localized(asset, "name", language)[0]}


def register() -> None:
    tile_layer_register("assets", assets_tile, asset_detail, filters=asset_tile_filters)
