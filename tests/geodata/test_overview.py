"""The coverage map's overview (geodata.overview): the hamlets drawn by the server into the
page's first response, each at its place in the view (checked against PostGIS' own Web
Mercator), by status, escaped, cached per data version and redrawn after an edit."""
import doctest
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from geodata import overview
from geodata.coverage import coverage_figures
from geodata.models import AdminUnit, Hamlet
from geodata.overview import WIDTH, coverage_overview, shape
from tests.geodata.test_map_escaping import HOSTILE

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MOVES = re.compile(r"([Mm])(-?\d+)[ ,]?(-?\d+)")


def test_doctests():
    assert doctest.testmod(overview).failed == 0


def overview_of(client, url: str, **headers) -> tuple[ElementTree.Element, str]:
    """The overview's <svg> element, parsed as XML, and the page's HTML."""
    response = client.get(url, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<svg class="qrmap-overview-marks".*?</svg>', html, re.DOTALL)
    assert found, "no overview in the page"
    return ElementTree.fromstring(found.group(0)), html


def centres(path: ElementTree.Element, half: int) -> list[tuple[int, int]]:
    """The centre of each mark of a path: each subpath starts at its shape's offset from
    it, the first with M, the others relative to the previous start (m)."""
    dx, dy, _outline = shape(path.get("class").removeprefix("qo-"), half)
    x = y = 0
    found = []
    for move, mx, my in MOVES.findall(path.get("d")):
        x, y = (int(mx), int(my)) if move == "M" else (x + int(mx), y + int(my))
        found.append((x - dx, y - dy))
    return found


def status(row) -> str:
    mobile, broadband = not row.mobile_covered, row.broadband_gap
    return {(False, False): "covered", (True, False): "mobile", (False, True): "broadband",
            (True, True): "both"}[(mobile, broadband)]


def mercator_places(bounds, height: int) -> dict[int, tuple[float, float]]:
    """Every hamlet's place in a viewBox spanning bounds, from PostGIS' EPSG:3857."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH v AS (SELECT ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 3857) e)
            SELECT h.id,
                   (ST_X(ST_Transform(h.location, 3857)) - ST_XMin(v.e))
                     / (ST_XMax(v.e) - ST_XMin(v.e)) * %s,
                   (ST_YMax(v.e) - ST_Y(ST_Transform(h.location, 3857)))
                     / (ST_YMax(v.e) - ST_YMin(v.e)) * %s
            FROM geodata_hamlet h, v""", [*bounds, WIDTH, height])
        return {pk: (x, y) for pk, x, y in cursor.fetchall()}


def test_every_hamlet_is_drawn_at_its_place_with_the_shape_of_its_status(
        client, province_hamlets):
    svg, html = overview_of(client, reverse("maps:coverage"), HTTP_ACCEPT_LANGUAGE="en")
    _x0, _y0, width, height = map(int, svg.get("viewBox").split())
    assert width == WIDTH and svg.get("role") == "img"
    # Named and described for assistive technology by its own title and description.
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Hamlets by coverage"
    assert desc.text.startswith("One mark per hamlet: circle, no gap; triangle, without 3G/4G")
    assert (svg.get("aria-labelledby"), svg.get("aria-describedby")) == (
        title.get("id"), desc.get("id"))
    bounds = tuple(map(float, re.search(r'data-bounds="([^"]+)"', html).group(1).split(",")))
    places = mercator_places(bounds, height)
    expected: dict[str, list] = {}
    for row in coverage_figures().hamlets:
        expected.setdefault(status(row), []).append(places[row.id])
    drawn = {path.get("class").removeprefix("qo-"): path for path in svg.iter(f"{SVG}path")}
    assert set(drawn) == set(expected) == {"covered", "mobile", "broadband", "both"}
    for name, path in drawn.items():
        marks = centres(path, overview.HAMLET_HALF)
        assert len(marks) == int(path.get("data-marks")) == len(expected[name]), name
        assert all(0 <= x <= width and 0 <= y <= height for x, y in marks)
        # Each hamlet has its mark within a unit (rounding) of where PostGIS puts it.
        for x, y in expected[name]:
            assert min(abs(x - mx) + abs(y - my) for mx, my in marks) <= 1.5, (name, x, y)
    # The key names each status with its count, as text.
    gaps = sum(1 for row in coverage_figures().hamlets if status(row) == "mobile")
    assert f"Without 3G/4G: {gaps:,}<" in html


def test_names_in_the_overview_are_escaped(client, province_hamlets):
    commune = AdminUnit.objects.current().communes().get(code="05977")
    AdminUnit.objects.filter(pk=commune.pk).update(name=HOSTILE)
    svg, html = overview_of(client, reverse("maps:coverage"), data={"commune": "05977"},
                            HTTP_ACCEPT_LANGUAGE="en")
    assert svg.find(f"{SVG}title").text == f"Hamlets of {HOSTILE} by coverage"
    assert "<img src=x" not in html and "<script>window.__xss" not in html
    assert "Hamlets of &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # The commune's view: its own hamlets only, every one inside the viewBox.
    marks = sum(int(path.get("data-marks")) for path in svg.iter(f"{SVG}path"))
    assert marks == Hamlet.objects.filter(commune=commune).count() > 0


def test_cached_per_data_version_and_redrawn_after_a_hamlet_edit(client, province_hamlets):
    before = coverage_overview()
    with CaptureQueriesContext(connection) as queries:
        assert coverage_overview() == before
    assert len(queries) == 1  # the data version; the marks came from the cache
    hamlet = Hamlet.objects.filter(mobile_status="yes", broadband_status="yes").first()
    Hamlet.objects.filter(pk=hamlet.pk).update(mobile_status="no", broadband_status="no")
    after = coverage_overview()
    assert after.hamlets["both"] == before.hamlets["both"] + 1
    assert after.hamlets["covered"] == before.hamlets["covered"] - 1
    html = client.get(reverse("maps:coverage"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Neither 3G/4G nor broadband: {after.hamlets['both']:,}<" in html


def test_beyond_the_limit_one_mark_per_commune_and_status(client, province_hamlets, settings):
    small = client.get(reverse("maps:coverage"), HTTP_ACCEPT_ENCODING="gzip")
    settings.QRMAP_OVERVIEW_HAMLET_LIMIT = 100
    svg, _html = overview_of(client, reverse("maps:coverage"), HTTP_ACCEPT_LANGUAGE="en")
    assert svg.find(f"{SVG}desc").text.startswith("One mark per commune and status")
    grouped = coverage_overview()
    assert grouped.grouped and grouped.total == Hamlet.objects.count()
    communes = Hamlet.objects.values("commune").distinct().count()
    assert communes < grouped.marks <= 4 * communes
    # A commune's mark of covered hamlets sits at their mean position.
    commune = AdminUnit.objects.current().communes().get(code="05977")
    rows = [row for row in coverage_figures(commune=commune).hamlets
            if status(row) == "covered"]
    view = overview.View(grouped.bounds)
    x, y = view.place(sum(r.lon for r in rows) / len(rows), sum(r.lat for r in rows) / len(rows))
    path = next(p for p in svg.iter(f"{SVG}path") if p.get("class") == "qo-covered")
    # A circle starts on its left, by its radius (which grows with the hamlets, up to 26).
    starts = [(mx - 1, my) for mx, my in centres(path, 0)]
    assert any(abs(my - y) <= 1 and 3 <= x - mx <= 26 for mx, my in starts)
    large = client.get(reverse("maps:coverage"), HTTP_ACCEPT_ENCODING="gzip")
    assert len(large.content) < len(small.content) - 3000
