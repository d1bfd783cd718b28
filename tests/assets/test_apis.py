"""The asset and plaque API: lists, filters, forgiving code lookup, and who may write what."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assets import codes
from assets.models import Asset
from assets.roles import roles_ensure, user_scope_set
from geodata.models import AdminUnit
from tests.factories import AssetFactory, PlaqueFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def api(geography):
    return APIClient()


@pytest.fixture
def communes(geography):
    """Two 2025 wards of Lạng Sơn city: Đông Kinh (A) and Tam Thanh (B)."""
    current = AdminUnit.objects.current().communes()
    return current.get(code="05977"), current.get(code="05986")


def inside(unit):
    return unit.boundary.point_on_surface


def staff(username, *, roles=("editor", "verifier"), communes=(), all_communes=False):
    roles_ensure()
    user = UserFactory(username=username, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=roles))
    user_scope_set(user=user, communes=communes, all_communes=all_communes)
    return user


def client_for(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def names(response):
    assert response.status_code == 200, response.content
    return sorted(f["properties"]["name_vi"] for f in response.json()["features"])


# --- Reads -------------------------------------------------------------------------------
def test_list_is_geojson_with_code_as_id(api):
    asset = AssetFactory(name_vi="Chợ Đông Kinh", category=Asset.Category.MARKET)
    body = api.get("/api/assets/").json()
    assert body["type"] == "FeatureCollection" and body["count"] == 1
    feature = body["features"][0]
    assert feature["id"] == asset.code
    assert feature["geometry"]["type"] == "Point"
    props = feature["properties"]
    assert props["grouped_code"] == asset.grouped_code
    assert props["commune"] == "05977"
    assert props["page_url"].endswith(f"/a/{asset.code}")
    assert props["category"] == "market" and props["name"] == "Chợ Đông Kinh"


def test_filters_kind_category_commune_status_verified(api, communes):
    a, b = communes
    AssetFactory(name_vi="Trường A")
    AssetFactory(name_vi="Cầu B", category=Asset.Category.BRIDGE, location=inside(b))
    AssetFactory(name_vi="Đền", kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
                 heritage_rank=Asset.HeritageRank.PROVINCIAL, position_verified=True)
    AssetFactory(name_vi="Cũ", status=Asset.Status.RETIRED)

    assert names(api.get("/api/assets/?kind=heritage")) == ["Đền"]
    assert names(api.get("/api/assets/?category=bridge")) == ["Cầu B"]
    assert names(api.get(f"/api/assets/?commune={b.code}")) == ["Cầu B"]
    assert names(api.get("/api/assets/?status=retired")) == ["Cũ"]
    assert names(api.get("/api/assets/?verified=true")) == ["Đền"]
    assert names(api.get("/api/assets/?heritage_rank=provincial")) == ["Đền"]
    assert names(api.get("/api/assets/?q=cầu")) == ["Cầu B"]
    assert names(api.get(f"/api/assets/?commune={a.code}&kind=public_work&status=active")) == [
        "Trường A"]


def test_bbox_distance_ordering(api, communes):
    a, b = communes
    here, there = inside(a), inside(b)
    AssetFactory(name_vi="Ở A", location=here)
    AssetFactory(name_vi="Ở B", location=there)
    box = f"{here.x - 0.001},{here.y - 0.001},{here.x + 0.001},{here.y + 0.001}"
    assert names(api.get(f"/api/assets/?bbox={box}")) == ["Ở A"]
    assert names(api.get(f"/api/assets/?point={there.x},{there.y}&dist=10")) == ["Ở B"]
    nearest = api.get(f"/api/assets/?point={there.x},{there.y}&dist=50000").json()
    assert [f["properties"]["name_vi"] for f in nearest["features"]] == ["Ở B", "Ở A"]
    ordered = api.get("/api/assets/?ordering=-name_vi").json()
    assert [f["properties"]["name_vi"] for f in ordered["features"]] == ["Ở B", "Ở A"]


def test_updated_since(api):
    AssetFactory(name_vi="Cũ")
    Asset.objects.update(updated_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))
    AssetFactory(name_vi="Mới")
    assert names(api.get("/api/assets/?updated_since=2025-01-01T00:00:00Z")) == ["Mới"]


def test_lang_picks_names_and_falls_back_to_vietnamese(api):
    asset = AssetFactory(name_vi="Chùa Tam Thanh", name_en="Tam Thanh Pagoda", name_zh="",
                         description_vi="Chùa trong hang.", description_en="A cave pagoda.")
    url = f"/api/assets/{asset.code}/"
    assert api.get(url).json()["properties"]["name"] == "Chùa Tam Thanh"
    english = api.get(url + "?lang=en").json()["properties"]
    assert english["name"] == "Tam Thanh Pagoda"
    assert english["description"] == "A cave pagoda."
    assert english["kind_label"] == "public work"
    chinese = api.get(url + "?lang=zh").json()["properties"]
    assert chinese["name"] == "Chùa Tam Thanh"  # no Chinese name yet: Vietnamese
    refused = api.get(url + "?lang=fr")
    assert refused.status_code == 400
    assert "vi, en, zh" in refused.json()["lang"][0]


def test_lookup_by_code_is_forgiving(api):
    asset = AssetFactory()
    messy = f" {asset.code[:4].lower()}-{asset.code[4:].lower()} ".replace("0", "o")
    response = api.get(f"/api/assets/{messy}/")
    assert response.status_code == 200
    assert response.json()["id"] == asset.code
    plaque = PlaqueFactory(asset=asset)
    assert api.get(f"/api/assets/{plaque.code}/").json()["id"] == asset.code


def test_wrong_check_symbol_answers_did_you_mean(api):
    asset = AssetFactory()
    wrong = asset.code[:-1] + next(s for s in codes.ALPHABET if s != asset.code[-1])
    response = api.get(f"/api/assets/{wrong}/?lang=en")
    assert response.status_code == 404
    body = response.json()
    assert "check symbol" in body["detail"]
    assert "ký tự kiểm tra" in api.get(f"/api/assets/{wrong}/").json()["detail"]
    assert body["code"] == wrong
    assert asset.code in [c["code"] for c in body["did_you_mean"]]
    assert body["did_you_mean"][0]["url"].startswith("/api/assets/")


def test_bad_and_unknown_codes(api):
    malformed = api.get("/api/assets/ABC/")
    assert malformed.status_code == 400 and "code" in malformed.json()
    unused = codes.with_check("ZZZZZZZ")
    response = api.get(f"/api/assets/{unused}/")
    assert response.status_code == 404 and "did_you_mean" not in response.json()


def test_unknown_filter_is_400(api):
    response = api.get("/api/assets/?kinds=street")
    assert response.status_code == 400
    assert "kind" in response.json()["kinds"][0]
    assert api.get("/api/assets/?verified=perhaps").status_code == 400


# --- Plaques (staff only) -----------------------------------------------------------------
def test_plaques_are_for_staff_of_the_commune(api, communes):
    a, b = communes
    mine = PlaqueFactory(asset=AssetFactory(location=inside(a)))
    PlaqueFactory(asset=AssetFactory(location=inside(b)))
    assert api.get("/api/plaques/").status_code == 401
    assert client_for(UserFactory(username="citizen")).get("/api/plaques/").status_code == 403
    clerk = client_for(staff("clerk_a", communes=[a]))
    body = clerk.get("/api/plaques/").json()
    assert [f["id"] for f in body["features"]] == [mine.code]
    assert body["features"][0]["properties"]["asset"] == mine.asset.code
    assert body["features"][0]["geometry"]["type"] == "Point"
    assert clerk.get(f"/api/plaques/{mine.code.lower()}/").status_code == 200
    other = PlaqueFactory(asset=AssetFactory(location=inside(b)))
    assert clerk.get(f"/api/plaques/{other.code}/").status_code == 404
    province = client_for(staff("province", all_communes=True))
    assert province.get("/api/plaques/").json()["count"] == 3


# --- Writes ------------------------------------------------------------------------------
def new_asset(point, **properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        "properties": {"kind": "public_work", "category": "school",
                       "name_vi": "Trường mới", **properties},
    }


def test_anonymous_and_non_staff_cannot_write(api, communes):
    asset = AssetFactory()
    assert api.post("/api/assets/", new_asset(inside(communes[0])), format="json"
                    ).status_code == 401
    assert api.patch(f"/api/assets/{asset.code}/", {"properties": {"name_vi": "X"}},
                     format="json").status_code == 401
    assert api.post(f"/api/assets/{asset.code}/verify/").status_code == 401
    citizen = client_for(UserFactory(username="citizen"))
    assert citizen.post("/api/assets/", new_asset(inside(communes[0])), format="json"
                        ).status_code == 403
    assert Asset.objects.count() == 1


def test_clerk_creates_in_own_commune_only(communes):
    a, b = communes
    clerk = client_for(staff("clerk_a", communes=[a]))
    created = clerk.post("/api/assets/", new_asset(inside(a), name_en="New school"),
                         format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    asset = Asset.objects.get(code=body["id"])
    assert created["Location"] == f"/api/assets/{asset.code}/"
    assert codes.is_valid(asset.code)
    assert asset.commune == a and body["properties"]["commune"] == a.code
    assert asset.position_verified is False
    assert asset.history.first().history_user.username == "clerk_a"

    refused = clerk.post("/api/assets/", new_asset(inside(b)), format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert Asset.objects.count() == 1


def test_write_validation_names_the_field(communes):
    clerk = client_for(staff("clerk_a", communes=[communes[0]]))
    point = inside(communes[0])
    cases = {
        "kind": new_asset(point, kind="castle"),
        "name_vi": new_asset(point, name_vi=""),
        "heritage_rank": new_asset(point, heritage_rank="national"),
    }
    for field, payload in cases.items():
        response = clerk.post("/api/assets/", payload, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()
    no_point = {**new_asset(point), "geometry": None}
    assert clerk.post("/api/assets/", no_point, format="json").status_code == 400
    # JSON nested past what the json module can descend: a 400 that says so, not a 500.
    for body in ("[" * 5000, '{"a":' * 5000):
        deep = clerk.post("/api/assets/", body, content_type="application/json")
        assert deep.status_code == 400 and "JSON" in deep.json()["detail"]
    assert Asset.objects.count() == 0


def test_clerk_edits_own_commune_not_the_other(communes):
    a, b = communes
    ours = AssetFactory(location=inside(a), name_vi="Của A")
    theirs = AssetFactory(location=inside(b), name_vi="Của B")
    clerk = client_for(staff("clerk_a", communes=[a]))
    ok = clerk.patch(f"/api/assets/{ours.code}/", {"properties": {"name_en": "A's"}},
                     format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["properties"]["name_en"] == "A's"
    ours.refresh_from_db()
    assert ours.name_en == "A's"
    assert ours.history.count() == 2 and ours.history.first().history_user.username == "clerk_a"

    denied = clerk.patch(f"/api/assets/{theirs.code}/", {"properties": {"name_en": "Mine"}},
                         format="json")
    assert denied.status_code == 403
    theirs.refresh_from_db()
    assert theirs.name_en != "Mine"
    # Moving one's own asset into the other commune is refused too.
    there = inside(b)
    moved = clerk.patch(f"/api/assets/{ours.code}/",
                        {"geometry": {"type": "Point", "coordinates": [there.x, there.y]}},
                        format="json")
    assert moved.status_code == 403
    ours.refresh_from_db()
    assert ours.commune == a


def test_moving_a_verified_asset_drops_its_verification(communes):
    a, _b = communes
    province = staff("province", all_communes=True)
    client = client_for(province)
    asset = AssetFactory(location=inside(a))
    verified = client.post(f"/api/assets/{asset.code}/verify/")
    assert verified.status_code == 200
    assert verified.json()["properties"]["position_verified"] is True
    far = Point(asset.location.x + 0.002, asset.location.y, srid=4326)  # about 200 m east
    response = client.patch(f"/api/assets/{asset.code}/",
                            {"geometry": {"type": "Point", "coordinates": [far.x, far.y]}},
                            format="json")
    assert response.status_code == 200
    assert response.json()["properties"]["position_verified"] is False


def test_verify_needs_the_verifier_role_and_scope(communes):
    a, b = communes
    asset = AssetFactory(location=inside(a))
    editor = client_for(staff("editor_a", roles=("editor",), communes=[a]))
    assert editor.post(f"/api/assets/{asset.code}/verify/").status_code == 403
    other = client_for(staff("verifier_b", roles=("verifier",), communes=[b]))
    assert other.post(f"/api/assets/{asset.code}/verify/").status_code == 403
    asset.refresh_from_db()
    assert not asset.position_verified
    verifier = staff("verifier_a", roles=("verifier",), communes=[a])
    assert client_for(verifier).post(f"/api/assets/{asset.code}/verify/").status_code == 200
    asset.refresh_from_db()
    assert asset.position_verified and asset.verified_by == verifier


def test_retire_keeps_the_code_and_names_the_replacement(communes):
    a, _b = communes
    old = AssetFactory(location=inside(a), name_vi="Cầu cũ")
    new = AssetFactory(location=inside(a), name_vi="Cầu mới")
    editor = staff("editor_a", roles=("editor",), communes=[a])
    client = client_for(editor)
    bad = client.post(f"/api/assets/{old.code}/retire/", {"replaced_by": "nonsense"},
                      format="json")
    assert bad.status_code == 400 and "replaced_by" in bad.json()
    response = client.post(f"/api/assets/{old.code}/retire/",
                           {"replaced_by": new.grouped_code.lower()}, format="json")
    assert response.status_code == 200, response.content
    props = response.json()["properties"]
    assert props["status"] == "retired" and props["replaced_by"] == new.code
    assert APIClient().get(f"/api/assets/{old.code}/").status_code == 200
    assert old.history.first().history_change_reason


def test_session_of_a_staff_user_can_write(communes):
    a, _b = communes
    user = staff("clerk_session", communes=[a])
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(user)
    response = client.post("/api/assets/", new_asset(inside(a)), format="json")
    assert response.status_code == 201
