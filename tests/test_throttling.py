"""qrmap.throttling: the API throttle counts the client our proxies name, under a keyed
hash, in the shared cache; a rotated X-Forwarded-For does not make a new client."""
import doctest

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

import qrmap.throttling
from qrmap.clients import client_key
from qrmap.throttling import limit_count, limit_reached
from tests.conftest import RUN_PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_api_rate(settings):
    """3 requests a minute (pytest-django's settings fixture sends setting_changed, on
    which DRF reloads its settings and ClientRateThrottle reads them)."""
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}


def redis_keys():
    client = cache._cache.get_client(write=False)
    return [key.decode() for key in client.scan_iter(match=f"{RUN_PREFIX}:*")]


def test_doctests():
    assert doctest.testmod(qrmap.throttling).failed == 0


def test_the_api_is_wired_to_the_client_throttle():
    from rest_framework.views import APIView

    assert [c.__name__ for c in APIView.throttle_classes] == ["ClientRateThrottle"]


# The OGC API throttled with DRF's own AnonRateThrottle, which counts a raw X-Forwarded-For:
# a client that changed it each time was never slowed.
@pytest.mark.parametrize("url", ["/api/assets/", "/ogc/collections"], ids=["api", "ogc"])
def test_rotating_x_forwarded_for_does_not_escape_the_api_throttle(settings, url):
    settings.QRMAP_TRUSTED_PROXIES = 0
    api = APIClient()
    answers = [api.get(url, REMOTE_ADDR="198.51.100.4",
                       HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_behind_one_proxy_only_the_last_hop_counts(settings):
    settings.QRMAP_TRUSTED_PROXIES = 1
    api = APIClient()
    proxy = "10.0.0.2"
    answers = [api.get("/api/assets/", REMOTE_ADDR=proxy,
                       HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.9").status_code
               for i in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another client behind the same proxy has its own count.
    other = api.get("/api/assets/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


def test_the_counters_are_in_the_shared_cache_under_a_hash(rf, settings):
    settings.QRMAP_TRUSTED_PROXIES = 0
    for api in (APIClient(), APIClient()):  # two clients of the site, one address
        assert api.get("/api/assets/", REMOTE_ADDR="198.51.100.4").status_code == 200
    assert APIClient().get("/api/assets/", REMOTE_ADDR="198.51.100.4").status_code == 200
    assert APIClient().get("/api/assets/", REMOTE_ADDR="198.51.100.4").status_code == 429
    keys = redis_keys()
    ident = client_key(rf.get("/", REMOTE_ADDR="198.51.100.4"))
    assert [k for k in keys if ident in k] and not [k for k in keys if "198.51.100" in k]
    client = cache._cache.get_client(write=False)
    (key,) = [k for k in keys if ident in k]
    assert 0 < client.ttl(key) <= 60  # lives for the window, no longer


def test_a_window_counter_counts_and_expires_with_its_window():
    assert not limit_reached(scope="test", ident="abc", rate="2/m")
    limit_count(scope="test", ident="abc", rate="2/m")
    assert not limit_reached(scope="test", ident="abc", rate="2/m")
    limit_count(scope="test", ident="abc", rate="2/m")
    assert limit_reached(scope="test", ident="abc", rate="2/m")
    assert not limit_reached(scope="test", ident="xyz", rate="2/m")
    (key,) = [k for k in redis_keys() if "limit:test:abc" in k]
    assert 0 < cache._cache.get_client(write=False).ttl(key) <= 60
