"""Query parameters both open-data doors read: one bbox rule, one refusal of unknown names,
the same answer from /api/ (DRF 400) and /ogc/ (OGC exception)."""
import doctest

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st
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


# --- Issue #11: every malformed value is a ParamError naming its parameter -----------------

@pytest.mark.parametrize("text", ["2025-07-01T00:00:00+15:59", "2025-07-01T00:00:00-15:59",
                                  "2025-07-01T00:00:00Z", "2025-07-01t00:00:00.123456789z",
                                  "0001-01-01T00:00:00+14:00", "2024-02-29T23:59:59-12:00"])
def test_rfc_3339_instants_with_offsets_postgresql_takes(text):
    assert params.datetime_parse(text, parameter="t").tzinfo is not None


@pytest.mark.parametrize("text, reason", [
    ("2025-07-01T00:00:00+16:00", "UTC offset"), ("2025-07-01T00:00:00+99:00", "UTC offset"),
    ("2025-07-01T00:00:00-23:59", "UTC offset"), ("", "Empty"),
    ("2025-07-01T00:00:00 07:00", "%2B"), ("2025-07-01", "RFC 3339"),
    ("2025-07-01T00:00:00", "RFC 3339"), ("2025-02-29T00:00:00Z", "RFC 3339"),
    ("2025-13-01T00:00:00Z", "RFC 3339"), ("2025-07-01T00:00:00Z\x00", "RFC 3339"),
])
def test_bad_instants_say_why(text, reason):
    with pytest.raises(ParamError) as raised:
        params.datetime_parse(text, parameter="updated_since")
    assert raised.value.parameters == ["updated_since"] and reason in raised.value.message


def test_nul_is_refused_in_names_every_value_and_path_parameters():
    query = QueryDict("kind=street&kind=a%00b&ok=1&b%00=2")
    with pytest.raises(ParamError) as raised:
        params.params_refuse_nul(query, {"code": "7PJ2QXRF"})
    assert raised.value.parameters == ["b\x00", "kind"]
    with pytest.raises(ParamError) as raised:
        params.params_refuse_nul(QueryDict(""), {"feature_id": "1\x00"})
    assert raised.value.parameters == ["feature_id"]
    params.params_refuse_nul(QueryDict("q=cầu"), {"code": "7PJ2-QXRF"})


def test_empty_values_are_refused_by_name():
    with pytest.raises(ParamError) as raised:
        params.params_refuse_empty(QueryDict("kind=street&kind=&q=&page=2"))
    assert raised.value.parameters == ["kind", "q"]


@pytest.mark.parametrize("text", ["", "0", "1001", "-1", "+5", "٣", "1.0", " 5", "9" * 5000])
def test_whole_numbers_are_ascii_digits_in_range(text):
    with pytest.raises(ParamError):
        params.int_parse(text, parameter="page_size", low=1, high=1000)


def test_numbers_take_json_syntax_only():
    assert params.number_parse("1e-05", parameter="dist", low=0, high=10) == 1e-05
    for text in ("", "nan", "inf", "1_0", "٣", " 5", "05", "11"):
        with pytest.raises(ParamError):
            params.number_parse(text, parameter="dist", low=0, high=10)


@pytest.mark.parametrize("wkt, reason", [
    ("POINT Z (106.7 21.8 5)", "2-D"), ("POINT M (106.7 21.8 5)", "2-D"),
    ("POINT (nan 21.8)", "finite"), ("LINESTRING (106.7 21.8, 106.8 nan)", "finite"),
    ("SRID=3857;POINT (106.7 21.8)", "EPSG:4326"), ("POINT EMPTY", "empty"),
    ("LINESTRING (106.7 21.8, 200 21.9)", "Longitude"), ("POINT (106.7 95)", "Longitude"),
])
def test_written_geometries_are_2d_finite_wgs84(wkt, reason):
    with pytest.raises(ParamError) as raised:
        params.geometry_check(GEOSGeometry(wkt), parameter="shape")
    assert raised.value.parameters == ["shape"] and reason in raised.value.message
    params.geometry_check(GEOSGeometry("SRID=4326;LINESTRING (106.7 21.8, 106.8 21.9)"),
                          parameter="shape")


@settings(max_examples=200, derandomize=True)
@given(st.from_regex(params.BBOX_PATTERN, fullmatch=True))
def test_what_the_bbox_pattern_matches_the_parser_takes(text):
    """The pattern the schema publishes and the parser agree (the order of the ends is the
    one rule the pattern cannot state)."""
    try:
        params.bbox_parse(text)
    except ParamError as error:
        assert "minimum" in error.message


@settings(max_examples=200, derandomize=True)
@given(st.from_regex(params.POINT_PATTERN, fullmatch=True))
def test_what_the_point_pattern_matches_the_parser_takes(text):
    params.point_parse(text)


@settings(max_examples=300, derandomize=True)
@given(st.from_regex(params.DATETIME_PATTERN, fullmatch=True))
def test_what_the_datetime_pattern_matches_the_parser_takes(text):
    params.datetime_parse(text, parameter="updated_since")
