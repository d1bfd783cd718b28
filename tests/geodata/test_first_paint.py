"""What a map page needs before its first paint fits the rural 3G link in under 2 s.

The link of the first-paint benchmark (bench/_paint.py): 400 ms round trip, 400 kbit/s,
i.e. 50,000 bytes/s down. Before the first paint a browser opens the connection (1 round
trip, plus 1 for TLS 1.3 in production), asks for the HTML (1 round trip and its bytes),
then for the render-blocking CSS and scripts the HTML names (1 more round trip, their bytes
sharing the same link). Four round trips are 1.6 s, which leaves 0.4 s × 50,000 bytes/s =
20,000 bytes for the HTML and every blocking resource together, compressed. Deferred
scripts (Leaflet and the map's code) download meanwhile and are not counted; the bench
measures when the map itself is drawn.
"""
import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.geodata.test_views import planner  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

RTT_S, BYTES_PER_S, ROUND_TRIPS = 0.4, 50_000, 4
BUDGET = round((2.0 - ROUND_TRIPS * RTT_S) * BYTES_PER_S)  # 20,000 bytes
TAG = re.compile(r"<(script|link)\b([^>]*)>", re.IGNORECASE)


def blocking_resources(html: str) -> list[str]:
    """Static files the page must have before it paints: stylesheets, and scripts with a
    src and neither defer nor async."""
    found = []
    for tag, attributes in TAG.findall(html):
        if tag.lower() == "link" and re.search(r'rel="?stylesheet', attributes):
            found.append(re.search(r'href="([^"]+)"', attributes).group(1))
        elif tag.lower() == "script" and "src=" in attributes and not re.search(
                r"\b(defer|async)\b", attributes):
            found.append(re.search(r'src="([^"]+)"', attributes).group(1))
    return found


def gzip_size(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as handle:
        return len(gzip.compress(handle.read(), 9))


def before_first_paint(client, url) -> tuple[int, list[str], str]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    blocking = blocking_resources(html)
    return len(response.content) + sum(gzip_size(u) for u in blocking), blocking, html


@pytest.mark.parametrize("name", ["maps:coverage", "maps:assets"])
def test_a_public_map_page_paints_from_at_most_the_3g_budget(client, province_hamlets, name):
    assert BUDGET == 20_000
    size, blocking, html = before_first_paint(client, reverse(name))
    assert size <= BUDGET, (size, blocking)
    # Leaflet and the map code come later: deferred, and the map set up once they ran.
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"[^>]*>', html)
    assert any("leaflet.js" in s for s in scripts)
    assert not any(url.endswith(".js") for url in blocking), blocking
    assert 'document.addEventListener("DOMContentLoaded"' in html


def test_the_dashboard_defers_its_map_scripts_too(planner, province_hamlets):  # noqa: F811
    _size, blocking, _html = before_first_paint(planner, reverse("planning:dashboard"))
    assert all(url.endswith(".css") for url in blocking), blocking
