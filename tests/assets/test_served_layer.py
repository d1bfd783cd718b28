"""The layer in front of Django (assets.public.served): a repeat scan is replayed from the
shared cache, byte for byte what Django answered, counted like any scan, and never outlives
an edit. Requests go to the real WSGI application (qrmap.wsgi), as gunicorn sends them."""
import io
import sys

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Scan
from assets.scans import scans_flush
from qrmap.wsgi import application
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.usefixtures("geography", "wsgi_in_test_transaction")


def wsgi_get(path, query="", method="GET", **headers):
    """(status, headers, body) of a request through the whole WSGI application."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "HTTP_ACCEPT_ENCODING": "gzip", "REMOTE_ADDR": "127.0.0.1",
               **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    body = application(environ, start_response)
    try:
        content = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return seen["status"], seen["headers"], content


def queries_during(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def counted():
    scans_flush()
    return {(row.code, row.language): row.count for row in Scan.objects.all()}


def test_a_repeat_scan_is_the_same_answer_without_a_query_and_is_counted():
    asset = AssetFactory(name_vi="Chùa Tiên")
    wsgi_get(f"/Q/{asset.code}")  # renders, and sets the cache generation
    first, _ = queries_during(lambda: wsgi_get(f"/Q/{asset.code}"))
    second, queries = queries_during(lambda: wsgi_get(f"/Q/{asset.code}"))
    assert queries == 0
    assert first == second
    status, headers, body = second
    assert status == "200 OK"
    names = dict(headers)
    assert names["Content-Encoding"] == "gzip" and "ETag" in names
    assert "Content-Security-Policy" in names and "Set-Cookie" not in names
    assert counted() == {(asset.code, "vi"): 3}


def test_an_edit_shows_at_the_next_scan():
    asset = AssetFactory(name_vi="Chùa Tiên", name_en="Tien Pagoda")
    for _ in range(2):
        wsgi_get(f"/Q/{asset.code}", ACCEPT_LANGUAGE="en")
    asset.name_en = "Tien Pagoda (restored)"
    asset.save()
    _, _, body = wsgi_get(f"/Q/{asset.code}", ACCEPT_ENCODING="identity", ACCEPT_LANGUAGE="en")
    assert "Tien Pagoda (restored)" in body.decode()


def test_revalidation_is_a_304_and_a_scan():
    asset = AssetFactory()
    wsgi_get(f"/Q/{asset.code}")
    _, headers, _ = wsgi_get(f"/Q/{asset.code}")
    etag = dict(headers)["ETag"]
    (status, headers, body), queries = queries_during(
        lambda: wsgi_get(f"/Q/{asset.code}", IF_NONE_MATCH=etag))
    assert (status, body, queries) == ("304 Not Modified", b"", 0)
    assert "Content-Length" not in dict(headers) and dict(headers)["ETag"] == etag
    assert counted() == {(asset.code, "vi"): 3}


def test_each_language_and_encoding_has_its_own_answer():
    asset = AssetFactory(name_vi="Đền Kỳ Cùng", name_en="Ky Cung Temple", name_zh="奇穷庙")
    for _ in range(2):
        answers = {
            "vi": wsgi_get(f"/Q/{asset.code}", ACCEPT_ENCODING="identity"),
            "en": wsgi_get(f"/Q/{asset.code}", "lang=en", ACCEPT_ENCODING="identity"),
            "zh": wsgi_get(f"/Q/{asset.code}", ACCEPT_ENCODING="identity",
                           ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"),
        }
        assert "Đền Kỳ Cùng" in answers["vi"][2].decode()
        assert "Ky Cung Temple" in answers["en"][2].decode()
        assert "?lang=en" in answers["en"][2].decode()  # links keep the chosen language
        assert "奇穷庙" in answers["zh"][2].decode()
        assert all("Content-Encoding" not in dict(a[1]) for a in answers.values())
    assert counted() == {(asset.code, "vi"): 2, (asset.code, "en"): 2,
                         (asset.code, "zh-hans"): 2}


def test_a_plaque_code_is_replayed_and_counted_for_its_plaque():
    plaque = PlaqueFactory()
    for _ in range(3):
        status, _, _ = wsgi_get(f"/q/{plaque.code.lower()}")
        assert status == "200 OK"
    scans_flush()
    row = Scan.objects.get()
    assert (row.code, row.plaque_id, row.count) == (plaque.code, plaque.pk, 3)


@pytest.mark.parametrize("path, query", [
    ("/Q/{code}", "utm=x"),             # anything but ?lang= goes through Django
    ("/Q/{code}", "lang=en&lang=zh"),
    ("/Q/NOPE-NOPE", ""),                # unknown codes are never stored
    ("/Q/{code}%00", ""),
])
def test_what_the_layer_does_not_store(path, query):
    asset = AssetFactory()
    path = path.format(code=asset.code)
    answers = [wsgi_get(path, query)[0] for _ in range(3)]
    assert len(set(answers)) == 1 and not answers[0].startswith("5")
    client = cache._cache.get_client()
    assert not list(client.scan_iter(match=cache.make_key("qrmap:answer:*")))


def test_head_is_answered_by_django_and_not_counted():
    asset = AssetFactory()
    wsgi_get(f"/Q/{asset.code}")
    status, _, body = wsgi_get(f"/Q/{asset.code}", method="HEAD")
    assert status == "200 OK"
    assert counted() == {(asset.code, "vi"): 1}


def test_a_page_saved_for_the_offline_pack_is_not_a_scan_even_when_replayed():
    asset = AssetFactory(name_vi="Đền Kỳ Cùng")
    wsgi_get(f"/a/{asset.code}")  # a visit: rendered, stored, counted
    assert wsgi_get(f"/a/{asset.code}")[0] == "200 OK"  # a visit replayed: counted
    status, _, body = wsgi_get(f"/a/{asset.code}", purpose="prefetch")
    assert status == "200 OK" and body
    assert counted() == {(asset.code, "vi"): 2}
