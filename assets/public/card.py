"""The picture a shared link previews with (OpenGraph / Twitter card): drawn by the server.

Zalo, Facebook and WeChat show an og:image beside a shared link; without one the preview is
a grey box. The card is a 1200×630 PNG (the size those apps crop to) with the place's name,
kind and code on the site's colours: public facts only, the same the page shows. It is drawn
once per asset version and language and kept in the shared cache; its address carries the
version (`?v=`), so browsers and proxies may keep it for a year.
"""
import hashlib
import io
import unicodedata

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from assets.plaques.fonts import font_path

WIDTH, HEIGHT = 1200, 630
BRAND, INK, MUTED, SOFT = (11, 92, 173), (27, 31, 36), (89, 99, 110), (243, 246, 249)
# Bump when the drawing changes, so that cached cards and their addresses change too.
CARD_VERSION = "1"
CACHE_SECONDS = 7 * 24 * 3600
MAX_NAME_LINES = 3
# Characters a name may hold that no font draws and that only make boxes: controls and
# format characters (bidirectional overrides, zero-width joiners) are dropped.
_DROPPED = {"Cc", "Cf", "Co", "Cs", "Cn"}


def card_version(asset) -> str:
    """Short fingerprint of what the card shows, for its address (`?v=`)."""
    text = f"{CARD_VERSION}:{asset.pk}:{asset.updated_at.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def card_png(*, asset, language: str, name: str, kind: str) -> bytes:
    """The card of an asset in one language (name and kind already localized), cached."""
    key = f"qrmap:card:{card_version(asset)}:{language}"
    found = cache.get(key)
    if found is None:
        found = card_draw(name=name, kind=kind, code=asset.grouped_code)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _clean(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in _DROPPED).strip()


def _is_cjk(text: str) -> bool:
    return any("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef"
               for c in text)


def _font(text: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # DejaVu draws every Vietnamese letter; Chinese needs the CJK face (which also has Latin).
    role = "cjk" if _is_cjk(text) else ("sans-bold" if bold else "sans")
    path, index = font_path(role)
    return ImageFont.truetype(str(path), size, index=index)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """Lines of at most `width` pixels, breaking at spaces (or anywhere, for Chinese), the
    last line cut with an ellipsis when the text does not fit."""
    units = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines, current = [], ""
    for unit in units:
        trial = f"{current}{joiner}{unit}" if current else unit
        if draw.textlength(trial, font=font) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = unit
        while draw.textlength(current, font=font) > width:  # one very long word
            cut = len(current) - 1
            while cut > 1 and draw.textlength(current[:cut], font=font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines


def card_draw(*, name: str, kind: str, code: str) -> bytes:
    """Draw the card: a brand band with the site's name, the place's name (up to three
    lines), its kind and its code. PNG bytes, palette-reduced (flat colours: ~20–40 KB)."""
    name, kind = _clean(name) or "—", _clean(kind)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 96), fill=BRAND)
    draw.text((60, 48), "qrmap · Lạng Sơn", font=_font("qrmap", 40, bold=True), fill="white",
              anchor="lm")
    size = 76
    font = _font(name, size, bold=True)
    lines = _wrap(draw, name, font, WIDTH - 120, MAX_NAME_LINES)
    if len(lines) > 2:  # three lines fit at a smaller size
        size = 62
        font = _font(name, size, bold=True)
        lines = _wrap(draw, name, font, WIDTH - 120, MAX_NAME_LINES)
    y = 140
    for line in lines:
        draw.text((60, y), line, font=font, fill=INK)
        y += int(size * 1.25)
    if kind:
        draw.text((60, y + 10), kind, font=_font(kind, 38), fill=MUTED)
    draw.rectangle((0, HEIGHT - 130, WIDTH, HEIGHT), fill=SOFT)
    draw.text((60, HEIGHT - 65), code, font=_font(code, 64, bold=True), fill=BRAND, anchor="lm")
    # A map pin: the page is about a place.
    cx, cy = WIDTH - 130, HEIGHT - 70
    draw.ellipse((cx - 34, cy - 80, cx + 34, cy - 12), fill=(209, 36, 47))
    draw.polygon([(cx - 29, cy - 34), (cx + 29, cy - 34), (cx, cy + 28)], fill=(209, 36, 47))
    draw.ellipse((cx - 13, cy - 59, cx + 13, cy - 33), fill="white")
    out = io.BytesIO()
    image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()
