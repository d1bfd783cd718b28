"""WSGI entry for the benchmark server (the project plus the baseline pages), wrapped the
same way as qrmap.wsgi."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django_application = get_wsgi_application()

from assets.public.served import ServedPages  # noqa: E402  (needs the apps loaded)

application = ServedPages(django_application)
