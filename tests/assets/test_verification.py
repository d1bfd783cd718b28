"""The verification queue: the selector's scope, the batch service (verify, send back with a
reason, history rows, a foreign id refused while the others pass) and the staff page."""
import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from assets import scope
from assets.errors import DomainError
from assets.models import Asset
from assets.services.registry import asset_update
from assets.services.verification import asset_review_batch
from tests.assets.staff_fixtures import inside, make_staff, verified_asset
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
URL = "/staff/verify/"


@pytest.fixture
def verifier_a(communes):
    return make_staff("verifier_a", roles=("verifier",), communes=[communes[0]])


def _assets(unit, n, **fields):
    return [AssetFactory(location=inside(unit), **fields) for _ in range(n)]


def test_the_queue_holds_the_unverified_assets_of_the_users_communes_only(communes,
                                                                          verifier_a):
    mine = _assets(communes[0], 2)
    _assets(communes[1], 3)
    verified_asset(communes[0], None)
    AssetFactory(location=inside(communes[0]), status=Asset.Status.RETIRED)
    queue = scope.verification_queue(user=verifier_a)
    assert sorted(a.pk for a in queue) == sorted(a.pk for a in mine)
    assert [(u.code, n) for u, n in scope.verification_counts(user=verifier_a)] == [
        (communes[0].code, 2)]
    # A filter by another commune's code finds nothing: the scope comes first.
    assert not scope.verification_queue(user=verifier_a, commune=communes[1].code).exists()


def test_nearest_first_orders_by_distance(communes, verifier_a):
    near = _assets(communes[0], 1)[0]
    spot = inside(communes[0])
    far = AssetFactory(location=Point(spot.x + 0.001, spot.y + 0.001, srid=4326))
    assert far.commune_id == communes[0].pk
    queue = list(scope.verification_queue(user=verifier_a, order="nearest", near=near.location))
    assert queue[0].pk == near.pk and queue[0].distance_m < 1
    assert queue[1].pk == far.pk


def test_batch_verify_records_history_and_refuses_a_foreign_id(communes, verifier_a):
    mine = _assets(communes[0], 2)
    foreign = AssetFactory(location=inside(communes[1]), name_vi="Đền của phường B")
    outcome = asset_review_batch(user=verifier_a, action="verify",
                                 ids=[mine[0].pk, foreign.pk, str(mine[1].pk)])
    assert [a.pk for a in outcome.done] == [mine[0].pk, mine[1].pk]
    assert outcome.refused == [(f"#{foreign.pk}",
                                "You may not verify assets of this commune.")]
    for asset in mine:
        asset.refresh_from_db()
        assert asset.position_verified and asset.verified_by == verifier_a
        last = asset.history.first()
        assert last.history_user == verifier_a and last.history_change_reason == \
            "position verified"
    foreign.refresh_from_db()
    assert not foreign.position_verified and foreign.history.filter(history_type="~").count() == 0


def test_send_back_needs_a_reason_and_takes_the_asset_out_of_the_queue(communes, verifier_a):
    asset, other = _assets(communes[0], 2)
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(DomainError) as refused:
            asset_review_batch(user=verifier_a, action="reject", ids=[asset.pk], reason=reason)
        assert "reason" in refused.value.errors
    assert asset.history.filter(history_type="~").count() == 0
    reason = "Điểm nằm giữa sông, " + "đo lại vị trí cổng chính. " * 10
    outcome = asset_review_batch(user=verifier_a, action="reject", ids=[asset.pk],
                                 reason=reason)
    assert len(outcome.done) == 1 and not outcome.refused
    asset.refresh_from_db()
    assert asset.correction_reason == reason.strip()
    assert asset.correction_requested_by == verifier_a and not asset.position_verified
    row = asset.history.first()
    assert row.history_user == verifier_a and row.correction_reason == reason.strip()
    assert row.history_change_reason.startswith("correction requested: Điểm nằm giữa sông")
    assert [a.pk for a in scope.verification_queue(user=verifier_a)] == [other.pk]


def test_a_clerks_edit_answers_the_request(communes, clerk_a, verifier_a):
    asset = _assets(communes[0], 1)[0]
    asset_review_batch(user=verifier_a, action="reject", ids=[asset.pk], reason="sai tên")
    asset.refresh_from_db()
    asset_update(user=clerk_a, asset=asset, fields={"name_vi": "Tên đã sửa"})
    asset.refresh_from_db()
    assert asset.correction_reason == "" and asset.correction_requested_by is None
    assert scope.verification_queue(user=verifier_a).filter(pk=asset.pk).exists()


@pytest.mark.parametrize("ids", [["1; DROP"], ["-3"], ["1\x00"], ["١"], [], ["9" * 30]])
def test_bad_ids_are_refused_before_any_work(communes, verifier_a, ids):
    asset = _assets(communes[0], 1)[0]
    with pytest.raises(DomainError):
        asset_review_batch(user=verifier_a, action="verify", ids=ids)
    asset.refresh_from_db()
    assert not asset.position_verified


def test_an_unknown_id_is_reported_and_the_others_pass(communes, verifier_a):
    asset = _assets(communes[0], 1)[0]
    outcome = asset_review_batch(user=verifier_a, action="verify", ids=[asset.pk, 987654321])
    assert len(outcome.done) == 1 and outcome.refused == [("#987654321", "no such asset")]


# --- the page -----------------------------------------------------------------------------

def test_page_lists_maps_and_counts_with_hostile_names_escaped(client, communes, verifier_a):
    hostile = '<script>alert("x")</script> Chùa "Tam" \'Thanh\' &amp;'
    _assets(communes[0], 1, name_vi=hostile)
    client.force_login(verifier_a)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html  # the list's label
    assert "\\u003Cscript\\u003Ealert" in html  # the map's json_script
    assert f"{communes[0].name}: 1" in html and "1 tài sản chờ xác minh" in html
    zh = client.get(URL + "?lang=zh-hans").content.decode()
    assert "待核实队列" in zh and "1 个登记对象待核实" in zh


def test_post_verifies_two_refuses_a_foreign_one_and_says_so(client, communes, verifier_a):
    mine = _assets(communes[0], 2)
    foreign = AssetFactory(location=inside(communes[1]))
    client.force_login(verifier_a)
    response = client.post(URL, {"action": "verify",
                                 "ids": [mine[0].pk, mine[1].pk, foreign.pk]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã xác minh 2 tài sản." in html and f"Bị từ chối: #{foreign.pk}" in html
    assert Asset.objects.filter(pk__in=[a.pk for a in mine], position_verified=True).count() == 2
    assert not Asset.objects.get(pk=foreign.pk).position_verified


def test_post_send_back_without_reason_is_a_400_and_keeps_the_selection(client, communes,
                                                                        verifier_a):
    asset = _assets(communes[0], 1)[0]
    client.force_login(verifier_a)
    response = client.post(URL, {"action": "reject", "ids": [asset.pk], "reason": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy ghi lý do" in html and f'value="{asset.pk}" id="pick-{asset.pk}" checked' in html
    assert asset.history.filter(history_type="~").count() == 0


def test_the_list_is_paged_and_the_pages_keep_the_filters(client, communes, verifier_a,
                                                          monkeypatch):
    monkeypatch.setattr("assets.staff.verify.PAGE_SIZE", 2)
    first, second, third = _assets(communes[0], 3, kind=Asset.Kind.HERITAGE,
                                   category=Asset.Category.TEMPLE)
    _assets(communes[0], 1)  # a public work: filtered out
    client.force_login(verifier_a)
    html = client.get(f"{URL}?kind=heritage").content.decode()
    assert first.name_vi in html and second.name_vi in html and third.name_vi not in html
    assert 'href="?kind=heritage&amp;page=2"' in html
    html = client.get(f"{URL}?kind=heritage&page=2").content.decode()
    assert third.name_vi in html and first.name_vi not in html


@pytest.mark.parametrize("query", ["near=abc&order=nearest", "order=nearest",
                                   "commune=05986", "near=1e999,2", "kind=%00"])
def test_bad_filters_answer_400_with_the_reason(client, communes, verifier_a, query):
    client.force_login(verifier_a)
    assert client.get(f"{URL}?{query}").status_code == 400


def test_a_clerk_without_the_verifier_role_gets_the_reason_page(client, communes):
    editor = make_staff("editor_only", roles=("editor",), communes=[communes[0]])
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Chỉ cán bộ xác minh được mở hàng chờ xác minh." in response.content.decode()
    response = client.post(URL, {"action": "verify", "ids": ["1"]})
    assert response.status_code == 403


def test_the_admin_change_page_shows_the_reason_to_the_clerk(client, communes, clerk_a,
                                                              verifier_a):
    asset = _assets(communes[0], 1)[0]
    asset_review_batch(user=verifier_a, action="reject", ids=[asset.pk],
                       reason="Cổng <b>chính</b> ở phía bắc")
    client.force_login(clerk_a)
    html = client.get(reverse("admin:assets_asset_change", args=[asset.pk])).content.decode()
    assert "Cổng &lt;b&gt;chính&lt;/b&gt; ở phía bắc" in html and "verifier_a" in html
