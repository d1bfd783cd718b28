"""Settings, part 2: clients and limits, the REST framework, logging, the project's own
settings (QRMAP_*), the Content-Security-Policy and private files."""
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from assets.plaques.qr import base_urls_parse
from qrmap.settings.base import *  # noqa: F403 - the sections build on each other
from qrmap.settings.base import BASE_DIR, MEDIA_ROOT, PRODUCTION, STATIC_ROOT, env, env_list

# --- Clients and limits -----------------------------------------------------------------
# Our proxies in front of gunicorn (nginx: 1): only the X-Forwarded-For entries they added
# are believed (qrmap/clients.py); 0 ignores the header. More than the real number lets a
# client pick its address. Reports are limited per client (a keyed hash of its address, in
# the cache for the window only) and, higher, per asset: one sender cannot silence a place.
QRMAP_TRUSTED_PROXIES = int(env("QRMAP_TRUSTED_PROXIES", "0"))
QRMAP_REPORT_CLIENT_RATE_LIMIT = env("QRMAP_REPORT_CLIENT_RATE_LIMIT", "5/h")
QRMAP_REPORT_RATE_LIMIT = env("QRMAP_REPORT_RATE_LIMIT", "10/h")
# Uploaded images (assets/images.py): refused from the header above this many pixels (PNG
# and WebP, decoded whole: a quarter; Pillow follows it) or bytes. Report photos are kept
# at most QRMAP_PHOTO_MAX_SIDE pixels a side.
QRMAP_MAX_IMAGE_PIXELS = int(env("QRMAP_MAX_IMAGE_PIXELS", str(40_000_000)))
QRMAP_MAX_PHOTO_BYTES = int(env("QRMAP_MAX_PHOTO_BYTES", str(5 * 1024 * 1024)))
QRMAP_PHOTO_MAX_SIDE = int(env("QRMAP_PHOTO_MAX_SIDE", "1600"))
# Who is e-mailed about each new report (comma-separated; empty: nobody). Mail goes through
# Django: SMTP (EMAIL_HOST...) in production, printed on the console in development.
QRMAP_REPORT_RECIPIENTS = env_list("QRMAP_REPORT_RECIPIENTS")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
                    if PRODUCTION else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "qrmap@localhost")
# --- end Clients and limits -------------------------------------------------------------

# --- REST framework ---------------------------------------------------------------------
# Reads are public; writes need a token (other government systems) or a staff session.
# Anonymous clients are throttled per IP; QGIS/GDAL page through whole layers, so the rate
# is generous and configurable.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["qrmap.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("QRMAP_API_ANON_RATE", "3000/hour")},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["qrmap.parsers.JSONBodyParser",
                               "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "qrmap API",
    "DESCRIPTION": "Public assets, QR plaques and coverage data of Lạng Sơn province.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Assets and photos both have a `kind`: each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {"PhotoKindEnum": "assets.models.photos.AssetPhoto.Kind"},
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# --- qrmap ------------------------------------------------------------------------------
QRMAP_SRID = 4326
# Where plaques point. The QR payload upper-cases it: <BASE>/Q/<CODE> (alphanumeric mode).
QRMAP_PUBLIC_BASE_URL = env("QRMAP_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A province's own base URL for its plaques, keyed by its GSO code, e.g.
# "20=https://qr.langson.gov.vn,02=https://qr.hagiang.gov.vn"; a province not listed uses
# QRMAP_PUBLIC_BASE_URL. Refused at start-up unless it stays QR alphanumeric upper-cased.
try:
    QRMAP_PROVINCE_BASE_URLS = base_urls_parse(env("QRMAP_PROVINCE_BASE_URLS", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"QRMAP_PROVINCE_BASE_URLS: {error}") from None
QRMAP_TILE_URL = env("QRMAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
QRMAP_TILE_ATTRIBUTION = env(
    "QRMAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
# The demo province, the one the public pages' coverage figures are of (GSO code).
QRMAP_PROVINCE_CODE = env("QRMAP_PROVINCE_CODE", "20")
# The day the 2025 reform took effect: units valid before it, units valid from it.
QRMAP_REFORM_DATE = "2025-07-01"
QRMAP_DEMO_SEED = int(env("QRMAP_DEMO_SEED", "20250701"))
QRMAP_MAX_IMPORT_BYTES = int(env("QRMAP_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))
# Above this an upload is checked and saved by a Celery worker while the page shows progress.
QRMAP_IMPORT_INLINE_BYTES = int(env("QRMAP_IMPORT_INLINE_BYTES", str(512 * 1024)))
# Debian 12 ships GDAL 3.6, which cannot block file/network access from a spatial reference
# (gis.W001). Imports check archives and refuse remote references themselves (importers/).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Content-Security-Policy ------------------------------------------------------------
# Backs up "data never becomes code" (qrmap/csp.py): scripts only from this site, plus the
# inline set-up scripts of the Folium maps with the request's nonce; no inline handlers, no
# eval. Styles may be inline (style attributes are used; they run no code). Images: ours,
# data: URIs (Leaflet, the favicon), blob: (the report form previews and shrinks the photo
# on the phone) and the host of QRMAP_TILE_URL ("{s}" becomes "*").
_tiles = urlsplit(QRMAP_TILE_URL)
QRMAP_TILE_SOURCE = (f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
                     if _tiles.netloc else SELF)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF, NONCE], "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", QRMAP_TILE_SOURCE], "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE], "base-uri": [NONE], "form-action": [SELF], "frame-ancestors": [NONE],
}}
# --- end Content-Security-Policy --------------------------------------------------------

# --- Private files ----------------------------------------------------------------------
# Print PDFs, report and installation photos, import uploads: random names outside MEDIA_ROOT,
# read only through staff views that check scope (assets/storage.py). Behind nginx, the prefix
# of its `internal` location aliasing this folder ("/_private/"): the view answers only
# X-Accel-Redirect and nginx sends the bytes. Empty: the view streams them.
QRMAP_PRIVATE_ROOT = Path(env("QRMAP_PRIVATE_ROOT", str(BASE_DIR / "private")))
QRMAP_PRIVATE_ACCEL_PREFIX = env("QRMAP_PRIVATE_ACCEL_PREFIX", "")
if any(QRMAP_PRIVATE_ROOT.resolve().is_relative_to(Path(public).resolve())
       for public in (MEDIA_ROOT, STATIC_ROOT)):
    raise ImproperlyConfigured("QRMAP_PRIVATE_ROOT must lie outside MEDIA_ROOT and STATIC_ROOT.")
# Import vertex caps, checked before any GEOS/PostGIS work (geodata/importers/limits.py).
QRMAP_IMPORT_MAX_VERTICES_PER_GEOMETRY = int(
    env("QRMAP_IMPORT_MAX_VERTICES_PER_GEOMETRY", "100000"))
QRMAP_IMPORT_MAX_VERTICES_PER_FILE = int(env("QRMAP_IMPORT_MAX_VERTICES_PER_FILE", "2000000"))
# --- end Private files ------------------------------------------------------------------
