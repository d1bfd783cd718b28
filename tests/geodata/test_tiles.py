"""Vector tiles (geodata.tiles): what a tile decodes to, the index the query uses, hostile
addresses, HTTP caching, and a write that makes the next tile new."""
import doctest
import math

import mapbox_vector_tile
import pytest
from django.db import connection
from django.test import Client

from geodata import tiles
from geodata.coverage import coverage_figures
from geodata.coverage.mapdata import mobile_code
from geodata.models import AdminUnit, CellSite, Hamlet
from geodata.tile_layers import HAMLETS_IN_TILE, SITES_IN_TILE
from geodata.tiles import ENVELOPE, Tile, count_at_most

pytestmark = pytest.mark.django_db


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2 ** z
    lat_r = math.radians(lat)
    return (z, int((lon + 180) / 360 * n),
            int((1 - math.log(math.tan(lat_r) + 1 / math.cos(lat_r)) / math.pi) / 2 * n))


def province_features(client, layer, z) -> dict:
    """The features of every tile over the province at zoom z, by id (a feature near an
    edge comes in both tiles)."""
    z, x0, y0 = tile_of(106.0, 22.6, z)
    _z, x1, y1 = tile_of(107.5, 21.3, z)
    features = {}
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            response = get_tile(client, layer, z, x, y)
            if response.status_code == 200:
                features.update({f.get("id", (x, y, i)): f for i, f in enumerate(
                    mapbox_vector_tile.decode(response.content)[layer]["features"])})
    return features


def get_tile(client, layer, z, x, y, **headers):
    return client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf", **headers)


def decoded(response) -> dict:
    assert response.status_code == 200, response.content
    return mapbox_vector_tile.decode(response.content)


@pytest.fixture
def client():
    return Client()


def test_a_hamlet_tile_holds_its_hamlets_with_the_maps_status_codes(province_hamlets, client):
    hamlet = Hamlet.objects.filter(mobile_status="no").first()
    z, x, y = tile_of(hamlet.location.x, hamlet.location.y, 13)
    response = get_tile(client, "hamlets", z, x, y)
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = {f["id"]: f for f in decoded(response)["hamlets"]["features"]}
    assert hamlet.pk in features
    assert features[hamlet.pk]["properties"]["m"] == "N"
    assert features[hamlet.pk]["geometry"]["type"] == "Point"
    # Every feature carries the code the inline map would give it (the one definition).
    rows = {row.id: row for row in coverage_figures().hamlets}
    for pk, feature in features.items():
        assert feature["properties"]["m"] == mobile_code(rows[pk])
        assert feature["properties"]["b"] == {"yes": "Y", "no": "N", "unknown": "U"}[
            rows[pk].broadband_declared]
    assert len(response.content) <= 50_000


def test_low_zoom_counts_hamlets_per_commune(province_hamlets, client, settings):
    settings.QRMAP_TILE_POINT_LIMIT = 0  # every tile counts per commune
    features = list(province_features(client, "hamlets", 7).values())
    figures = {unit.code: unit for unit in coverage_figures().communes}
    assert len(features) == len([u for u in figures.values() if u.hamlets])
    for feature in features:
        unit = figures[feature["properties"]["k"]]
        assert feature["properties"]["t"] == unit.hamlets
        assert feature["properties"]["g"] == unit.mobile_gap_hamlets
        assert feature["properties"]["bg"] == unit.broadband_gap_hamlets
    assert sum(f["properties"]["t"] for f in features) == Hamlet.objects.count()


def test_communes_and_sites_tiles(province_hamlets, client, settings):
    communes = list(province_features(client, "communes", 7).values())
    assert len(communes) == AdminUnit.objects.current().communes().count() == 65
    assert {f["geometry"]["type"] for f in communes} <= {"Polygon", "MultiPolygon"}
    assert all(0 <= f["properties"]["s"] <= 1 for f in communes)
    sites = list(province_features(client, "sites", 7).values())
    drawn = CellSite.objects.active().filter(coverage_radius_m__gt=0)
    assert {f["id"] for f in sites} == set(drawn.values_list("id", flat=True))
    settings.QRMAP_TILE_POINT_LIMIT = 5  # too many for points: counts on a grid
    z, x, y = tile_of(106.76, 21.85, 7)
    grid = decoded(get_tile(client, "sites", z, x, y))["sites"]["features"]
    # The tile's sites, with those of its 4 px margin (drawn whole across the edge).
    in_tile = count_at_most(SITES_IN_TILE, {}, Tile(z, x, y), 10 ** 6)
    assert sum(f["properties"]["n"] for f in grid) == in_tile > 5
    assert len(grid) < drawn.count()


def test_tile_query_uses_the_spatial_index(province_hamlets):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geodata_hamlet")
        z, x, y = tile_of(106.76, 21.85, 12)
        cursor.execute("EXPLAIN " + HAMLETS_IN_TILE.format(envelope=ENVELOPE),
                       Tile(z, x, y).params())
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "geodata_hamlet_location" in plan and "Seq Scan" not in plan, plan


@pytest.mark.parametrize("path, status", [
    ("/tiles/hamlets/21/0/0.pbf", 400),
    ("/tiles/hamlets/1/2/0.pbf", 400),
    ("/tiles/hamlets/3/0/8.pbf", 400),
    ("/tiles/hamlets/-1/0/0.pbf", 400),
    ("/tiles/hamlets/" + "9" * 5000 + "/0/0.pbf", 400),
    ("/tiles/hamlets/1/0/" + "9" * 40 + ".pbf", 400),
    ("/tiles/hamlets/1%00/0/0.pbf", 400),
    ("/tiles/hamlets/%C2%B2/0/0.pbf", 400),
    ("/tiles/hamlets/1.5/0/0.pbf", 400),
    ("/tiles/nothing/1/0/0.pbf", 404),
    ("/tiles/ham%00lets/1/0/0.pbf", 404),
    ("/tiles/hamlets/features/%00.json", 400),
    ("/tiles/hamlets/features/" + "9" * 40 + ".json", 400),
    ("/tiles/hamlets/features/999999999999.json", 404),
    ("/tiles/communes/features/1.json", 404),
])
def test_hostile_addresses_get_a_message(geography, client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.content.strip()
    assert response["Content-Type"].startswith("text/plain")


def test_a_tile_is_public_cacheable_and_cookie_free(province_hamlets, client):
    z, x, y = tile_of(106.76, 21.85, 10)
    first = get_tile(client, "hamlets", z, x, y)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    assert not first.cookies and "Set-Cookie" not in first
    again = get_tile(client, "hamlets", z, x, y, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    empty = get_tile(client, "hamlets", 10, 0, 0)  # the Pacific
    assert empty.status_code == 204 and empty.content == b""


def test_a_write_of_any_kind_gives_a_new_tile(province_hamlets, client):
    hamlet = Hamlet.objects.filter(mobile_status="yes").first()
    z, x, y = tile_of(hamlet.location.x, hamlet.location.y, 14)
    before = get_tile(client, "hamlets", z, x, y)
    features = {f["id"]: f for f in decoded(before)["hamlets"]["features"]}
    assert features[hamlet.pk]["properties"]["m"] == "Y"
    # A bulk update: no signal, no auto_now; the statement trigger still moves the version.
    Hamlet.objects.filter(pk=hamlet.pk).update(mobile_status="no")
    after = get_tile(client, "hamlets", z, x, y, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    features = {f["id"]: f for f in decoded(after)["hamlets"]["features"]}
    assert features[hamlet.pk]["properties"]["m"] == "N"


def test_a_popup_fetches_the_details_as_json(province_hamlets, client):
    hamlet = Hamlet.objects.filter(mobile_status="no").select_related("commune").first()
    detail = client.get(f"/tiles/hamlets/features/{hamlet.pk}.json").json()
    assert detail == {"id": hamlet.pk, "n": hamlet.name, "c": hamlet.commune.name,
                      "p": hamlet.population, "h": hamlet.households, "m": "N",
                      "b": {"yes": "Y", "no": "N"}[hamlet.broadband_status], "d": detail["d"]}
    site = CellSite.objects.first()
    assert client.get(f"/tiles/sites/features/{site.pk}.json").json()["o"] == site.operator


def test_tiles_doctests():
    assert doctest.testmod(tiles).failed == 0


def test_messages_are_translated(geography, client):
    response = client.get("/tiles/hamlets/99/0/0.pbf", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "z phải" in response.content.decode()
