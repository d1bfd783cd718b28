"""The last check before a PDF leaves the building: render every page the way a cheap
printer would (150 dpi), cut out each plaque's QR square and decode it with zxing-cpp.
A plaque whose QR does not read back as exactly its own URL fails the job, by name."""
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike

import pypdfium2 as pdfium
import zxingcpp

from assets.plaques.pdf import Placement

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class DecodeFailure:
    label: str
    expected: str
    found: str  # what was read instead, "" when nothing was

    def __str__(self):
        if self.found:
            return f"{self.label}: the QR reads {self.found!r}, not {self.expected!r}"
        return f"{self.label}: the QR does not decode"


@dataclass(frozen=True)
class Decoded:
    text: str
    version: str
    ec_level: str


def pdf_decode(*, pdf: bytes | PathLike, placements: list[Placement], dpi: int = 150,
               progress: Callable[[int], None] | None = None) -> list[Decoded | None]:
    """Decode the QR at each placement; None where nothing decodes. `pdf` is the bytes or
    the path of the file (pdfium then reads it from disk as it goes)."""
    document = pdfium.PdfDocument(pdf)
    by_page: dict[int, list[int]] = {}
    for k, placement in enumerate(placements):
        by_page.setdefault(placement.page, []).append(k)
    results: list[Decoded | None] = [None] * len(placements)
    done = 0
    scale = dpi / POINTS_PER_INCH
    try:
        for page_no, indexes in sorted(by_page.items()):
            page = document[page_no]
            width, height = page.get_size()
            for k in indexes:
                # Only the QR square (one module of slack around it) is rasterized: the page's
                # text and drawing are most of the work of a whole-page render (3× slower).
                x0, y0, x1, y1 = placements[k].qr_box
                slack = 2 / scale
                crop = (max(0, x0 - slack), max(0, y0 - slack),
                        max(0, width - x1 - slack), max(0, height - y1 - slack))
                image = page.render(scale=scale, crop=crop, grayscale=True).to_pil()
                found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode,
                                               try_rotate=False, try_downscale=False)
                if found:
                    extra = found[0].extra or {}
                    results[k] = Decoded(found[0].text, str(extra.get("Version", "")),
                                         found[0].ec_level)
                done += 1
                if progress:
                    progress(done)
            page.close()
    finally:
        document.close()
    return results


def pdf_verify(*, pdf: bytes | PathLike, placements: list[Placement], expected: list[str],
               labels: list[str], dpi: int = 150,
               progress: Callable[[int], None] | None = None) -> list[DecodeFailure]:
    """Every plaque whose QR does not decode to exactly its payload (empty list: all good)."""
    decoded = pdf_decode(pdf=pdf, placements=placements, dpi=dpi, progress=progress)
    failures = []
    for placement, result in zip(placements, decoded, strict=True):
        want = expected[placement.index]
        if result is None or result.text != want:
            failures.append(DecodeFailure(labels[placement.index], want,
                                          result.text if result else ""))
    return failures
