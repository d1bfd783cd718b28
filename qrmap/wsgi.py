"""WSGI entry point (gunicorn qrmap.wsgi): Django, behind the layer that replays repeat
scans of a plaque's page from the shared cache (assets.public.served)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qrmap.settings")

django_application = get_wsgi_application()

from assets.public.served import ServedPages  # noqa: E402  (needs the apps loaded)

application = ServedPages(django_application)
