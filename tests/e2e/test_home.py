import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_says_what_the_site_is_and_links_the_three_audiences(
    live_server, phone_page, artifact
):
    phone_page.goto(live_server.url + "/")
    assert "Lạng Sơn" in phone_page.title()
    body = phone_page.inner_text("body")
    assert "QR" in body
    for section in ("#tourists", "#staff", "#planners"):
        assert phone_page.locator(f"{section} a").count() >= 1
    phone_page.screenshot(path=artifact("home-360.png"), full_page=True)
    own = live_server.url.split("//")[1]
    assert phone_page.requests.foreign(own) == []
