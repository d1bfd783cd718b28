"""Commune scope in the admin, as a clerk sees it in Chromium: another commune's pages answer
with the refusal page (403, in Vietnamese, the admin's header kept), and a planner reads but
cannot save."""
import pytest

from assets.models import Asset
from geodata.models import AdminUnit
from tests.assets.permission_doors import asset_form
from tests.assets.staff_fixtures import inside, make_staff
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFUSED_VI = "Bạn không được phép thực hiện việc này"


def _communes():
    current = AdminUnit.objects.current().communes()
    return current.get(code="05977"), current.get(code="05986")


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")


def _assert_refusal_page(page, response):
    """403, the reason in Vietnamese, and the admin's header and links to go back."""
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.inner_text("#refusal h1") == REFUSED_VI
    # The reason (the service's own, or the page's general one) is Vietnamese too; an
    # untranslated English message would be plain ASCII.
    reason = page.inner_text("#refusal .reason")
    assert reason and not reason.isascii(), f"the reason is not in Vietnamese: {reason}"
    assert page.locator("#header #site-name a[href='/admin/']").is_visible()
    assert page.locator(".breadcrumbs a[href='/admin/']").is_visible()
    assert page.locator("#refusal a[href='/']").is_visible()


@pytest.mark.parametrize("which", ["asset-change", "plaque-change", "asset-history"])
def test_clerk_of_a_gets_the_refusal_page_for_b(live_server, desktop_page, artifact, geography,
                                                which):
    home, other = _communes()
    make_staff("clerk_a", communes=[home])
    theirs = PlaqueFactory(asset=AssetFactory(location=inside(other),
                                              name_vi="Chùa Tam Thanh của phường B"))
    url = {"asset-change": f"/admin/assets/asset/{theirs.asset.pk}/change/",
           "plaque-change": f"/admin/assets/plaque/{theirs.pk}/change/",
           "asset-history": f"/admin/assets/asset/{theirs.asset.pk}/history/"}[which]
    page = desktop_page
    _login(page, live_server, "clerk_a")
    response = page.goto(live_server.url + url)
    page.screenshot(path=artifact(f"refused-{which}.png"), full_page=True)
    _assert_refusal_page(page, response)
    assert "Chùa Tam Thanh của phường B" not in page.content()


def test_planner_reads_an_asset_but_cannot_save_it(live_server, desktop_page, artifact,
                                                   geography):
    home, _other = _communes()
    make_staff("planner_a", roles=("planner",), communes=[home])
    asset = AssetFactory(location=inside(home), name_vi="Chợ Đông Kinh")
    page = desktop_page
    _login(page, live_server, "planner_a")
    response = page.goto(f"{live_server.url}/admin/assets/asset/{asset.pk}/change/")
    assert response.status == 200 and "Chợ Đông Kinh" in page.inner_text("#content")
    # Read-only: no save buttons and no editable name field.
    assert page.locator("input[name=_save], input[name=_continue]").count() == 0
    assert page.locator("#id_name_vi").count() == 0
    page.screenshot(path=artifact("planner-read-only.png"), full_page=True)

    # A POST made by hand from the page (its CSRF token, a full form) is refused.
    fields = {k: str(v) for k, v in asset_form(asset, name_vi="Chợ đã bị sửa").items()}
    with page.expect_navigation() as navigation:
        page.evaluate("""(fields) => {
            const form = document.getElementById("asset_form");
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            form.submit();
        }""", fields)
    page.screenshot(path=artifact("planner-post-refused.png"), full_page=True)
    _assert_refusal_page(page, navigation.value)
    assert Asset.objects.get(pk=asset.pk).name_vi == "Chợ Đông Kinh"
