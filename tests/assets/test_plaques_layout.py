"""Plaque geometry: the QR is never smaller than the scan distance needs."""
import pytest

from assets.plaques.layout import QUIET_MODULES, TEMPLATES, PlaqueSizeError
from tests.assets.plaque_samples import sample_layout


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_default_sizes_meet_the_scan_distance_rule(template):
    spec = TEMPLATES[template]
    layout = sample_layout(template, "7PJ2QXRF")
    assert (layout.width, layout.height) == (spec.width_mm, spec.height_mm)
    assert layout.module * layout.symbol.size >= spec.scan_distance_m * 1000 / 10
    # The quiet zone (4 modules) lies inside the plaque.
    x, y, side, _ = layout.qr_box
    assert x >= 0 and y >= 0 and x + side <= layout.width and y + side <= layout.height
    assert layout.qr_x - x == pytest.approx(QUIET_MODULES * layout.module)


def test_a_sticker_too_small_for_its_distance_is_refused():
    with pytest.raises(PlaqueSizeError, match="1.5 m needs 150 mm"):
        sample_layout("sticker", "7PJ2QXRF", scan_distance_m=1.5)


def test_a_bigger_plaque_gets_bigger_modules():
    small = sample_layout("heritage", "7PJ2QXRF")
    large = sample_layout("heritage", "7PJ2QXRF", width_mm=300, height_mm=430)
    assert large.module > small.module


def test_long_names_shrink_and_wrap_inside_the_plaque():
    layout = sample_layout("street_sign", "7PJ2QXRF",
                           name_vi="Đường Bà Triệu kéo dài đến khu đô thị Phú Lộc bốn")
    names = [t for t in layout.texts if t.font == "sans-bold"]
    assert 1 <= len(names) <= 2
    assert all(t.y < layout.height for t in layout.texts)
