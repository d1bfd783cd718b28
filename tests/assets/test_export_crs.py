"""Exports in VN-2000 TM-3 (the province's cadastral zone): the GeoPackage carries EPSG:9215
and imports back through the importer, which reads the system from the file, unchanged; the
CSV has easting/northing and crs columns that agree with pyproj."""
import csv
import io
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.utils import translation
from pyproj import Transformer

from assets.importers.exports import export_file
from assets.importers.run import import_file
from assets.models import Asset
from tests.assets.test_ogc_crs import LANG_SON_TM3
from tests.factories import UserFactory

DATA = Path(__file__).parents[1] / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def heritage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        import_file(path=DATA / "heritage.gpkg", layer="assets", commit=True)
        import_file(path=DATA / "shapes_broken.geojson", layer="assets", commit=True,
                    commit_good_rows=True)
        assert Asset.objects.filter(shape__isnull=False).exists()
        yield {a.code: (a.location, a.shape) for a in Asset.objects.all()}


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_tm3_file_imports_back_unchanged_within_a_centimetre(heritage, tmp_path, fmt):
    admin = UserFactory(is_staff=True, is_superuser=True)
    path = tmp_path / f"assets-tm3.{fmt}"
    path.write_bytes(export_file(layer="assets", fmt=fmt, user=admin, params={"srid": "9215"}))
    layer = DataSource(str(path))[0]
    assert layer.srs.srid == 9215 and "+towgs84=-191.9044" in layer.srs.proj
    first = next(iter(layer)).geom
    easting, northing = first.x, first.y
    assert 400_000 < easting < 600_000 and 2_300_000 < northing < 2_500_000
    plan = import_file(path=path, layer="assets", commit=True)
    assert plan.crs.source == "file" and plan.crs.srs.srid == 9215
    assert plan.counts == {"new": 0, "updated": 0, "unchanged": len(heritage), "refused": 0}
    for code, (location, shape) in heritage.items():
        after = Asset.objects.get(code=code)
        assert location.distance(after.location) * 111_000 < 0.01
        assert shape == after.shape


def test_csv_in_tm3_has_easting_northing_and_crs_columns(heritage):
    admin = UserFactory(is_staff=True, is_superuser=True)
    text = export_file(layer="assets", fmt="csv", user=admin,
                       params={"srid": "9215"}).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(heritage) and "lon" not in rows[0]
    to_tm3 = Transformer.from_crs("EPSG:4326", LANG_SON_TM3, always_xy=True)
    for row in rows:
        assert row["crs"] == "EPSG:9215"
        location = heritage[row["code"]][0]
        expected = to_tm3.transform(location.x, location.y)
        assert (float(row["easting"]), float(row["northing"])) == pytest.approx(expected,
                                                                                abs=0.01)
    with pytest.raises(ValueError, match="srid"):
        export_file(layer="assets", fmt="csv", user=admin, params={"srid": "99999"})


def test_staff_screen_offers_the_zone_first_and_refuses_a_bad_srid(heritage, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/staff/import/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    options = page.split('name="srid"')[1].split("</select>")[0]
    assert options.index('value="9215"') < options.index('value="4326" selected')
    csv_text = client.get("/staff/import/export/assets.csv?srid=9215").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].endswith("easting,northing,crs")
    for bad in ("99999", "abc", "9215%00"):
        response = client.get(f"/staff/import/export/assets.csv?srid={bad}")
        assert response.status_code == 400 and b"srid" in response.content
