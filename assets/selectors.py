"""Reads on assets: resolve a code, filter, nearest assets, search, addresses."""
import datetime
from dataclasses import dataclass

from django.contrib.gis.geos import Point, Polygon
from django.db.models import Case, QuerySet, Value, When
from django.db.models.functions import Collate

from assets import codes, search
from assets.models import Asset, Plaque, Report
from geodata.addresses import address_format
from geodata.models import AdminUnit
from geodata.selectors import PointUnits, unit_lookup_point
from qrmap.collation import VI_COLLATION

# KNN (<->) on the 4326 geometry uses the GiST index but orders by degrees, which at 22°N
# stretch east-west by 1/cos(22°) ≈ 1.08. Taking a few more candidates than asked and
# re-sorting them by true (geography) distance gives the exact answer at index speed.
KNN_CANDIDATES = 4
# The columns a list of results reads: names, code, kind, category, status, commune's name.
RESULT_FIELDS = ("code", "kind", "category", "name_vi", "name_en", "name_zh", "status",
                 "location", "commune__code", "commune__name")


@dataclass
class Resolved:
    """What a scanned or typed code points at: an asset, and the plaque if it was one."""

    code: str
    asset: Asset
    plaque: Plaque | None = None


def code_resolve(*, code: str) -> Resolved | None:
    """The asset (and plaque) behind a code typed in any forgiving form, or None."""
    code = codes.normalize(code)
    if not codes.is_well_formed(code):
        return None
    # defer: a commune's boundary is thousands of vertices that the page does not need here.
    # Not first(): a code is unique, and ordering the query by the model's order cost more
    # to compile than the query takes to run. The replacing asset (retired ones only) is
    # read when a page shows it: a second copy of every column on every resolve cost
    # another millisecond.
    asset = _one(Asset.objects.select_related("commune").defer("commune__boundary")
                 .filter(code=code))
    if asset is not None:
        return Resolved(code=code, asset=asset)
    plaque = _one(Plaque.objects.select_related("asset__commune", "replaced_by")
                  .defer("asset__commune__boundary").filter(code=code))
    if plaque is not None:
        return Resolved(code=code, asset=plaque.asset, plaque=plaque)
    return None


def _one(queryset):
    return next(iter(queryset.order_by()[:1]), None)


def code_suggestions(*, code: str) -> list[Resolved]:
    """Existing codes one typo away from a code whose check symbol is wrong."""
    candidates = codes.corrections(code)
    if not candidates:
        return []
    found = {a.code: Resolved(code=a.code, asset=a)
             for a in Asset.objects.filter(code__in=candidates)}
    for plaque in Plaque.objects.select_related("asset").filter(code__in=candidates):
        found[plaque.code] = Resolved(code=plaque.code, asset=plaque.asset, plaque=plaque)
    return [found[c] for c in sorted(found)]


# The KNN candidates, re-sorted by true distance in the same query: only the few asked for
# become model instances (building twenty with their geometries cost more than the query).
_NEAREST_SQL = """
SELECT id, code, kind, category, name_vi, name_en, name_zh, location, distance_m FROM (
    SELECT id, code, kind, category, name_vi, name_en, name_zh, location,
           location::geography <-> %(point)s::geography AS distance_m
    FROM assets_asset
    WHERE status = %(active)s AND id IS DISTINCT FROM %(exclude)s
    ORDER BY location <-> %(point)s::geometry
    LIMIT %(candidates)s) candidate
ORDER BY distance_m, id
LIMIT %(limit)s
"""


def asset_nearest(*, point: Point, limit: int = 5, exclude_pk: int | None = None) -> list[Asset]:
    """Active assets nearest to a point, each with `.distance_m`, nearest first."""
    return list(Asset.objects.raw(_NEAREST_SQL, {
        "point": point.ewkt, "active": Asset.Status.ACTIVE, "exclude": exclude_pk,
        "candidates": limit * KNN_CANDIDATES, "limit": limit}))


def asset_filter(queryset: QuerySet | None = None, *, kind: str = "", category: str = "",
                 commune: str = "", status: str = "", verified: bool | None = None,
                 heritage_rank: str = "", synthetic: bool | None = None,
                 updated_since: datetime.datetime | None = None, name: str = "",
                 bbox: Polygon | None = None) -> QuerySet:
    """Assets (of `queryset`, else all) that match every given filter; an empty value or
    None leaves that filter out. `commune` is the GSO code, `name` any part of a name."""
    queryset = Asset.objects.all() if queryset is None else queryset
    exact = {"kind": kind, "category": category, "commune__code": (commune or "").strip(),
             "status": status, "heritage_rank": heritage_rank}
    queryset = queryset.filter(**{lookup: value for lookup, value in exact.items() if value})
    if verified is not None:
        queryset = queryset.filter(position_verified=verified)
    if synthetic is not None:
        queryset = queryset.filter(synthetic=synthetic)
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=updated_since)
    name = search.search_text(name)
    if name:
        # A list reads every match (up to the API's cap, in id order), not the first few.
        queryset = queryset.filter(search.NamesContain(name))
    if bbox is not None:
        queryset = queryset.filter(location__intersects=bbox)
    return queryset


def asset_sites_public(*, commune_code: str) -> QuerySet:
    """The heritage and scenic sites of a commune that a visitor may save for offline
    reading: the active ones, whose pages are public (verified or not, as on the map), most
    highly ranked first (what a capped pack keeps), then by Vietnamese name."""
    sites = asset_filter(kind=Asset.Kind.HERITAGE, commune=commune_code,
                         status=Asset.Status.ACTIVE)
    rank = Case(*(When(heritage_rank=value, then=Value(order)) for order, value in enumerate(
        (Asset.HeritageRank.SPECIAL_NATIONAL, Asset.HeritageRank.NATIONAL,
         Asset.HeritageRank.PROVINCIAL))), default=Value(3))
    return sites.order_by(rank, Collate("name_vi", VI_COLLATION), "code").defer("shape")


def plaque_codes_of(*, asset_ids: list[int]) -> list[tuple[str, str]]:
    """(plaque code, asset code) of every plaque of these assets: any of them opens the
    asset's page, also a replaced one (which says what replaced it)."""
    return list(Plaque.objects.filter(asset_id__in=asset_ids).order_by("code")
                .values_list("code", "asset__code"))


def asset_search(*, query: str, limit: int = 30) -> list[Asset]:
    """Assets whose name (in any language) contains the query, accents ignored, best first;
    when none does, those whose name is close to it (a typo)."""
    query = search.search_text(query)
    if not query:
        return []
    found = _ranked_page(search.name_matches(query), query, limit)
    if found:
        return found
    corrected = search.name_corrected(query)
    return _ranked_page(search.name_matches(corrected), corrected, limit) if corrected else []


def _ranked_page(matches: QuerySet, query: str, limit: int) -> list[Asset]:
    # The candidates are capped before ranking (search.CANDIDATES says why), in a subquery
    # so that the index scan stops early and only the survivors are ranked.
    candidates = matches.order_by().values("asset_id")[:search.CANDIDATES]
    ranked = search.name_ranked(Asset.objects.filter(pk__in=candidates), query)
    # What a list of results shows (assets/_results.html): not the descriptions, the
    # shape or the commune's boundary, which made building the rows cost more than ranking.
    return list(ranked.select_related("commune").only(*RESULT_FIELDS)[:limit])


@dataclass
class Addresses:
    """Where a point lies today and where it lay before the 2025 reform, as text."""

    today: str
    before_reform: str
    before_reform_approximate: bool = False
    commune_name: str = ""


def address_at_point(*, point: Point, language: str = "vi") -> Addresses:
    """Today's address (commune, province) and the pre-2025 one (commune, district) of a
    point, looked up in the unit polygons."""
    return _addresses(unit_lookup_point(point=point), language)


def asset_addresses(*, asset: Asset, language: str = "vi") -> Addresses:
    """address_at_point for an asset, from the units stored on its row (the triggers of
    migration 0025 derive them by the same rules): no lookup, at most one query by primary
    key. An asset outside every commune (a sliver between the simplified polygons) is looked
    up, as the nearest commune is not stored."""
    if asset.commune_id is None:
        return address_at_point(point=asset.location, language=language)
    units = _stored_units(asset)
    return _addresses(PointUnits(
        point=asset.location, commune_before_approximate=asset.commune_before_approximate,
        **units), language)


_STORED_UNITS = ("commune", "province", "district_before", "commune_before")


def _stored_units(asset: Asset) -> dict:
    """The asset's units by name, those not loaded with it in one query (not by joins in
    code_resolve: a join per unit made planning that query cost more than running it)."""
    loaded = {name: getattr(asset, name) for name in _STORED_UNITS
              if Asset._meta.get_field(name).is_cached(asset)}
    wanted = {getattr(asset, f"{name}_id") for name in _STORED_UNITS if name not in loaded}
    found = AdminUnit.objects.defer("boundary").in_bulk(wanted - {None}) if wanted else {}
    return {name: loaded[name] if name in loaded else found.get(getattr(asset, f"{name}_id"))
            for name in _STORED_UNITS}


def _addresses(units: PointUnits, language: str) -> Addresses:
    style = _address_style(language)
    return Addresses(
        today=address_format(units=units.today, language=style) if units.commune else "",
        before_reform=address_format(units=units.before_reform, language=style)
        if units.district_before else "",
        before_reform_approximate=units.commune_before_approximate,
        commune_name=address_format(units=[units.commune], language=style)
        if units.commune else "",
    )


def commune_label(*, commune: AdminUnit, language: str) -> str:
    """A commune's name with its unit type, as an address writes it in that language."""
    return address_format(units=[commune], language=_address_style(language))


def _address_style(language: str) -> str:
    # Chinese readers get Chinese unit types (and the few established Chinese names).
    return {"en": "en", "zh-hans": "zh", "zh": "zh"}.get(language, "vi")


def report_by_reference(*, reference: str) -> Report | None:
    """The report a sender follows, by its reference typed in any forgiving form."""
    reference = codes.normalize(reference or "")
    if len(reference) != 8:
        return None
    return (Report.objects.select_related("asset").defer("asset__shape")
            .filter(reference=reference).first())


def report_sent(*, asset: Asset, reference: str | None) -> Report | None:
    """The report just sent about this asset, for the thank-you note (None for another's)."""
    found = report_by_reference(reference=reference or "")
    return found if found is not None and found.asset_id == asset.pk else None
