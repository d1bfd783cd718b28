"""The coverage map's tile layers: hamlets by status, cell sites and communes (geodata.tiles).

Statuses come from the coverage model itself: the hamlets of a tile are the rows of
geodata.coverage.model.status_query (limited to the tile's ids), coded by the same
hamlet_features the inline map uses; the counts per commune are coverage_sums' (the sums of
coverage_figures, without its rows). So a tile never holds a second definition of a gap.

Where a tile would hold more than QRMAP_TILE_POINT_LIMIT points (low zoom at national size),
hamlets become one point per commune with its counts, and sites are counted on a pixel grid:
a tile stays under 50 KB whatever the data size.
"""
from geodata.coverage import coverage_sums
from geodata.coverage.mapdata import hamlet_features
from geodata.coverage.model import HamletCoverage, status_query
from geodata.models import AdminUnit, CellSite
from geodata.tiles import (
    ENVELOPE,
    Tile,
    cached_per_version,
    commune_points_mvt,
    count_at_most,
    grid_mvt,
    mvt,
    point_limit,
    points_mvt,
    tile_cursor,
    tile_layer_register,
)

HAMLETS_IN_TILE = "SELECT h.id FROM geodata_hamlet h WHERE h.location && {envelope}"
# The sites the coverage map draws (geodata.coverage.mapdata.site_features): active, with a
# 3G-or-better radius.
SITES_IN_TILE = f"""
    SELECT s.id, s.operator AS o, round(s.coverage_radius_m)::int AS r, s.location
    FROM geodata_cellsite s
    WHERE s.status = '{CellSite.Status.ACTIVE}' AND s.coverage_radius_m > 0
      AND s.location && {{envelope}}
"""


def hamlet_rows(*, ids_sql: str, params: dict) -> list[HamletCoverage]:
    """The coverage rows of the hamlets whose ids ids_sql selects. The filter on the id is
    pushed into status_query's scan of the hamlets (an index scan on the primary key), so
    only these hamlets pay for the site and district tests."""
    sql, status_params = status_query()
    with tile_cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) st WHERE st.id = ANY(ARRAY({ids_sql}))",
                       {**status_params, **params})
        return [HamletCoverage(*row) for row in cursor.fetchall()]


def commune_figures() -> list[dict]:
    """Today's communes with their coverage counts, per data version."""
    def compute():
        figures = {unit.code: unit for unit in coverage_sums().communes}
        rows = []
        for pk, code, name in AdminUnit.objects.current().communes().values_list(
                "id", "code", "name").order_by("code"):
            unit = figures.get(code)
            rows.append({"id": pk, "k": code, "n": name,
                         "t": unit.hamlets if unit else 0,
                         "g": unit.mobile_gap_hamlets if unit else 0,
                         "bg": unit.broadband_gap_hamlets if unit else 0,
                         "gp": unit.mobile_gap_population if unit else 0,
                         "s": round(unit.mobile_gap_share, 3) if unit else 0.0,
                         "bs": round(unit.broadband_gap_share, 3) if unit else 0.0})
        return rows
    return cached_per_version("commune-figures", compute)


COMMUNE_COLUMNS = {"id": "bigint", "k": "text", "n": "text", "t": "int", "g": "int",
                   "bg": "int", "gp": "int", "s": "float8", "bs": "float8"}


def _columns(rows: list[dict], names: list[str]) -> dict[str, tuple[str, list]]:
    return {name: (COMMUNE_COLUMNS[name], [row[name] for row in rows]) for name in names}


def hamlets_tile(tile: Tile) -> bytes:
    """Hamlets with their 3G/4G (m), broadband (b) and disagreement (d) codes; or, where too
    many, one point per commune with its hamlets (t), and gaps (g: 3G/4G, bg: broadband)."""
    if count_at_most(HAMLETS_IN_TILE, {}, tile, point_limit()) > point_limit():
        rows = [row for row in commune_figures() if row["t"]]
        return commune_points_mvt("hamlets", tile, columns=_columns(
            rows, ["id", "k", "n", "t", "g", "bg", "gp"]))
    rows = hamlet_rows(ids_sql=HAMLETS_IN_TILE.format(envelope=ENVELOPE), params=tile.params())
    if not rows:
        return b""
    table = hamlet_features(rows)["r"]  # [lon, lat, name, commune, people, m, b, d, s]
    return points_mvt("hamlets", tile, properties=["m", "b", "d"], params={
        "ids": [row.id for row in rows], "m": [r[5] for r in table],
        "b": [r[6] for r in table], "d": [r[7] for r in table],
    }, rows_sql="""
        SELECT v.id, v.m, v.b, NULLIF(v.d, 0) AS d, h.location
        FROM unnest(%(ids)s::bigint[], %(m)s::text[], %(b)s::text[], %(d)s::int[])
             v(id, m, b, d)
        JOIN geodata_hamlet h ON h.id = v.id
    """)


def hamlet_detail(pk: int) -> dict | None:
    """What a hamlet's popup shows."""
    rows = hamlet_rows(ids_sql="SELECT %(pk)s::bigint", params={"pk": pk})
    if not rows:
        return None
    row, coded = rows[0], hamlet_features(rows)["r"][0]
    return {"id": row.id, "n": row.name, "c": row.commune_name, "p": row.population,
            "h": row.households, "m": coded[5], "b": coded[6], "d": coded[7]}


def sites_tile(tile: Tile) -> bytes:
    """Sites with operator (o) and 3G+ radius in metres (r); or counts (n) on a grid."""
    if count_at_most(SITES_IN_TILE, {}, tile, point_limit()) > point_limit():
        return grid_mvt("sites", tile, rows_sql=SITES_IN_TILE, params={})
    return points_mvt("sites", tile, rows_sql=SITES_IN_TILE, params={},
                      properties=["o", "r"])


def site_detail(pk: int) -> dict | None:
    site = CellSite.objects.filter(pk=pk).first()
    if site is None:
        return None
    return {"id": site.pk, "n": str(site), "o": site.operator,
            "t": " ".join(site.technologies),
            "r": round(site.coverage_radius_m) if site.coverage_radius_m else None}


def communes_tile(tile: Tile) -> bytes:
    """Today's communes, simplified to the tile's grid, with their counts and gap shares
    (s: 3G/4G, bs: broadband) for the shading."""
    rows = commune_figures()
    columns = _columns(rows, list(COMMUNE_COLUMNS))
    unnest = ", ".join(f"%({name})s::{kind}[]" for name, (kind, _v) in columns.items())
    # Clipped to the tile first (a commune of thousands of vertices is transformed only
    # where it shows), then simplified by one unit of the tile's grid.
    geom = (f"ST_AsMVTGeom(ST_Simplify(ST_Transform(ST_ClipByBox2D(u.boundary, {ENVELOPE}), "
            f"3857), %(tol)s, true), ST_TileEnvelope(%(tz)s, %(tx)s, %(ty)s), %(textent)s, "
            f"%(tbuffer)s, true)")
    sql = f"""
        SELECT ST_AsMVT(mvt_row, 'communes', %(textent)s, 'geom', 'id') FROM (
          SELECT v.*, {geom} AS geom
          FROM unnest({unnest}) v({", ".join(columns)})
          JOIN geodata_adminunit u ON u.id = v.id
          WHERE u.boundary && {ENVELOPE}
        ) mvt_row WHERE mvt_row.geom IS NOT NULL
    """
    params = {name: values for name, (_kind, values) in columns.items()}
    return mvt(sql, {**params, **tile.params(), "tol": tile.unit_m})


tile_layer_register("hamlets", hamlets_tile, hamlet_detail)
tile_layer_register("sites", sites_tile, site_detail)
tile_layer_register("communes", communes_tile)
