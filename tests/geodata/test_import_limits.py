"""Vertex caps of imports (issue #11): an oversized geometry is refused, naming its row,
before GEOS or PostGIS sees it; a file past the per-file cap is refused as a whole; a file
at the caps still imports."""
import json
import math
import time

import pytest
from django.contrib.gis.gdal import OGRGeometry

from geodata.importers import rows as row_checks
from geodata.importers.engine import import_commit, import_plan
from geodata.importers.geolayers import HamletLayer, UnitLayer
from geodata.importers.limits import vertex_count
from geodata.importers.sources import SourceRefused, source_open
from geodata.models import AdminUnit

SQUARE = [[106.70, 21.80], [106.71, 21.80], [106.71, 21.81], [106.70, 21.81], [106.70, 21.80]]


def _feature(code, ring_json):
    """A unit with a polygon of one ring, given as JSON text (a big one is never a list)."""
    properties = json.dumps({"ma": code, "ten": f"Xã {code}", "cap": "xã"})
    return ('{"type":"Feature","properties":' + properties
            + ',"geometry":{"type":"Polygon","coordinates":[' + ring_json + "]}}")


def _write(tmp_path, *features, name="units.geojson"):
    path = tmp_path / name
    path.write_text('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}",
                    encoding="utf-8")
    return path


def _circle(vertices, lon=106.76, lat=21.85, radius=0.01):
    """A valid ring of exactly `vertices` vertices (the last repeats the first)."""
    points = [[round(lon + radius * math.cos(2 * math.pi * i / (vertices - 1)), 9),
               round(lat + radius * math.sin(2 * math.pi * i / (vertices - 1)), 9)]
              for i in range(vertices - 1)]
    return json.dumps(points + [points[0]], separators=(",", ":"))


@pytest.fixture
def geos_spy(monkeypatch):
    """Every geometry the engine hands to GEOS, by vertex count."""
    built = []
    real = row_checks.geometry_from_ogr

    def spy(geom):
        built.append(vertex_count(geom))
        return real(geom)

    monkeypatch.setattr(row_checks, "geometry_from_ogr", spy)
    return built


def test_vertex_count_adds_up_parts_and_rings_without_copying_coordinates():
    assert vertex_count(OGRGeometry("POINT (1 2)")) == 1
    assert vertex_count(OGRGeometry("LINESTRING (0 0, 1 1, 2 0)")) == 3
    assert vertex_count(OGRGeometry(
        "MULTIPOLYGON (((0 0, 3 0, 3 3, 0 0), (1 .5, 2 .5, 2 1, 1 .5)), ((5 5, 6 5, 6 6, 5 5)))"
    )) == 12
    assert vertex_count(OGRGeometry("GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 0, 1 1))")) \
        == 3


def test_a_million_vertex_polygon_is_refused_by_row_before_any_geometry_work(
        db, tmp_path, geos_spy):
    # A degenerate closed ring repeating two points: the coordinates do not matter, the count
    # does, and string repetition writes 1e6 vertices at once.
    ring = ["[106.75,21.85]", "[106.76,21.86]"] * 499_999 + ["[106.77,21.87]", "[106.75,21.85]"]
    huge = "[" + ",".join(ring) + "]"
    path = _write(tmp_path, _feature("99001", json.dumps([SQUARE])[1:-1]),
                  _feature("99002", huge))
    started = time.perf_counter()
    table = source_open(path, workdir=tmp_path)
    read = time.perf_counter() - started
    plan = import_plan(table=table, layer=UnitLayer())
    print(f"\nread {read:.2f} s, planned {time.perf_counter() - started - read:.2f} s")
    small, big = plan.rows
    assert big.status == "refused" and big.fields is None and big.geometry is None
    assert big.messages == ["row 2: the geometry has 1,000,000 vertices; at most 100,000 are "
                            "accepted (simplify it or split it into smaller parts)"]
    assert small.status == "new" and small.fields["boundary"].num_points == 5
    assert geos_spy == [5]  # GEOS built the small square only


def test_a_file_past_the_per_file_cap_is_refused_as_a_whole(db, tmp_path, settings):
    settings.QRMAP_IMPORT_MAX_VERTICES_PER_FILE = 12
    squares = [_feature(f"9900{i}", json.dumps([SQUARE])[1:-1]) for i in range(3)]
    with pytest.raises(SourceRefused, match="more than 12 vertices"):
        source_open(_write(tmp_path, *squares), workdir=tmp_path)
    # WKT cells count too (a CSV names no geometry of its own).
    settings.QRMAP_IMPORT_MAX_VERTICES_PER_FILE = 5
    path = tmp_path / "h.csv"
    path.write_text('ten,wkt\n"Thôn A","MULTIPOINT (106.76 21.85, 106.77 21.85, 106.78 21.85)"\n'
                    '"Thôn B","MULTIPOINT (106.76 21.86, 106.77 21.86, 106.78 21.86)"\n',
                    encoding="utf-8")
    with pytest.raises(SourceRefused, match="more than 5 vertices"):
        import_plan(table=source_open(path, workdir=tmp_path), layer=HamletLayer())


def test_a_wkt_cell_past_the_cap_is_refused_by_row(db, tmp_path, settings, geos_spy):
    settings.QRMAP_IMPORT_MAX_VERTICES_PER_GEOMETRY = 2
    path = tmp_path / "h.csv"
    path.write_text('ten,wkt\n"Thôn A","POINT (106.7615 21.853)"\n'
                    '"Thôn B","LINESTRING (106.76 21.85, 106.77 21.86, 106.78 21.87)"\n',
                    encoding="utf-8")
    plan = import_plan(table=source_open(path, workdir=tmp_path), layer=HamletLayer())
    assert [row.status for row in plan.rows] == ["new", "refused"]
    assert plan.rows[1].messages[0].startswith("row 3: the geometry has 3 vertices; at most 2")
    assert geos_spy == [1]


def test_a_file_at_the_caps_still_imports(db, tmp_path, settings, geos_spy):
    settings.QRMAP_IMPORT_MAX_VERTICES_PER_FILE = 100_000 + 5
    path = _write(tmp_path, _feature("99001", _circle(100_000)),
                  _feature("99002", json.dumps([SQUARE])[1:-1]))
    started = time.perf_counter()
    plan = import_plan(table=source_open(path, workdir=tmp_path), layer=UnitLayer())
    assert plan.counts["new"] == 2 and not plan.refused, [r.messages for r in plan.rows]
    import_commit(plan=plan)
    print(f"\n100,000-vertex polygon read, checked and written in "
          f"{time.perf_counter() - started:.2f} s")
    assert AdminUnit.objects.get(code="99001").boundary.num_points == 100_000
    assert geos_spy == [100_000, 5]


def test_a_csv_cell_past_the_field_limit_refuses_the_file_with_its_line(tmp_path):
    path = tmp_path / "long.csv"
    points = ", ".join(f"106.7{i:05d} 21.85" for i in range(8000))
    path.write_text(f'ten,wkt\n"Thôn A","POINT (106.76 21.85)"\n"B","LINESTRING ({points})"\n',
                    encoding="utf-8")
    with pytest.raises(SourceRefused, match="line 3: field larger than field limit"):
        source_open(path, workdir=tmp_path)
