"""The language table, the ?lang= and Accept-Language picks, and the content fallback."""
import doctest
from types import SimpleNamespace

import pytest

from qrmap import i18n
from qrmap.i18n import language_from_header, language_parse, language_pick, localized


def test_doctests():
    assert doctest.testmod(i18n).failed == 0


def test_the_table_follows_settings_languages(settings):
    assert [(x.code, x.short, x.suffix) for x in i18n.languages()] == [
        ("vi", "vi", "vi"), ("en", "en", "en"), ("zh-hans", "zh", "zh")]
    settings.LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
    assert language_parse("zh") is None and language_parse("en") == "en"


@pytest.mark.parametrize("text, code", [
    ("vi", "vi"), (" EN ", "en"), ("zh", "zh-hans"), ("zh-hans", "zh-hans"),
    ("zh-CN", "zh-hans"), ("fr", None), ("", None), (None, None), ("\x00", None),
])
def test_every_accepted_spelling(text, code):
    assert language_parse(text) == code


@pytest.mark.parametrize("header, code", [
    ("en-US,en;q=0.9", "en"), ("fr;q=1,vi;q=0.5", "vi"), ("zh-TW", "zh-hans"),
    ("fr, de", None), ("", None), ("*", None),
])
def test_accept_language_by_main_subtag(header, code):
    assert language_from_header(header) == code


def test_the_asked_language_wins_then_the_header_then_vietnamese():
    assert language_pick(asked="zh", header="en") == ("zh-hans", True)
    assert language_pick(asked="fr", header="en-GB") == ("en", False)
    assert language_pick(asked=None, header="fr") == ("vi", False)


def test_blank_or_whitespace_falls_back_to_vietnamese_in_any_spelling():
    asset = SimpleNamespace(name_vi="Chùa Tam Thanh", name_en="  ", name_zh="三清寺")
    assert localized(asset, "name", "en") == ("Chùa Tam Thanh", True)
    assert localized(asset, "name", "zh") == localized(asset, "name", "zh-hans") == (
        "三清寺", False)
    assert localized(asset, "name", "vi") == ("Chùa Tam Thanh", False)
    assert localized(asset, "name", "fr") == ("Chùa Tam Thanh", False)  # unknown: required
