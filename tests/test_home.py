"""The home page says what the site is, links every audience and shows the figures."""
import pytest
from django.core.cache import cache

from tests.factories import AssetFactory, HamletFactory


@pytest.mark.django_db
def test_home_lists_audiences_and_province_figures(client, geography):
    cache.clear()
    AssetFactory(kind="heritage", category="temple")
    HamletFactory(mobile_status="no", broadband_status="no", population=321)
    HamletFactory(mobile_status="yes", broadband_status="no")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in ('id="tourists"', 'id="staff"', 'id="planners"', 'action="/search/"',
                   'href="/maps/coverage/"', 'href="/staff/print/"', 'href="/api/docs/"'):
        assert anchor in html
    assert '<dd id="mobile-gaps">1</dd>' in html
    assert '<dd id="broadband-gaps">2</dd>' in html
    assert "Set-Cookie" not in response.headers
