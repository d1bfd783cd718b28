"""The Content-Security-Policy (qrmap/csp.py, settings): every page type answers with a strict
policy, inline scripts carry the nonce of their own response, the shared asset page holds
no nonce, and a 304 leaves the policy of the kept page alone."""
import doctest
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.urls import reverse

import qrmap.csp
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in
            (part.split() for part in header.split(";") if part.strip())}


def assert_strict(response, url):
    assert response.status_code == 200, (url, response.status_code)
    directives = policy(response)
    scripts = directives["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
    assert directives["object-src"] == ["'none'"], url
    assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"] and directives["connect-src"] == ["'self'"]
    assert settings.QRMAP_TILE_SOURCE in directives["img-src"]
    # Every inline script that runs carries this response's nonce (JSON data blocks do not
    # run and need none).
    nonces = [s.removeprefix("'nonce-").rstrip("'") for s in scripts if s.startswith("'nonce-")]
    html = response.content.decode()
    for attributes in INLINE_SCRIPT.findall(html):
        if 'type="application/json"' in attributes:
            continue
        assert nonces and f'nonce="{nonces[0]}"' in attributes, (url, attributes)
    assert not re.search(r"\son[a-z]+=|javascript:", html, re.IGNORECASE), url


@pytest.fixture
def site(geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    asset = AssetFactory(name_vi="Chợ Kỳ Lừa", location=Point(106.7615, 21.853, srid=4326))
    hamlet = HamletFactory(name="Thôn Nà Pàn")
    site = CellSiteFactory(name="BTS Kỳ Lừa")
    return {"asset": asset, "hamlet": hamlet, "site": site}


@pytest.fixture
def office(client, site):
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))
    return client


def test_script_json_doctests():
    assert doctest.testmod(qrmap.csp).failed == 0


PUBLIC = ["/", "/a/{code}", "/Q/{code}", "/a/{code}/report/", "/search/?q=Chợ",
          "/near/?lat=21.853&lon=106.7615", "/maps/assets/", "/maps/assets/?focus={code}",
          "/maps/coverage/", "/accounts/login/", "/ogc/?f=html", "/ogc/collections?f=html",
          "/ogc/collections/assets/items?f=html", "/ogc/collections/assets/items/{code}?f=html",
          "/api/docs/", "/api/assets/", "/api/assets/{code}/"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_send_a_strict_policy(client, site, url):
    url = url.format(code=site["asset"].code)
    # The API answers browsers (Accept: text/html) with its browsable pages.
    assert_strict(client.get(url, HTTP_ACCEPT="text/html"), url)


def test_staff_admin_and_planner_pages_send_a_strict_policy(office, site):
    asset, hamlet, cell = site["asset"], site["hamlet"], site["site"]
    urls = [
        "/planning/", "/planning/?action=proposal&k=2", "/planning/print/",
        "/staff/print/", "/staff/plaques/health/", "/staff/import/",
        reverse("admin:index"), reverse("admin:assets_asset_changelist"),
        reverse("admin:assets_asset_add"),
        reverse("admin:assets_asset_change", args=[asset.pk]),
        reverse("admin:assets_asset_history", args=[asset.pk]),
        reverse("admin:geodata_hamlet_changelist"),
        reverse("admin:geodata_hamlet_change", args=[hamlet.pk]),
        reverse("admin:geodata_cellsite_change", args=[cell.pk]),
    ]
    for url in urls:
        assert_strict(office.get(url), url)
    # The import screens after an upload: the preview, then the result.
    with open(DATA / "staff_upload.csv", "rb") as upload:
        preview = office.post("/staff/import/", {"layer": "assets", "file": upload})["Location"]
    assert_strict(office.get(preview), preview)
    result = office.post(preview + "confirm/", {"good_rows": "1"})["Location"]
    assert_strict(office.get(result), result)


def test_map_scripts_carry_the_nonce_of_their_own_response(client, site):
    first, second = client.get("/maps/assets/"), client.get("/maps/coverage/")
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]


def test_the_shared_asset_page_holds_no_nonce(client, site):
    # /Q/<code> is cached as bytes and served to every visitor: no per-request value in it.
    response = client.get(f"/Q/{site['asset'].code}")
    assert "nonce" not in response.content.decode()
    # Its one script is a static file (share button, platform maps): no inline code.
    assert re.findall(r"<script[^>]*>", response.content.decode()) == [
        '<script src="/static/assets/asset_page.js" defer>']
    assert "'nonce-" not in response["Content-Security-Policy"]


def test_a_304_keeps_the_policy_of_the_kept_page(client, site):
    first = client.get("/maps/coverage/")
    again = client.get("/maps/coverage/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A browser merges a 304's headers into the kept response: a fresh nonce would no
    # longer match the one in the kept page.
    assert "Content-Security-Policy" not in again
