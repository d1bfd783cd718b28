"""Field sync (/field/sync/) and the to-do list (/field/todo.json) against PostGIS: each action
goes through the services, once; another commune's ids, NUL bytes, absurd positions and
oversized photos are refused per action with a clear message; a change made on the server
meanwhile comes back as a conflict, never overwritten."""
import datetime
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assets.access import SYSTEM
from assets.models import Asset, AssetPhoto, FieldAction, Plaque, Report
from assets.services.field import object_version
from assets.services.registry import asset_retire, asset_update
from tests.assets.image_samples import jpeg
from tests.assets.staff_fixtures import communes, inside, make_staff, verified_asset  # noqa: F401
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db
SYNC = "/field/sync/"
NOW = timezone.now().replace(microsecond=0).isoformat()


@pytest.fixture
def field_clerk(communes):  # noqa: F811
    # Moving is an edit (asset_update) that a verifier makes at the site: both roles.
    return make_staff("field_a", roles=("editor", "verifier", "printer"), communes=[communes[0]])


@pytest.fixture
def client_a(client, field_clerk):
    client.force_login(field_clerk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages these tests read
    return client


def _action(asset, *, kind="verify", plaque=None, version=None, **extra):
    target = plaque or asset
    data = {"id": extra.pop("id", f"{kind}-{target.pk}"), "kind": kind, "asset": asset.pk,
            "plaque": plaque.pk if plaque else None,
            "version": object_version(target) if version is None else version, "time": NOW,
            "lon": asset.location.x, "lat": asset.location.y, "accuracy": 6}
    data.update(extra)
    return data


def _post(client, data, photo=None):
    body = {"action": json.dumps(data)}
    if photo is not None:
        body["photo"] = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
    return client.post(SYNC, body)


def test_verify_is_applied_once_with_who_when_where(client_a, field_clerk, communes):  # noqa: F811
    asset = AssetFactory(location=inside(communes[0]))
    data = _action(asset)
    first = _post(client_a, data)
    assert first.status_code == 200 and first.json()["result"] == "applied"
    asset.refresh_from_db()
    assert asset.position_verified and asset.verified_by == field_clerk
    last = asset.history.first()
    assert last.history_user == field_clerk
    assert last.history_change_reason.startswith("position accepted in the field at ")
    replay = _post(client_a, data)
    assert replay.status_code == 200 and replay.json()["result"] == "duplicate"
    assert asset.history.count() == 2  # created, verified: the replay wrote nothing
    done = FieldAction.objects.get()
    assert (done.user, done.kind, done.accuracy_m) == (field_clerk, "verify", 6)
    assert done.client_time.isoformat() == NOW
    assert done.location.equals_exact(asset.location, 1e-9)


def test_move_by_40_m_drops_verification_and_later_accept_is_not_a_conflict(
        client_a, communes):  # noqa: F811
    asset = verified_asset(communes[0], None)
    base = object_version(asset)
    spot = Point(asset.location.x, asset.location.y + 0.00036, srid=4326)  # ~40 m north
    move = _action(asset, kind="move", version=base, lon=spot.x, lat=spot.y)
    assert _post(client_a, move).json()["result"] == "applied"
    asset.refresh_from_db()
    assert not asset.position_verified and asset.location.equals_exact(spot, 1e-9)
    assert "moved to the position measured in the field" in asset.history.first() \
        .history_change_reason
    # Taken offline after the move, on the same list: the clerk's own move is no conflict.
    accept = _action(asset, kind="verify", version=base, lon=spot.x, lat=spot.y)
    assert _post(client_a, accept).json()["result"] == "applied"
    asset.refresh_from_db()
    assert asset.position_verified


def test_imprecise_fix_cannot_move(client_a, communes):  # noqa: F811
    asset = AssetFactory(location=inside(communes[0]))
    answer = _post(client_a, _action(asset, kind="move", accuracy=80))
    assert answer.status_code == 400 and "too imprecise (±80 m)" in answer.json()["message"]


def test_retired_or_changed_meanwhile_is_a_conflict(client_a, communes):  # noqa: F811
    asset = AssetFactory(location=inside(communes[0]))
    other = AssetFactory(location=inside(communes[0]))
    stale, stale_other = _action(asset), _action(other)
    asset_retire(user=SYSTEM, asset=asset)
    asset_update(user=SYSTEM, asset=other, fields={"name_vi": "Tên mới"}, reason="renamed")
    answer = _post(client_a, stale)
    assert answer.status_code == 409
    body = answer.json()
    assert body["result"] == "conflict" and body["theirs"]["retired"] is True
    assert "retired meanwhile" in body["message"]
    changed = _post(client_a, stale_other).json()
    assert changed["result"] == "conflict" and changed["theirs"]["change"] == "renamed"
    assert not Asset.objects.filter(position_verified=True).exists()
    # Keep mine: the same action on top of their version goes through.
    kept = _post(client_a, dict(stale_other, version=changed["theirs"]["version"]))
    assert kept.json()["result"] == "applied"


def test_install_needs_the_right_scan_and_a_photo_and_keeps_a_thumbnail(client_a, communes):  # noqa: F811
    plaque = PlaqueFactory(asset=verified_asset(communes[0], None), status="printed")
    base = _action(plaque.asset, kind="install", plaque=plaque)
    wrong = _post(client_a, dict(base, scanned="http://x/Q/7PJ2QXRF"), jpeg((800, 600)))
    assert wrong.status_code == 400
    assert f"should read {plaque.grouped_code}, the scan read 7PJ2-QXRF" in wrong.json()["message"]
    no_photo = _post(client_a, dict(base, scanned=plaque.code.lower()))
    assert "Take a photo" in no_photo.json()["message"]
    ok = _post(client_a, dict(base, scanned=plaque.grouped_code), jpeg((2400, 1800)))
    assert ok.json()["result"] == "applied", ok.json()
    plaque.refresh_from_db()
    assert plaque.status == Plaque.Status.INSTALLED
    assert plaque.installed_on == timezone.localdate(datetime.datetime.fromisoformat(NOW))
    with Image.open(plaque.install_photo.path) as photo:
        assert max(photo.size) <= 1600
    thumb = FieldAction.objects.get().photo_thumbnail
    with Image.open(thumb.path) as small:
        assert max(small.size) == 320
    assert client_a.get(thumb.url).status_code == 200
    # The same photo, queued for the worker, becomes the asset's photo of its plaque.
    [shown] = AssetPhoto.objects.filter(asset=plaque.asset)
    assert (shown.kind, shown.status, shown.language) == ("plaque", "queued", "en")
    assert shown.original and not shown.image


def test_damage_with_a_note(client_a, communes):  # noqa: F811
    plaque = PlaqueFactory(asset=verified_asset(communes[0], None), status="installed")
    answer = _post(client_a, _action(plaque.asset, kind="damage", plaque=plaque,
                                     note="Biển bị cong"))
    assert answer.json()["result"] == "applied"
    plaque.refresh_from_db()
    assert plaque.status == "damaged" and "Biển bị cong" in plaque.notes


BAD_VALUES = [
    ({"lon": 1e308, "lat": 21.8}, "lon must be a number from -180 to 180"),
    ({"lat": "NaN"}, "lat must be a number"),
    ({"lon": float("nan")}, "lon must be a number"),
    ({"note": "a\x00b", "kind": "damage"}, "without NUL"),
    ({"id": "x\x00"}, "without NUL"),
    ({"kind": "explode"}, "Unknown action"),
    ({"asset": -3}, "asset must be a positive whole number"),
    ({"time": "yesterday"}, "time"),
    ({"time": "1970-01-01T00:00:00Z"}, "The phone's clock reads 1970-01-01"),
    ({"accuracy": 1e9}, "accuracy must be a number"),
]


def test_bad_values_are_refused_with_a_message(client_a, communes):  # noqa: F811
    # One test for the cases: each is a request, the set-up (communes, clerk) is shared.
    asset = AssetFactory(location=inside(communes[0]))
    for change, words in BAD_VALUES:
        answer = _post(client_a, dict(_action(asset), **change))
        assert answer.status_code == 400 and words in answer.json()["message"], change
    assert not FieldAction.objects.exists()


def test_not_json_and_other_communes_are_refused(client_a, communes):  # noqa: F811
    assert client_a.post(SYNC, {"action": "{nope"}).status_code == 400
    # Nested past what the json module can descend: malformed, not a 500.
    deep = client_a.post(SYNC, {"action": "[" * 5000})
    assert deep.status_code == 400 and deep.json()["message"]
    foreign = AssetFactory(location=inside(communes[1]))
    answer = _post(client_a, _action(foreign))
    assert answer.status_code == 403 and "not in your communes" in answer.json()["message"]
    missing = _post(client_a, dict(_action(foreign), asset=2**62))
    assert missing.status_code == 403 and missing.json() == answer.json()
    plaque = PlaqueFactory(asset=verified_asset(communes[1], None), status="printed")
    mine = AssetFactory(location=inside(communes[0]))
    # A plaque of another commune named with one's own asset: still refused.
    mixed = _post(client_a, dict(_action(plaque.asset, kind="damage", plaque=plaque,
                                         note="x"), asset=mine.pk))
    assert mixed.status_code == 403
    foreign.refresh_from_db()
    assert not foreign.position_verified


def test_oversized_upload_is_refused_before_reading(client_a, communes, settings):  # noqa: F811
    settings.QRMAP_MAX_PHOTO_BYTES = 100_000
    plaque = PlaqueFactory(asset=verified_asset(communes[0], None), status="printed")
    data = _action(plaque.asset, kind="install", plaque=plaque, scanned=plaque.code)
    answer = _post(client_a, data, b"\xff\xd8" + b"0" * 300_000)
    assert answer.status_code == 413 and "too big" in answer.json()["message"]
    garbage = _post(client_a, data, b"not an image at all")
    assert garbage.status_code == 400 and "not a photo we can read" in garbage.json()["message"]


def test_page_and_todo_are_for_field_staff_of_their_communes(client, client_a, communes):  # noqa: F811
    home, other = communes
    AssetFactory(location=inside(home), name_vi="Cần xác minh")
    AssetFactory(location=inside(other), name_vi="Xã khác")
    printed = PlaqueFactory(asset=verified_asset(home, None), status="printed")
    reported = PlaqueFactory(asset=verified_asset(home, None), status="installed")
    Report.objects.create(asset=reported.asset, plaque=reported, problem="missing")
    PlaqueFactory(asset=verified_asset(home, None), status="installed")  # nothing to do
    todo = client_a.get("/field/todo.json").json()
    kinds = sorted((i["type"], i["name"]) for i in todo["items"])
    assert [k for k, _n in kinds] == ["install", "repair", "verify"]
    assert "Xã khác" not in json.dumps(todo, ensure_ascii=False)
    assert [(c["code"], c["counts"]) for c in todo["communes"]] == [
        (home.code, {"verify": 1, "install": 1, "repair": 1})]
    assert todo["communes"][0]["outline"]["type"] in ("Polygon", "MultiPolygon")
    install = next(i for i in todo["items"] if i["type"] == "install")
    assert install["plaque_code"] == printed.code and install["version"] == \
        object_version(printed)
    page = client_a.get("/field/")
    assert page.status_code == 200 and b'id="field-config"' in page.content
    worker = client_a.get("/field/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert b"/field/todo.json" in worker.content and b"jsQR.js" in worker.content
    editor = make_staff("editor_only", roles=("editor",), communes=[home])
    client.force_login(editor)
    assert client.get("/field/").status_code == 403
    assert client.get("/field/todo.json").status_code == 403
    assert reverse("field:sync") == SYNC


def test_field_actions_are_read_in_scope(client, client_a, communes):  # noqa: F811
    from assets import scope

    asset = AssetFactory(location=inside(communes[0]), name_vi="Cầu Đông Kinh")
    assert _post(client_a, _action(asset)).json()["result"] == "applied"
    other = make_staff("field_b", communes=[communes[1]])
    assert not scope.field_action_list(user=other).exists()
    boss = make_staff("boss_field", all_communes=True, superuser=True)
    client.force_login(boss)
    listing = client.get("/admin/assets/fieldaction/", HTTP_ACCEPT_LANGUAGE="vi")
    assert listing.status_code == 200 and "Cầu Đông Kinh" in listing.content.decode()
    action = FieldAction.objects.get()
    page = client.get(f"/admin/assets/fieldaction/{action.pk}/change/")
    assert page.status_code == 200 and b"field_a" in page.content


def test_rows_without_history_have_version_0(client_a, communes):  # noqa: F811
    asset = AssetFactory(location=inside(communes[0]))
    asset.history.all().delete()  # as rows loaded in bulk by SQL come
    item = next(i for i in client_a.get("/field/todo.json").json()["items"]
                if i["asset"] == asset.pk)
    assert item["version"] == 0
    assert _post(client_a, _action(asset, version=0)).json()["result"] == "applied"
