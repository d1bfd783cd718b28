"""What the public asset page shows, assembled for one code and one language.

Views stay thin: they pick the language, count the scan and render; everything the page
needs (content with its language fallback from qrmap.i18n, addresses, plus codes, locator,
neighbours) and the ETag that fingerprints it are built here. The cache generation that
saves drop is assets.cache.
"""
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assets import codes, locator, pluscodes, rules
from assets.cache import page_cache_generation
from assets.models import Asset
from assets.public.card import card_version
from assets.public.photos import photos_published, photos_shown
from assets.selectors import Resolved, asset_addresses, asset_nearest, code_resolve
from qrmap.i18n import language_short, localized

# Bump when the template changes shape, so that cached copies revalidate to the new page.
PAGE_VERSION = "7"
NEAREST = 5
SURROUNDINGS_CACHE_SECONDS = 300  # the page's own max-age
# A scanned code is looked up from the shared cache for up to a minute; any save, in any
# process, drops the whole cache generation at once (assets.cache).
RESOLVE_CACHE_SECONDS = 60


def code_resolve_cached(*, code: str, generation: int | None = None) -> Resolved | None:
    """code_resolve through the cache (unknown codes are never cached: a scan for random
    codes must not fill the cache). `generation`: page_cache_generation(), when the caller
    has read it (each read is a round trip to the cache)."""
    if not codes.is_well_formed(codes.normalize(code)):
        return None  # no cache key made of whatever was typed
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
class Practical:
    """One line of practical information, in the page's language or the fallback one."""

    field: str
    text: str
    is_fallback: bool


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
    practical: list[Practical] = field(default_factory=list)
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
    def directions(self) -> list[tuple[str, str]]:
        """(id, https URL) of the route planners that take a destination in the URL.

        All are https so that each works in any browser: OpenStreetMap's directions page
        reads `to=LAT,LON` as coordinates (no geocoder) and the visitor picks the start;
        Apple's and Google's documented map links open their app where it is installed.
        The page lists all of them (it must work without JavaScript); the deferred
        static/assets/asset_page.js only points the main button at the platform's own."""
        lat_lon = self.geo
        return [
            ("osm", f"https://www.openstreetmap.org/directions?to={lat_lon}"),
            ("apple", f"https://maps.apple.com/?daddr={lat_lon}"),
            ("google", f"https://www.google.com/maps/dir/?api=1&destination={lat_lon}"),
        ]

    @property
    def scale_label(self) -> str:
        """The locator's scale bar in words: "500 m", "2 km"."""
        metres = self.locator.scale.metres if self.locator else 0
        if metres < 1000:
            return _("%(n)d m") % {"n": metres}
        return _("%(n)d km") % {"n": metres // 1000}

    @property
    def scanned_plaque(self):
        """The plaque the visitor scanned, or None for an asset code."""
        return self.resolved.plaque

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
    (nearest, photos), outline = _cached_parts(asset, generation)
    addresses = asset_addresses(asset=asset, language=language)
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
        photos=photos_shown(photos=photos, language=language),
        practical=_practical(asset, language),
    )
    page.etag = _etag(page)
    return page


# OpenGraph locales (language_TERRITORY) of the site's languages.
OG_LOCALES = {"vi": "vi_VN", "en": "en_US", "zh-hans": "zh_CN"}


def share_context(*, page: "AssetPage", lang_param: str) -> dict:
    """What the share button and the OpenGraph/Twitter tags need: absolute addresses from
    QRMAP_PUBLIC_BASE_URL (never the request's Host: the page is cached and replayed), a
    short description, and the card picture's address with its version."""
    base, code = settings.QRMAP_PUBLIC_BASE_URL, page.asset.code
    url = f"{base}/a/{code}" + (f"?lang={lang_param}" if lang_param else "")
    description = page.description.strip() or " · ".join(
        part for part in (page.asset.get_kind_display().capitalize(), page.addresses.today)
        if part)
    short = language_short(page.language)
    return {
        "share_url": url,
        "share_description": Truncator(" ".join(description.split())).chars(200),
        "share_image": f"{base}/a/{code}/card.png?lang={short}&v={card_version(page.asset)}",
        "og_locale": OG_LOCALES.get(page.language, "vi_VN"),
    }


def _practical(asset: Asset, language: str) -> list[Practical]:
    """The filled practical fields (opening hours, fee, access, accessibility), each in the
    language asked or, when blank there, in Vietnamese like the description."""
    found = []
    for name in rules.PRACTICAL_FIELDS:
        text, fallback = localized(asset, name, language)
        if text.strip():
            found.append(Practical(field=name, text=text.strip(), is_fallback=fallback))
    return found


def _cached_parts(asset: Asset, generation: int | None):
    """((nearest assets, photos), commune outline row or None), read from the shared cache in
    one round trip and written back in at most two: on a busy server each round trip, to the
    cache or the database, counts more than the work behind it.

    The surroundings are kept as long as a phone may keep the page (max-age); the outline
    only changes when the geography is reloaded (rare, and its expiry covers it). The
    address needs neither: its units are stored on the asset (asset_addresses)."""
    version = f"{asset.pk}:{asset.updated_at.timestamp()}"
    keys = {"surroundings": f"qrmap:surroundings:{_current(generation)}:{version}"}
    if asset.commune_id is not None:
        keys["outline"] = locator.outline_cache_key(asset.commune_id)
    found = cache.get_many(keys.values())
    parts = {name: found.get(key) for name, key in keys.items()}
    if parts["surroundings"] is None:
        parts["surroundings"] = (
            asset_nearest(point=asset.location, limit=NEAREST, exclude_pk=asset.pk),
            photos_published(asset=asset))
        cache.set(keys["surroundings"], parts["surroundings"], SURROUNDINGS_CACHE_SECONDS)
    if "outline" in keys and parts["outline"] is None:
        parts["outline"] = locator.outline_read(asset.commune_id)
        cache.set(keys["outline"], parts["outline"], locator.CACHE_SECONDS)
    return parts["surroundings"], parts.get("outline")


def _etag(page: AssetPage) -> str:
    """Fingerprint of everything on the page: the asset's version, the language, what
    replaced it, the neighbours and photos (their own edits change distances and names)."""
    asset, plaque = page.asset, page.resolved.plaque
    parts = [
        PAGE_VERSION, page.language, page.resolved.code, asset.pk, asset.updated_at.isoformat(),
        asset.status, asset.replaced_by_id, asset.commune_id,
        plaque and (plaque.status, plaque.replaced_by_id),
        [(n.asset.code, n.name, n.distance) for n in page.neighbours],
        [(p.photo.pk, p.photo.image.name, p.caption, p.photo.position) for p in page.photos],
    ]
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'
