"""How the coverage maps draw a hamlet's status: a shape AND a colour per status, so that a
gap is not told by colour alone (WCAG 1.4.1), and the 3G/4G and broadband themes can both be
on at once and still be told apart (circles and triangles for 3G/4G; squares, diamonds and
crosses for broadband, drawn larger and under the 3G/4G marks).

The colours are from the Okabe–Ito palette (told apart with every common colour-vision
deficiency), darkened where needed so that each mark keeps 3:1 against a white map
(WCAG 1.4.11). maps.js draws the shapes on canvas from these values (QRMap.symbols) and the
legend draws the same ones in SVG (templates/geodata/coverage_legend.html): one table."""
from dataclasses import asdict, dataclass

# Okabe–Ito: blue, vermillion, bluish green (darkened), reddish purple (darkened).
BLUE, VERMILLION = "#0072b2", "#d55e00"
GREEN, PURPLE, GREY = "#007d5a", "#a8357a", "#6b6b6b"
WHITE, OUTLINE = "#ffffff", "#1a1a1a"
SHAPES = ("circle", "triangle", "square", "diamond", "cross")


@dataclass(frozen=True)
class Symbol:
    shape: str
    fill: str  # WHITE: a hollow mark, told by its coloured outline
    stroke: str

    @property
    def mark(self) -> str:
        """The colour that carries the mark against the map: its fill, or its outline."""
        return self.stroke if self.fill == WHITE else self.fill


# 3G/4G codes of geodata.coverage.mapdata.mobile_code: Y/N declared, y/n from the model
# (hollow: nobody declared it).
MOBILE = {
    "Y": Symbol("circle", BLUE, OUTLINE),
    "y": Symbol("circle", WHITE, BLUE),
    "n": Symbol("triangle", WHITE, VERMILLION),
    "N": Symbol("triangle", VERMILLION, OUTLINE),
}
BROADBAND = {
    "Y": Symbol("square", GREEN, OUTLINE),
    "N": Symbol("diamond", PURPLE, OUTLINE),
    "U": Symbol("cross", GREY, OUTLINE),
}


def symbols_js() -> dict:
    """The table as maps.js reads it (QRMap.tiles options, the legend)."""
    return {"mobile": {code: asdict(s) for code, s in MOBILE.items()},
            "broadband": {code: asdict(s) for code, s in BROADBAND.items()}}


# SVG path of each shape in a 16×16 box centred on (8, 8), as maps.js draws it on canvas
# (shapePath there) at radius 5: the legend shows what the map shows.
SVG_PATHS = {
    "circle": "M3 8a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z",
    "triangle": "M8 1.8L14 12.2H2Z",
    "square": "M3.2 3.2H12.8V12.8H3.2Z",
    "diamond": "M8 1.5L14.5 8L8 14.5L1.5 8Z",
    "cross": "M6 2H10V6H14V10H10V14H6V10H2V6H6Z",
}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb.

    >>> round(relative_luminance("#ffffff"), 3), round(relative_luminance("#000000"), 3)
    (1.0, 0.0)
    """
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def legend_symbols(labels: dict) -> dict:
    """The legend's lines of each theme: label and SVG path, fill, stroke and width, in the
    order a reader looks for them (covered first, gaps, then unknown). `labels` are
    geodata.maps.coverage_labels()."""
    def line(symbol: Symbol, label: str) -> dict:
        return {"label": label, "path": SVG_PATHS[symbol.shape], "fill": symbol.fill,
                "stroke": symbol.stroke, "width": 2 if symbol.fill == WHITE else 1}

    return {
        "mobile": [line(MOBILE[code], labels["mobile_status"][code]) for code in "YynN"],
        "broadband": [line(BROADBAND[code], labels["broadband_status"][code])
                      for code in "YNU"],
        "both": [line(MOBILE["N"], ""), line(BROADBAND["N"], "")],
    }
