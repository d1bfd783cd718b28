"""Fixtures for the staff side: two communes, a clerk of each, the province office.
Import the fixtures you use into a test module (pytest finds them by name)."""
import pytest
from django.contrib.auth.models import Group

from assets.access import SYSTEM
from assets.roles import roles_ensure, user_scope_set
from assets.services.registry import asset_verify
from geodata.models import AdminUnit
from tests.factories import AssetFactory, UserFactory


@pytest.fixture
def communes(geography):
    """Two 2025 communes of Lạng Sơn city: (Đông Kinh, Tam Thanh)."""
    current = AdminUnit.objects.current().communes()
    return current.get(code="05977"), current.get(code="05986")


def inside(unit):
    """A point inside the unit (not its centroid, which may fall outside)."""
    return unit.boundary.point_on_surface


def make_staff(username, *, roles=("editor", "verifier", "printer"), communes=(),
               provinces=(), all_communes=False, superuser=False):
    roles_ensure()
    user = UserFactory(username=username, is_staff=True, is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=roles))
    user_scope_set(user=user, communes=communes, provinces=provinces,
                   all_communes=all_communes)
    return user


@pytest.fixture
def clerk_a(communes):
    return make_staff("clerk_a", communes=[communes[0]])


@pytest.fixture
def clerk_b(communes):
    return make_staff("clerk_b", communes=[communes[1]])


@pytest.fixture
def province(communes):
    return make_staff("province", all_communes=True)


def verified_asset(unit, user, **fields):
    asset = AssetFactory(location=inside(unit), **fields)
    return asset_verify(asset=asset, user=user or SYSTEM)
