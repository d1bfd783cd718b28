"""Vector PDF of plaques: the QR modules are filled rectangles, the text is embedded TrueType
(DejaVu Sans for Vietnamese, WenQuanYi Zen Hei for Chinese), so the sign maker can scale
nothing and lose nothing. Sheets carry crop marks; a cover page lists the job.
"""
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from assets.plaques.fonts import pdf_fonts_register
from assets.plaques.layout import Layout, PlaqueSizeError
from assets.plaques.qr import dark_runs

PAPERS = {"A4": (210, 297), "A3": (297, 420)}
SHEET_MARGIN = 10  # mm of paper the printer may not reach
GAP = 10  # mm between plaques: room for the crop marks of both neighbours
MARK_OFFSET, MARK_LENGTH = 1.5, 4  # crop marks start 1.5 mm off the trim line, 4 mm long


@dataclass(frozen=True)
class Placement:
    """Where one plaque landed: its page (0-based, cover included) and its QR square with
    the quiet zone, in points from the page's bottom-left corner."""

    index: int
    page: int
    qr_box: tuple[float, float, float, float]  # x0, y0, x1, y1
    page_size: tuple[float, float]


@dataclass
class Cover:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    # code, name, template, size of each plaque in layout order
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # label, reason


def sheet_grid(*, paper: str, width: float, height: float):
    """(sheet width, height, columns, rows) in mm, picking the orientation that fits more."""
    if paper == "plaque":
        return width + 2 * 12, height + 2 * 12, 1, 1
    best = None
    for sw, sh in (PAPERS[paper], PAPERS[paper][::-1]):
        cols = int((sw - 2 * SHEET_MARGIN + GAP) // (width + GAP))
        rows = int((sh - 2 * SHEET_MARGIN + GAP) // (height + GAP))
        if cols * rows and (best is None or cols * rows > best[2] * best[3]):
            best = (sw, sh, cols, rows)
    if best is None:
        raise PlaqueSizeError(_("A %(w)g×%(h)g mm plaque does not fit on %(paper)s paper; "
                                "choose a larger paper or one plaque per page.")
                              % {"w": width, "h": height, "paper": paper})
    return best


def pages_plan(sizes: list[tuple[float, float]], paper: str):
    """Pages of (page size mm, [(plaque index, x mm, y mm from top)]) for plaques of these
    (width, height) sizes in mm, same sizes together."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, size in enumerate(sizes):
        groups.setdefault(size, []).append(i)
    pages = []
    for (w, h), indexes in groups.items():
        try:
            sw, sh, cols, rows = sheet_grid(paper=paper, width=w, height=h)
        except PlaqueSizeError:
            # A street sign does not fit an office A4: it gets a page of its own size in
            # the same file, which a print shop prints as is, rather than failing the job.
            sw, sh, cols, rows = sheet_grid(paper="plaque", width=w, height=h)
        per = cols * rows
        # Centre the block of plaques on the sheet.
        x0 = (sw - (cols * w + (cols - 1) * GAP)) / 2
        y0 = (sh - (rows * h + (rows - 1) * GAP)) / 2
        for start in range(0, len(indexes), per):
            slots = []
            for k, i in enumerate(indexes[start:start + per]):
                r, col = divmod(k, cols)
                slots.append((i, x0 + col * (w + GAP), y0 + r * (h + GAP)))
            pages.append(((sw, sh), slots))
    return pages


def _canvas(target, title: str) -> Canvas:
    # reportlab takes a file object or a str, not a Path.
    canvas = Canvas(target if hasattr(target, "write") else str(target),
                    pagesize=(PAPERS["A4"][0] * mm, PAPERS["A4"][1] * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("qrmap")
    return canvas


def pdf_build(*, layouts: list[Layout], paper: str = "A4", cover: Cover | None = None,
              progress: Callable[[int], None] | None = None) -> tuple[bytes, list[Placement]]:
    """Draw every plaque (and the cover) into one PDF; returns the bytes and the placements."""
    fonts = pdf_fonts_register()
    pages = pages_plan([(lay.width, lay.height) for lay in layouts], paper)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, cover.title if cover else "qrmap plaques")
    first_page = _cover_draw(canvas, cover, pages, fonts) if cover else 0
    placements = _pages_draw(canvas, pages, layouts, fonts, first_page, progress)
    canvas.save()
    return buffer.getvalue(), sorted(placements, key=lambda p: p.index)


def pdf_part_write(target, *, pages, layouts, title: str = "qrmap plaques",
                   progress: Callable[[int], None] | None = None) -> list[Placement]:
    """Draw these pages of a job (pages_plan) into a file of their own; `layouts` maps each
    plaque index on them to its layout. Placements count pages from the part's first."""
    canvas = _canvas(target, title)
    placements = _pages_draw(canvas, pages, layouts, pdf_fonts_register(), 0, progress)
    canvas.save()
    return placements


def pdf_cover_write(target, *, cover: Cover, pages) -> int:
    """The cover of a job drawn alone (pdf_part_write draws its pages); returns its pages."""
    canvas = _canvas(target, cover.title)
    n_cover = _cover_draw(canvas, cover, pages, pdf_fonts_register())
    canvas.save()
    return n_cover


def _pages_draw(canvas: Canvas, pages, layouts, fonts, first_page: int,
                progress: Callable[[int], None] | None) -> list[Placement]:
    placements, done = [], 0
    for page_no, ((sw, sh), slots) in enumerate(pages):
        canvas.setPageSize((sw * mm, sh * mm))
        for i, x, y in slots:
            lay = layouts[i]
            _plaque_draw(canvas, lay, x * mm, (sh - y - lay.height) * mm, fonts)
            _crop_marks(canvas, x, sh - y - lay.height, lay.width, lay.height)
            qx, qy, qs, _qs = lay.qr_box
            bottom = sh - y - qy - qs
            placements.append(Placement(i, first_page + page_no,
                                        ((x + qx) * mm, bottom * mm, (x + qx + qs) * mm,
                                         (bottom + qs) * mm), (sw * mm, sh * mm)))
            done += 1
            if progress:
                progress(done)
        canvas.showPage()
    return placements


def _plaque_draw(canvas: Canvas, lay: Layout, ox: float, oy: float, fonts) -> None:
    """Draw one layout with its bottom-left corner at (ox, oy) points."""
    top = oy + lay.height * mm

    def rect(x, y, w, h):  # layout mm (y down) -> points (y up)
        return ox + x * mm, top - (y + h) * mm, w * mm, h * mm

    for box in lay.boxes:
        canvas.setFillColor(HexColor(box.fill))
        if box.stroke:
            canvas.setStrokeColor(HexColor(box.stroke))
            canvas.setLineWidth(0.6 * mm if box.fill != "#ffffff" else 0.2 * mm)
        canvas.rect(*rect(box.x, box.y, box.w, box.h), stroke=1 if box.stroke else 0, fill=1)
    # One path for all modules: touching rectangles of one fill leave no hairline seams
    # when a RIP or a 150 dpi preview anti-aliases them.
    path = canvas.beginPath()
    for row, col, run in dark_runs(lay.symbol):
        path.rect(*rect(lay.qr_x + col * lay.module, lay.qr_y + row * lay.module,
                        run * lay.module, lay.module))
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)
    for text in lay.texts:
        canvas.setFillColor(HexColor(text.color))
        canvas.setFont(fonts[text.font], text.size * mm)
        x, y = ox + text.x * mm, top - text.y * mm
        if text.align == "center":
            canvas.drawCentredString(x, y, text.text)
        else:
            canvas.drawString(x, y, text.text)


def _crop_marks(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Trim marks at the four corners, outside the plaque (mm, y up)."""
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(0.25)
    for cx, dx in ((x, -1), (x + w, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            start, end = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
            canvas.line((cx + dx * start) * mm, cy * mm, (cx + dx * end) * mm, cy * mm)
            canvas.line(cx * mm, (cy + dy * start) * mm, cx * mm, (cy + dy * end) * mm)


def _cover_positions(n_lines: int, first_y: float, height: float) -> list[tuple[int, float]]:
    """(cover page, baseline mm) of each cover line; the same walk sizes and draws it."""
    out, page, y = [], 0, first_y
    for _i in range(n_lines):
        if y < 20:
            page, y = page + 1, height - 20
        out.append((page, y))
        y -= 5.6
    return out


def _cover_draw(canvas: Canvas, cover: Cover, pages, fonts) -> int:
    """The cover: what is in the job, on which page, and what was skipped and why."""
    width, height = PAPERS["A4"]
    lines = [("head", (_("#"), _("Code"), _("Name"), _("Template"), _("Size (mm)"), _("Page")))]
    lines += [("row", (str(i + 1), *row)) for i, row in enumerate(cover.rows)]
    if cover.skipped:
        lines += [("gap", ()), ("title", (_("Skipped (%(n)d)") % {"n": len(cover.skipped)},))]
        lines += [("skip", s) for s in cover.skipped]
    first_y = height - 42 - 5.5 * len(cover.facts)
    positions = _cover_positions(len(lines), first_y, height)
    n_cover = positions[-1][0] + 1
    page_of = {}
    for page_no, (_size, slots) in enumerate(pages):
        for i, _x, _y in slots:
            page_of[i] = n_cover + page_no + 1
    canvas.setPageSize((width * mm, height * mm))
    _cover_header(canvas, cover, fonts, height)
    columns = (15, 27, 55, 120, 150, 180)
    limits = (11, 27, 63, 29, 28, 15)
    current = 0
    for (kind, cells), (page, y) in zip(lines, positions, strict=True):
        if page != current:
            canvas.showPage()
            current = page
        if kind == "title":
            canvas.setFont(fonts["sans-bold"], 11)
            canvas.drawString(15 * mm, y * mm, cells[0])
        elif kind == "skip":
            canvas.setFont(fonts["sans"], 8.5)
            canvas.drawString(15 * mm, y * mm, _clip(cells[0], fonts["sans"], 8.5, 70))
            canvas.drawString(90 * mm, y * mm, _clip(cells[1], fonts["sans"], 8.5, 105))
        elif kind in ("head", "row"):
            if kind == "row":
                cells = (*cells, str(page_of.get(int(cells[0]) - 1, "")))
            font = fonts["sans-bold" if kind == "head" else "sans"]
            canvas.setFont(font, 8.5)
            for cx, cell, limit in zip(columns, cells, limits, strict=True):
                canvas.drawString(cx * mm, y * mm, _clip(cell, font, 8.5, limit))
    canvas.showPage()
    return n_cover


def _cover_header(canvas, cover, fonts, height) -> float:
    canvas.setFillColor(HexColor("#0b4ea2"))
    canvas.rect(0, (height - 28) * mm, 210 * mm, 28 * mm, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.setFont(fonts["sans-bold"], 17)
    canvas.drawString(15 * mm, (height - 17) * mm, cover.title)
    canvas.setFillColor(HexColor("#000000"))
    y = height - 38
    for key, value in cover.facts:
        canvas.setFont(fonts["sans-bold"], 9.5)
        canvas.drawString(15 * mm, y * mm, key)
        canvas.setFont(fonts["sans"], 9.5)
        canvas.drawString(60 * mm, y * mm, _clip(value, fonts["sans"], 9.5, 135))
        y -= 5.5
    return y - 4


def _clip(text: str, font: str, size: float, width_mm: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width_mm * mm:
        return text
    while text and stringWidth(text + "…", font, size) > width_mm * mm:
        text = text[:-1]
    return text + "…"
