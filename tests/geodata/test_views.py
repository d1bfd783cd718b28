"""Coverage map (public), planner dashboard (planners only), exports, print view, command."""
import csv
import gzip
import io
import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from geodata.models import AdminUnit, CellSite, Hamlet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(client):
    user = UserFactory(username="planner-a")
    group = Group.objects.filter(name="planner").first()
    if group is not None:
        user.groups.add(group)
    else:  # the staff roles migration of assets not there: the permission is what counts
        user.user_permissions.add(Permission.objects.get(codename="view_hamlet"))
    client.force_login(user)
    return client


def command_rows(*args):
    out = StringIO()
    call_command("qrmap_coverage", "--format", "csv", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_coverage_map_is_public_and_shows_the_province_figures(client, province_hamlets):
    response = client.get(reverse("maps:coverage"))
    assert response.status_code == 200
    html = response.content.decode()
    province = next(r for r in command_rows() if r["code"] == "20")
    for key, figure_id in (("mobile_gap_hamlets", "fig-mobile-gaps"),
                           ("broadband_gap_hamlets", "fig-broadband-gaps")):
        shown = re.search(rf'id="{figure_id}">([^<]+)<', html).group(1)
        assert re.sub(r"\D", "", shown) == province[key]
    # The features come from the tiles: the page carries their URLs, not the hamlets.
    assert 'QRMap.tiles("/tiles/hamlets/{z}/{x}/{y}.pbf"' in html
    assert 'class="folium-map"' in html and '"Thôn ' not in html
    assert "vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js" in html


def test_coverage_map_page_stays_small_whatever_the_data(client, province_hamlets):
    small = client.get(reverse("maps:coverage"), HTTP_ACCEPT_ENCODING="gzip")
    with connection.cursor() as cursor:  # ten times the hamlets
        cursor.execute("""
            INSERT INTO geodata_hamlet (name, commune_id, location, households, population,
                mobile_status, broadband_status, source, synthetic, external_id, updated_at)
            SELECT name || ' ' || i, commune_id, ST_Translate(location, i * 1e-4, 0),
                   households, population, mobile_status, broadband_status, source,
                   synthetic, '', now()
            FROM geodata_hamlet, generate_series(1, 9) i""")
    large = client.get(reverse("maps:coverage"), HTTP_ACCEPT_ENCODING="gzip")
    assert large.status_code == 200 and large["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(large.content)) > 20_000  # the page itself, compressed
    assert len(large.content) <= 100_000  # the bytes sent
    # The figures differ, and the overview (geodata.overview) draws one mark per commune
    # and status beyond its limit instead of one per hamlet: the page does not grow.
    assert len(large.content) <= len(small.content) + 200


def test_coverage_map_zooms_to_one_commune(client, province_hamlets):
    commune = AdminUnit.objects.current().communes().get(code="05977")
    response = client.get(reverse("maps:coverage"), {"commune": "05977", "theme": "broadband"})
    html = response.content.decode()
    assert commune.name in html
    assert Hamlet.objects.filter(commune=commune).exists()
    assert html.count('"Thôn ') == 0  # from the tiles
    west, south, east, north = commune.boundary.extent
    assert f"[[{south}, {west}], [{north}, {east}]]" in html  # fitted to the commune
    # An unknown commune falls back to the province instead of failing.
    assert client.get(reverse("maps:coverage"), {"commune": "99999"}).status_code == 200


def test_dashboard_needs_a_signed_in_planner(client, province_hamlets):
    response = client.get(reverse("planning:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(username="clerk"))
    assert client.get(reverse("planning:dashboard")).status_code == 403
    assert client.get(reverse("planning:export", args=["gaps", "csv"])).status_code == 403


def test_dashboard_table_matches_the_command(planner, province_hamlets):
    html = planner.get(reverse("planning:dashboard")).content.decode()
    for row in command_rows():
        match = re.search(rf'<tr[^>]*data-code="{row["code"]}">(.*?)</tr>', html, re.S)
        assert match, row["code"]
        cells = dict(re.findall(r'data-col="(\w+)">([\d.,\s]+)<', match.group(1)))
        for key in ("mobile_gap_hamlets", "broadband_gap_hamlets"):
            assert re.sub(r"\D", "", cells[key]) == row[key], (row["code"], key)


def test_dashboard_sorts_communes_by_gaps(planner, province_hamlets):
    html = planner.get(reverse("planning:dashboard"), {"sort": "gaps"}).content.decode()
    table = html.split('id="commune-table"')[1].split("</table>")[0]
    gaps = [int(re.sub(r"\D", "", g)) for g in
            re.findall(r'data-col="mobile_gap_hamlets">([^<]+)<', table)][:-1]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] > 0


def test_exports_as_csv_and_geojson(planner, province_hamlets):
    response = planner.get(reverse("planning:export", args=["gaps", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    gaps = next(r for r in command_rows() if r["code"] == "20")["mobile_gap_hamlets"]
    assert len(rows) == int(gaps) and all(r["mobile_covered"] == "no" for r in rows)
    response = planner.get(reverse("planning:export", args=["communes", "geojson"]),
                           {"commune": "05977"})
    data = json.loads(response.content)
    assert [f["properties"]["code"] for f in data["features"]] == ["05977"]
    assert data["features"][0]["geometry"]["type"] == "MultiPolygon"
    disagreements = planner.get(reverse("planning:export", args=["disagreements", "geojson"]))
    for feature in json.loads(disagreements.content)["features"]:
        assert feature["properties"]["disagreement"]
    assert planner.get("/planning/export/nothing.csv").status_code == 404


def test_scenario_closes_gaps_and_saves_nothing(planner, province_hamlets):
    gap = Hamlet.objects.filter(mobile_status="no").order_by("id").first()
    before = (Hamlet.objects.count(), CellSite.objects.count(),
              list(Hamlet.objects.values_list("mobile_status", flat=True).order_by("id")))
    line = f"{gap.location.y}, {gap.location.x}, 300, Mast A"  # lat, lon: swapped back
    response = planner.get(reverse("planning:dashboard"),
                           {"action": "scenario", "sites": line, "radius": 4000})
    html = response.content.decode()
    assert 'id="scenario-result"' in html and "Mast A" in html
    assert "QRMap.planned(" in html
    after = (Hamlet.objects.count(), CellSite.objects.count(),
             list(Hamlet.objects.values_list("mobile_status", flat=True).order_by("id")))
    assert after == before


def test_scenario_form_explains_bad_lines(planner, province_hamlets):
    response = planner.get(reverse("planning:dashboard"),
                           {"action": "scenario", "sites": "106.7 twenty-one"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_proposal_lists_k_sites(planner, province_hamlets, settings):
    settings.QRMAP_JOBS_INLINE = True  # province-wide: a job, run here as a worker would
    response = planner.get(reverse("planning:dashboard"),
                           {"action": "proposal", "k": 3, "radius": 3000})
    html = response.content.decode()
    result = html.split('id="proposal-result"')[1].split("</table>")[0]
    assert result.count("<tr>") == 4  # header + three sites


def test_print_view_has_map_legend_and_figures(planner, province_hamlets):
    html = planner.get(reverse("planning:print"), {"commune": "05977"}).content.decode()
    assert "QRMap.legend(" in html and 'id="figures"' in html and "@media print" in html
    assert "L.control.layers" not in html


def test_command_prints_table_csv_and_geojson(province_hamlets):
    out = StringIO()
    call_command("qrmap_coverage", stdout=out)
    assert "without 3G/4G" in out.getvalue() and "Phường Đông Kinh" in out.getvalue()
    rows = command_rows("--commune", "05977")
    assert [r["code"] for r in rows] == ["05977", "20"]
    out = StringIO()
    call_command("qrmap_coverage", "--format", "geojson", "--list", "gaps", stdout=out)
    features = json.loads(out.getvalue())["features"]
    assert features and all(f["properties"]["mobile_covered"] == "no" for f in features)
    with pytest.raises(CommandError, match="No commune"):
        call_command("qrmap_coverage", "--commune", "00000", stdout=StringIO())


def test_scenario_from_the_registry_planned_sites(planner, province_hamlets):
    gap = Hamlet.objects.filter(mobile_status="no").order_by("id").first()
    CellSite.objects.create(operator=CellSite.Operator.VIETTEL, technologies=["4G"],
                            location=gap.location, coverage_radius_m=2000,
                            status=CellSite.Status.PLANNED, name="VTL-PLAN-1")
    html = planner.get(reverse("planning:dashboard"),
                       {"action": "scenario", "from": "registry"}).content.decode()
    result = html.split('id="scenario-result"')[1]
    assert "VTL-PLAN-1" in result
    assert CellSite.objects.get(name="VTL-PLAN-1").status == CellSite.Status.PLANNED


def test_proposal_radius_follows_technology_and_terrain(planner, province_hamlets, settings):
    settings.QRMAP_JOBS_INLINE = True
    html = planner.get(reverse("planning:dashboard"), {
        "action": "proposal", "k": 1, "technology": "4G", "terrain": "mountain",
    }).content.decode()
    result = html.split('id="proposal-result"')[1].split("</table>")[0]
    radius = re.findall(r'<td class="num">([^<]+)</td>', result)[0]
    assert re.sub(r"\D", "", radius) == "6000"  # 4G in the mountains (geodata/radio.py)


def test_coverage_map_revalidates_until_the_data_change(client, province_hamlets):
    first = client.get(reverse("maps:coverage"))
    assert "public" in first["Cache-Control"]
    again = client.get(reverse("maps:coverage"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A bulk update skips auto_now and signals: the data version still moves.
    Hamlet.objects.filter(mobile_status="yes").update(mobile_status="no")
    changed = client.get(reverse("maps:coverage"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_province_figures_for_the_home_page_follow_the_data(province_hamlets):
    from geodata.coverage import coverage_figures, coverage_province_figures

    figures = coverage_province_figures()
    assert figures.mobile_gap_hamlets == coverage_figures().province.mobile_gap_hamlets
    Hamlet.objects.update(broadband_status="no")
    assert coverage_province_figures().broadband_gap_hamlets == Hamlet.objects.count()


def test_dashboard_stays_small_whatever_the_data(planner, province_hamlets):
    from tests.national import national_hamlets, national_sites

    small = planner.get(reverse("planning:dashboard"), HTTP_ACCEPT_ENCODING="gzip")
    assert national_hamlets(20_000) > 19_000 and national_sites(2_000) > 1_900
    large = planner.get(reverse("planning:dashboard"), HTTP_ACCEPT_ENCODING="gzip",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert large.status_code == 200 and large["Content-Encoding"] == "gzip"
    html = gzip.decompress(large.content).decode()
    # The map's features come from the tiles; the lists show their first rows and link
    # the export of all.
    assert 'QRMap.tiles("/tiles/hamlets/{z}/{x}/{y}.pbf"' in html and "Thôn QG" in html
    assert html.count("Thôn QG") <= 3 * 200
    cut = r"The first 200 of [\d.,]+ hamlets; the export lists them all"
    assert len(re.findall(cut, html)) == 3
    assert len(large.content) <= 100_000, len(large.content)
    assert len(large.content) < 2 * len(small.content)


def test_dashboard_draws_a_scenario_over_the_tiles(planner, province_hamlets):
    gap = Hamlet.objects.filter(mobile_status="no").order_by("id").first()
    html = planner.get(reverse("planning:dashboard"), {
        "action": "scenario", "sites": f"{gap.location.x}, {gap.location.y}, 300, Mast A",
        "radius": 4000}).content.decode()
    assert 'QRMap.tiles("/tiles/sites/{z}/{x}/{y}.pbf"' in html
    assert "QRMap.planned(" in html and "QRMap.hamlets(" in html  # sites and what they close
    assert gap.name in html.split('id="scenario-result"')[0]  # on the map, inline
