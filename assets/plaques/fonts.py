"""The fonts that plaques embed: DejaVu Sans for Vietnamese and English, a TrueType CJK font
for Chinese. reportlab embeds TrueType (glyf) outlines only, so the CFF-based Noto CJK .ttc
that Debian installs for browsers cannot be used here; WenQuanYi Zen Hei (fonts-wqy-zenhei)
or AR PL UMing (fonts-arphic-uming) can.
"""
import functools
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Roles used by the layouts. Each maps to candidate files (first found wins) and, for a .ttc
# collection, the index of the face inside it.
FONT_FILES = {
    "sans": [("DejaVuSans.ttf", 0)],
    "sans-bold": [("DejaVuSans-Bold.ttf", 0)],
    "cjk": [("wqy-zenhei.ttc", 0), ("uming.ttc", 0), ("DroidSansFallbackFull.ttf", 0)],
}
PDF_NAMES = {"sans": "QrmapSans", "sans-bold": "QrmapSansBold", "cjk": "QrmapCJK"}
# What the SVG output asks the viewer for (the same faces, by family name).
SVG_FAMILIES = {
    "sans": "'DejaVu Sans', 'Noto Sans', sans-serif",
    "sans-bold": "'DejaVu Sans', 'Noto Sans', sans-serif",
    "cjk": "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
}
SEARCH_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts"]


@functools.cache
def font_path(role: str) -> tuple[Path, int]:
    """The file and face index for a font role; a clear error names the Debian package."""
    dirs = [d for d in os.environ.get("QRMAP_FONT_DIRS", "").split(os.pathsep) if d]
    dirs += SEARCH_DIRS
    for name, index in FONT_FILES[role]:
        for folder in dirs:
            hits = sorted(Path(folder).rglob(name)) if Path(folder).is_dir() else []
            if hits:
                return hits[0], index
    raise ImproperlyConfigured(
        f"No font for '{role}' ({', '.join(n for n, _ in FONT_FILES[role])}): install the "
        "Debian packages fonts-dejavu-core and fonts-wqy-zenhei (make setup does)."
    )


@functools.cache
def pdf_fonts_register() -> dict[str, str]:
    """Register the TrueType fonts with reportlab once; returns role -> reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for role, name in PDF_NAMES.items():
        path, index = font_path(role)
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    return dict(PDF_NAMES)


def text_width(text: str, role: str, size: float) -> float:
    """Advance width of `text` in the units of `size` (mm in, mm out)."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, pdf_fonts_register()[role], size)
