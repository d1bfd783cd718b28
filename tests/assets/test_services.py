"""The write services: verification that survives small corrections only, retiring,
plaque replacement, and the one domain error."""
import pytest
from django.contrib.gis.geos import Point

from assets.access import SYSTEM
from assets.errors import DomainError
from assets.models import Asset, Plaque
from assets.services.plaques import plaque_install, plaque_issue, plaque_replace
from assets.services.registry import asset_delete, asset_update, asset_verify
from geodata.distance import distance_m
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
    moved = _moved(asset.location, metres)
    assert distance_m(inside(communes[0]), moved) == pytest.approx(metres, rel=0.02)
    asset_update(user=clerk_a, asset=asset, fields={"location": moved})
    asset.refresh_from_db()
    assert asset.position_verified is stays
    assert (asset.verified_by is not None) is stays


def test_deleting_an_asset_with_plaques_retires_it(communes):
    with_plaque = PlaqueFactory(asset=AssetFactory(location=inside(communes[0]))).asset
    bare = AssetFactory(location=inside(communes[0]))
    assert asset_delete(user=SYSTEM, asset=with_plaque) == "retired"
    assert asset_delete(user=SYSTEM, asset=bare) == "deleted"
    assert Asset.objects.get(pk=with_plaque.pk).status == Asset.Status.RETIRED
    assert not Asset.objects.filter(pk=bare.pk).exists()


def test_replaced_plaque_gets_a_new_code_and_points_to_it(communes):
    old = plaque_install(user=SYSTEM,
                         plaque=PlaqueFactory(asset=AssetFactory(location=inside(communes[0]))))
    new = plaque_replace(user=SYSTEM, plaque=old, note="bị gãy")
    old.refresh_from_db()
    assert old.status == Plaque.Status.REPLACED and old.replaced_by == new
    assert new.code != old.code and new.asset == old.asset and new.template == old.template
    assert old.history.first().history_change_reason.startswith("replaced by")


def test_replaced_plaques_old_code_still_opens_the_page(client, communes):
    asset = AssetFactory(location=inside(communes[0]), name_vi="Cầu Kỳ Lừa")
    old = plaque_install(user=SYSTEM, plaque=PlaqueFactory(asset=asset))
    new = plaque_replace(user=SYSTEM, plaque=old)
    for plaque in (old, new):
        response = client.get(f"/Q/{plaque.code}")
        assert response.status_code == 200
        assert "Cầu Kỳ Lừa" in response.content.decode()


def test_clerk_cannot_move_an_asset_into_another_commune(communes, clerk_a):
    asset = AssetFactory(location=inside(communes[0]))
    with pytest.raises(DomainError) as refused:
        asset_update(user=clerk_a, asset=asset, fields={"location": inside(communes[1])})
    assert refused.value.kind == DomainError.FORBIDDEN
    asset.refresh_from_db()
    assert asset.commune == communes[0] and asset.history.count() == 1


def test_a_plaque_is_issued_only_for_a_verified_asset(communes, clerk_a):
    asset = AssetFactory(location=inside(communes[0]))
    with pytest.raises(DomainError) as refused:
        plaque_issue(user=clerk_a, asset=asset, fields={"width_mm": 80, "height_mm": 100,
                                                        "template": "sticker"})
    assert refused.value.kind == DomainError.CONFLICT
    asset_verify(user=clerk_a, asset=asset)
    plaque = plaque_issue(user=clerk_a, asset=asset, fields={
        "width_mm": 80, "height_mm": 100, "template": "sticker"})
    assert plaque.code and plaque.history.first().history_user == clerk_a


def test_derived_fields_cannot_be_set(communes, clerk_a):
    asset = AssetFactory(location=inside(communes[0]))
    with pytest.raises(DomainError) as refused:
        asset_update(user=clerk_a, asset=asset, fields={"commune": communes[1]})
    assert "commune" in refused.value.errors
