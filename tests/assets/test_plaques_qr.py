"""The QR payload and symbol: upper-case URL, alphanumeric mode, level H, version 3."""
import pytest

from assets.plaques.qr import ALPHANUMERIC, qr_payload, qr_symbol


def test_payload_is_the_upper_case_plaque_url(settings):
    settings.QRMAP_PUBLIC_BASE_URL = "https://qr.langson.gov.vn"
    assert qr_payload(code="7PJ2QXRF") == "HTTPS://QR.LANGSON.GOV.VN/Q/7PJ2QXRF"
    assert set(qr_payload(code="7PJ2QXRF")) <= ALPHANUMERIC


@pytest.mark.parametrize("base, version", [
    ("http://127.0.0.1:8000", 3),  # the default base URL
    ("https://qr.lson.vn", 3),
    # 36 characters: one past the 35 that version 3-H holds in alphanumeric mode.
    ("https://qr.langson.gov.vn", 4),
])
def test_short_host_fits_version_3_at_level_h(base, version):
    symbol = qr_symbol(qr_payload(code="7PJ2QXRF", base_url=base))
    assert symbol.alphanumeric
    assert symbol.version == version
    assert symbol.size == 17 + 4 * symbol.version


def test_lower_case_would_need_a_bigger_symbol():
    # Why the URL is upper-cased: byte mode needs version 4 for the same link.
    lower = "http://127.0.0.1:8000/q/7pj2qxrf"
    assert not set(lower) <= ALPHANUMERIC
    assert qr_symbol(lower).version > qr_symbol(lower.upper()).version


def test_payload_outside_the_alphanumeric_set_still_encodes():
    symbol = qr_symbol("HTTP://MY_HOST/Q/7PJ2QXRF")
    assert not symbol.alphanumeric
    assert symbol.version >= 3

