"""The public pages' cache generation is dropped by every write, wherever it comes from: the
receivers are connected in AssetsConfig.ready(), not by importing a view module."""
import pytest

from assets.cache import page_cache_generation
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def test_saves_and_deletes_outside_any_request_start_a_new_generation():
    start = page_cache_generation()
    asset = AssetFactory()  # as a management command or a worker would write it
    after_asset = page_cache_generation()
    plaque = PlaqueFactory(asset=asset)
    after_plaque = page_cache_generation()
    plaque.delete()
    assert start < after_asset < after_plaque < page_cache_generation()


def test_the_page_shows_a_change_made_outside_the_web_process(client):
    asset = AssetFactory(name_vi="Chợ cũ")
    assert "Chợ cũ" in client.get(f"/Q/{asset.code}").content.decode()
    asset.name_vi = "Chợ mới"
    asset.save()
    assert "Chợ mới" in client.get(f"/Q/{asset.code}").content.decode()
