"""qrmap settings, read from the environment.

Development works with no configuration at all. Production (QRMAP_ENV=production) refuses
to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, so a forgotten variable is a
loud error at boot instead of a site running on a development key.

Two modules for size: base (mode, apps, database, Redis, Celery, auth, languages, static,
security) and site (clients and limits, REST framework, logging, QRMAP_*, CSP, private files).
"""
from qrmap.settings.base import *  # noqa: F403
from qrmap.settings.site import *  # noqa: F403
