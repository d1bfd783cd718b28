"""Several provinces in one installation: every unit knows its province, imports refuse
points outside every loaded province, and coverage figures never sum two provinces."""
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from geodata.coverage import coverage_figures
from geodata.coverage.figures import coverage_province_figures
from geodata.importers.engine import import_plan
from geodata.importers.geolayers import HamletLayer
from geodata.importers.sources import source_open
from geodata.models import AdminUnit, Hamlet
from geodata.selectors import province_home
from geodata.unit_lookup import units_at_xy
from tests.factories import HamletFactory
from tests.second_province import CODE, square

pytestmark = pytest.mark.django_db


def test_every_loaded_unit_knows_its_province(geography):
    lang_son = AdminUnit.objects.get(level="province", code="20")
    assert lang_son.province_id == lang_son.pk
    # Districts and communes of both periods, whatever their parent chain.
    others = AdminUnit.objects.exclude(level="province")
    assert others.count() > 250
    assert set(others.values_list("province_id", flat=True)) == {lang_son.pk}
    assert province_home() == lang_son


def test_a_second_province_and_its_communes(second_province):
    x = second_province
    assert x.province.province_id == x.province.pk
    assert {c.province_id for c in x.communes} == {x.province.pk}
    point = x.point(3)
    lang_son_point = Point(106.7612, 21.8547)  # Lạng Sơn city
    (commune, province), (ls_commune, ls_province) = units_at_xy(
        [point.x, lang_son_point.x], [point.y, lang_son_point.y])
    assert (commune, province) == (x.communes[3].pk, x.province.pk)
    assert ls_province == province_home().pk and ls_commune is not None
    # Outside every commune and every province: nothing.
    assert units_at_xy([100.0], [10.0]) == [(None, None)]


def test_a_unit_imported_without_parent_takes_the_province_that_holds_it(second_province):
    orphan = AdminUnit.objects.create(level="commune", code="00999", name="Xã mồ côi",
                                      boundary=square(104.95, 22.75, 0.02))
    orphan.refresh_from_db()
    assert orphan.province_id == second_province.province.pk


def test_a_province_loaded_after_its_communes_adopts_them(geography):
    commune = AdminUnit.objects.create(level="commune", code="00998", name="Xã đến trước",
                                       boundary=square(104.95, 22.75, 0.02))
    commune.refresh_from_db()
    assert commune.province_id is None
    province = AdminUnit.objects.create(level="province", code=CODE, name="Tỉnh đến sau",
                                        boundary=square(104.9, 22.7, 0.2))
    commune.refresh_from_db()
    assert commune.province_id == province.pk


def test_coverage_figures_never_sum_two_provinces(second_province):
    x = second_province
    HamletFactory(location=Point(106.7612, 21.8547, srid=4326), mobile_status="no",
                  broadband_status="no", population=500)
    for i in range(3):
        HamletFactory(location=x.point(i), mobile_status="no", broadband_status="no",
                      population=1000)
    assert set(Hamlet.objects.values_list("commune__province__code", flat=True)) == {"20", CODE}
    home = coverage_figures()
    assert home.province.code == "20"
    assert (home.province.hamlets, home.province.population) == (1, 500)
    assert {c.code for c in home.communes}.isdisjoint({c.code for c in x.communes})
    assert coverage_province_figures().hamlets == 1
    other = coverage_figures(province=x.province)
    assert other.province.code == CODE
    assert (other.province.hamlets, other.province.mobile_gap_hamlets) == (3, 3)
    assert sorted(c.code for c in other.communes) == sorted(c.code for c in x.communes)
    # It had no districts before 2025 in this test: its hamlets sum under "no district",
    # none under a district of Lạng Sơn.
    assert [(d.code, d.hamlets) for d in other.districts] == [("", 3)]
    # One commune of the second province: its own figures, labelled with its province.
    one = coverage_figures(commune=x.communes[0])
    assert one.province.code == CODE and one.province.hamlets == 1


HAMLETS = """Tên thôn;Số hộ;Dân số;Vĩ độ;Kinh độ;3G/4G;Băng rộng;Mã
Thôn Nà Pàn;1.234;4.100;21,8530;106,7615;có;không;H-1
Thôn tỉnh thứ hai;85;330;22,75;104,95;không;chưa rõ;H-2
Thôn ngoài mọi tỉnh;10;40;21,0285;105,8542;có;có;H-3
"""


def test_import_takes_every_loaded_province_and_refuses_points_outside_all(
        second_province, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(HAMLETS, encoding="utf-8")
    plan = import_plan(table=source_open(path, workdir=tmp_path), layer=HamletLayer())
    assert plan.counts == {"new": 2, "updated": 0, "unchanged": 0, "refused": 1}
    assert plan.refused[0].messages == [
        "outside every loaded province (105.85420, 21.02850)"]


def test_a_province_loaded_by_the_units_import_layer(geography, tmp_path):
    """The README's way: one file with the outline and the communes, communes first."""
    features = [(code, name, level, square(*corner, side))
                for code, name, level, corner, side in [
                    ("00701", "Xã Một", "xã", (104.9, 22.7), 0.1),
                    ("00702", "Phường Hai", "phường", (105.0, 22.7), 0.1),
                    (CODE, "Tỉnh Thử Nghiệm", "tỉnh", (104.9, 22.7), 0.2)]]
    path = tmp_path / "units.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ma": code, "ten": name, "cap": level},
         "geometry": json.loads(shape.json)} for code, name, level, shape in features]}),
        encoding="utf-8")
    call_command("qrmap_import", str(path), "--layer", "units", "--commit",
                 stdout=io.StringIO())
    province = AdminUnit.objects.get(level="province", code=CODE)
    communes = AdminUnit.objects.filter(code__in=["00701", "00702"])
    assert {(c.level, c.province_id) for c in communes} == {("commune", province.pk)}
    assert province.province_id == province.pk
    point = communes.get(code="00702").boundary.point_on_surface
    assert units_at_xy([point.x], [point.y]) == [(communes.get(code="00702").pk, province.pk)]


def test_units_at_xy_agree_on_the_set_wise_path(second_province):
    """Above 2,000 points the communes come from the set-wise plan; the provinces follow."""
    x = second_province
    here, there = x.point(1), Point(106.7612, 21.8547)
    xs = [here.x, there.x, 100.0] * 700
    ys = [here.y, there.y, 10.0] * 700
    found = units_at_xy(xs, ys)
    assert len(found) == 2100
    lang_son = province_home().pk
    assert set(found[0::3]) == {(x.communes[1].pk, x.province.pk)}
    assert {province for _commune, province in found[1::3]} == {lang_son}
    assert set(found[2::3]) == {(None, None)}
