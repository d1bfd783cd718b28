"""Join the part files of a print job into one PDF, streaming: one part is read at a time, its
objects are renumbered and written straight to the target, and only their offsets (one
integer an object) and the page list stay in memory, whatever the number of plaques.

General PDF mergers (pypdf's writer) keep every copied object until they write the file,
which is what the part files exist to avoid. The parts are reportlab's own output (a classic
xref table, no object streams, one flat page tree), so a join needs no general PDF parser:
an object is the bytes between its xref offset and the next one's, and only its dictionary
(never its stream data) has references to renumber.
"""
import hashlib
import re
from os import PathLike
from pathlib import Path

REF = re.compile(rb"(\d+) 0 R\b")
HEADER = re.compile(rb"^(\d+) 0 obj")
STREAM = re.compile(rb"\bstream\r?\n")
# Object numbers of the joined file's page tree and catalog, written last.
PAGES, CATALOG = 1, 2


class PdfJoinError(ValueError):
    """A part is not a PDF this joiner understands (not reportlab's classic layout)."""


def _trailer_ref(data: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb" (\d+) 0 R", data[data.rindex(b"trailer"):])
    return int(found.group(1)) if found else None


def _objects(data: bytes) -> dict[int, bytes]:
    """Object number -> its bytes ("N 0 obj ... endobj"), from the xref table."""
    try:
        start = int(data[data.rindex(b"startxref") + 9:].split()[0])
        lines = data[start:data.index(b"trailer", start)].split(b"\n")
        first, count = (int(v) for v in lines[1].split())
    except ValueError as error:
        raise PdfJoinError("no classic xref table") from error
    offsets = {}
    for k, line in enumerate(lines[2:2 + count]):
        fields = line.split()
        if len(fields) == 3 and fields[2] == b"n":
            offsets[first + k] = int(fields[0])
    ordered = sorted(offsets.items(), key=lambda item: item[1])
    ends = [offset for _n, offset in ordered[1:]] + [start]
    return {n: data[offset:end] for (n, offset), end in zip(ordered, ends, strict=True)}


def _renumber(body: bytes, number: int, mapping: dict[int, int]) -> bytes:
    """The object under its new number, its references renumbered (dictionary only)."""
    found = STREAM.search(body)
    head, tail = (body[:found.start()], body[found.start():]) if found else (body, b"")
    head = HEADER.sub(b"%d 0 obj" % number, head, count=1)
    return REF.sub(lambda m: b"%d 0 R" % mapping[int(m.group(1))], head) + tail


def _kids(pages_body: bytes) -> list[int]:
    kids = re.search(rb"/Kids \[([^\]]*)\]", pages_body)
    if kids is None:
        raise PdfJoinError("no page list")
    return [int(n) for n in REF.findall(kids.group(1))]


def pdf_join(parts: list[str | PathLike], target: str | PathLike) -> int:
    """Write the pages of `parts`, in order, as one PDF at `target`; the document
    information (title, creator) is the first part's. Returns the number of pages."""
    offsets: list[int] = [0, 0, 0]  # free entry, PAGES, CATALOG
    kids: list[int] = []
    info = None
    with open(target, "wb") as out:
        out.write(b"%PDF-1.4\n%\x93\x8c\x8b\x9e qrmap\n")
        for part in parts:
            data = Path(part).read_bytes()
            objects = _objects(data)
            root, part_info = _trailer_ref(data, b"Root"), _trailer_ref(data, b"Info")
            tree = int(re.search(rb"/Pages (\d+) 0 R", objects[root]).group(1))
            part_kids = _kids(objects[tree])
            if any(b"/Type /Pages" in objects[k] for k in part_kids):
                raise PdfJoinError("nested page tree")
            kept = [n for n in sorted(objects) if n not in (root, tree)
                    and (n != part_info or info is None)]
            mapping = {tree: PAGES}
            mapping.update({n: len(offsets) + k for k, n in enumerate(kept)})
            for n in kept:
                offsets.append(out.tell())
                out.write(_renumber(objects[n], mapping[n], mapping))
            kids += [mapping[k] for k in part_kids]
            if info is None and part_info is not None:
                info = mapping[part_info]
            del data, objects  # one part in memory at a time
        _tail(out, offsets, kids, info)
    return len(kids)


def _tail(out, offsets: list[int], kids: list[int], info: int | None) -> None:
    """The page tree, the catalog, the cross-reference table and the trailer."""
    offsets[PAGES] = out.tell()
    out.write(b"%d 0 obj\n<<\n/Count %d /Kids [" % (PAGES, len(kids)))
    for start in range(0, len(kids), 10):
        out.write(b" ".join(b"%d 0 R" % k for k in kids[start:start + 10]) + b"\n")
    out.write(b"] /Type /Pages\n>>\nendobj\n")
    offsets[CATALOG] = out.tell()
    out.write(b"%d 0 obj\n<<\n/PageMode /UseNone /Pages %d 0 R /Type /Catalog\n>>\nendobj\n"
              % (CATALOG, PAGES))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets))
    for offset in offsets[1:]:
        out.write(b"%010d 00000 n \n" % offset)
    file_id = hashlib.md5(repr((offsets[-8:], len(kids))).encode(),
                          usedforsecurity=False).hexdigest().encode()
    out.write(b"trailer\n<<\n/ID [<%s><%s>]\n" % (file_id, file_id))
    if info is not None:
        out.write(b"/Info %d 0 R\n" % info)
    out.write(b"/Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
              % (CATALOG, len(offsets), xref))
