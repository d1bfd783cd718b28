"""/api/ answers with where everything is, not a 404 (issue 14)."""
from django.test import Client


def test_the_api_root_lists_its_endpoints_and_docs(db):
    response = Client().get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies  # a public page sets no cookie
    body = response.json()
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["openapi"] == "http://testserver/api/schema/"
    assert body["ogc_api_features"] == "http://testserver/ogc/"
    endpoints = body["endpoints"]
    for name, path in {"asset-list": "/api/assets/", "plaque-list": "/api/plaques/",
                       "hamlet-list": "/api/hamlets/", "cellsite-list": "/api/cellsites/",
                       "unit-list": "/api/units/", "coverage": "/api/coverage/"}.items():
        assert endpoints[name] == "http://testserver" + path
    assert not any("<" in url for url in endpoints.values())  # no route with parameters
    for url in endpoints.values():  # every public one answers (plaques: staff only)
        status = Client().get(url.removeprefix("http://testserver")).status_code
        assert status in (200, 400, 401, 403), (url, status)


def test_the_api_root_takes_only_reads(db):
    assert Client().post("/api/").status_code == 405


def test_a_browser_reads_the_api_root_as_a_page_in_its_language(db):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = Client().get("/api/", HTTP_ACCEPT=browser, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"] and not response.cookies
    page = response.content.decode()
    assert '<html lang="vi">' in page and "<title>" in page
    assert 'href="http://testserver/api/docs/"' in page
    assert 'href="http://testserver/api/assets/"' in page
    # curl and other clients, which take anything, still get JSON.
    assert Client().get("/api/", HTTP_ACCEPT="*/*")["Content-Type"].startswith(
        "application/json")
