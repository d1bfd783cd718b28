"""Name search on the trigram index: folding, ranking, typos, the plan, hostile input."""
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from assets import search
from assets.api.pagination import CappedPaginator
from assets.models import Asset, AssetSearch, AssetSearchWord
from assets.selectors import asset_filter, asset_search
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def names(found):
    return [a.name_vi for a in found]


def test_the_trigger_keeps_the_folded_names_whatever_writes_the_asset():
    asset = AssetFactory(name_vi="Chợ Đồng Đăng", name_en="Đồng Đăng Market", name_zh="同登市场")
    assert AssetSearch.objects.get(asset=asset).text == (
        " cho dong dang \n dong dang market \n 同登市场")
    Asset.objects.filter(pk=asset.pk).update(name_vi="ĐỀN BẮC LỆ")  # no save(), no signal
    assert AssetSearch.objects.get(asset=asset).text.startswith(" den bac le \n")
    asset.delete()
    assert not AssetSearch.objects.exists()


def test_accents_and_d_bar_are_optional_in_either_direction():
    dong_dang = AssetFactory(name_vi="Chợ Đồng Đăng", name_en="Đồng Đăng Market")
    AssetFactory(name_vi="Chợ Đông Kinh", name_en="Đông Kinh Market")
    assert names(asset_search(query="dong dang")) == ["Chợ Đồng Đăng"]
    assert names(asset_search(query="ĐỒNG ĐĂNG")) == ["Chợ Đồng Đăng"]
    assert names(asset_search(query="Dong Dang market")) == ["Chợ Đồng Đăng"]
    assert list(asset_filter(name="dồng dăng")) == [dong_dang]


def test_a_name_that_starts_with_the_query_comes_first_and_retired_ones_last():
    AssetFactory(name_vi="Trường Tiểu học Nà Lầu")
    AssetFactory(name_vi="Nhà văn hóa Nà Lầu", status=Asset.Status.RETIRED)
    AssetFactory(name_vi="Cầu Nà Lầu 2")
    AssetFactory(name_vi="Nà Lầu")
    assert names(asset_search(query="na lau")) == [
        "Nà Lầu", "Cầu Nà Lầu 2", "Trường Tiểu học Nà Lầu", "Nhà văn hóa Nà Lầu"]


def test_a_typo_finds_the_name_when_nothing_contains_the_query():
    AssetFactory(name_vi="Chợ Đồng Đăng")
    AssetFactory(name_vi="Trường Mầm non Hoa Sen")
    assert names(asset_search(query="dong dnag")) == ["Chợ Đồng Đăng"]
    assert asset_search(query="xyzzy quux") == []


def test_short_queries_match_the_start_of_a_word():
    AssetFactory(name_vi="Cầu Kỳ Cùng")
    AssetFactory(name_vi="Phố Tam Kỳ")
    AssetFactory(name_vi="Lầu Ky")  # "ky" inside no word here but the second
    assert sorted(names(asset_search(query="kỳ"))) == ["Cầu Kỳ Cùng", "Lầu Ky", "Phố Tam Kỳ"]
    assert names(asset_search(query="cù")) == ["Cầu Kỳ Cùng"]
    assert asset_search(query="ng") == []  # inside words only


def test_the_trigger_keeps_the_vocabulary_of_folded_words():
    AssetFactory(name_vi="Chợ Đồng Đăng", name_en="Đồng Đăng Market", name_zh="同登市场")
    assert set(AssetSearchWord.objects.values_list("word", flat=True)) == {
        "cho", "dong", "dang", "market", "同登市场"}
    Asset.objects.update(name_vi="Chợ Kỳ Lừa")  # an update, no save()
    assert {"ky", "lua"} <= set(AssetSearchWord.objects.values_list("word", flat=True))


@pytest.mark.parametrize(("typed", "corrected"), [
    ("dong dnag", "dong dang"),  # two letters swapped
    ("Đông Dang", ""),  # nothing to correct
    ("dong dangg", "dong dang"),  # a letter too many
    ("cho dong dan", "cho dong dang"),  # one missing
    ("xyzzy quux", ""),  # nothing near: nothing to search again
    ("trunog tieu hoc", "truong tieu hoc"),  # a swap beats "trung", one letter away too
    ("hoc pca", "hoc pac"),  # and "ca"
])
def test_a_mistyped_word_is_replaced_by_the_nearest_word_of_a_name(typed, corrected):
    AssetFactory(name_vi="Chợ Đồng Đăng")
    AssetFactory(name_vi="Đền Kỳ Cùng")
    AssetFactory(name_vi="Trường Tiểu học Pác Ca", name_en="Pac Ca Primary School")
    AssetFactory(name_vi="Phố Trung Hòa")
    assert search.name_corrected(typed) == corrected


def test_a_long_word_is_never_corrected_nor_an_error():
    AssetFactory(name_vi="Cầu " + "x" * 290)
    AssetFactory(name_vi="Chợ Đồng Đăng")
    assert search.name_corrected("y" * 299) == ""
    assert search.name_corrected("dong dnag " + "y" * 280) == "dong dang " + "y" * 280
    assert asset_search(query="x" * 288 + "yy") == []
    assert names(asset_search(query="dong dnag")) == ["Chợ Đồng Đăng"]


def test_the_index_looks_up_the_rarest_pair_of_words_and_the_whole_text_is_checked():
    AssetFactory(name_vi="Đường Nà Lầu Cũ")
    AssetFactory(name_vi="Đường Lầu Nà Cũ")
    AssetFactory(name_vi="Đường Nà Khác")
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.qrmap_search_words_count()")
    assert dict(AssetSearchWord.objects.values_list("word", "names"))["duong"] == 3
    # "lau": 2 names, and its rarer neighbour "cu" (2, before "na", 3); words in order
    assert search._rarest_pair("duong na lau cu") == "lau cu"
    with planner_without("seqscan"):  # a few rows: read in order, and the pair not used
        matches = search.name_matches("duong na lau cu")
    sql = str(matches.query)
    assert "qrmap_fold(lau cu)" in sql and "STRPOS" in sql, sql
    assert [m.asset.name_vi for m in matches] == ["Đường Nà Lầu Cũ"]
    # A word that no name holds is the best key: nothing matches it.
    assert search._rarest_pair("duong na lua cu") in {"na lua", "lua cu"}
    # Two words are looked up whole: adjacent, in this order.
    assert [m.asset.name_vi for m in search.name_matches("na lau")] == ["Đường Nà Lầu Cũ"]
    assert "STRPOS" not in str(search.name_matches("na lau").query)
    assert sorted(names(asset_search(query="Đường Nà"))) == ["Đường Nà Khác", "Đường Nà Lầu Cũ"]
    assert names(asset_search(query="uong na la")) == ["Đường Nà Lầu Cũ"]  # parts of words


@contextmanager
def planner_without(method: str):
    """The planner without one scan method for this connection (enable_seqscan, ...)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET enable_{method} = off")
        try:
            yield
        finally:
            cursor.execute(f"RESET enable_{method}")


def test_punctuation_is_never_the_key_and_alone_matches_nothing():
    """pg_trgm takes no trigram from "%" or "_": such a key made the index hand back every
    name to check (0.7 s at 1,000,000 assets)."""
    AssetFactory(name_vi="Cầu Km 5 + 200")
    AssetFactory(name_vi="Đường Nà Lầu")
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.qrmap_search_words_count()")
    # "%" and "_" are held by no name (the rarest words), but cannot be looked up.
    assert search._rarest_pair("% _ lau na") == "lau na"
    assert search._rarest_pair("% _ ---") == ""
    assert not search.name_matches("% _ ---").exists()
    assert names(asset_search(query="%%% ___")) == []
    assert names(asset_search(query="km 5 + 200")) == ["Cầu Km 5 + 200"]


def test_a_pair_of_common_words_is_not_the_lookup():
    """When PostgreSQL would read the table in order for the rarest pair (every word common,
    the pair matching tens of thousands of names), the lookup is the whole query's trigrams,
    with no strpos() to check: 237 ms at 1,000,000 assets against 12 ms. (A table of a few
    rows is read in order anyway: that stands in for the common pair here.)"""
    for n in range(30):
        AssetFactory(name_vi=f"Đường Nà Lầu {n}")
    AssetFactory(name_vi="Đường Nà Đường")
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.qrmap_search_words_count()")
    with planner_without("seqscan"):  # the pair through the index: kept
        assert "STRPOS" in str(search.name_matches("duong na duong").query)
    matches = search.name_matches("duong na duong")
    assert "STRPOS" not in str(matches.query)
    assert "qrmap_fold(duong na duong)" in str(matches.query)
    assert [m.asset.name_vi for m in matches] == ["Đường Nà Đường"]
    assert names(asset_search(query="dunog na duong")) == ["Đường Nà Đường"]  # a typo too


@pytest.mark.parametrize("query", ["dong dang", "na", "dong dnag", "cau na lau 7"])
def test_the_candidate_queries_can_use_the_trigram_index(query):
    for n in range(50):
        AssetFactory(name_vi=f"Cầu Nà Lầu {n}")
    AssetFactory(name_vi="Chợ Đồng Đăng")
    with connection.cursor() as cursor:
        # A few rows: a sequential scan is cheaper; forbidding it shows the index applies.
        cursor.execute("SET enable_seqscan = off")
        try:
            for text in (query, search.name_corrected(query)):
                if text:
                    plan = search.name_matches(text).values("asset_id")[
                        :search.CANDIDATES].explain()
                    assert "assetsearch_joined_trgm" in plan, plan
        finally:
            cursor.execute("RESET enable_seqscan")


def test_like_wildcards_in_the_query_are_plain_characters():
    AssetFactory(name_vi="Quán 100%")
    AssetFactory(name_vi="Nhà_số 5")
    AssetFactory(name_vi="Đường A\\B")
    AssetFactory(name_vi="Chợ Kỳ Lừa")
    assert asset_search(query="%") == asset_search(query="_") == []  # not "everything"
    assert names(asset_search(query="00%")) == ["Quán 100%"]
    assert names(asset_search(query="a_s")) == ["Nhà_số 5"]
    assert not asset_filter(name="a_b").exists()  # "_" is no wildcard either
    assert names(asset_search(query="a\\b")) == ["Đường A\\B"]
    assert asset_search(query="x" * 10_000) == []


HOSTILE = ["%", "_", "\\", "%%%", "a%b_c\\", "'", '"', "' OR 1=1 --", "\\'", "x" * 10_000,
           "%" * 300, "đ" * 2, "  ", "E'\\\\'", "ﾟ", "\u202e", "三"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_never_a_server_error(client, geography, query):
    cache.clear()  # the API's per-address throttle
    AssetFactory(name_vi="Chợ Kỳ Lừa")
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    api = APIClient().get("/api/assets/", {"q": query})
    assert api.status_code == (400 if len(query) > 200 else 200), api.content


def test_the_api_count_of_a_name_search_stops_at_the_cap(monkeypatch, geography):
    cache.clear()  # the API's per-address throttle
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for n in range(5):
        AssetFactory(name_vi=f"Cầu Nà Lầu {5 - n}")
    api = APIClient()
    page = api.get("/api/assets/", {"q": "na lau", "page_size": 2}).json()
    assert (page["count"], page["count_capped"]) == (3, True)
    # The first three registered, in the list's order (by name); the pages stop there.
    assert [f["properties"]["name_vi"] for f in page["features"]] == ["Cầu Nà Lầu 3",
                                                                      "Cầu Nà Lầu 4"]
    last = api.get(page["next"]).json()
    assert [f["properties"]["name_vi"] for f in last["features"]] == ["Cầu Nà Lầu 5"]
    assert last["next"] is None
    assert api.get("/api/assets/", {"q": "na lau", "page_size": 2, "page": 3}).status_code == 404
    few = api.get("/api/assets/", {"q": "lau 2"}).json()
    assert (few["count"], few["count_capped"]) == (1, False)
    everything = api.get("/api/assets/").json()  # without q the count is exact
    assert (everything["count"], everything["count_capped"]) == (5, False)


def test_the_api_documents_the_capped_count(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedAssetGeoList"]
    assert page["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in page["required"]


def test_the_api_page_of_a_name_search_reads_the_first_ids_through_the_index(geography):
    for n in range(50):
        AssetFactory(name_vi=f"Cầu Nà Lầu {n}")
    AssetFactory(name_vi="Chợ Đồng Đăng")
    matches = asset_filter(name="dong dang")
    with connection.cursor() as cursor:
        # Indexes and statistics as deployed: earlier tests' inserts and flushes leave the
        # indexes of these tables bloated, which makes every index path look dear.
        cursor.execute("REINDEX TABLE assets_asset")
        cursor.execute("REINDEX TABLE assets_assetsearch")
        cursor.execute("ANALYZE assets_asset, assets_assetsearch")
        # A few rows: walking the primary key is cheaper; forbidding it shows the index applies.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            paginator = CappedPaginator(matches.order_by("name_vi"), 10)
            plan = paginator.first_matches().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert "assetsearch_joined_trgm" in plan, plan
    assert paginator.count == 1 and not paginator.capped
    page = paginator.page(1).object_list
    assert [a.name_vi for a in page] == ["Chợ Đồng Đăng"]
    assert "LIKE" not in str(page.query)  # the page reads the ids found, it does not search


def test_the_list_labels_follow_the_language(geography):
    cache.clear()  # the API's per-address throttle
    AssetFactory(name_vi="Chợ Kỳ Lừa", kind=Asset.Kind.PUBLIC_WORK, category=Asset.Category.MARKET)
    api = APIClient()
    labels = {}
    for lang in ("vi", "en"):
        page = api.get("/api/assets/", {"q": "ky lua", "lang": lang}).json()
        properties = page["features"][0]["properties"]
        labels[lang] = (properties["kind_label"], properties["category_label"])
    assert labels == {"vi": ("công trình công cộng", "chợ"), "en": ("public work", "market")}


@pytest.mark.parametrize("query", ["na lau", "na", "lau 1", "cau na lau 1", "dong dang", "%",
                                   "xyz", "a_b", "lầu 4"])
def test_the_api_search_finds_the_same_ids_whichever_way_it_reads(monkeypatch, geography,
                                                                   query):
    """The two plans of CappedPaginator (the trigram index, or the ids walked in order with
    strpos()), each with and without another filter, give the same first matches."""
    for n in range(12):
        AssetFactory(name_vi=f"Cầu Nà Lầu {n}", kind=Asset.Kind.STREET if n % 2 else
                     Asset.Kind.PUBLIC_WORK)
    AssetFactory(name_vi="Chợ Đồng Đăng")
    AssetFactory(name_vi="Nhà_số 5")
    found = {}
    for sparse in (0, 10**9):
        monkeypatch.setattr("assets.api.pagination.SPARSE_MATCHES", sparse)
        for kind in ("", Asset.Kind.STREET):
            paginator = CappedPaginator(asset_filter(name=query, kind=kind).order_by("name_vi"), 5)
            paginator.cap = 4
            found[sparse, kind] = (paginator.first_ids, paginator.capped)
    expected = {kind: sorted(asset_filter(name=query, kind=kind).values_list("pk", flat=True))
                for kind in ("", Asset.Kind.STREET)}
    for (sparse, kind), (ids, capped) in found.items():
        assert ids == expected[kind][:5], (sparse, kind)
        assert capped == (len(expected[kind]) > 4)


def test_a_name_search_alone_reads_the_search_table_only(monkeypatch, geography):
    for n in range(3):
        AssetFactory(name_vi=f"Cầu Nà Lầu {n}")
    for sparse, check in ((10**9, "LIKE"), (0, "STRPOS")):
        monkeypatch.setattr("assets.api.pagination.SPARSE_MATCHES", sparse)
        alone = str(CappedPaginator(asset_filter(name="na lau"), 10).first_matches().query)
        assert check in alone and "assets_asset" not in alone.replace("assets_assetsearch", "")
        other = str(CappedPaginator(asset_filter(name="na lau", kind=Asset.Kind.STREET), 10)
                    .first_matches().query)
        assert check in other and '"assets_asset"."kind"' in other
    walked = CappedPaginator(asset_filter(name="na lau"), 10).first_matches().explain()
    assert "assetsearch_joined_trgm" not in walked and "strpos" in walked, walked


def test_the_name_filter_works_inside_other_queries(geography):
    """asset_filter(name=...) nested in a subquery, excluded, or on a combined queryset (the
    public maps, the print centre and the staff scope build on it)."""
    bridge = AssetFactory(name_vi="Cầu Nà Lầu")
    market = AssetFactory(name_vi="Chợ Kỳ Lừa")
    inner = asset_filter(name="na lau").values("pk")
    assert list(Asset.objects.filter(pk__in=inner)) == [bridge]
    assert list(Asset.objects.exclude(pk__in=inner)) == [market]
    either = Asset.objects.filter(commune__isnull=False) | Asset.objects.filter(pk=market.pk)
    assert list(asset_filter(either, name="na lau")) == [bridge]
    assert asset_filter(name="%").count() == 0
