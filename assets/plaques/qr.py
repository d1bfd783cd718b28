"""The QR symbol of a plaque (ISO/IEC 18004).

The payload is `<PUBLIC BASE URL>/Q/<CODE>` in upper case: host names and the Crockford code
alphabet then fall inside the 45-character alphanumeric set, which packs 5.5 bits a
character instead of 8. At error correction H a 32-character URL fits version 3 (29×29
modules) where byte mode needs version 4, and fewer modules at the same plaque size means
bigger modules, read from further away and through more dirt.
"""
from dataclasses import dataclass
from urllib.parse import urlsplit

import qrcode
from django.conf import settings
from qrcode import constants, util

from assets import codes

ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@dataclass(frozen=True)
class QrSymbol:
    payload: str
    version: int
    alphanumeric: bool
    # Rows of dark (True) / light modules, without the quiet zone.
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.modules)


def base_url_refusal(url: str) -> str:
    """Why `url` cannot be a province's plaque base URL, or '' when it can: an http(s) URL
    with a host, no query or fragment, whose upper case stays in the alphanumeric set.

    >>> base_url_refusal("https://qr.langson.gov.vn")
    ''
    >>> base_url_refusal("https://qr_ls.example")
    'not QR alphanumeric once upper-cased: _'
    >>> base_url_refusal("qr.langson.gov.vn")
    'not an http(s) URL with a host'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not an http(s) URL with a host"
    if parts.query or parts.fragment:
        return "has a query or fragment"
    outside = sorted(set(url.upper()) - ALPHANUMERIC)
    if outside:
        return "not QR alphanumeric once upper-cased: " + "".join(outside)
    return ""


def base_urls_parse(text: str) -> dict[str, str]:
    """QRMAP_PROVINCE_BASE_URLS: "<province GSO code>=<base URL>" pairs separated by commas,
    checked (ValueError says what is wrong).

    >>> base_urls_parse("20=https://qr.langson.gov.vn/, 02=https://qr.hagiang.gov.vn")
    {'20': 'https://qr.langson.gov.vn', '02': 'https://qr.hagiang.gov.vn'}
    >>> base_urls_parse("")
    {}
    """
    urls = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        code, sep, url = (piece.strip() for piece in item.partition("="))
        if not sep or not code.isdigit() or not url:
            raise ValueError(f"{item!r}: expected <province GSO code>=<base URL>")
        url = url.rstrip("/")
        refusal = base_url_refusal(url)
        if refusal:
            raise ValueError(f"{code}={url}: {refusal}")
        if code in urls:
            raise ValueError(f"province {code} is given twice")
        urls[code] = url
    return urls


def base_url_for(province_code: str | None) -> str:
    """The base URL of a province's plaques: its own, else QRMAP_PUBLIC_BASE_URL."""
    return settings.QRMAP_PROVINCE_BASE_URLS.get(province_code or "",
                                                 settings.QRMAP_PUBLIC_BASE_URL)


def qr_payload(*, code: str, base_url: str | None = None) -> str:
    """The URL a plaque carries, upper-cased: qr_payload(code="7PJ2QXRF", base_url="https://qr.langson.gov.vn")
    -> 'HTTPS://QR.LANGSON.GOV.VN/Q/7PJ2QXRF'."""
    base = (base_url or settings.QRMAP_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/Q/{code}".upper()


def qr_payload_code(text: str) -> str:
    """The code a scanned payload names (the inverse of qr_payload), normalized; a bare code
    is read as it is.

    >>> qr_payload_code("HTTPS://QR.LANGSON.GOV.VN/Q/7PJ2QXRF")
    '7PJ2QXRF'
    >>> qr_payload_code("7pj2-qxrf")
    '7PJ2QXRF'
    """
    head, slash_q, tail = (text or "").rpartition("/")
    if head.upper().endswith("/Q") or (not slash_q and not head):
        return codes.normalize(tail)
    return codes.normalize(text)


def qr_symbol(payload: str) -> QrSymbol:
    """Encode at error correction H, in alphanumeric mode when the payload allows it."""
    alphanumeric = set(payload) <= ALPHANUMERIC
    encoder = qrcode.QRCode(error_correction=constants.ERROR_CORRECT_H, border=0)
    if alphanumeric:
        encoder.add_data(util.QRData(payload, mode=util.MODE_ALPHA_NUM))
    else:
        # A base URL with characters outside the set (an underscore, a tilde) still works,
        # at the cost of a bigger symbol.
        encoder.add_data(payload, optimize=0)
    encoder.make(fit=True)
    modules = tuple(tuple(bool(m) for m in row) for row in encoder.get_matrix())
    return QrSymbol(payload=payload, version=encoder.version, alphanumeric=alphanumeric,
                    modules=modules)


def dark_runs(symbol: QrSymbol):
    """Yield (row, first column, length) for each horizontal run of dark modules, so that a
    renderer draws a few hundred rectangles instead of one per module."""
    for y, row in enumerate(symbol.modules):
        x = 0
        n = len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1
