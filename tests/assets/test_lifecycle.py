"""Verification that survives small corrections only, retiring, plaque replacement."""
import pytest
from django.contrib.gis.geos import Point

from assets.lifecycle import (
    asset_delete_or_retire,
    asset_verify,
    distance_m,
    plaque_install,
    plaque_replace,
)
from assets.models import Asset, Plaque
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db
METRES_PER_DEGREE_LAT = 110_740  # at 21.8° N


def _moved(point, metres):
    return Point(point.x, point.y + metres / METRES_PER_DEGREE_LAT, srid=4326)


def test_verify_records_who_and_when(communes, clerk_a):
    asset = asset_verify(asset=AssetFactory(location=inside(communes[0])), user=clerk_a)
    asset.refresh_from_db()
    assert asset.position_verified and asset.verified_by == clerk_a and asset.verified_at


@pytest.mark.parametrize("metres, stays", [(10, True), (30, False)])
def test_moving_a_verified_point(communes, clerk_a, metres, stays):
    asset = asset_verify(asset=AssetFactory(location=inside(communes[0])), user=clerk_a)
    asset.location = _moved(asset.location, metres)
    assert distance_m(inside(communes[0]), asset.location) == pytest.approx(metres, rel=0.02)
    asset.save()  # any save path: admin, API, import, shell
    asset.refresh_from_db()
    assert asset.position_verified is stays
    assert (asset.verified_by is not None) is stays


def test_deleting_an_asset_with_plaques_retires_it(communes):
    with_plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0]))).asset
    bare = AssetFactory(location=inside(communes[0]))
    assert asset_delete_or_retire(asset=with_plaque) == "retired"
    assert asset_delete_or_retire(asset=bare) == "deleted"
    assert Asset.objects.get(pk=with_plaque.pk).status == Asset.Status.RETIRED
    assert not Asset.objects.filter(pk=bare.pk).exists()


def test_replaced_plaque_gets_a_new_code_and_points_to_it(communes):
    old = plaque_install(plaque=PlaqueFactory(asset=AssetFactory(location=inside(communes[0]))))
    new = plaque_replace(plaque=old, note="bị gãy")
    old.refresh_from_db()
    assert old.status == Plaque.Status.REPLACED and old.replaced_by == new
    assert new.code != old.code and new.asset == old.asset and new.template == old.template
    assert old.history.first().history_change_reason.startswith("replaced by")


def test_replaced_plaques_old_code_still_opens_the_page(client, communes):
    asset = AssetFactory(location=inside(communes[0]), name_vi="Cầu Kỳ Lừa")
    old = plaque_install(plaque=PlaqueFactory(asset=asset))
    new = plaque_replace(plaque=old)
    for plaque in (old, new):
        response = client.get(f"/Q/{plaque.code}")
        assert response.status_code == 200
        assert "Cầu Kỳ Lừa" in response.content.decode()
