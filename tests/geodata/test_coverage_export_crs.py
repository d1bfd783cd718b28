"""The planner's coverage exports in VN-2000 TM-3: hamlet positions as easting/northing that
agree with pyproj (published datum shift) within 1 cm, commune outlines in metres."""
import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyproj import Transformer

from geodata.models import Availability
from tests.assets.test_ogc_crs import LANG_SON_TM3
from tests.factories import HamletFactory
from tests.geodata.test_views import planner  # noqa: F401

pytestmark = pytest.mark.django_db


def test_gap_list_and_outlines_in_tm3(planner, geography):  # noqa: F811
    places = [(106.76, 21.85), (106.62, 21.95), (107.05, 22.12)]
    made = {HamletFactory(location=Point(*xy, srid=4326), mobile_status=Availability.NO).name: xy
            for xy in places}
    response = planner.get(reverse("planning:export", args=["gaps", "csv"]), {"srid": "9215"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and "lon" not in rows[0]
    to_tm3 = Transformer.from_crs("EPSG:4326", LANG_SON_TM3, always_xy=True)
    for row in rows:
        assert row["crs"] == "EPSG:9215"
        expected = to_tm3.transform(*made[row["name"]])
        assert (float(row["easting"]), float(row["northing"])) == pytest.approx(expected,
                                                                                abs=0.01)
    gaps = json.loads(planner.get(reverse("planning:export", args=["gaps", "geojson"]),
                                  {"srid": "9215"}).content)
    assert gaps["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::9215"
    assert {tuple(f["geometry"]["coordinates"]) for f in gaps["features"]} == {
        (float(r["easting"]), float(r["northing"])) for r in rows}
    communes = json.loads(planner.get(reverse("planning:export", args=["communes", "geojson"]),
                                      {"commune": "05977", "srid": "9215"}).content)
    easting, northing = communes["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 400_000 < easting < 600_000 and 2_300_000 < northing < 2_500_000
    bad = planner.get(reverse("planning:export", args=["gaps", "csv"]), {"srid": "3857"})
    assert bad.status_code == 400 and b"srid" in bad.content
    out = io.StringIO()
    call_command("qrmap_coverage", "--list", "gaps", "--format", "csv", "--srid", "9215",
                 stdout=out)
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == rows
    with pytest.raises(CommandError, match="srid"):
        call_command("qrmap_coverage", "--format", "csv", "--srid", "3857", stdout=out)
