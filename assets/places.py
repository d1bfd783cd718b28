"""The map widget's place search: communes, hamlets and assets that a staff user may see,
found by name in the project's own data (there is no outside geocoder: an office LAN may
have no internet, and a hamlet's name is known nowhere else).

Names are compared folded, by the same database function the public search uses
(assets.search.Fold): "dong kinh" finds "Phường Đông Kinh". Asset names go through the
public search's trigram index; hamlet and unit names through trigram indexes on their folded
names (migration 0021), so that a national registry is not folded row by row per keystroke.
"""
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Envelope, PointOnSurface
from django.db.models import F, Q, Value
from django.db.models.functions import Collate, Length, StrIndex
from django.utils.translation import get_language

from assets import scope, search
from assets.models import Asset
from geodata.models import Hamlet
from qrmap.collation import VI_COLLATION
from qrmap.i18n import localized

# Rows of each kind: a search box shows a handful, not a list.
PER_KIND = 4
# One or two letters match nearly everything; a name is at most 200 characters.
SHORTEST, LONGEST = 2, 200


@dataclass
class Place:
    kind: str  # "commune", "hamlet" or "asset"
    kind_label: str
    name: str
    detail: str
    lat: float
    lon: float
    # min_lon, min_lat, max_lon, max_lat of a commune, for the map to fit; None for a point.
    bbox: tuple[float, float, float, float] | None = None


def _by_name(queryset, query: str):
    # Where the folded query starts in the folded name: a match at the start of the
    # name's words ranks before one in the middle, then shorter names, then alphabetically.
    wanted = search.Fold(Value(query))
    queryset = queryset.alias(folded=search.Fold(F("name")))
    if len(query) < search.SHORT_QUERY:
        # pg_trgm finds no trigram in "%na%"; the start of a word ("na%", "% na%") it can
        # look up, as the asset search does.
        matches = Q(folded__startswith=wanted) | Q(folded__contains=search.Fold(
            Value(" " + query)))
    else:
        matches = Q(folded__contains=wanted)
    return (queryset.filter(matches)
            .alias(at=StrIndex(F("folded"), wanted), length=Length("name"))
            .order_by("at", "length", Collate("name", VI_COLLATION)))


def _communes(user, query: str) -> list[Place]:
    units = (_by_name(scope.user_communes(user=user), query)
             .annotate(envelope=Envelope("boundary"), inside=PointOnSurface("boundary"))
             .only("name", "level")[:PER_KIND])
    return [Place(kind="commune", kind_label=unit.get_level_display(), name=unit.name,
                  detail="", lat=unit.inside.y, lon=unit.inside.x, bbox=unit.envelope.extent)
            for unit in units if unit.inside is not None]


def _hamlets(user, query: str) -> list[Place]:
    hamlets = (_by_name(scope.hamlet_list(user=user), query).select_related("commune")
               .only("name", "location", "commune__name")[:PER_KIND])
    label = str(Hamlet._meta.verbose_name)
    return [Place(kind="hamlet", kind_label=label, name=hamlet.name,
                  detail=hamlet.commune.name if hamlet.commune else "",
                  lat=hamlet.location.y, lon=hamlet.location.x) for hamlet in hamlets]


def _assets(user, query: str) -> list[Place]:
    matches = search.name_matches(query).order_by().values("asset_id")[:search.CANDIDATES]
    assets = search.name_ranked(
        scope.asset_list(user=user).filter(pk__in=matches), query,
    ).select_related("commune").only(*_ASSET_FIELDS)[:PER_KIND]
    label, language = str(Asset._meta.verbose_name), get_language() or "vi"
    return [Place(kind="asset", kind_label=label, name=localized(asset, "name", language)[0],
                  detail=" · ".join(filter(None, [asset.grouped_code,
                                                  asset.commune.name if asset.commune else ""])),
                  lat=asset.location.y, lon=asset.location.x) for asset in assets]


_ASSET_FIELDS = ("code", "name_vi", "name_en", "name_zh", "status", "location", "commune__name")


def place_search(*, user, query: str) -> list[Place]:
    """Communes, then hamlets, then assets of the user's scope whose name holds the query
    (accents and case ignored); nothing for a query too short or too long to mean a name."""
    query = search.search_text(query)
    if not SHORTEST <= len(query) <= LONGEST or not scope.is_staff(user):
        return []
    return _communes(user, query) + _hamlets(user, query) + _assets(user, query)
