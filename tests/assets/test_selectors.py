"""Public reads: resolving codes, nearest assets, search, addresses."""
import pytest
from django.contrib.gis.geos import Point, Polygon

from assets import codes
from assets.models import Asset
from assets.selectors import (
    address_at_point,
    asset_filter,
    asset_nearest,
    asset_search,
    code_resolve,
    code_suggestions,
)
from tests.assets.staff_fixtures import inside
from tests.factories import AssetFactory, PlaqueFactory

pytestmark = pytest.mark.django_db


def test_code_resolve_reads_forgiving_input_for_assets_and_plaques():
    asset = AssetFactory()
    plaque = PlaqueFactory(asset=asset)
    typed = codes.group(asset.code).lower().replace("0", "o").replace("1", "l")
    assert code_resolve(code=typed).asset == asset
    found = code_resolve(code=f" {plaque.code[:4]} {plaque.code[4:]} ".lower())
    assert found.asset == asset and found.plaque == plaque and found.code == plaque.code
    assert code_resolve(code="nope") is None


def test_code_suggestions_name_the_existing_code_one_typo_away():
    asset = AssetFactory()
    i = 2
    wrong = asset.code[:i] + ("X" if asset.code[i] != "X" else "Y") + asset.code[i + 1:]
    assert [s.code for s in code_suggestions(code=wrong)] == [asset.code]


def test_asset_nearest_orders_by_true_distance_and_skips_retired():
    here = Point(106.7615, 21.8530, srid=4326)
    # 0.010° east is ~1,030 m at 21.85°N; 0.0098° north is ~1,085 m: degree order would
    # rank the northern one first if the east-west stretch were ignored... both are kept
    # and the result is sorted by metres.
    east = AssetFactory(location=Point(106.7715, 21.8530, srid=4326))
    north = AssetFactory(location=Point(106.7615, 21.8628, srid=4326))
    near = AssetFactory(location=Point(106.7625, 21.8531, srid=4326))
    AssetFactory(location=Point(106.7616, 21.8530, srid=4326), status=Asset.Status.RETIRED)
    found = asset_nearest(point=here, limit=3)
    assert [a.pk for a in found] == [near.pk, east.pk, north.pk]
    assert 95 < found[0].distance_m < 115
    assert 1000 < found[1].distance_m < 1060


def test_asset_nearest_excludes_the_asset_itself():
    asset = AssetFactory()
    other = AssetFactory()
    assert [a.pk for a in asset_nearest(point=asset.location, exclude_pk=asset.pk)] == [other.pk]


def test_search_ignores_accents_and_case_in_vietnamese_names():
    cave = AssetFactory(name_vi="Động Tam Thanh", name_en="Tam Thanh Cave", name_zh="三清洞")
    AssetFactory(name_vi="Chợ Đông Kinh")
    assert asset_search(query="dong tam thanh") == [cave]
    assert asset_search(query="ĐỘNG TAM") == [cave]
    assert asset_search(query="tam thanh cave") == [cave]
    assert asset_search(query="三清") == [cave]
    assert {a.name_vi for a in asset_search(query="đông")} == {"Động Tam Thanh", "Chợ Đông Kinh"}
    assert asset_search(query="   ") == []


def test_address_today_and_before_the_reform_in_lang_son_city(geography):
    addresses = address_at_point(point=Point(106.7615, 21.8530, srid=4326))
    assert "Lạng Sơn" in addresses.today
    assert addresses.today.startswith("Phường")
    assert "thành phố Lạng Sơn" in addresses.before_reform
    english = address_at_point(point=Point(106.7615, 21.8530, srid=4326), language="en")
    assert "Ward" in english.today and "Province" in english.today


def test_a_point_in_a_sliver_between_old_districts_gets_the_nearest_one(geography):
    """_nearest once passed metres to DWithin on a 4326 geometry: ValueError, a 500."""
    from geodata.models import AdminUnit
    from geodata.selectors import _nearest

    districts = AdminUnit.objects.before_reform().districts()
    district = districts.order_by("code").first()
    inside_it = district.boundary.point_on_surface
    assert _nearest(districts, inside_it).pk == district.pk
    # 200 m east of the province's easternmost point: within the tolerance; 2 km: not.
    east = max(districts, key=lambda d: d.boundary.extent[2])
    x_max = east.boundary.extent[2]
    tip = min((c for ring in east.boundary.coords for part in ring for c in part
               if c[0] == x_max), key=lambda c: c[1])
    assert _nearest(districts, Point(tip[0] + 0.0019, tip[1], srid=4326)).pk == east.pk
    assert _nearest(districts, Point(tip[0] + 0.019, tip[1], srid=4326)) is None


def test_asset_filter_combines_the_filters_and_ignores_empty_ones(communes):
    a, b = communes
    school = AssetFactory(name_vi="Trường Đông Kinh", location=inside(a))
    bridge = AssetFactory(name_vi="Cầu Kỳ Lừa", category=Asset.Category.BRIDGE,
                          location=inside(b), position_verified=True)
    AssetFactory(name_vi="Cầu cũ", category=Asset.Category.BRIDGE, location=inside(b),
                 status=Asset.Status.RETIRED)

    def codes_of(**filters):
        return sorted(asset_filter(**filters).values_list("code", flat=True))

    assert len(codes_of()) == len(codes_of(kind="", commune="", verified=None)) == 3
    assert codes_of(category="bridge", status="active") == [bridge.code]
    assert codes_of(commune=f" {a.code} ") == [school.code]
    assert codes_of(verified=True) == [bridge.code]
    assert codes_of(name="cau ky  lua") == [bridge.code]  # accents optional
    assert codes_of(name="\x00") == codes_of()
    here = inside(a)
    box = Polygon.from_bbox((here.x - 0.001, here.y - 0.001, here.x + 0.001, here.y + 0.001))
    box.srid = 4326
    assert codes_of(bbox=box) == [school.code]
    only_b = Asset.objects.filter(commune=b)
    assert len(asset_filter(only_b, category="bridge")) == 2


def test_asset_search_ignores_nul_and_blank_queries():
    AssetFactory(name_vi="Chợ Kỳ Lừa")
    assert asset_search(query="\x00") == asset_search(query="   ") == []
    assert [a.name_vi for a in asset_search(query="cho ky\x00lua")] == ["Chợ Kỳ Lừa"]
