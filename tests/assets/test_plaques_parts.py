"""A job in parts: the parts drawn and decoded in a pool of processes, then joined streaming
into one PDF whose pages are the parts' pages in order, every QR its own plaque's."""
import doctest
import os

import pypdfium2 as pdfium
import pytest
import zxingcpp

from assets.plaques import parts as parts_module
from assets.plaques import pdf as pdf_module
from assets.plaques.layout import PlaqueSizeError
from assets.plaques.parts import Part, parts_cut, parts_run, parts_run_inline
from assets.plaques.pdf import Cover, pages_plan, pdf_cover_write
from assets.plaques.pdfjoin import PdfJoinError, pdf_join
from tests.assets.plaque_samples import sample

CODES = [f"7PJ2Q{n:03d}" for n in range(40)]


def _job(tmp_path, template="heritage", **overrides):
    contents = [sample(template, c, label=c, **overrides) for c in CODES]
    pages = pages_plan([(180, 260)] * len(contents), "A4")  # one heritage plaque a page
    cuts = parts_cut(pages, 8)
    parts = [Part(tmp_path / f"part-{k}.pdf", pages[a:b],
                  {i: contents[i] for _s, slots in pages[a:b] for i, _x, _y in slots})
             for k, (a, b) in enumerate(cuts)]
    return contents, pages, parts


def _page_texts(path) -> list[list[str]]:
    document = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in document:
            image = page.render(scale=150 / 72, grayscale=True).to_pil()
            out.append([b.text for b in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormat.QRCode)])
            page.close()
        return out
    finally:
        document.close()


def test_doctests():
    assert doctest.testmod(parts_module).failed == 0


def test_parts_drawn_in_a_pool_join_into_one_pdf_in_plaque_order(tmp_path):
    contents, pages, parts = _job(tmp_path)
    seen, covers = [], []
    cover_path = tmp_path / "cover.pdf"
    cover = Cover(title="Lô in 7", rows=[(c.grouped_code, c.name_vi, "heritage", "180×260")
                                         for c in contents * 2])
    failures = parts_run(parts, processes=2, progress=lambda d, c: seen.append((d, c)),
                         meanwhile=lambda: covers.append(
                             pdf_cover_write(cover_path, cover=cover, pages=pages)))
    assert failures == []
    assert len(parts) == 5 and all(p.path.exists() for p in parts)
    # Progress counts the pool's plaques: drawn, then decoded, up to every plaque.
    assert seen[-1] == (len(CODES), len(CODES))
    assert [d for d, _c in seen] == sorted(d for d, _c in seen)
    target = tmp_path / "job.pdf"
    assert covers == [2]  # 80 rows: the cover takes two pages, drawn while the pool worked
    assert pdf_join([cover_path, *(p.path for p in parts)], target) == 2 + len(CODES)
    texts = _page_texts(target)
    assert texts[:2] == [[], []]
    assert texts[2:] == [[c.payload] for c in contents]
    document = pdfium.PdfDocument(str(target))
    assert document.get_metadata_dict()["Title"] == "Lô in 7"
    document.close()
    # The fonts of each part are embedded with it: the file stays near one part's density.
    one_part = sum(p.path.stat().st_size for p in parts) + cover_path.stat().st_size
    assert target.stat().st_size < one_part


def test_the_join_writes_each_part_before_it_reads_the_next(tmp_path):
    _contents, _pages, parts = _job(tmp_path)
    parts_run_inline(parts, progress=lambda d, c: None)
    target = tmp_path / "job.pdf"
    written = []

    def one_by_one():
        for part in parts:
            written.append(target.stat().st_size if target.exists() else 0)
            yield part.path

    pdf_join(one_by_one(), target)
    # The target grows as the parts are read: no part waits in memory for the end.
    assert written[0] < written[1] < written[2] < written[-1] < target.stat().st_size
    assert len(_page_texts(target)) == len(CODES)


def test_a_qr_that_does_not_decode_in_a_pool_part_is_named(tmp_path, monkeypatch):
    real_runs = pdf_module.dark_runs
    # The pool forks: the children draw with the patched function too.
    monkeypatch.setattr(pdf_module, "dark_runs",
                        lambda s: [(r, c, n) for r, c, n in real_runs(s) if not 8 <= r <= 20])
    _contents, _pages, parts = _job(tmp_path)
    failures = parts_run(parts[:2], processes=2, progress=lambda d, c: None)
    assert [f.label for f in failures] == CODES[:16]


def test_a_part_that_cannot_be_laid_out_stops_the_job(tmp_path):
    _contents, _pages, parts = _job(tmp_path, template="sticker", scan_distance_m=5,
                                    width_mm=70, height_mm=90)
    with pytest.raises(PlaqueSizeError):
        parts_run(parts, processes=2, progress=lambda d, c: None)


def test_a_file_that_is_not_a_classic_pdf_is_refused(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really\nstartxref\n12\n%%EOF\n")
    with pytest.raises(PdfJoinError):
        pdf_join([broken], tmp_path / "out.pdf")
    assert os.path.exists(tmp_path / "out.pdf")  # opened, then abandoned by the caller
