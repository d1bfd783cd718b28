"""GDAL (Debian's gdal-bin) reads the OGC API – Features service of a live server the way
QGIS does: ogrinfo lists every collection with its count, ogr2ogr copies a whole layer."""
import os
import re
import shutil
import subprocess

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point
from django.core.cache import cache

from assets.models import Asset
from geodata.models import AdminUnit, CellSite, Hamlet
from tests.factories import AssetFactory, CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db(transaction=True)

# More than a few pages at GDAL's default page size, with names in all three scripts.
ASSETS = 137


def _gdal(*args):
    tool = shutil.which(args[0])
    if tool is None:
        pytest.fail(f"{args[0]} is missing: `make test` installs Debian's gdal-bin.")
    # Only the local server: no proxy may intercept 127.0.0.1.
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    result = subprocess.run([tool, *args[1:]], capture_output=True, text=True, timeout=240,
                            env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def layers(geography):
    cache.clear()
    for i in range(ASSETS):
        AssetFactory(
            name_vi=f"Đường số {i}", name_zh=f"第{i}街", kind=Asset.Kind.STREET,
            category=Asset.Category.STREET,
            location=Point(106.74 + (i % 12) * 0.003, 21.84 + (i // 12) * 0.002, srid=4326),
        )
    for i in range(23):
        HamletFactory(name=f"Bản {i}", location=Point(106.3 + i * 0.01, 22.0, srid=4326))
    for _ in range(4):
        CellSiteFactory()
    return {
        "assets": Asset.objects.count(),
        "hamlets": Hamlet.objects.count(),
        "cellsites": CellSite.objects.count(),
        "communes": AdminUnit.objects.current().communes().count(),
        "districts-before-2025": AdminUnit.objects.districts().count(),
        "communes-before-2025": AdminUnit.objects.communes().filter(
            valid_to__isnull=False).count(),
    }


def test_ogrinfo_lists_every_collection_with_its_count(live_server, layers):
    out = _gdal("ogrinfo", "-ro", "-al", "-so", f"OAPIF:{live_server.url}/ogc")
    names = re.findall(r"^Layer name: (\S+)$", out, flags=re.M)
    counts = [int(n) for n in re.findall(r"^Feature Count: (\d+)$", out, flags=re.M)]
    assert dict(zip(names, counts, strict=True)) == layers
    assert layers["assets"] == ASSETS and layers["communes"] == 65


def test_ogr2ogr_copies_every_asset_to_a_geopackage(live_server, layers, tmp_path):
    target = tmp_path / "assets.gpkg"
    _gdal("ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{live_server.url}/ogc", "assets")
    layer = DataSource(str(target))[0]
    assert len(layer) == ASSETS
    copied = {feature.get("code"): feature for feature in layer}
    assert set(copied) == set(Asset.objects.values_list("code", flat=True))
    sample = Asset.objects.get(name_vi="Đường số 42")
    feature = copied[sample.code]
    assert feature.get("name_zh") == "第42街"
    assert feature.geom.x == pytest.approx(sample.location.x)
    assert feature.geom.y == pytest.approx(sample.location.y)
    assert layer.srs.srid == 4326
