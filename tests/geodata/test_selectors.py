"""Point lookup in today's units and in the units before the 2025-07-01 reform."""
import random

import pytest
from django.contrib.gis.geos import MultiPolygon, Point
from django.utils import translation

from geodata.addresses import address_format
from geodata.models import AdminUnit
from geodata.selectors import commune_at_point, reference_towns, unit_lookup_point
from geodata.unit_lookup import communes_at_points, communes_at_xy, districts_before_at_xy

pytestmark = pytest.mark.django_db


def lookup(lon, lat):
    return unit_lookup_point(point=Point(lon, lat, srid=4326))


def test_point_in_the_city_resolves_to_its_ward_and_to_the_old_city():
    # Near the old Phường Chi Lăng, today part of Phường Lương Văn Tri.
    found = lookup(106.7496, 21.8419)
    assert found.commune.name == "Phường Lương Văn Tri"
    assert found.province.code == "20"
    assert (found.district_before.code, found.district_before.name) == (
        "178", "Thành phố Lạng Sơn")
    assert found.commune_before.name == "Phường Chi Lăng"
    assert found.address_today == "Phường Lương Văn Tri, tỉnh Lạng Sơn"
    assert found.address_before_reform == (
        "Phường Chi Lăng, thành phố Lạng Sơn, tỉnh Lạng Sơn")
    assert found.message == ""
    assert commune_at_point(point=found.point) == found.commune


def test_ward_spanning_two_old_districts_takes_the_old_district_from_its_polygon():
    # Phường Đông Kinh took Xã Yên Trạch from Huyện Cao Lộc besides three city units:
    # the district polygon leaves one candidate, so the answer is not a guess.
    found = lookup(106.758849, 21.785157)
    assert found.commune.name == "Phường Đông Kinh"
    assert found.district_before.name == "Huyện Cao Lộc"
    assert found.commune_before.name == "Xã Yên Trạch"
    assert found.commune_before_approximate is False


@pytest.mark.parametrize("lon, lat, new_name", [
    (107.093, 21.659, "Xã Đình Lập"),
    (107.1105, 21.64, "Xã Kiên Mộc"),
])
def test_split_old_commune_is_found_from_either_new_commune(lon, lat, new_name):
    # Xã Bính Xá (06622) was split between Xã Đình Lập and Xã Kiên Mộc.
    found = lookup(lon, lat)
    assert found.commune.name == new_name
    assert (found.commune_before.code, found.commune_before.name) == ("06622", "Xã Bính Xá")
    assert found.district_before.name == "Huyện Đình Lập"
    assert found.commune_before_approximate is True
    assert found.commune_before in found.commune.predecessors.all()


def test_every_answer_is_consistent_with_the_lineage():
    for commune in AdminUnit.objects.current().communes():
        found = unit_lookup_point(point=commune.label_point)
        assert found.commune == commune
        assert found.commune_before.successors.filter(pk=commune.pk).exists()
        assert found.commune_before.parent == found.district_before


def test_point_outside_the_province_resolves_to_nothing_with_a_message():
    with translation.override("en"):
        found = lookup(105.8342, 21.0278)  # Hà Nội
    assert found.commune is found.province is None
    assert found.district_before is found.commune_before is None
    assert found.today == found.before_reform == []
    assert found.address_today == ""
    assert found.message == "outside every loaded province"


def test_lookup_costs_a_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        lookup(106.7654, 21.8554)


def test_english_address_names_the_unit_types():
    found = lookup(106.80427, 21.85045)
    assert address_format(units=found.today, language="en") == (
        "Kỳ Lừa Ward, Lạng Sơn Province")
    assert address_format(units=found.before_reform, language="en") == (
        "Cao Lộc Town, Cao Lộc District, Lạng Sơn Province")


def test_reference_towns_are_the_geonames_towns():
    names = [town.name for town in reference_towns()]
    assert names[0] == "Lạng Sơn" and "Đồng Đăng" in names and len(names) == 12


def test_communes_at_points_gives_ids_in_input_order_and_none_outside():
    inside = Point(106.7496, 21.8419, srid=4326)
    outside = Point(105.8342, 21.0278, srid=4326)  # Hà Nội
    ward = AdminUnit.objects.current().communes().get(name="Phường Lương Văn Tri")
    assert communes_at_points([outside, inside, outside]) == [None, ward.pk, None]
    assert communes_at_points([]) == []


def test_a_point_on_a_shared_border_goes_to_the_lower_code():
    # A vertex that Phường Đông Kinh (05977) and Phường Lương Văn Tri (05983) share: both
    # boundaries cover it.
    border = Point(106.74965, 21.82561, srid=4326)
    covering = AdminUnit.objects.current().communes().containing(border)
    assert sorted(covering.values_list("code", flat=True)) == ["05977", "05983"]
    assert commune_at_point(point=border).code == "05977"
    assert communes_at_points([border]) == [commune_at_point(point=border).pk]


def test_communes_at_points_agrees_with_commune_at_point():
    rng = random.Random(5)
    points = [Point(rng.uniform(106.0, 107.5), rng.uniform(21.3, 22.5), srid=4326)
              for _ in range(40)]
    points += [Point(106.74965, 21.82561, srid=4326), Point(107.093, 21.659, srid=4326)]
    expected = [getattr(commune_at_point(point=p), "pk", None) for p in points]
    assert communes_at_points(points) == expected
    assert any(expected) and None in expected


def test_the_subdivided_parts_answer_as_the_whole_boundaries_do():
    # containing() and communes_at_points ask geodata_unitpart (ST_Subdivide, migration 0006);
    # the whole polygons are the reference, on random points and on boundary vertices.
    rng = random.Random(11)
    points = [Point(rng.uniform(106.0, 107.5), rng.uniform(21.3, 22.5), srid=4326)
              for _ in range(60)]
    ward = AdminUnit.objects.current().communes().get(code="05977")
    points += [Point(*xy, srid=4326) for xy in ward.boundary.coords[0][0][::50]]
    units = AdminUnit.objects.exclude(boundary=None)
    for point in points:
        whole = set(units.filter(boundary__covers=point).values_list("pk", flat=True))
        assert set(units.containing(point).values_list("pk", flat=True)) == whole, point


def test_the_parts_follow_every_write_of_a_boundary():
    from django.db import connection

    def parts(pk):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM geodata_unitpart WHERE unit_id = %s", [pk])
            return cursor.fetchone()[0]

    ward = AdminUnit.objects.get(level=AdminUnit.Level.PROVINCE)
    assert parts(ward.pk) > 10  # thousands of vertices cut into small parts
    far = Point(105.8342, 21.0278, srid=4326)  # Hà Nội
    AdminUnit.objects.filter(pk=ward.pk).update(boundary=MultiPolygon(far.buffer(0.01)))
    assert parts(ward.pk) == 1
    assert list(AdminUnit.objects.containing(far).values_list("pk", flat=True)) == [ward.pk]
    AdminUnit.objects.filter(pk=ward.pk).update(boundary=None)
    assert parts(ward.pk) == 0


def test_many_points_take_the_temporary_table_plan_with_the_same_answers():
    # Above a few dozen points the lookup goes through a temporary table with its own index;
    # the same points asked a few at a time (the per-point function, geodata 0013) must get
    # the same communes.
    rng = random.Random(7)
    xs = [rng.uniform(106.0, 107.5) for _ in range(2500)] + [106.74965]
    ys = [rng.uniform(21.3, 22.5) for _ in range(2500)] + [21.82561]
    many = communes_at_xy(xs, ys)
    few = [commune for start in range(0, len(xs), 30)
           for commune in communes_at_xy(xs[start:start + 30], ys[start:start + 30])]
    assert many == few and len(many) == len(xs)
    assert many[-1] == AdminUnit.objects.current().communes().get(code="05977").pk
    assert sum(1 for c in many if c) > 500 and None in many


def test_the_old_districts_set_wise_are_the_functions_also_just_outside_every_outline():
    """The old district of many points (the importer's set-wise plan) is what
    geodata_district_before_at gives one point at a time, also for points no outline covers,
    where the function takes the nearest district within about 2 km: points on a ring 0.004°
    to 0.03° outside the province's outline, and points inside it."""
    province = AdminUnit.objects.current().get(level=AdminUnit.Level.PROVINCE).boundary
    centre = province.centroid
    ring = max(province, key=lambda polygon: polygon.area).exterior_ring
    points = []
    for index in range(0, len(ring), max(1, len(ring) // 80)):
        x, y = ring[index]
        dx, dy = x - centre.x, y - centre.y
        norm = (dx * dx + dy * dy) ** 0.5
        for offset in (-0.05, 0.004, 0.01, 0.03):
            points.append((x + dx / norm * offset, y + dy / norm * offset))
    xs, ys = [x for x, _ in points], [y for _, y in points]
    many = districts_before_at_xy(xs, ys)
    few = [district for start in range(0, len(xs), 30)
           for district in districts_before_at_xy(xs[start:start + 30], ys[start:start + 30])]
    assert many == few and len(many) > 200
    covered = set(communes_at_xy(xs, ys))
    outside = [d for d, c in zip(many, communes_at_xy(xs, ys), strict=True) if c is None]
    assert covered and any(outside) and None in outside  # nearest within 2 km, none beyond
