"""Roles and commune scope."""
import pytest
from django.contrib.auth.models import Group

from assets import access, scope
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_migration_made_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "editor", "verifier", "printer", "planner"}
    assert Group.objects.get(name="printer").permissions.filter(codename="print_plaque").exists()
    assert not Group.objects.get(name="planner").permissions.filter(
        codename="change_asset").exists()


def test_clerk_sees_and_edits_only_own_commune(communes, clerk_a):
    mine = AssetFactory(location=inside(communes[0]))
    theirs = AssetFactory(location=inside(communes[1]))
    assert list(scope.asset_list(user=clerk_a)) == [mine]
    assert access.asset_can_edit(user=clerk_a, asset=mine)
    assert not access.asset_can_edit(user=clerk_a, asset=theirs)
    assert not access.asset_can_print(user=clerk_a, asset=theirs)
    assert list(scope.user_communes(user=clerk_a)) == [communes[0]]


def test_province_office_sees_all(communes, province):
    theirs = AssetFactory(location=inside(communes[1]))
    assert access.asset_can_edit(user=province, asset=theirs)
    assert scope.user_communes(user=province).count() == 65


def test_planner_reads_but_does_not_edit(communes):
    planner = make_staff("planner1", roles=("planner",), all_communes=True)
    asset = AssetFactory(location=inside(communes[0]))
    assert access.asset_can_view(user=planner, asset=asset)
    assert not access.asset_can_edit(user=planner, asset=asset)
    assert not access.user_can_print(user=planner)


def test_staff_without_scope_and_public_users_get_nothing(communes):
    asset = AssetFactory(location=inside(communes[0]))
    loose = UserFactory(username="loose", is_staff=True)
    loose.groups.set(Group.objects.all())
    public = UserFactory(username="visitor")
    for user in (loose, public):
        assert not access.asset_can_view(user=user, asset=asset)
        assert not scope.asset_list(user=user).exists()
