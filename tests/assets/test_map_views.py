"""The assets map at /maps/assets/: clustered canvas layers per kind, filters, focus."""
import re

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from assets.models import Asset
from geodata.models import AdminUnit
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assets(geography):
    made = {
        "street": AssetFactory(kind=Asset.Kind.STREET, category=Asset.Category.STREET,
                               name_vi="Đường Trần Đăng Ninh", name_en="Tran Dang Ninh Street"),
        "school": AssetFactory(kind=Asset.Kind.PUBLIC_WORK, category=Asset.Category.SCHOOL),
        "temple": AssetFactory(kind=Asset.Kind.HERITAGE, category=Asset.Category.TEMPLE,
                               name_vi="Đền Bắc Lệ", location=Point(106.6372, 21.6389)),
    }
    made["retired"] = AssetFactory(status=Asset.Status.RETIRED, name_vi="Chợ cũ")
    return made


def script_of(response):
    return response.content.decode()


def test_asset_map_draws_one_clustered_layer_per_kind(client, assets):
    html = script_of(client.get(reverse("maps:assets")))
    assert html.count("QRMap.assets(") == 3
    for key in ("street", "school", "temple"):
        assert f'"{assets[key].code}"' in html
    assert assets["retired"].code not in html
    assert "leaflet.markercluster.js" in html and "leaflet.featuregroup.subgroup.js" in html
    assert "QRMap.outlines(" in html  # outlines show where things are without tiles
    hosts = {u for u in re.findall(r"https?://[^/\"']+", html)}
    assert hosts <= {"https://tile.openstreetmap.org", "https://www.openstreetmap.org"}


def test_filters_by_kind_category_and_commune(client, assets):
    html = script_of(client.get(reverse("maps:assets"), {"kind": "heritage"}))
    assert assets["temple"].code in html and assets["street"].code not in html
    html = script_of(client.get(reverse("maps:assets"), {"category": "school"}))
    assert assets["school"].code in html and assets["temple"].code not in html
    commune = assets["temple"].commune
    assert commune is not None
    html = script_of(client.get(reverse("maps:assets"), {"commune": commune.code}))
    assert assets["temple"].code in html and assets["street"].code not in html
    other = AdminUnit.objects.current().communes().exclude(pk=commune.pk).first()
    html = script_of(client.get(reverse("maps:assets"), {"commune": other.code}))
    assert assets["temple"].code not in html


def test_focus_takes_a_forgiving_code_and_opens_that_asset(client, assets):
    code = assets["temple"].code
    typed = f"{code[:4]}-{code[4:]}".lower()
    html = script_of(client.get(reverse("maps:assets"), {"focus": typed}))
    assert f'QRMap.focusAsset("{code}")' in html
    assert "Đền Bắc Lệ" in html.split("</h1>")[0]
    html = script_of(client.get(reverse("maps:assets"), {"focus": "nonsense"}))
    assert "QRMap.focusAsset" not in html


def test_names_follow_the_language_and_popups_link_to_the_asset_page(client, assets):
    html = script_of(client.get(reverse("maps:assets"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Tran Dang Ninh Street" in html
    html = script_of(client.get(reverse("maps:assets"), HTTP_ACCEPT_LANGUAGE="vi"))
    assert "Đường Trần Đăng Ninh" in html
    assert re.search(r'"link":\s*"/a/"', html)
