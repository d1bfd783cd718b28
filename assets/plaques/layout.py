"""Where everything goes on a plaque, in millimetres from the top-left corner.

A layout is plain data (rectangles, text lines, the QR square) that the PDF, SVG and PNG
renderers draw the same way. The QR module size follows from the plaque size; a plaque too
small for its scan distance is refused, never printed smaller: as a rule of thumb a phone
reads a QR code from about ten times its width, so the symbol must be at least one tenth of
the distance wide. The quiet zone is 4 modules (ISO/IEC 18004).
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assets.plaques.fonts import text_width
from assets.plaques.qr import QrSymbol

QUIET_MODULES = 4
INK = "#000000"
PAPER = "#ffffff"


class PlaqueSizeError(ValueError):
    """The plaque is too small for a QR code readable from its scan distance."""


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    width_mm: int
    height_mm: int
    scan_distance_m: float


TEMPLATES = {
    "street_sign": Template("street_sign", "street sign", 380, 150, 1.0),
    "heritage": Template("heritage", "heritage plaque", 180, 260, 1.0),
    "sticker": Template("sticker", "small sticker", 70, 90, 0.4),
}


@dataclass(frozen=True)
class PlaqueContent:
    """What a plaque says. Plain strings: the caller picks languages and labels."""

    template: str
    payload: str
    grouped_code: str
    plus_code: str
    name_vi: str
    name_en: str = ""
    name_zh: str = ""
    rank: str = ""
    description: str = ""
    place: str = ""
    label: str = ""  # how errors name the plaque: "7PJ2-QXRF Chùa Tam Thanh"
    width_mm: float = 0
    height_mm: float = 0
    scan_distance_m: float = 0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = ""


@dataclass(frozen=True)
class Text:
    x: float  # left edge, or the centre when align == "center"
    y: float  # baseline
    size: float  # em size in mm
    text: str
    font: str = "sans"  # "sans", "sans-bold" or "cjk"
    align: str = "left"
    color: str = INK


@dataclass
class Layout:
    width: float
    height: float
    symbol: QrSymbol
    qr_x: float  # top-left of the first module (inside the quiet zone)
    qr_y: float
    module: float
    label: str
    boxes: list[Box] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    @property
    def qr_box(self) -> tuple[float, float, float, float]:
        """The symbol with its quiet zone: x, y, width, height in mm."""
        q = QUIET_MODULES * self.module
        side = self.symbol.size * self.module + 2 * q
        return self.qr_x - q, self.qr_y - q, side, side


def layout_plaque(content: PlaqueContent, symbol: QrSymbol) -> Layout:
    """Place the plaque's parts for its template and size; PlaqueSizeError when too small."""
    template = TEMPLATES[content.template]
    width = content.width_mm or template.width_mm
    height = content.height_mm or template.height_mm
    distance = content.scan_distance_m or template.scan_distance_m
    draw = {"street_sign": _street_sign, "heritage": _heritage, "sticker": _sticker}
    layout = draw[content.template](content, symbol, width, height)
    needed = distance * 1000 / 10
    have = layout.module * symbol.size
    if have + 1e-6 < needed:
        raise PlaqueSizeError(
            _("%(label)s: a %(w)g×%(h)g mm %(template)s carries a QR code %(have).0f mm wide, "
              "but scanning from %(d)g m needs %(need).0f mm. Choose a larger size or a "
              "shorter scan distance.")
            % {"label": content.label or content.grouped_code, "w": width, "h": height,
               "template": _(template.label), "have": have, "d": distance, "need": needed}
        )
    return layout


def _qr_square(symbol, x, y, side):
    """A white square of `side` mm at x, y holding the symbol and its quiet zone."""
    module = side / (symbol.size + 2 * QUIET_MODULES)
    q = QUIET_MODULES * module
    return Box(x, y, side, side, PAPER), x + q, y + q, module


def fit_size(text, font, width, size, min_size):
    """The largest font size <= size at which text fits width (not below min_size)."""
    if not text:
        return size
    natural = text_width(text, font, size)
    # 0.999: the exact ratio can land a hair over the width and wrap a line needlessly.
    return max(min_size, min(size, 0.999 * size * width / natural)) if natural > width else size


def wrap(text, font, size, width, max_lines):
    """Greedy line breaking on spaces (per character for CJK); the last line gets '…'."""
    if not text:
        return []
    tokens = list(text) if font == "cjk" else text.split()
    joiner = "" if font == "cjk" else " "
    lines, current = [], ""
    for token in tokens:
        trial = f"{current}{joiner}{token}" if current else token
        if text_width(trial, font, size) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = token
        if len(lines) == max_lines:
            break
    else:
        lines.append(current)
        return lines[:max_lines]
    last = lines[-1]
    while last and text_width(last + "…", font, size) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return lines


def _street_sign(c: PlaqueContent, symbol, width, height) -> Layout:
    # Vietnamese street signs: white letters on blue, the name large. The QR sits on a
    # white square at the right end, as high as the sign allows.
    m = height * 0.05
    side = height - 2 * m
    square, qx, qy, module = _qr_square(symbol, width - m - side, m, side)
    out = Layout(width, height, symbol, qx, qy, module, c.label)
    out.boxes += [Box(0, 0, width, height, "#0b4ea2"),
                  Box(m * 0.4, m * 0.4, width - m * 0.8, height - m * 0.8, "#0b4ea2", PAPER),
                  square]
    text_w = width - side - 4 * m
    name = c.name_vi.upper()
    size, lines = _street_name_lines(name, text_w, height)
    if c.place:
        out.texts.append(Text(m * 1.5, m + height * 0.12, height * 0.07, c.place, "sans",
                              color=PAPER))
    # Centre the name block between the place line and the code line.
    y = height * 0.52 - (len(lines) - 1) * size * 0.55 + size * 0.35
    for line in lines:
        out.texts.append(Text(m * 1.5, y, size, line, "sans-bold", color=PAPER))
        y += size * 1.1
    foot = height - m * 1.4
    out.texts.append(Text(m * 1.5, foot, height * 0.075,
                          f"{c.grouped_code}   ·   {c.plus_code}", "sans", color=PAPER))
    return out


def _street_name_lines(name, width, height):
    """One line as large as fits; a long name goes on two lines rather than shrink unread."""
    size = fit_size(name, "sans-bold", width, height * 0.26, 0)
    if size >= height * 0.13:
        return size, [name]
    size = height * 0.2
    while size > height * 0.06:
        lines = wrap(name, "sans-bold", size, width, 3)
        if len(lines) <= 2 and not lines[-1].endswith("…"):
            return size, lines
        size *= 0.95
    return size, wrap(name, "sans-bold", size, width, 2)


def _heritage(c: PlaqueContent, symbol, width, height) -> Layout:
    # Portrait: a dark red band with the rank, the name in three languages, the short
    # description, then the QR as large as the remaining height allows.
    m = width * 0.06
    inner = width - 2 * m
    band = height * 0.065
    out_boxes = [Box(0, 0, width, height, "#fbf6ea"), Box(0, 0, width, band, "#7a1f1f")]
    texts = []
    if c.rank:
        texts.append(Text(width / 2, band * 0.68, band * 0.42, c.rank.upper(), "sans-bold",
                          "center", PAPER))
    y = band + m * 0.6
    size = fit_size(c.name_vi, "sans-bold", inner, width * 0.075, width * 0.045)
    for line in wrap(c.name_vi, "sans-bold", size, inner, 2):
        y += size * 1.1
        texts.append(Text(width / 2, y, size, line, "sans-bold", "center", "#3b1010"))
    for text, font in ((c.name_en, "sans"), (c.name_zh, "cjk")):
        if text:
            s = fit_size(text, font, inner, width * 0.05, width * 0.03)
            y += s * 1.35
            texts.append(Text(width / 2, y, s, text, font, "center", "#3b1010"))
    footer = width * 0.2
    side = min(inner * 0.82, height - y - footer - m * 0.5)
    desc_size = width * 0.034
    room = height - footer - side - y - m * 0.8
    max_lines = max(0, int(room / (desc_size * 1.3)))
    y += desc_size * 0.5
    for line in wrap(c.description, "sans", desc_size, inner, max_lines):
        y += desc_size * 1.3
        texts.append(Text(m, y, desc_size, line, "sans", color="#222222"))
    qr_top = height - footer - side
    square, qx, qy, module = _qr_square(symbol, (width - side) / 2, qr_top, side)
    out = Layout(width, height, symbol, qx, qy, module, c.label, out_boxes + [square], texts)
    code_y = qr_top + side + footer * 0.34
    out.texts += [
        Text(width / 2, code_y, width * 0.07, c.grouped_code, "sans-bold", "center"),
        Text(width / 2, code_y + footer * 0.24, width * 0.036, c.plus_code, "sans", "center"),
        Text(width / 2, code_y + footer * 0.42, width * 0.03,
             "Quét để xem thông tin · Scan for information", "sans", "center", "#444444"),
        Text(width / 2, code_y + footer * 0.58, width * 0.03, "扫码查看信息", "cjk", "center",
             "#444444"),
    ]
    return out


def _sticker(c: PlaqueContent, symbol, width, height) -> Layout:
    # Small and plain: the QR fills the width, the words and the code below it.
    m = width * 0.05
    side = min(width - 2 * m, height * 0.72)
    square, qx, qy, module = _qr_square(symbol, (width - side) / 2, m * 0.6, side)
    out = Layout(width, height, symbol, qx, qy, module, c.label,
                 [Box(0, 0, width, height, PAPER, "#999999"), square])
    y = m * 0.6 + side
    rest = height - y
    words = "Quét để xem thông tin"
    size = fit_size(words, "sans-bold", width - 2 * m, rest * 0.17, rest * 0.08)
    out.texts += [
        Text(width / 2, y + rest * 0.2, size, words, "sans-bold", "center"),
        Text(width / 2, y + rest * 0.38, size * 0.85, "Scan for information", "sans", "center"),
        Text(width / 2, y + rest * 0.66, rest * 0.2, c.grouped_code, "sans-bold", "center"),
        Text(width / 2, y + rest * 0.88, rest * 0.12, c.plus_code, "sans", "center", "#333333"),
    ]
    return out
