"""Shared fixtures. Tests run against the real PostGIS database (pytest-django)."""
import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real Lạng Sơn geography (province, districts, communes) is loaded once per run."""
    with django_db_blocker.unblock():
        call_command("qrmap_load_geodata", verbosity=0)


@pytest.fixture
def geography(db):
    """Make sure the geography is there, also after a transactional test flushed it.
    The loader is a no-op (one query) when the data is already loaded."""
    call_command("qrmap_load_geodata", verbosity=0)


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Messages built outside a request (services, commands, importers) come out in English
    in tests, as the test texts are written; the site's Vietnamese default still applies to
    every request, where LocaleMiddleware or the view picks the language."""
    from django.utils import translation

    with translation.override("en"):
        yield
