"""What the public asset page shows, assembled for one code and one language.

Views stay thin: they pick the language, count the scan and render; everything the page
needs (content with its language fallback from qrmap.i18n, addresses, plus codes, locator,
neighbours) and the ETag that fingerprints it are built here. The cache generation that
saves drop is assets.cache.
"""
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from assets import codes, locator, pluscodes
from assets.cache import page_cache_generation
from assets.models import Asset
from assets.selectors import Resolved, address_at_point, asset_nearest, code_resolve
from qrmap.i18n import localized

# Bump when the template changes shape, so that cached copies revalidate to the new page.
PAGE_VERSION = "3"
NEAREST = 5
ADDRESS_CACHE_SECONDS = 3600
SURROUNDINGS_CACHE_SECONDS = 300  # the page's own max-age
# A scanned code is looked up from the shared cache for up to a minute; any save, in any
# process, drops the whole cache generation at once (assets.cache).
RESOLVE_CACHE_SECONDS = 60


def code_resolve_cached(*, code: str, generation: int | None = None) -> Resolved | None:
    """code_resolve through the cache (unknown codes are never cached: a scan for random
    codes must not fill the cache). `generation`: page_cache_generation(), when the caller
    has read it (each read is a round trip to the cache)."""
    key = f"qrmap:code:{_current(generation)}:{codes.normalize(code)}"
    found = cache.get(key)
    if found is None:
        found = code_resolve(code=code)
        if found is not None:
            cache.set(key, found, RESOLVE_CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class ServedPage:
    """What a repeat scan needs, from the shared cache: the bytes, their ETag and the ids the
    scan is counted for."""

    code: str
    asset_id: int
    plaque_id: int | None
    etag: str
    html: str


def _current(generation: int | None) -> int:
    return page_cache_generation() if generation is None else generation


def _served_key(code: str, language: str, variant: str, generation: int | None) -> str:
    return (f"qrmap:served:{_current(generation)}:{codes.normalize(code)}:{language}:"
            f"{variant}")


def served_page_get(*, code: str, language: str, variant: str,
                    generation: int | None = None) -> ServedPage | None:
    """The page as last rendered for this code, language and link variant, if still current
    (unknown codes are never cached: a scan for random codes must not fill the cache)."""
    return cache.get(_served_key(code, language, variant, generation))


def served_page_set(*, code: str, language: str, variant: str, page: "AssetPage",
                    html: str, generation: int | None = None) -> ServedPage:
    """Keep a rendered page for the next scans, as long as its surroundings are cached."""
    resolved = page.resolved
    served = ServedPage(code=resolved.code, asset_id=resolved.asset.pk,
                        plaque_id=resolved.plaque.pk if resolved.plaque else None,
                        etag=page.etag, html=html)
    cache.set(_served_key(code, language, variant, generation), served,
              SURROUNDINGS_CACHE_SECONDS)
    return served


def distance_label(metres: float) -> str:
    """Round a distance the way a signpost would: 40 m, 350 m, 1.2 km, 14 km."""
    if metres < 1000:
        return _("%(n)d m") % {"n": max(10, round(metres, -1))}
    if metres < 10_000:
        return _("%(n).1f km") % {"n": metres / 1000}
    return _("%(n)d km") % {"n": round(metres / 1000)}


def coordinates_label(lat: float, lon: float) -> str:
    return f"{abs(lat):.5f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.5f}° {'E' if lon >= 0 else 'W'}"


@dataclass
class Neighbour:
    asset: Asset
    name: str
    distance: str


@dataclass
class AssetPage:
    resolved: Resolved
    language: str
    name: str
    name_is_fallback: bool
    description: str
    description_is_fallback: bool
    lat: float
    lon: float
    coordinates: str
    plus_code: str
    plus_code_short: tuple[str, str] | None
    addresses: object
    neighbours: list[Neighbour]
    locator: object
    photos: list = field(default_factory=list)
    etag: str = ""

    @property
    def asset(self):
        return self.resolved.asset

    @property
    def geo(self):
        """"lat,lon" for geo: URIs and map links, never localized."""
        return f"{self.lat:.6f},{self.lon:.6f}"

    @property
    def osm_url(self):
        lat, lon = f"{self.lat:.6f}", f"{self.lon:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    @property
    def grouped_code(self):
        return codes.group(self.asset.code)

    @property
    def plaque_code(self):
        plaque = self.resolved.plaque
        return codes.group(plaque.code) if plaque else ""


def asset_page_build(*, resolved: Resolved, language: str,
                     generation: int | None = None) -> AssetPage:
    """Everything the public page of a code shows, in one language."""
    asset = resolved.asset
    lon, lat = asset.location.x, asset.location.y
    name, name_fallback = localized(asset, "name", language)
    description, description_fallback = localized(asset, "description", language)
    (nearest, photos), addresses, outline = _cached_parts(asset, language, generation)
    neighbours = [
        Neighbour(asset=n, name=localized(n, "name", language)[0],
                  distance=distance_label(n.distance_m))
        for n in nearest
    ]
    page = AssetPage(
        resolved=resolved, language=language,
        name=name, name_is_fallback=name_fallback,
        description=description, description_is_fallback=description_fallback,
        lat=lat, lon=lon, coordinates=coordinates_label(lat, lon),
        plus_code=pluscodes.plus_code_full(lat=lat, lon=lon),
        plus_code_short=pluscodes.plus_code_short(lat=lat, lon=lon),
        addresses=addresses,
        neighbours=neighbours,
        locator=locator.locator_build(
            commune_id=asset.commune_id, lon=lon, lat=lat,
            neighbours=[(n.location.x, n.location.y) for n in nearest], outline=outline,
        ),
        photos=photos,
    )
    page.etag = _etag(page)
    return page


def _cached_parts(asset: Asset, language: str, generation: int | None):
    """((nearest assets, photos), addresses, commune outline row or None), read from the
    shared cache in one round trip and written back in at most two: on a busy server each
    round trip, to the cache or the database, counts more than the work behind it.

    The surroundings are kept as long as a phone may keep the page (max-age). The address
    (two light queries from the stored commune, geodata.selectors.unit_lookup_in_commune)
    only changes when the asset moves (updated_at) or the geography is reloaded (rare, and
    the hour-long expiry covers it); so does the outline."""
    version = f"{asset.pk}:{asset.updated_at.timestamp()}"
    keys = {"surroundings": f"qrmap:surroundings:{_current(generation)}:{version}",
            "address": f"qrmap:address:{version}:{language}"}
    if asset.commune_id is not None:
        keys["outline"] = locator.outline_cache_key(asset.commune_id)
    found = cache.get_many(keys.values())
    parts = {name: found.get(key) for name, key in keys.items()}
    if parts["surroundings"] is None:
        parts["surroundings"] = (
            asset_nearest(point=asset.location, limit=NEAREST, exclude_pk=asset.pk),
            list(asset.photos.all()))
        cache.set(keys["surroundings"], parts["surroundings"], SURROUNDINGS_CACHE_SECONDS)
    missing = {}
    if parts["address"] is None:
        parts["address"] = missing[keys["address"]] = address_at_point(
            point=asset.location, language=language, commune_id=asset.commune_id)
    if "outline" in keys and parts["outline"] is None:
        parts["outline"] = missing[keys["outline"]] = locator.outline_read(asset.commune_id)
    if missing:
        cache.set_many(missing, min(ADDRESS_CACHE_SECONDS, locator.CACHE_SECONDS))
    return parts["surroundings"], parts["address"], parts.get("outline")


def _etag(page: AssetPage) -> str:
    """Fingerprint of everything on the page: the asset's version, the language, what
    replaced it, the neighbours and photos (their own edits change distances and names)."""
    asset, plaque = page.asset, page.resolved.plaque
    parts = [
        PAGE_VERSION, page.language, page.resolved.code, asset.pk, asset.updated_at.isoformat(),
        asset.status, asset.replaced_by_id, asset.commune_id,
        plaque and (plaque.status, plaque.replaced_by_id),
        [(n.asset.code, n.name, n.distance) for n in page.neighbours],
        [(p.pk, p.image.name) for p in page.photos],
    ]
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'
