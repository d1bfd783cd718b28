"""Who is asking: the client address behind our own proxies, and the key that counts it.

X-Forwarded-For is written by whoever sends the request, so its left part is whatever the
client chose; only the entries our own proxies appended can be believed. With
QRMAP_TRUSTED_PROXIES = n (nginx alone: 1), the client is the n-th entry from the right;
with 0 (the default: gunicorn answers directly) the header is ignored and REMOTE_ADDR is it.

Privacy (DESIGN.md): the address is never stored. Limits count a keyed hash of it (HMAC
with SECRET_KEY), which lives only in the cache for the length of a limit's window.

>>> from django.test import RequestFactory, override_settings
>>> request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
...                                HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
>>> client_address(request)
'10.0.0.2'
>>> with override_settings(QRMAP_TRUSTED_PROXIES=1):
...     client_address(request)
'203.0.113.9'
>>> client_network("2001:db8:1:2:a:b:c:d")
'2001:db8:1:2::/64'
>>> client_network("203.0.113.9")
'203.0.113.9'
"""
import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

# Mobile networks hand every phone a whole IPv6 /64, in which it may pick any address;
# counting single IPv6 addresses would let a phone reset its limits at will.
IPV6_PREFIX = 64


def client_address(request) -> str:
    """The address of the client, as the last trusted proxy saw it (never a raw header)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.QRMAP_TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote  # not through our proxies (a health check on the socket)
    # Fewer hops than proxies: the request skipped an outer proxy; the earliest entry is
    # still one of ours.
    candidate = hops[-min(trusted, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_network(address: str) -> str:
    """The unit a limit counts: an IPv4 address, or the /64 network of an IPv6 one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:  # ::ffff:a.b.c.d from a dual-stack socket is that IPv4 client
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def client_key(request) -> str:
    """A keyed hash of the client's address (or IPv6 /64), for cache keys only."""
    network = client_network(client_address(request))
    return salted_hmac("qrmap.clients.client_key", network, algorithm="sha256").hexdigest()[:32]
