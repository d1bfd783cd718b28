"""PNG of a plaque at a chosen resolution, drawn by Pillow from the same layout."""
import functools
import io

from PIL import Image, ImageDraw, ImageFont

from assets.plaques.fonts import font_path
from assets.plaques.layout import Layout
from assets.plaques.qr import dark_runs

MM_PER_INCH = 25.4


@functools.lru_cache(maxsize=256)
def _font(role: str, px: int):
    path, index = font_path(role)
    return ImageFont.truetype(str(path), px, index=index)


def png_image(layout: Layout, *, dpi: int = 300) -> Image.Image:
    """The plaque as a Pillow image (RGB) at `dpi`."""
    scale = dpi / MM_PER_INCH  # pixels per mm
    image = Image.new("RGB", (round(layout.width * scale), round(layout.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for box in layout.boxes:
        draw.rectangle([box.x * scale, box.y * scale, (box.x + box.w) * scale - 1,
                        (box.y + box.h) * scale - 1], fill=box.fill,
                       outline=box.stroke or None, width=max(1, round(0.4 * scale)))
    # Module edges are rounded to whole pixels from the symbol's origin so every module
    # keeps the same size; a module must be at least 1 px for the result to scan at all.
    x0, y0, module = layout.qr_x * scale, layout.qr_y * scale, layout.module * scale
    for row, col, run in dark_runs(layout.symbol):
        left, top = round(x0 + col * module), round(y0 + row * module)
        right, bottom = round(x0 + (col + run) * module), round(y0 + (row + 1) * module)
        draw.rectangle([left, top, right - 1, bottom - 1], fill="black")
    for text in layout.texts:
        font = _font(text.font, max(1, round(text.size * scale)))
        anchor = "ms" if text.align == "center" else "ls"
        draw.text((text.x * scale, text.y * scale), text.text, font=font, fill=text.color,
                  anchor=anchor)
    return image


def png_plaque(layout: Layout, *, dpi: int = 300) -> bytes:
    """The plaque as PNG bytes, with its resolution recorded in the file."""
    buffer = io.BytesIO()
    png_image(layout, dpi=dpi).save(buffer, "PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()
