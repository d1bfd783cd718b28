"""Reading CSV exports from Excel and LibreOffice: BOM or not, `;` or `,`, NFD or NFC.

The csv module reads the rows; GDAL's CSV driver would need the separator and the
coordinate columns named up front, and it cannot repair decimal commas.
"""
import csv
from dataclasses import dataclass

from django.utils.translation import gettext as _

from geodata.importers.text import nfc

SEPARATORS = [";", ",", "\t", "|"]
# Excel in Vietnamese Windows may still save "CSV" in the legacy code page.
ENCODINGS = ["utf-8-sig", "cp1258"]


@dataclass
class CsvContent:
    columns: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str
    separator: str
    had_bom: bool


def _decode(raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
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
            continue  # csv_read refuses the file, naming the line
        if not counts or counts[0] < 2:
            continue
        steady = sum(1 for n in counts if n == counts[0])
        score = (steady, counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def csv_read(path) -> CsvContent:
    """Read a CSV file into NFC-normalised header and rows (raises ValueError)."""
    raw = path.read_bytes()
    text, encoding = _decode(raw)
    text = nfc(text)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(_("The file is empty or has no header row."))
    separator = _separator(lines)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=separator)
    rows = []
    try:
        header = [cell.strip() for cell in next(reader)]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves blank lines at the end
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        # A cell past csv's field limit (128 KiB: a WKT of some 5,000 vertices) or a NUL
        # byte: the file is refused with its line, not left to fail the page.
        raise ValueError(_("line %(line)d: %(error)s") % {"line": reader.line_num,
                                                          "error": exc}) from None
    columns = _unique(header)
    return CsvContent(columns, rows, encoding, separator, raw.startswith(b"\xef\xbb\xbf"))


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
