"""Shared fixtures. Tests run against the real PostGIS database (pytest-django) and the real
Redis (the shared cache), each run under a key prefix of its own."""
import os

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

RUN_PREFIX = f"qrmap-test-{os.getpid()}"


@pytest.fixture(scope="session", autouse=True)
def shared_state_of_this_run(tmp_path_factory):
    """The real Redis cache, under this run's prefix: a running site's keys are never read
    nor cleared by a test run. Private files (print PDFs, photos, uploads) go to a folder of
    this run, which the worker processes the tests start share."""
    from django.conf import settings

    caches = {name: {**config, "KEY_PREFIX": RUN_PREFIX}
              for name, config in settings.CACHES.items()}
    with override_settings(CACHES=caches,
                           QRMAP_PRIVATE_ROOT=tmp_path_factory.mktemp("private")):
        yield
        _cache_clear()


def _cache_clear():
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{RUN_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached, as each started with an empty local cache."""
    _cache_clear()


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


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """A real Celery worker process on this run's own queue, against the test database.
    The web side of the tests sends its jobs to the same queue."""
    from qrmap.celery import app
    from tests.runtime_processes import Worker

    queue = f"{RUN_PREFIX}-jobs"
    app.conf.task_default_queue = queue
    worker = Worker(queue=queue, log=tmp_path_factory.mktemp("celery") / "worker.log")
    yield worker
    worker.stop()


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests sent straight to the WSGI application (qrmap.wsgi, with the layers in front of
    Django) inside the test's transaction: Django's end-of-request hook would otherwise close
    the test's database connection (its own test client unhooks it the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
