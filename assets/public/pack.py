"""The tourist's offline pack of one commune: "save this area for offline".

A visitor who expects no signal ahead (268 hamlets of the province have no 3G/4G) saves the
pages of a commune's heritage and scenic sites before leaving. The pack is a list of URLs
(the manifest, /offline/<commune>/pack.json) that the service worker static/assets/sw-pack.js
fetches into the phone's cache: the asset pages, the photos they show, the static files they
load (with the hashed names of collectstatic, through static()) and the pack page itself.

Only what the public selectors publish goes in (assets.selectors.asset_sites_public), and the
pack is capped by count and by bytes so that a tap on 3G never starts a download of hundreds
of megabytes; the visitor sees the estimate before saving.
"""
from dataclasses import dataclass, field

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Prefetch
from django.templatetags.static import static
from django.urls import reverse

from assets.models import AssetPhoto
from assets.selectors import asset_sites_public, commune_label, plaque_codes_of
from geodata.models import AdminUnit
from qrmap.i18n import localized

# Caps of one pack: 60 sites is more than any commune of the province holds; 15 MB is what
# a visitor can spend on a prepaid 3G plan without a second thought.
PACK_MAX_SITES = 60
PACK_MAX_BYTES = 15 * 1024 * 1024
# The asset page shows one photo, as a thumbnail (assets.services.photos): the pack holds
# that one, in both of its formats (the browser picks one, offline too).
PHOTOS_PER_SITE = 1
# What one asset page weighs in the cache, uncompressed: a page with a short description
# measured 11 KB, and the 15 KB gzip budget of a full one is some 40 KB of HTML. Pages are
# not rendered here only to be weighed; the estimate leans to the heavy side.
PAGE_BYTES = 32 * 1024
# The static files an asset page and the pack page load; the worker itself is not cached.
PACK_STATIC = ("assets/asset_page.js", "assets/pack.js")


@dataclass
class PackSite:
    asset_id: int
    code: str
    name: str
    url: str
    photos: list[str] = field(default_factory=list)


@dataclass
class Pack:
    """The manifest of one commune's pack, in one language."""

    commune: AdminUnit
    commune_name: str
    page_url: str
    sites: list[PackSite]
    static: list[str]
    codes: dict[str, str]
    bytes: int
    truncated: bool

    @property
    def cache_name(self) -> str:
        return f"qrmap-pack-{self.commune.code}"

    @property
    def urls(self) -> list[str]:
        """Every URL the worker saves, the pack page first, without repeats."""
        found = [self.page_url, *self.static]
        for site in self.sites:
            found += [site.url, *site.photos]
        return list(dict.fromkeys(found))

    @property
    def photo_count(self) -> int:
        return sum(1 for site in self.sites if site.photos)  # one photo a page

    def manifest(self) -> dict:
        return {
            "commune": {"code": self.commune.code, "name": self.commune_name},
            "cache": self.cache_name, "page": self.page_url,
            "sites": [{"code": s.code, "name": s.name, "url": s.url, "photos": s.photos}
                      for s in self.sites],
            "static": self.static, "codes": self.codes, "urls": self.urls,
            "count": len(self.urls), "bytes": self.bytes, "truncated": self.truncated,
        }


def pack_build(*, commune: AdminUnit, language: str, lang_query: str = "") -> Pack:
    """The pack of a commune's public heritage and scenic sites, within the caps.

    `lang_query` ("?lang=en" or "") is carried on the page URLs, so that the saved pages
    read in the language the visitor chose on the pack page."""
    static_urls, used = _static_files()
    sites, truncated = [], False
    candidates = asset_sites_public(commune_code=commune.code).prefetch_related(
        Prefetch("photos", queryset=AssetPhoto.objects.published()))
    for asset in candidates[:PACK_MAX_SITES + 1]:
        if len(sites) == PACK_MAX_SITES or used + PAGE_BYTES > PACK_MAX_BYTES:
            truncated = True
            break
        site = PackSite(asset_id=asset.pk, code=asset.code,
                        name=localized(asset, "name", language)[0],
                        url=reverse("public:asset", args=[asset.code]) + lang_query)
        used, left_out = _photos_add(site, list(asset.photos.all()), used + PAGE_BYTES)
        truncated = truncated or left_out
        sites.append(site)
    return Pack(commune=commune, commune_name=commune_label(commune=commune, language=language),
                page_url=reverse("public:offline-pack", args=[commune.code]) + lang_query,
                sites=sites, static=static_urls, codes=_codes(sites), bytes=used,
                truncated=truncated)


def _photos_add(site: PackSite, photos: list, used: int) -> tuple[int, bool]:
    """Add the thumbnail files of the photo the page shows, when they fit the byte cap;
    (bytes used, whether one that exists was left out)."""
    left_out = False
    for photo in photos[:PHOTOS_PER_SITE]:
        files = [f for f in (photo.thumb_webp, photo.thumb_jpeg) if f] or [photo.image]
        sizes = [_size(f.storage, f.name) for f in files]
        if None in sizes:
            continue
        if used + sum(sizes) > PACK_MAX_BYTES:
            left_out = True
            continue
        used += sum(sizes)
        site.photos += [f.url for f in files]
    return used, left_out


def _static_files() -> tuple[list[str], int]:
    urls = [static(name) for name in PACK_STATIC]
    return urls, sum(_size(staticfiles_storage, name) or 0 for name in PACK_STATIC)


def _size(storage, name: str) -> int | None:
    """The file's size, or None when it is missing (a photo whose file was lost is left
    out of the pack rather than failing the whole download)."""
    try:
        return storage.size(name)
    except (OSError, ValueError):
        return None


def _codes(sites: list[PackSite]) -> dict[str, str]:
    """Every code that opens a saved page (the asset's own and its plaques'), to the saved
    URL: offline, a scanned plaque (/Q/<plaque code>) still opens its place's page."""
    by_asset = {site.code: site.url for site in sites}
    codes = dict(by_asset)
    for plaque_code, asset_code in plaque_codes_of(asset_ids=[s.asset_id for s in sites]):
        codes[plaque_code] = by_asset[asset_code]
    return codes


