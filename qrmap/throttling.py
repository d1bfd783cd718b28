"""Rate limits with their counters in the shared cache (Redis), keyed by qrmap.clients.

- ClientRateThrottle: DRF's anonymous throttle (the API, OGC API), counting the client
  that qrmap.clients trusts instead of a raw X-Forwarded-For, under a keyed hash.
- limit_reached / limit_count: fixed-window counters for limits that count only what was
  done (a stored report), not every attempt.

Every process reads the same counters, so a limit holds across gunicorn workers and nodes.

>>> rate_parse("5/h")
(5, 3600)
>>> rate_parse("30/min")
(30, 60)
"""
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from qrmap.clients import client_key

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """(count, seconds) of a rate written as DRF writes it: "5/h", "3000/hour"."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[(period or "h")[0]]


class ClientRateThrottle(AnonRateThrottle):
    """Anonymous requests per client, the client told by our trusted proxies."""

    def get_rate(self):
        # DRF copies the rates into a class attribute when it is imported; read the live
        # setting, so that a changed REST_FRAMEWORK (tests, reload) applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_key(request)


def _key(scope: str, ident: str) -> str:
    return f"limit:{scope}:{ident}"


def limit_reached(*, scope: str, ident: str, rate: str) -> bool:
    """True when `ident` already did `rate` worth of `scope` in the current window."""
    count, _ = rate_parse(rate)
    return (cache.get(_key(scope, ident)) or 0) >= count


def limit_count(*, scope: str, ident: str, rate: str) -> None:
    """Count one more for `ident`; the window opens with its first count and its key
    expires with the window (nothing outlives it)."""
    _, seconds = rate_parse(rate)
    key = _key(scope, ident)
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this count opens a new window
        cache.add(key, 1, timeout=seconds)
