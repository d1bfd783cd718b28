"""/maps/coverage/list/: the coverage map as a list, hamlets by commune in Vietnamese order,
filtered by status with the same rule as the map (HamletCoverage), paged by keyset, linked
from the map and back, in the locale's number format; bad cursors are a 400."""
import re

import pytest

from geodata.coverage.model import hamlet_coverage
from geodata.models import AdminUnit, Hamlet
from qrmap.collation import vietnamese_key

pytestmark = pytest.mark.django_db

URL = "/maps/coverage/list/"


def ids_of(html):
    return [int(i) for i in re.findall(r'data-id="(\d+)"', html)]


def links(html):
    return {rel: href.replace("&amp;", "&") for href, rel in re.findall(
        r'<a href="\?([^"]+)" rel="(next|prev)"', html)}


def every_page(client, query):
    """The ids of every page, following the next links from the first."""
    html = client.get(URL, query).content.decode()
    seen = ids_of(html)
    while "next" in links(html):
        html = client.get(URL + "?" + links(html)["next"]).content.decode()
        seen += ids_of(html)
    return seen


def expected(rows, status):
    rules = {
        "": lambda r: True,
        "mobile_gap": lambda r: not r.mobile_covered,
        "broadband_gap": lambda r: r.broadband_gap,
        "both_gaps": lambda r: not r.mobile_covered and r.broadband_gap,
        "covered": lambda r: r.mobile_covered and r.broadband_declared == "yes",
        "unknown": lambda r: "unknown" in (r.mobile_declared, r.broadband_declared),
    }
    return {r.id for r in rows if rules[status](r)}


def test_each_status_lists_what_the_coverage_model_says(client, province_hamlets, monkeypatch):
    monkeypatch.setattr("geodata.list_views.PAGE_SIZE", 7)
    commune = AdminUnit.objects.get(pk=Hamlet.objects.filter(mobile_status="unknown")
                                    .values("commune").first()["commune"])
    rows = hamlet_coverage(commune_id=commune.pk)
    for status in ("", "mobile_gap", "broadband_gap", "both_gaps", "covered", "unknown"):
        listed = every_page(client, {"commune": commune.code, "status": status})
        assert len(listed) == len(set(listed)), status
        assert set(listed) == expected(rows, status), status
    # Modelled statuses are there: unknown declarations the sites decide.
    assert any(r.mobile_declared == "unknown" for r in rows)


def test_the_province_pages_by_commune_then_name_both_ways(client, province_hamlets,
                                                          monkeypatch):
    monkeypatch.setattr("geodata.list_views.PAGE_SIZE", 40)
    first = client.get(URL, {"lang": "en"}).content.decode()
    names = re.findall(r'<td>([^<]+)</td><th scope="row">([^<]+)</th>', first)
    communes = [c for c, _h in names]
    assert communes == sorted(communes, key=vietnamese_key)
    first_commune = [h for c, h in names if c == communes[0]]
    assert first_commune == sorted(first_commune, key=vietnamese_key)
    total = Hamlet.objects.count()
    assert f"1–40 of {total:,}" in first
    second = client.get(URL + "?" + links(first)["next"]).content.decode()
    assert f"41–80 of {total:,}" in second and not set(ids_of(first)) & set(ids_of(second))
    back = client.get(URL + "?" + links(second)["prev"]).content.decode()
    assert ids_of(back) == ids_of(first) and "prev" not in links(back)
    assert links(second)["next"].startswith("lang=en&after=")


def test_numbers_in_the_locale_and_the_way_to_and_from_the_map(client, province_hamlets):
    hamlet = Hamlet.objects.first()
    Hamlet.objects.filter(pk=hamlet.pk).update(population=12345, name="Thôn <b>Nà</b>")
    html = client.get(URL, {"commune": hamlet.commune.code},
                      HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "12.345" in html and "Thôn &lt;b&gt;Nà&lt;/b&gt;" in html
    back = re.search(r'<a href="([^"]+)">← ', html).group(1)
    assert back == f"/maps/coverage/?commune={hamlet.commune.code}"
    page = client.get("/maps/coverage/", {"commune": hamlet.commune.code, "lang": "zh"})
    link = re.search(r'<a id="map-list" href="([^"]+)"', page.content.decode()).group(1)
    assert link == f"{URL}?commune={hamlet.commune.code}&amp;lang=zh"
    assert "村寨" in client.get(URL, {"lang": "zh"}).content.decode()


@pytest.mark.parametrize("query", [
    {"after": "abc"}, {"after": "99999999999"}, {"before": "<script>"}, {"after": "\x00"},
    {"from": "0"}, {"after": "1" * 40},
], ids=["letters", "no-such-hamlet", "markup", "nul", "zero", "long"])
def test_a_bad_cursor_is_a_400(client, province_hamlets, query):
    response = client.get(URL, {**query, "lang": "en"})
    assert response.status_code == 400
    assert "start again from its first page" in response.content.decode()


def test_a_hamlet_of_another_commune_is_no_cursor(client, province_hamlets):
    one, other = AdminUnit.objects.current().communes().filter(
        hamlets__isnull=False).distinct()[:2]
    stranger = Hamlet.objects.filter(commune=other).first()
    response = client.get(URL, {"commune": one.code, "after": stranger.pk})
    assert response.status_code == 400
