"""The coverage map's overview: the view's hamlets by status as a small SVG that the server
draws into the page's first response, so that a hamlet is on screen at the first paint, before
Leaflet, the tile plugin and the first tiles have crossed a rural 3G link (issue 13).
geodata/static/geodata/overview.js then pins it to the map and drops it once the hamlet
tiles draw; with no tile, it stays.

Positions are Web Mercator, as on the map, scaled so that the view's bounds (bounds_of, which
the map is fitted to) span the viewBox. Up to QRMAP_OVERVIEW_HAMLET_LIMIT hamlets, one mark
per hamlet; beyond, one mark per commune and status at the mean position of those hamlets,
its area in proportion to their number, so the page stays small at national size. Each
status has its own shape, not only its own colour. The marks depend on the data alone and
are cached per data version; the words around them are the request's language.
"""
import math
from dataclasses import dataclass

from django.conf import settings

from geodata.coverage.mapdata import bounds_of
from geodata.coverage.model import (
    ANALYSIS_SETTINGS,
    COMMUNE_SQL,
    HamletCoverage,
    status_query,
)
from geodata.models import AdminUnit
from geodata.selectors import province_home
from geodata.tiles import cached_per_version, tile_cursor

WIDTH = 1000  # viewBox units across: integers at this grid are below a pixel on a phone
HAMLET_HALF = 6  # half the size of a hamlet's mark, in viewBox units
GROUP_HALF = (5, 30)  # smallest and largest half size of a commune's mark
# Drawing order: gaps over covered hamlets, and the worst on top.
STATUSES = ("covered", "broadband", "mobile", "both")
KEY_ORDER = ("covered", "mobile", "broadband", "both")
CACHE_NAME = "overview-1"  # a new name when the cached Overview changes shape


def hamlet_limit() -> int:
    """The most hamlets drawn one by one (about 6 gzip bytes each)."""
    return getattr(settings, "QRMAP_OVERVIEW_HAMLET_LIMIT", 2000)


def status_of(row: HamletCoverage) -> str:
    """covered, mobile (no 3G/4G), broadband (no broadband) or both, by the model's rules."""
    mobile, broadband = not row.mobile_covered, row.broadband_gap
    return ("both" if mobile and broadband else "mobile" if mobile
            else "broadband" if broadband else "covered")


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class View:
    """The viewBox of bounds (min_lon, min_lat, max_lon, max_lat), WIDTH across.

    >>> view = View((106.0, 21.0, 107.0, 22.0))
    >>> view.height, view.place(106.5, 21.5), view.place(107.0, 21.0)
    (1075, (500, 538), (1000, 1075))
    """

    bounds: tuple[float, float, float, float]

    @property
    def height(self) -> int:
        min_lon, min_lat, max_lon, max_lat = self.bounds
        span = _mercator_y(max_lat) - _mercator_y(min_lat)
        return max(1, round(WIDTH * span / math.radians(max_lon - min_lon)))

    def place(self, lon: float, lat: float) -> tuple[int, int]:
        min_lon, min_lat, max_lon, max_lat = self.bounds
        top, bottom = _mercator_y(max_lat), _mercator_y(min_lat)
        return (round((lon - min_lon) / (max_lon - min_lon) * WIDTH),
                round((top - _mercator_y(lat)) / (top - bottom) * self.height))

    def holds(self, x: int, y: int) -> bool:
        return 0 <= x <= WIDTH and 0 <= y <= self.height


def shape(status: str, half: int) -> tuple[int, int, str]:
    """A mark's shape: where it starts from its centre, and its outline in relative
    commands. A circle (no gap), a triangle (no 3G/4G), a square (no broadband), a diamond
    (neither), of about the same area.

    >>> shape("mobile", 6)
    (0, -7, 'l7 12h-14z')
    """
    if status == "covered":
        r = max(1, round(half * 0.85))
        return -r, 0, f"a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0-{2 * r} 0z"
    if status == "mobile":
        s = round(half * 1.15)
        return 0, -s, f"l{s} {round(s * 1.7)}h-{2 * s}z"
    if status == "broadband":
        s = max(1, round(half * 0.8))
        return -s, -s, f"h{2 * s}v{2 * s}h-{2 * s}z"
    s = round(half * 1.1)
    return 0, -s, f"l{s} {s}-{s} {s}-{s}-{s}z"


BAND = 40  # marks are written band by band, alternately left and right: short moves


def path_data(status: str, marks: list[tuple[int, int, int]]) -> str:
    """The marks (x, y, half size) of one status as one path: one subpath each, its first
    move absolute (M), the others relative to the previous mark (m), which gzip packs in
    two thirds of the bytes.

    >>> path_data("broadband", [(10, 20, 5), (30, 20, 5)])
    'M6 16h8v8h-8zm20 0h8v8h-8z'
    """
    def order(mark):
        band = mark[1] // BAND
        return band, mark[0] if band % 2 == 0 else -mark[0]

    parts, previous = [], None
    for x, y, half in sorted(marks, key=order):
        dx, dy, outline = shape(status, half)
        start = (x + dx, y + dy)
        if previous is None:
            parts.append(f"M{start[0]} {start[1]}{outline}")
        else:
            dy = start[1] - previous[1]
            # A minus sign separates two numbers: no space needed before it.
            parts.append(f"m{start[0] - previous[0]}{' ' if dy >= 0 else ''}{dy}{outline}")
        previous = start
    return "".join(parts)


@dataclass
class Overview:
    """What the page template draws: the viewBox, one path per status (`marks` subpaths
    each) and the hamlets per status; `grouped` when a mark stands for a commune's."""

    bounds: tuple[float, float, float, float]
    height: int
    paths: list[dict]
    hamlets: dict[str, int]
    grouped: bool

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def total(self) -> int:
        return sum(self.hamlets.values())

    @property
    def marks(self) -> int:
        return sum(path["marks"] for path in self.paths)

    @property
    def key(self) -> list[dict]:
        """The legend: each status' shape (around 0, 0) and its hamlets."""
        return [{"status": status, "d": path_data(status, [(0, 0, HAMLET_HALF)]),
                 "hamlets": self.hamlets[status]} for status in KEY_ORDER]


def _rows(sql: str, params: dict) -> list[tuple]:
    """The rows of a query over the model, with the analysis' settings (no JIT)."""
    with tile_cursor() as cursor:
        cursor.execute(ANALYSIS_SETTINGS)
        cursor.execute(sql, params)
        return cursor.fetchall()


STATUS_COLUMNS = ("id, name, cc, cn, dc, dn, households, population, lon, lat, ms, bs, "
                  "modelled, planned")


def _grouped(sql: str, params: dict) -> list[tuple[str, int, float, float]]:
    """(status, hamlets, mean lon, mean lat) per commune and status."""
    groups: dict[tuple[str, str], list[float]] = {}
    for cc, ms, bs, modelled, count, lon, lat in _rows(f"""
            SELECT cc, ms, bs, modelled, count(*), sum(lon), sum(lat)
            FROM ({sql}) st({STATUS_COLUMNS}) GROUP BY cc, ms, bs, modelled""", params):
        status = status_of(HamletCoverage(0, "", cc, "", "", "", 0, 0, 0.0, 0.0, ms, bs,
                                          modelled))
        group = groups.setdefault((cc, status), [0, 0.0, 0.0])
        group[0] += count
        group[1] += lon
        group[2] += lat
    return [(status, int(n), lon / n, lat / n)
            for (_cc, status), (n, lon, lat) in groups.items()]


def _hamlets(sql: str, params: dict) -> list[tuple[str, int, float, float]]:
    """(status, 1, lon, lat) per hamlet."""
    return [(status_of(HamletCoverage(0, "", "", "", "", "", 0, 0, lon, lat, ms, bs,
                                      modelled)), 1, lon, lat)
            for lon, lat, ms, bs, modelled in _rows(
                f"SELECT lon, lat, ms, bs, modelled FROM ({sql}) st({STATUS_COLUMNS}) "
                f"ORDER BY id", params)]


def overview_compute(*, commune: AdminUnit | None) -> Overview:
    """The overview of the commune's hamlets, or of the home province's (uncached)."""
    province = province_home() if commune is None else None
    sql, params = status_query(commune_id=commune.pk if commune else None,
                               province_id=province.pk if province else None,
                               cells=True, ordered=False)
    # How many, before asking the model about each: a plain count of the hamlets in scope.
    (total,), = _rows(f"SELECT count(*) FROM geodata_hamlet h WHERE {COMMUNE_SQL.format(h='h')}",
                      params)
    grouped = total > hamlet_limit()
    points = (_grouped if grouped else _hamlets)(sql, params)
    view = View(tuple(bounds_of(commune=commune)))
    hamlets = dict.fromkeys(STATUSES, 0)
    marks: dict[str, list[tuple[int, int, int]]] = {status: [] for status in STATUSES}
    for status, count, lon, lat in points:
        x, y = view.place(lon, lat)
        if not view.holds(x, y):
            continue  # not in the view the map opens on
        hamlets[status] += count
        half = (min(GROUP_HALF[1], max(GROUP_HALF[0], round(math.sqrt(count) * 0.7)))
                if grouped else HAMLET_HALF)
        marks[status].append((x, y, half))
    paths = [{"status": status, "d": path_data(status, marks[status]),
              "marks": len(marks[status])} for status in STATUSES if marks[status]]
    return Overview(bounds=view.bounds, height=view.height, paths=paths, hamlets=hamlets,
                    grouped=grouped)


def coverage_overview(*, commune: AdminUnit | None = None) -> Overview:
    """The overview of the map's view (the commune, else the province), per data version."""
    scope = commune.code if commune is not None else "province"
    return cached_per_version(f"{CACHE_NAME}:{scope}:{hamlet_limit()}",
                              lambda: overview_compute(commune=commune))
