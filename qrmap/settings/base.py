"""Settings, part 1: mode, applications, database, Redis and Celery, auth, languages,
static files, production security. Read from the environment (see qrmap.settings)."""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    return str(env(name, str(default))).lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Mode -------------------------------------------------------------------------------
QRMAP_ENV = env("QRMAP_ENV", "development")
PRODUCTION = QRMAP_ENV == "production"

if PRODUCTION:
    missing = [n for n in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not env(n)]
    if missing:
        raise ImproperlyConfigured(
            "QRMAP_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    SECRET_KEY = env("SECRET_KEY")
    DEBUG = env_bool("DEBUG", False)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-qrmap")
    DEBUG = env_bool("DEBUG", True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "geodata",
    "assets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qrmap.csp.ConditionalCSPMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "qrmap.i18n.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "qrmap.urls"
WSGI_APPLICATION = "qrmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "qrmap.i18n.language_context",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# PostGIS is the only supported database. A bare local socket database named qrmap by default.
DATABASE_URL = env("DATABASE_URL", "postgis:///qrmap")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] in (
    "django.db.backends.postgresql",
    "django.db.backends.postgresql_psycopg2",
):
    DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"].setdefault("TEST", {})
if env("QRMAP_TEST_DB_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = env("QRMAP_TEST_DB_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica -----------------------------------------------------------------------
# Optional: a PostgreSQL streaming replica of the primary. Anonymous GET requests (public
# pages, maps, the open API) read from it; writes, signed-in staff, Celery tasks and
# commands use the primary. The rule and why it keeps read-your-writes: qrmap/routers.py.
# The middleware goes last, around the view only. In tests the alias mirrors the test
# database.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60),
        "ENGINE": DATABASES["default"]["ENGINE"],
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["qrmap.routers.PrimaryReplicaRouter"]
MIDDLEWARE = [*MIDDLEWARE, "qrmap.routers.ReplicaReadsMiddleware"]
# --- end Read replica -------------------------------------------------------------------

# --- Redis: shared cache, counters, job queue --------------------------------------------
# Everything shared between processes (rendered pages, code lookups, coverage figures,
# throttle and report counters, scan counts) lives here, never in a worker's memory, so any
# number of gunicorn workers and nodes agree. Redis keeps no durable state of ours: scan
# counts are flushed to PostgreSQL every minute, job state lives in the database.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "qrmap.redis_cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        # A test run gets its own prefix, so that it never reads a running site's keys.
        "KEY_PREFIX": env("QRMAP_CACHE_PREFIX", "qrmap"),
        "TIMEOUT": 300,
    },
}

# Celery: the broker is Redis too. Late acknowledgement + reject on a lost worker: a job whose
# worker is killed is delivered again (its task is idempotent), instead of vanishing.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("QRMAP_QUEUE", "qrmap")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "scans-flush": {"task": "assets.tasks.scans_flush_task", "schedule": 60.0},
    "jobs-recover": {"task": "geodata.tasks.jobs_recover_task", "schedule": 60.0},
}
# A running job whose worker has not written for this long is taken to have died.
QRMAP_JOB_STALE_SECONDS = int(env("QRMAP_JOB_STALE_SECONDS", "120"))
QRMAP_JOB_MAX_ATTEMPTS = int(env("QRMAP_JOB_MAX_ATTEMPTS", "3"))
# Tests and one-off scripts may run jobs inline; the site never does.
QRMAP_JOBS_INLINE = env_bool("QRMAP_JOBS_INLINE", False)
# Processes that draw and decode one print job's parts (assets.plaques.parts): the cores a
# worker machine gives a print job. 1 draws in the worker's own process.
QRMAP_PRINT_PROCESSES = max(1, int(env("QRMAP_PRINT_PROCESSES", str(os.cpu_count() or 1))))
# A scenario or proposal of the planner dashboard runs in the web request while hamlets in
# scope × planned or candidate sites stays below this; above, a Celery worker runs it and the
# page shows its progress. On the Lạng Sơn demo one commune is at most ~11,000 (54 hamlets ×
# 200 planned sites, the form's cap) and the province's 12 registry sites ~20,000, both
# well under a second; a province-wide proposal is ~470,000 (1,650 hamlets × ~290
# candidates) and grows with the square of the area, so it goes to the worker.
QRMAP_ANALYSIS_INLINE_LIMIT = int(env("QRMAP_ANALYSIS_INLINE_LIMIT", "25000"))
# Analyses one planner may have queued or running at once (the dashboard's forms are GET).
QRMAP_ANALYSIS_MAX_PENDING = int(env("QRMAP_ANALYSIS_MAX_PENDING", "3"))

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Languages --------------------------------------------------------------------------
# Vietnamese is the default; English and Chinese (simplified) for visitors.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("zh-hans", "中文")]
LOCALE_PATHS = [BASE_DIR / "qrmap" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Thousands separators per language (qrmap/formats); figures ask for them with intcomma.
FORMAT_MODULE_PATH = ["qrmap.formats"]
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (report photos, import files) are capped; larger bodies get a clear 413/400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security (production) --------------------------------------------------------------
# QRMAP_HTTPS=false is for `make run` on one machine: production settings served over plain
# HTTP on localhost (cookies without the Secure flag, no redirect to https, no HSTS).
QRMAP_HTTPS = env_bool("QRMAP_HTTPS", True)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = QRMAP_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = QRMAP_HTTPS
    CSRF_COOKIE_SECURE = QRMAP_HTTPS
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000")) if QRMAP_HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = QRMAP_HTTPS
    SECURE_HSTS_PRELOAD = QRMAP_HTTPS
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
