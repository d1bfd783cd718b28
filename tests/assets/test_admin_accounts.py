"""One login page for staff and planners, where each lands after it, the new-report count on
the admin index, and role groups named in the interface language."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assets.models import Report
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"  # tests.factories.UserFactory


def log_in(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_admin_login_forwards_to_the_one_login_page_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/assets/asset/add/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fassets%2Fasset%2Fadd%2F"
    # The admin sends a visitor there too, and the page keeps the next in its form.
    response = client.get("/admin/assets/asset/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert 'name="next" value="/admin/assets/asset/"' in page
    assert 'for="id_username"' in page and 'for="id_password"' in page


def test_each_role_lands_where_its_work_is(client, communes):
    make_staff("clerk", communes=[communes[0]])
    make_staff("planner", roles=("planner",))
    assert log_in(client, "clerk")["Location"] == reverse("admin:index")
    client.logout()
    assert log_in(client, "clerk", "/staff/print/")["Location"] == "/staff/print/"
    client.logout()
    assert log_in(client, "planner")["Location"] == reverse("planning:dashboard")
    client.logout()
    assert log_in(client, "planner", "/maps/coverage/")["Location"] == "/maps/coverage/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/",
                                      "/admin/\x00", "javascript:alert(1)"])
def test_a_foreign_or_broken_next_is_ignored(client, communes, next_url):
    make_staff("clerk", communes=[communes[0]])
    assert client.get("/admin/login/", {"next": next_url}).status_code == 302
    assert client.get(reverse("login"), {"next": next_url}).status_code == 200
    landing = log_in(client, "clerk", next_url)["Location"]
    # Off-site targets fall back to the admin; a NUL stays on this site, quoted.
    assert landing in (reverse("admin:index"), "/admin/%00")
    assert client.get(landing).status_code in (200, 404)


def test_the_login_page_speaks_the_language_and_says_why_it_refused(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Đăng nhập cán bộ" in page and "quy hoạch" in page
    zh = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "规划" in zh
    refused = client.post(reverse("login"), {"username": "<script>x", "password": "no"},
                          HTTP_ACCEPT_LANGUAGE="vi")
    text = refused.content.decode()
    assert refused.status_code == 200 and 'role="alert"' in text and "<script>x" not in text
    assert "<title>Lỗi:" in text


def test_a_signed_in_user_without_the_right_is_told_so(client, communes):
    planner = make_staff("planner", roles=("planner",))
    planner.is_staff = False
    planner.save()
    client.force_login(planner)
    page = client.get("/admin/", follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are logged in as planner" in page


def test_admin_index_counts_the_new_reports_of_the_users_communes(client, communes):
    clerk = make_staff("clerk", communes=[communes[0]])
    mine = AssetFactory(location=inside(communes[0]))
    theirs = AssetFactory(location=inside(communes[1]))
    for asset, status in ((mine, "new"), (mine, "new"), (mine, "resolved"), (theirs, "new")):
        Report.objects.create(asset=asset, problem="damaged", status=status)
    client.force_login(clerk)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 new citizen reports are waiting to be handled." in page
    assert "?status__exact=new" in page
    vi = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "2 phản ánh chưa xử lý" in vi
    Report.objects.filter(status="new").update(status="triaged")
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="new-reports"' not in page


def test_role_groups_read_in_the_interface_language(client, communes):
    boss = make_staff("boss", superuser=True, all_communes=True)
    client.force_login(boss)
    groups = client.get(reverse("admin:auth_group_changelist"),
                        HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Cán bộ quy hoạch" in groups and ">planner<" not in groups
    editor = Group.objects.get(name="editor")
    page = client.get(reverse("admin:auth_group_change", args=[editor.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h2>录入员</h2>" in page
    # The stored name is still the identifier code looks groups up by.
    assert 'name="name" value="editor"' in page
    user_page = client.get(reverse("admin:auth_user_change", args=[boss.pk]),
                           HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Cán bộ xác minh</option>" in user_page
    users = client.get(reverse("admin:auth_user_changelist"), {"role": str(editor.pk)},
                       HTTP_ACCEPT_LANGUAGE="vi")
    assert users.status_code == 200 and "Cán bộ in biển" in users.content.decode()
    for typed in ("x\x00", "²", "9" * 30):  # "²" is a digit to str.isdigit()
        assert client.get(reverse("admin:auth_user_changelist"),
                          {"role": typed}).status_code == 200


def test_role_groups_read_in_the_language_on_breadcrumbs_history_and_delete(client, communes):
    boss = make_staff("boss", superuser=True, all_communes=True)
    client.force_login(boss)
    verifier = Group.objects.get(name="verifier")
    for view in ("change", "history", "delete"):
        page = client.get(reverse(f"admin:auth_group_{view}", args=[verifier.pk]),
                          HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        crumbs = page.split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
        assert "Cán bộ xác minh" in crumbs and "verifier" not in crumbs, view
    history = client.get(reverse("admin:auth_group_history", args=[verifier.pk]),
                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "核实员" in history.split("<title>", 1)[1].split("</title>", 1)[0]
    # Showing the label changes nothing stored.
    assert client.get(reverse("admin:auth_group_change", args=[verifier.pk])).status_code == 200
    assert Group.objects.filter(name="verifier").exists()
