"""qrmap.clients: the client address comes from our own proxies only, and what is counted
is a keyed hash of it."""
import doctest

import pytest
from django.test import RequestFactory

import qrmap.clients
from qrmap.clients import client_address, client_key


def test_doctests():
    assert doctest.testmod(qrmap.clients).failed == 0


def request(remote="10.0.0.2", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.QRMAP_TRUSTED_PROXIES = 0
    assert client_address(request("198.51.100.4", "1.2.3.4")) == "198.51.100.4"


@pytest.mark.parametrize(("forwarded", "client"), [
    ("203.0.113.9", "203.0.113.9"),
    # The client wrote the left part itself; nginx appended the address it saw.
    ("6.6.6.6, 203.0.113.9", "203.0.113.9"),
    ("6.6.6.6,7.7.7.7 ,  203.0.113.9", "203.0.113.9"),
    ("", "10.0.0.2"),  # not through the proxy: its own address
    ("6.6.6.6, not-an-address", "10.0.0.2"),
])
def test_with_one_trusted_proxy_the_client_is_the_last_hop(settings, forwarded, client):
    settings.QRMAP_TRUSTED_PROXIES = 1
    assert client_address(request("10.0.0.2", forwarded)) == client


def test_with_two_trusted_proxies_the_client_is_the_second_hop_from_the_right(settings):
    settings.QRMAP_TRUSTED_PROXIES = 2
    assert client_address(request("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2")) == \
        "203.0.113.9"


def test_the_key_is_a_keyed_hash_and_an_ipv6_client_is_its_64_network(settings):
    settings.QRMAP_TRUSTED_PROXIES = 0
    key = client_key(request("203.0.113.9"))
    assert "203" not in key and len(key) == 32
    assert key == client_key(request("203.0.113.9"))
    assert key != client_key(request("203.0.113.10"))
    assert client_key(request("2001:db8:1:2::1")) == client_key(request("2001:db8:1:2:ffff::9"))
    assert client_key(request("2001:db8:1:2::1")) != client_key(request("2001:db8:1:3::1"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert client_key(request("203.0.113.9")) != key
