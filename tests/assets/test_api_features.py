"""The asset list's Features written by PostgreSQL (assets.api.features): the same bytes as
AssetGeoSerializer's, whatever the names, languages, filters and pages; one query a page."""
import datetime
import json
import zoneinfo

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.db.models import DateTimeField, Value
from django.db.models.functions import Cast
from django.db.models.sql import Query
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from assets.api import pagination
from assets.api.apis import AssetListApi
from assets.api.pagination import CappedPaginator
from assets.models import Asset, AssetSearch
from assets.selectors import asset_filter
from bench.baseline import SerializedAssetListApi
from geodata.sqljson import IsoDateTime
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    # (name_vi, name_en, name_zh)
    ('Đền "Kỳ Cùng" \\ <b>&amp;', "Ky Cung 'Temple'", "奇穷庙"),
    ("</script><script>alert(1)</script>", "</script>", ""),
    ("Chợ\u2028Đông\u2029Kinh\ttab\x01", "\u3000 \u00a0\u2003", "  "),
    ("Cầu 🏯 Kỳ Lừa", "  Ky Lua bridge  ", "祁鲁桥 \"引号\""),
    ("Phố Lê Lợi", "", "黎利街"),
]
MOMENT = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)


@pytest.fixture
def hostile_assets(geography, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "qr.example.vn"]
    cache.clear()
    made = []
    for n, (vi, en, zh) in enumerate(HOSTILE):
        made.append(AssetFactory(name_vi=vi, name_en=en, name_zh=zh, source=f"<i>{vi}</i>",
                                 external_id=f'id "{n}"',
                                 location=Point(106.7615 + n * 0.0011234567891234,
                                                21.853 + n / 3, srid=4326)))
    heritage, retired, outside = made[0], made[1], made[4]
    Asset.objects.filter(pk=heritage.pk).update(
        kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
        heritage_rank=Asset.HeritageRank.NATIONAL, position_verified=True,
        verified_at=MOMENT.replace(microsecond=120000), created_at=MOMENT)
    Asset.objects.filter(pk=retired.pk).update(status=Asset.Status.RETIRED,
                                               replaced_by=heritage, category="gone")
    Asset.objects.filter(pk=outside.pk).update(commune=None, province=None,
                                               updated_at=MOMENT.replace(microsecond=7))
    return made


def _answers(url):
    """(new, old) bytes of the same GET."""
    request = APIRequestFactory().get(url, HTTP_HOST="qr.example.vn")
    bodies = []
    for view in (AssetListApi.as_view(), SerializedAssetListApi.as_view()):
        cache.clear()  # the throttle
        response = view(request)
        assert response.status_code == 200, response.rendered_content
        bodies.append(response.render().content)
    return bodies


@pytest.mark.parametrize("query", [
    "", "?lang=en", "?lang=zh", "?lang=vi&ordering=-created_at", "?q=ky&lang=zh",
    "?q=%3C%2Fscript&lang=en", "?status=retired", "?page_size=2&page=2&lang=en&ordering=code",
    "?format=json&lang=zh&ordering=updated_at",
])
def test_the_same_bytes_as_the_serializer(hostile_assets, query):
    new, old = _answers(f"/api/assets/{query}")
    assert new == old
    body = json.loads(new)
    assert body["features"], body


def test_what_a_client_reads(hostile_assets):
    new, _old = _answers("/api/assets/?lang=en&ordering=code")
    features = {f["properties"]["name_vi"]: f for f in json.loads(new)["features"]}
    script = features["</script><script>alert(1)</script>"]["properties"]
    assert script["name"] == "</script>" and script["status"] == "retired"
    assert script["replaced_by"] == hostile_assets[0].code
    assert script["category_label"] == "gone"  # not one of the choices: the value itself
    blank = features["Chợ\u2028Đông\u2029Kinh\ttab\x01"]["properties"]
    assert blank["name"] == "Chợ\u2028Đông\u2029Kinh\ttab\x01"  # English only whitespace
    temple = features['Đền "Kỳ Cùng" \\ <b>&amp;']
    assert temple["properties"]["kind_label"] == "heritage or scenic site"
    assert temple["properties"]["verified_at"] == "2026-03-04T12:06:07.120000+07:00"
    assert temple["properties"]["page_url"] == f"http://qr.example.vn/a/{temple['id']}"
    outside = features["Phố Lê Lợi"]["properties"]
    assert outside["commune"] is None and outside["commune_name"] is None
    assert outside["updated_at"] == "2026-03-04T12:06:07.000007+07:00"
    assert b"\\u2028" in new and b"</script>" in new  # JSON, not HTML: DRF's escapes only


def test_a_page_is_one_query_written_by_postgresql(hostile_assets):
    request = APIRequestFactory().get("/api/assets/?q=ky")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = AssetListApi.as_view()(request)
    assert response.status_code == 200 and response.data["count"] == 2
    written = [q["sql"] for q in queries.captured_queries if "json_build_object" in q["sql"]]
    assert len(written) == 1, written
    # The plan's estimate of the matches, the search (the first ids), the page: nothing per
    # row.
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["EXPLAIN", "SELECT", "SELECT"], queries.captured_queries


@pytest.mark.parametrize(("zone", "moment"), [
    ("Asia/Ho_Chi_Minh", datetime.datetime(2026, 12, 1, 17, 0, 0, tzinfo=datetime.UTC)),
    ("Asia/Ho_Chi_Minh", datetime.datetime(1900, 1, 1, 0, 0, 0, 5, tzinfo=datetime.UTC)),
    ("UTC", datetime.datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)),
    ("America/St_Johns", datetime.datetime(2026, 7, 1, 1, 2, 3, 400, tzinfo=datetime.UTC)),
    ("Asia/Kathmandu", datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)),
])
def test_times_as_python_writes_them(zone, moment):
    expected = moment.astimezone(zoneinfo.ZoneInfo(zone)).isoformat().replace("+00:00", "Z")
    value = Cast(Value(moment), DateTimeField())
    sql, params = IsoDateTime(value, zone=zone).as_sql(
        Query(None).get_compiler(connection=connection), connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        assert cursor.fetchone()[0] == expected


@pytest.mark.parametrize("sparse", [0, 10**9], ids=["ids walked", "matches read whole"])
def test_the_first_matches_are_the_first_ids_whichever_plan(monkeypatch, geography, sparse):
    monkeypatch.setattr(pagination, "SPARSE_MATCHES", sparse)
    made = [AssetFactory(name_vi=f"Cầu Nà Lầu {n}").pk for n in range(6)]
    AssetFactory(name_vi="Chợ Đồng Đăng")
    paginator = CappedPaginator(asset_filter(name="na lau").order_by("-name_vi"), 2)
    paginator.cap = 4
    assert paginator.first_ids == sorted(made)[:5]
    assert (paginator.count, paginator.capped) == (4, True)
    assert [a.name_vi for a in paginator.page(1)] == ["Cầu Nà Lầu 3", "Cầu Nà Lầu 2"]


@pytest.mark.parametrize("filters", [{}, {"kind": Asset.Kind.PUBLIC_WORK}],
                         ids=["name alone", "name and kind"])
@pytest.mark.parametrize("sparse", [0, 10**9], ids=["ids walked", "matches read whole"])
def test_the_pages_of_a_search_are_in_the_databases_name_order(monkeypatch, geography, sparse,
                                                               filters):
    """The pages sort the first matches by the names the search brought, in PostgreSQL:
    the same order, page after page, as the asset rows sorted by name_vi then id (names
    with capitals, Đ and accents, and equal names, among them)."""
    monkeypatch.setattr(pagination, "SPARSE_MATCHES", sparse)
    names = ["Đường Nà Lầu", "dốc Nà Lầu", "Cầu Nà Lầu", "cầu Nà Lầu", "Cầu Nà Lầu",
             "Ấp Nà Lầu", "Zô Nà Lầu", "Ă Nà Lầu", "Cầu Nà Lầu", "Ủy ban Nà Lầu"]
    made = [AssetFactory(name_vi=name, kind=Asset.Kind.PUBLIC_WORK).pk for name in names]
    AssetFactory(name_vi="Nà Lầu cũ", kind=Asset.Kind.STREET)
    matches = asset_filter(name="na lau", **filters).order_by("name_vi")
    paginator = CappedPaginator(matches, 3)
    paginator.cap = 8
    listed = [asset.pk for number in paginator.page_range
              for asset in paginator.page(number).object_list]
    first = sorted(made)[:8]
    expected = list(Asset.objects.filter(pk__in=first).order_by("name_vi", "pk")
                    .values_list("pk", flat=True))
    assert listed == expected
    assert paginator.capped and paginator.num_pages == 3


def test_the_search_row_keeps_the_name_it_is_sorted_by(geography):
    asset = AssetFactory(name_vi="Chợ Kỳ Lừa")
    assert AssetSearch.objects.get(asset=asset).name_vi == "Chợ Kỳ Lừa"
    Asset.objects.filter(pk=asset.pk).update(name_vi="Chợ Đông Kinh")  # SQL, no signal
    assert AssetSearch.objects.get(asset=asset).name_vi == "Chợ Đông Kinh"
    Asset.objects.filter(pk=asset.pk).update(name_en="Dong Kinh Market")
    assert AssetSearch.objects.get(asset=asset).name_vi == "Chợ Đông Kinh"


def test_a_search_page_compiled_once_still_follows_the_host_and_the_language(geography,
                                                                           settings):
    """The page query of a name search is compiled once per language and host, then only
    filled in: each answer keeps its own page links and labels, and its own rows."""
    AssetFactory(name_vi="Chợ Kỳ Lừa", category=Asset.Category.MARKET)
    AssetFactory(name_vi="Cầu Kỳ Cùng", category=Asset.Category.BRIDGE)
    settings.ALLOWED_HOSTS = ["a.example.vn", "b.example.vn"]
    pagination._PAGE_QUERIES.clear()
    answers = {}
    for host, lang, q in [("a.example.vn", "en", "ky lua"), ("b.example.vn", "en", "ky lua"),
                          ("a.example.vn", "vi", "ky lua"), ("a.example.vn", "en", "ky cung")]:
        cache.clear()  # the throttle
        request = APIRequestFactory().get(f"/api/assets/?q={q}&lang={lang}", HTTP_HOST=host)
        body = json.loads(AssetListApi.as_view()(request).render().content)
        (feature,) = body["features"]
        answers[host, lang, q] = (feature["properties"]["page_url"].split("/a/")[0],
                                  feature["properties"]["category_label"],
                                  feature["properties"]["name_vi"])
    assert answers == {
        ("a.example.vn", "en", "ky lua"): ("http://a.example.vn", "market", "Chợ Kỳ Lừa"),
        ("b.example.vn", "en", "ky lua"): ("http://b.example.vn", "market", "Chợ Kỳ Lừa"),
        ("a.example.vn", "vi", "ky lua"): ("http://a.example.vn", "chợ", "Chợ Kỳ Lừa"),
        ("a.example.vn", "en", "ky cung"): ("http://a.example.vn", "bridge", "Cầu Kỳ Cùng"),
    }
    assert len(pagination._PAGE_QUERIES) == 3
