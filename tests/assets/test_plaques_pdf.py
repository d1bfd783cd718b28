"""The PDF, SVG and PNG plaques scan: rendered at 150 dpi, each QR decodes to its own URL."""
import io
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image

from assets.plaques import pdf as pdf_module
from assets.plaques.pdf import Cover, pdf_build
from assets.plaques.png import png_plaque
from assets.plaques.svg import svg_plaque
from assets.plaques.verify import pdf_decode, pdf_verify
from tests.assets.plaque_samples import sample_layout

CODES = ["7PJ2QXRA", "7PJ2QXRB", "7PJ2QXRC", "7PJ2QXRD", "7PJ2QXRE", "7PJ2QXRF"]
TEMPLATES = ["heritage", "street_sign", "sticker", "sticker", "heritage", "sticker"]


@pytest.fixture
def layouts():
    return [sample_layout(t, c) for t, c in zip(TEMPLATES, CODES, strict=True)]


@pytest.mark.parametrize("paper", ["A3", "plaque"])
def test_every_plaque_decodes_to_its_own_url(layouts, paper):
    pdf, placements = pdf_build(layouts=layouts, paper=paper, cover=Cover(title="Lô in"))
    decoded = pdf_decode(pdf=pdf, placements=placements, dpi=150)
    assert [d.text for d in decoded] == [f"HTTP://127.0.0.1:8000/Q/{c}" for c in CODES]
    for d in decoded:
        assert d.ec_level == "H"
        assert int(d.version) <= 3
        # 32 characters in a version 3-H symbol: byte mode holds at most 24, so the
        # symbol can only be in alphanumeric mode (ISO/IEC 18004 table 7).
        assert len(d.text) > 24
    expected = [lay.symbol.payload for lay in layouts]
    assert pdf_verify(pdf=pdf, placements=placements, expected=expected,
                      labels=[lay.label for lay in layouts]) == []


def test_whole_page_decodes_with_an_off_the_shelf_reader(layouts):
    pdf, _ = pdf_build(layouts=layouts[2:4], paper="A4")
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=150 / 72).to_pil()
    found = sorted(b.text for b in zxingcpp.read_barcodes(image))
    assert found == [f"HTTP://127.0.0.1:8000/Q/{c}" for c in CODES[2:4]]


def test_pdf_is_vector_with_embedded_fonts(layouts):
    pdf, _ = pdf_build(layouts=layouts, paper="A3", cover=Cover(title="Lô in"))
    document = pdfium.PdfDocument(pdf)
    kinds = {obj.type for page in document for obj in page.get_objects()}
    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds
    assert pdfium_c.FPDF_PAGEOBJ_PATH in kinds
    # The TrueType subsets travel in the file: Vietnamese and Chinese print anywhere.
    assert b"/FontFile2" in pdf
    text = unicodedata.normalize(
        "NFC", " ".join(page.get_textpage().get_text_range() for page in document))
    assert "Động Tam Thanh" in text and "三清洞" in text and "ĐƯỜNG TRẦN" in text and "NINH" in text


def test_cover_lists_the_plaques_and_the_skipped(layouts):
    cover = Cover(title="Lô in số 7", rows=[(lay.label[:9], "Động Tam Thanh", "heritage", "180×260")
                                            for lay in layouts],
                  skipped=[("Chùa Tiên", "position not verified")])
    pdf, placements = pdf_build(layouts=layouts, paper="A3", cover=cover)
    first = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Lô in số 7" in first and "Chùa Tiên" in first and "position not verified" in first
    assert min(p.page for p in placements) == 1


def test_tampered_modules_fail_the_check_naming_the_plaque(layouts, monkeypatch):
    real_runs = pdf_module.dark_runs

    def flipped(symbol):
        # Damage the third plaque only: invert a band of rows in the data region.
        runs = list(real_runs(symbol))
        if symbol.payload.endswith("7PJ2QXRC"):
            return [(r, c, n) for r, c, n in runs if not 9 <= r <= 19]
        return runs

    monkeypatch.setattr(pdf_module, "dark_runs", flipped)
    pdf, placements = pdf_build(layouts=layouts, paper="A3")
    failures = pdf_verify(pdf=pdf, placements=placements,
                          expected=[lay.symbol.payload for lay in layouts],
                          labels=[lay.label for lay in layouts])
    assert [f.label for f in failures] == ["7PJ2QXRC Động Tam Thanh"]
    assert "7PJ2QXRC Động Tam Thanh" in str(failures[0])


def test_swapped_payload_is_caught(layouts):
    pdf, placements = pdf_build(layouts=layouts, paper="A3")
    expected = [lay.symbol.payload for lay in layouts]
    expected[0] = expected[0].replace("QXRA", "QXRZ")
    failures = pdf_verify(pdf=pdf, placements=placements, expected=expected,
                          labels=[lay.label for lay in layouts])
    assert len(failures) == 1 and failures[0].found.endswith("/Q/7PJ2QXRA")


@pytest.mark.parametrize("template", ["heritage", "street_sign", "sticker"])
def test_png_at_chosen_dpi_decodes(template):
    layout = sample_layout(template, "7PJ2QXRF")
    data = png_plaque(layout, dpi=150)
    image = Image.open(io.BytesIO(data))
    assert image.info["dpi"][0] == pytest.approx(150, abs=0.5)
    assert image.width == round(layout.width * 150 / 25.4)
    assert [b.text for b in zxingcpp.read_barcodes(image)] == ["HTTP://127.0.0.1:8000/Q/7PJ2QXRF"]


def test_svg_is_real_size_vector():
    layout = sample_layout("heritage", "7PJ2QXRF")
    svg = svg_plaque(layout)
    assert svg.startswith("<svg") and 'width="180mm"' in svg and 'height="260mm"' in svg
    assert "<image" not in svg and "三清洞" in svg and "Động Tam Thanh" in svg
