"""Demo assets: real names, synthetic shapes, stable codes across reloads."""
import doctest
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

import assets.demo
from assets import codes
from assets.demo import SOURCE, demo_assets_load, heritage
from assets.models import Asset, IssuedCode
from geodata.demo import demo_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_assets_load(seed=demo_seed())
    return Asset.objects.filter(external_id__startswith="demo:")


def test_streets_have_real_names_and_synthetic_lines_in_the_city_wards(demo):
    streets = demo.filter(kind=Asset.Kind.STREET)
    assert streets.count() >= 25
    names = set(streets.values_list("name_vi", flat=True))
    for name in ("Đường Trần Đăng Ninh", "Đường Lê Lợi", "Phố Bà Triệu", "Đường Hùng Vương",
                 "Đường Lý Thái Tổ", "Đường Tam Thanh", "Phố Ngô Quyền", "Phố Tông Đản"):
        assert name in names
    for street in streets:
        assert street.shape.geom_type == "LineString" and len(street.shape) >= 2
        assert street.location.coords == street.shape.coords[0]
        assert street.commune.unit_type == "Phường"
    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FROM assets_asset a WHERE a.kind = 'street'
            AND NOT EXISTS (SELECT 1 FROM geodata_adminunit u WHERE u.unit_type = 'Phường'
                            AND u.valid_to IS NULL AND ST_Intersects(u.boundary, a.shape))""")
        assert cursor.fetchone()[0] == 0


def test_public_works_spread_over_several_communes(demo):
    works = demo.filter(kind=Asset.Kind.PUBLIC_WORK)
    assert works.count() >= 40
    assert works.values("commune").distinct().count() >= 10
    categories = set(works.values_list("category", flat=True))
    assert {"school", "market", "bridge", "clinic", "office", "bus_station"} <= categories
    station = works.get(name_vi="Bến xe phía Bắc Lạng Sơn")
    assert station.category == "bus_station" and station.commune.name == "Phường Kỳ Lừa"
    assert "gần đúng" in station.description_vi and "approximate" in station.description_en


def test_heritage_sites_are_real_unverified_and_described_in_three_languages(demo):
    sites = demo.filter(kind=Asset.Kind.HERITAGE)
    assert sites.count() >= 15
    names = set(sites.values_list("name_vi", flat=True))
    for name in ("Động Tam Thanh", "Chùa Tam Thanh", "Động Nhị Thanh", "Chùa Tiên",
                 "Thành nhà Mạc", "Đền Kỳ Cùng", "Đền Bắc Lệ", "Đền Mẫu Đồng Đăng",
                 "Khu di tích Chi Lăng", "Núi Mẫu Sơn", "Cửa khẩu Hữu Nghị",
                 "Khu di tích khởi nghĩa Bắc Sơn", "Chùa Thành", "Đền Tả Phủ", "Ải Chi Lăng",
                 "Hồ Phai Loạn"):
        assert name in names
    for site in sites:
        assert site.name_en and site.name_zh and site.commune is not None
        for text in (site.description_vi, site.description_en):
            assert 2 <= len(re.findall(r"[.!?](\s|$)", text)) <= 4, text
        assert 2 <= site.description_zh.count("。") <= 4
    assert sites.get(name_vi="Khu di tích Chi Lăng").heritage_rank == "special_national"
    assert sites.get(name_vi="Động Tam Thanh").commune.name == "Phường Tam Thanh"


def test_every_demo_asset_is_synthetic_unverified_with_a_valid_code(demo):
    assert demo.count() >= 80
    assert not demo.exclude(synthetic=True, source=SOURCE, position_verified=False).exists()
    assert all(codes.is_valid(code) for code in demo.values_list("code", flat=True))
    assert not demo.filter(commune__isnull=True).exists()


def test_loading_twice_issues_no_new_code_and_keeps_every_code(demo):
    before = dict(demo.values_list("external_id", "code"))
    issued = IssuedCode.objects.count()
    assert demo_assets_load(seed=demo_seed()).loaded is False
    assert demo_assets_load(seed=demo_seed(), force=True).loaded is True
    assert dict(demo.values_list("external_id", "code")) == before
    assert IssuedCode.objects.count() == issued


def test_changed_content_updates_in_place_with_history(demo, monkeypatch):
    tam_thanh = demo.get(external_id="demo:heritage:dong-tam-thanh")
    changed = [dict(site) for site in heritage.HERITAGE]
    changed[0]["name"] = ("Động Tam Thanh", "Tam Thanh Grotto", "三清洞")
    monkeypatch.setattr(heritage, "HERITAGE", changed)
    assert demo_assets_load(seed=demo_seed()).loaded is True
    updated = Asset.objects.get(pk=tam_thanh.pk)
    assert (updated.code, updated.name_en) == (tam_thanh.code, "Tam Thanh Grotto")
    assert updated.history.count() == 2


def test_command_loads_everything_and_is_quiet_the_second_time():
    out = StringIO()
    call_command("qrmap_load_demo", stdout=out)
    assert "heritage 19" in out.getvalue() and "hamlets 1650" in out.getvalue()
    codes_before = IssuedCode.objects.count()
    out = StringIO()
    call_command("qrmap_load_demo", stdout=out)
    assert out.getvalue().count("already loaded") == 3
    assert IssuedCode.objects.count() == codes_before


def test_slug_doctest():
    assert doctest.testmod(assets.demo).failed == 0


def test_demo_photos_are_drawn_once_and_say_they_are_synthetic(demo, settings, tmp_path):
    from assets.demo.photos import CAPTIONS, SITES, demo_photos_add
    from assets.models import AssetPhoto

    settings.MEDIA_ROOT = tmp_path
    assert demo_photos_add() == len(SITES) == 2
    assert demo_photos_add() == 0  # idempotent
    photos = AssetPhoto.objects.filter(asset__external_id__in=SITES)
    assert photos.count() == 2
    for photo in photos:
        assert photo.caption_vi == CAPTIONS["caption_vi"] and photo.status == "done"
        assert "không phải ảnh chụp thật" in photo.caption_vi and "并非实拍" in photo.caption_zh
        assert photo.asset.synthetic and photo.thumb_webp and photo.thumb_jpeg.size <= 30 * 1024
