"""Plus codes of asset locations: full, short against the nearest town, and parsing."""
from assets import pluscodes
from assets.pluscodes import Town

LANG_SON = Town("Lạng Sơn", 21.85264, 106.76101)
DONG_DANG = Town("Đồng Đăng", 21.94156, 106.70171)


def test_full_code_of_a_point_in_lang_son_city():
    assert pluscodes.plus_code_full(lat=21.8530, lon=106.7615) == "7PH8VQ36+6J"


def test_short_code_drops_four_symbols_and_names_the_nearest_town():
    towns = [DONG_DANG, LANG_SON]
    assert pluscodes.plus_code_short(lat=21.8530, lon=106.7615, towns=towns) == (
        "VQ36+6J", "Lạng Sơn")
    short, town = pluscodes.plus_code_short(lat=21.9400, lon=106.7000, towns=towns)
    assert town == "Đồng Đăng" and len(short) == 7


def test_short_code_is_omitted_when_the_town_is_too_far():
    assert pluscodes.plus_code_short(lat=10.77, lon=106.70, towns=[LANG_SON]) is None


def test_the_bundled_towns_include_the_province_capital():
    names = {t.name for t in pluscodes.reference_towns()}
    assert "Lạng Sơn" in names and len(names) >= 10


def test_parse_full_and_short_codes_back_to_the_point():
    lat, lon = pluscodes.plus_code_parse("7PH8VQ36+6J")
    assert abs(lat - 21.8530) < 0.0002 and abs(lon - 106.7615) < 0.0002
    for text in ("VQ36+6J Lạng Sơn", "vq36+6j lang son", "VQ36+6J"):
        lat, lon = pluscodes.plus_code_parse(text, towns=[DONG_DANG, LANG_SON])
        assert abs(lat - 21.8530) < 0.0002 and abs(lon - 106.7615) < 0.0002, text


def test_parse_refuses_what_is_not_a_plus_code():
    assert pluscodes.plus_code_parse("Động Tam Thanh") is None
    assert pluscodes.plus_code_parse("") is None
