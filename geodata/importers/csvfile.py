"""Reading CSV exports from Excel and LibreOffice: BOM or not, `;` or `,`, NFD or NFC.

The csv module reads the rows; GDAL's CSV driver would need the separator and the
coordinate columns named up front, and it cannot repair decimal commas.
"""
import codecs
import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from geodata.importers.text import nfc

SEPARATORS = [";", ",", "\t", "|"]
# Excel in Vietnamese Windows may still save "CSV" in the legacy code page.
ENCODINGS = ["utf-8-sig", "cp1258"]


@dataclass
class CsvContent:
    columns: list[str]
    rows: Iterable[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str
    separator: str
    had_bom: bool


def _encoding(path) -> str:
    """The first of ENCODINGS that decodes the whole file, checked block by block."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor Windows-1258 text."))


def _separator(lines: list[str]) -> str:
    """The separator that splits the header and the first rows into the same, largest
    number of cells (a `;` file has commas inside its numbers)."""
    best, best_score = ",", (0, 0)
    for sep in SEPARATORS:
        try:
            counts = [len(row) for row in csv.reader(lines[:20], delimiter=sep) if row]
        except csv.Error:
            continue  # csv_open refuses the file, naming the line
        if not counts or counts[0] < 2:
            continue
        steady = sum(1 for n in counts if n == counts[0])
        score = (steady, counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _lines(path, encoding: str) -> Iterator[str]:
    # newline="" hands line ends to the csv module, which knows quoted cells span lines.
    with open(path, encoding=encoding, newline="") as handle:
        for line in handle:
            yield nfc(line)


def _rows(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves blank lines at the end
            yield reader.line_num, [cell.strip() for cell in cells]
    except csv.Error as exc:
        # A cell past csv's field limit (128 KiB: a WKT of some 5,000 vertices) or a NUL
        # byte: the file is refused with its line, not left to fail the page.
        raise ValueError(_("line %(line)d: %(error)s") % {"line": reader.line_num,
                                                          "error": exc}) from None


def csv_open(path) -> CsvContent:
    """The NFC-normalised header of a CSV file, and its rows as they are read (the file is
    streamed, never held whole; reading raises ValueError, naming the line)."""
    encoding = _encoding(path)
    head = list(itertools.islice(_lines(path, encoding), 20))
    if not head or not head[0].strip():
        raise ValueError(_("The file is empty or has no header row."))
    separator = _separator([line.rstrip("\r\n") for line in head])
    reader = csv.reader(_lines(path, encoding), delimiter=separator)
    try:
        header = [cell.strip() for cell in next(reader)]
    except csv.Error as exc:
        raise ValueError(_("line %(line)d: %(error)s") % {"line": reader.line_num,
                                                          "error": exc}) from None
    with open(path, "rb") as handle:
        had_bom = handle.read(3) == codecs.BOM_UTF8
    return CsvContent(_unique(header), _rows(reader), encoding, separator, had_bom)


def csv_read(path) -> CsvContent:
    """Read a CSV file into NFC-normalised header and rows (raises ValueError)."""
    content = csv_open(path)
    content.rows = list(content.rows)
    return content


def _unique(header: list[str]) -> list[str]:
    """Blank or repeated headers get a number, so every column can be chosen."""
    seen, columns = {}, []
    for i, name in enumerate(header, start=1):
        name = name or _("column %d") % i
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        columns.append(name)
    return columns
