"""The map widget's place search: the project's own communes, hamlets and assets, folded
names, only what the user's scope holds, and a clear answer to bad input."""
import pytest
from django.db import connection
from django.urls import reverse

from assets import scope
from assets.places import _by_name
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory, HamletFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("staff:place_search")


@pytest.fixture
def places(communes):
    a, b = communes
    HamletFactory(name="Khối Nà Pàn", location=inside(a))
    HamletFactory(name="Khối Nà Pàn Hai", location=inside(b))
    AssetFactory(name_vi="Chợ Đông Kinh", name_zh="东京市场", location=inside(a))
    AssetFactory(name_vi="Chợ Tam Thanh", location=inside(b))


def found(client, query, **headers):
    response = client.get(URL, {"q": query}, **headers)
    assert response.status_code == 200, response.content
    return response.json()["places"]


def test_folded_names_of_the_users_communes_only(client, places, clerk_a):
    client.force_login(clerk_a)
    communes = found(client, "dong kinh")
    assert [(p["kind"], p["name"]) for p in communes][0] == ("commune", "Phường Đông Kinh")
    min_lon, min_lat, max_lon, max_lat = communes[0]["bbox"]
    assert min_lon < communes[0]["lon"] < max_lon and min_lat < communes[0]["lat"] < max_lat
    assert [p["name"] for p in found(client, "NA PAN")] == ["Khối Nà Pàn"]
    markets = found(client, "chợ")
    assert [(p["kind"], p["name"]) for p in markets] == [("asset", "Chợ Đông Kinh")]
    assert markets[0]["detail"].endswith("Phường Đông Kinh")
    # Another commune's names are not there, whatever the spelling.
    assert found(client, "tam thanh") == []


def test_whole_installation_sees_every_commune_and_names_in_its_language(client, places,
                                                                        province):
    client.force_login(province)
    names = [p["name"] for p in found(client, "na pan")]
    assert names == ["Khối Nà Pàn", "Khối Nà Pàn Hai"]
    zh = found(client, "chợ đông", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh[-1]["name"] == "东京市场" and zh[-1]["kind_label"] == "登记对象"


def test_visitors_and_non_staff_get_a_json_refusal(client, places):
    assert client.get(URL, {"q": "cho"}).status_code == 403
    client.force_login(UserFactory(username="visitor"))
    response = client.get(URL, {"q": "cho"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 403 and response.json()["error"]


@pytest.mark.parametrize("query", ["", "c", "\x00\x00", "%", "_%_", "<script>alert(1)</script>",
                                   "' OR 1=1 --"])
def test_odd_queries_find_nothing_and_never_fail(client, places, province, query):
    client.force_login(province)
    assert found(client, query) == []


def test_an_absurdly_long_query_is_refused(client, places, province):
    client.force_login(province)
    response = client.get(URL, {"q": "a" * 5000}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400 and "200" in response.json()["error"]
    assert client.post(URL, {"q": "cho"}).status_code == 405


@pytest.mark.parametrize("query", ["na pan", "na", "dong kinh"])
def test_hamlet_and_commune_names_are_looked_up_through_their_trigram_indexes(
        places, province, query):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geodata_hamlet, geodata_adminunit")
        # A few rows: a sequential scan is cheaper; forbidding it shows the index applies.
        cursor.execute("SET enable_seqscan = off")
        try:
            hamlets = _by_name(scope.hamlet_list(user=province), query).explain()
            units = _by_name(scope.user_communes(user=province), query).explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "hamlet_name_fold_trgm" in hamlets, hamlets
    if len(query) >= 3:
        assert "adminunit_name_fold_trgm" in units, units
    else:
        # Two letters' trigrams are common: the planner may rather read the few current
        # communes by their (level, valid_to) index; never the whole table.
        assert "Seq Scan" not in units, units


def test_a_two_letter_query_matches_the_start_of_a_word(client, places, clerk_a):
    client.force_login(clerk_a)
    assert [p["name"] for p in found(client, "na")] == ["Khối Nà Pàn"]
    assert found(client, "an") == []  # inside "Pàn", not the start of a word
