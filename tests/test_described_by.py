"""Every aria-describedby of a form points at an element of the page (issue 14: the help
texts of the report form, the print centre and the planner dashboard named ids that did not
exist, so a screen reader read nothing)."""
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.assets.staff_fixtures import make_staff
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def _dangling(html: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    wanted = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html)
              for ref in refs.split()}
    return sorted(wanted - ids)


def _described(html: str) -> int:
    return len(re.findall(r"aria-describedby=", html))


def test_the_report_form_describes_its_fields(geography):
    asset = AssetFactory()
    html = Client().get(f"/a/{asset.code}/report/").content.decode()
    assert _described(html) and _dangling(html) == []


def test_the_print_centre_describes_its_fields(geography):
    client = Client()
    client.force_login(make_staff("office", all_communes=True))
    html = client.get("/staff/print/").content.decode()
    assert _described(html) and _dangling(html) == []


def test_the_planner_dashboard_describes_its_fields(geography):
    user = UserFactory(username="planner-b")
    group = Group.objects.filter(name="planner").first()
    if group is not None:
        user.groups.add(group)
    else:
        user.user_permissions.add(Permission.objects.get(codename="view_hamlet"))
    client = Client()
    client.force_login(user)
    html = client.get("/planning/").content.decode()
    assert _dangling(html) == []


def test_the_password_change_form_describes_its_fields(geography):
    client = Client()
    client.force_login(make_staff("clerk-pw"))
    html = client.get("/accounts/password_change/").content.decode()
    assert _described(html) and _dangling(html) == []
