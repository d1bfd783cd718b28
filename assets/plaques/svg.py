"""SVG of a plaque or of a bare QR symbol, in millimetres (for sign makers' vector tools
and the admin preview). The modules are one path of horizontal runs."""
from xml.sax.saxutils import escape, quoteattr

from assets.plaques.fonts import SVG_FAMILIES
from assets.plaques.layout import QUIET_MODULES, Layout
from assets.plaques.qr import QrSymbol, dark_runs


def _modules_path(symbol: QrSymbol, x0: float, y0: float, module: float) -> str:
    parts = []
    for row, col, run in dark_runs(symbol):
        x, y, w = x0 + col * module, y0 + row * module, run * module
        parts.append(f"M{x:.3f} {y:.3f}h{w:.3f}v{module:.3f}h{-w:.3f}z")
    return "".join(parts)


def svg_plaque(layout: Layout) -> str:
    """The whole plaque at its real size (width and height in mm)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}mm" '
        f'height="{layout.height}mm" viewBox="0 0 {layout.width} {layout.height}">'
    ]
    for box in layout.boxes:
        stroke = f' stroke="{box.stroke}" stroke-width="0.4"' if box.stroke else ""
        out.append(f'<rect x="{box.x:.3f}" y="{box.y:.3f}" width="{box.w:.3f}" '
                   f'height="{box.h:.3f}" fill="{box.fill}"{stroke}/>')
    out.append(f'<path fill="#000" shape-rendering="crispEdges" '
               f'd="{_modules_path(layout.symbol, layout.qr_x, layout.qr_y, layout.module)}"/>')
    for text in layout.texts:
        anchor = "middle" if text.align == "center" else "start"
        weight = ' font-weight="bold"' if text.font == "sans-bold" else ""
        out.append(
            f'<text x="{text.x:.3f}" y="{text.y:.3f}" font-size="{text.size:.3f}" '
            f'font-family={quoteattr(SVG_FAMILIES[text.font])}{weight} '
            f'text-anchor="{anchor}" fill="{text.color}">{escape(text.text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def svg_symbol(symbol: QrSymbol, *, module_px: float = 4, title: str = "") -> str:
    """The bare symbol with its quiet zone, for previews; scales with CSS."""
    side = symbol.size + 2 * QUIET_MODULES
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side * module_px:g}" '
        f'height="{side * module_px:g}" viewBox="0 0 {side} {side}" role="img">{label}'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" shape-rendering="crispEdges" '
        f'd="{_modules_path(symbol, QUIET_MODULES, QUIET_MODULES, 1)}"/></svg>'
    )
