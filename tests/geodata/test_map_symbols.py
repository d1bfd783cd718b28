"""The hamlet marks of the coverage maps: a shape per status (not colour alone), the two
themes apart in shape and colour, 3:1 against the lightest map, apart for colour-blind eyes."""
import itertools

import pytest

from geodata.map_symbols import BROADBAND, MOBILE, SVG_PATHS, WHITE, contrast, legend_symbols
from geodata.maps import coverage_labels

# The map's own ground (maps.css), OpenStreetMap's land, and white: the lightest there is.
GROUNDS = ["#eef2f5", "#f2efe9", "#ffffff"]
# Machado et al. (2009), severity 1, on linear RGB.
DEFICIENCIES = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def _linear(colour):
    values = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]


def _seen(colour, matrix):
    rgb = _linear(colour)
    return [min(1, max(0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]


def test_every_status_has_its_own_shape_and_gaps_differ_from_covered_by_shape():
    marks = [(s.shape, s.fill, s.stroke) for s in [*MOBILE.values(), *BROADBAND.values()]]
    assert len(set(marks)) == len(marks)
    # The two themes share no shape, so both can be on at once.
    assert not {s.shape for s in MOBILE.values()} & {s.shape for s in BROADBAND.values()}
    assert MOBILE["N"].shape != MOBILE["Y"].shape and MOBILE["n"].shape != MOBILE["y"].shape
    assert len({BROADBAND[code].shape for code in "YNU"}) == 3
    assert set(SVG_PATHS) >= {s.shape for s in [*MOBILE.values(), *BROADBAND.values()]}


@pytest.mark.parametrize("ground", GROUNDS)
def test_each_mark_keeps_three_to_one_against_the_map(ground):
    for symbol in [*MOBILE.values(), *BROADBAND.values()]:
        assert contrast(symbol.mark, ground) >= 3, (symbol, ground)
        if symbol.fill != WHITE:  # a filled mark's outline is dark as well
            assert contrast(symbol.stroke, ground) >= 3


@pytest.mark.parametrize("deficiency", sorted(DEFICIENCIES))
def test_gap_and_covered_colours_stay_apart_for_colour_blind_eyes(deficiency):
    matrix = DEFICIENCIES[deficiency]
    colours = {MOBILE["Y"].mark, MOBILE["N"].mark, BROADBAND["Y"].mark, BROADBAND["N"].mark}
    for one, other in itertools.combinations(sorted(colours), 2):
        a, b = _seen(one, matrix), _seen(other, matrix)
        distance = sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
        assert distance > 0.05, (deficiency, one, other, a, b)


def test_the_legend_lines_follow_the_table():
    lines = legend_symbols(coverage_labels())
    assert [line["path"] for line in lines["mobile"]] == [
        SVG_PATHS[MOBILE[code].shape] for code in "YynN"]
    assert [line["fill"] for line in lines["broadband"]] == [
        BROADBAND[code].fill for code in "YNU"]
