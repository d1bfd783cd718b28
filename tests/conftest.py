"""Shared fixtures. Tests run against the real PostGIS database (pytest-django)."""
import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference geography (province, districts, communes) is loaded once per run."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("qrmap_load_geodata", verbosity=0)
