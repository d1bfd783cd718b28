"""Query parameters both open-data doors read: one bbox rule, one refusal of unknown names,
the same answer from /api/ (DRF 400) and /ogc/ (OGC exception)."""
import doctest

import pytest
from rest_framework.test import APIClient

from geodata import params
from geodata.params import ParamError, bbox_parse, params_refuse_unknown


def test_doctests():
    assert doctest.testmod(params).failed == 0


def test_bbox_order_and_3d_boxes():
    assert bbox_parse("106.7, 21.8, 106.8, 21.9").extent == (106.7, 21.8, 106.8, 21.9)
    assert bbox_parse("106.7,21.8,0,106.8,21.9,500").extent == (106.7, 21.8, 106.8, 21.9)


@pytest.mark.parametrize("text", [
    "1,2,3", "a,b,c,d", "nan,21,107,22", "106,21,inf,22", "106,21,107,-inf", "0,95,1,96",
    "181,21,182,22", "107,22,106,21", "106,22,107,21", "106,21\x00,107,22", "\x00", "",
    "1,2,3,4,5", "106;21;107;22",
])
def test_bad_boxes_are_value_errors_naming_the_parameter(text):
    with pytest.raises(ValueError) as raised:
        bbox_parse(text, parameter="box")
    assert isinstance(raised.value, ParamError) and raised.value.parameters == ["box"]
    assert raised.value.message


def test_unknown_parameters_are_all_named_and_the_known_listed():
    params_refuse_unknown({"kind": "x"}, {"kind", "bbox"})
    with pytest.raises(ParamError) as raised:
        params_refuse_unknown({"kinds": "x", "colour": "red", "bbox": "1"}, {"kind", "bbox"})
    assert raised.value.parameters == ["colour", "kinds"]
    assert "bbox, kind" in raised.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("query, parameter", [
    ("bbox=106,21,inf,22", "bbox"), ("bbox=106,21%00,107,22", "bbox"),
    ("bbox=107,22,106,21", "bbox"), ("colour=red", "colour"),
])
def test_api_and_ogc_refuse_alike(query, parameter):
    client = APIClient()
    api = client.get(f"/api/assets/?{query}")
    ogc = client.get(f"/ogc/collections/assets/items?{query}")
    assert api.status_code == ogc.status_code == 400
    assert ogc.json()["parameter"] == parameter
    # The same reason (the known parameters differ: the API has more filters).
    assert api.json()[parameter][0].split(":")[0] == ogc.json()["description"].split(":")[0]


@pytest.mark.django_db
def test_nul_in_an_ogc_filter_is_a_400():
    response = APIClient().get("/ogc/collections/assets/items?kind=%00")
    assert response.status_code == 400 and response.json()["parameter"] == "kind"
