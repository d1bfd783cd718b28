"""templates/403.html, the page every PermissionDenied renders: the reason, links back, and
the admin's look under /admin/, the site's elsewhere."""
import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _render(path, user, exception=""):
    request = RequestFactory().get(path)
    request.user = user
    with translation.override("vi"):
        return render_to_string("403.html", {"exception": exception}, request=request)


@pytest.mark.parametrize("path", ["/staff/print/", "/admin/assets/asset/1/change/"])
def test_the_reason_is_shown_escaped(path):
    html = _render(path, User(username="clerk", is_staff=True),
                   exception="Chùa <b>Tam Thanh</b> nằm ngoài các xã/phường bạn phụ trách.")
    assert "Bạn không được phép thực hiện việc này" in html
    assert "Chùa &lt;b&gt;Tam Thanh&lt;/b&gt; nằm ngoài" in html
    assert 'href="/admin/"' in html and 'href="/"' in html


def test_site_pages_keep_the_site_header_and_the_admin_keeps_its_own():
    staff = User(username="clerk", is_staff=True)
    site = _render("/staff/print/", staff)
    assert '<header class="site">' in site and 'id="header"' not in site
    assert "cần một vai trò" in site  # the general reason when the exception has none
    admin = _render("/admin/assets/asset/1/history/", staff)
    assert 'id="header"' in admin and 'class="breadcrumbs"' in admin
    assert '<header class="site">' not in admin


def test_a_visitor_gets_a_login_link_and_no_admin_link():
    html = _render("/staff/print/", AnonymousUser())
    assert "/accounts/login/?next=/staff/print/" in html
    assert 'href="/admin/"' not in html
