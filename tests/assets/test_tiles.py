"""The assets tile layer shows what the public asset map shows: active assets only."""
import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from assets.models import Asset
from tests.factories import CITY_CENTRE, AssetFactory
from tests.geodata.test_tiles import tile_of

pytestmark = pytest.mark.django_db


def test_the_assets_tile_holds_the_public_assets_only(geography, settings):
    shown = AssetFactory()
    near = AssetFactory(location=Point(CITY_CENTRE[0] + 0.001, CITY_CENTRE[1], srid=4326))
    AssetFactory(status=Asset.Status.RETIRED)
    z, x, y = tile_of(*CITY_CENTRE, 14)
    response = Client().get(f"/tiles/assets/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    features = mapbox_vector_tile.decode(response.content)["assets"]["features"]
    assert {f["id"]: f["properties"] for f in features} == {
        shown.pk: {"k": shown.code, "t": shown.kind}, near.pk: {"k": near.code, "t": near.kind}}
    # Zoomed out with a low point limit: a count per commune instead.
    settings.QRMAP_TILE_POINT_LIMIT = 1
    z, x, y = tile_of(*CITY_CENTRE, 8)
    counts = mapbox_vector_tile.decode(
        Client().get(f"/tiles/assets/{z}/{x}/{y}.pbf").content)["assets"]["features"]
    assert [(f["id"], f["properties"]["n"]) for f in counts] == [(shown.commune_id, 2)]


def test_a_bulk_write_to_assets_gives_a_new_tile(geography):
    asset = AssetFactory()
    z, x, y = tile_of(*CITY_CENTRE, 14)
    url = f"/tiles/assets/{z}/{x}/{y}.pbf"
    before = Client().get(url)
    assert before.status_code == 200
    Asset.objects.filter(pk=asset.pk).update(status=Asset.Status.RETIRED)  # no signal
    after = Client().get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 204 and after["ETag"] != before["ETag"]
