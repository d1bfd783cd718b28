"""Digital-address codes: 7 random Crockford base-32 symbols and 1 check symbol.

The code has no administrative prefix: units get merged, and a code must never change.

Why not Crockford's own mod-37 check: it needs 5 extra symbols (`*~$=U`) outside QR
alphanumeric mode. A weighted sum modulo 32 cannot catch both kinds of typo (a weight must be
odd to catch a single wrong symbol, and two odd neighbours differ by an even number, which
lets some swaps through). So the check is a weighted sum in the finite field GF(32), where
every non-zero weight is invertible: with distinct non-zero weights it catches every
single-symbol error and every transposition of two symbols, adjacent or not (the tests prove
it exhaustively for the error classes the issue names).

>>> normalize("7pj2-qxrf")
'7PJ2QXRF'
>>> normalize(" oIl1 ")
'0111'
>>> is_valid(with_check("7PJ2QXR"))
True
>>> group("7PJ2QXRF")
'7PJ2-QXRF'
"""
import secrets

from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Concat, Left, Substr

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {symbol: i for i, symbol in enumerate(ALPHABET)}
LENGTH = 8
BODY_LENGTH = LENGTH - 1
# Crockford's reading rules: O is zero, I and L are one; U is excluded and read as V.
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V", "-": None, " ": None})
_POLY = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


def _gf_mul(a, b):
    """Multiply in GF(32). >>> _gf_mul(2, 16)  # x * x^4 = x^5 = x^2 + 1
    5"""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _POLY
    return product


def _powers():
    w, out = 2, []  # α = x is primitive for this polynomial, so α^1..α^7 are distinct
    for _ in range(BODY_LENGTH):
        out.append(w)
        w = _gf_mul(w, 2)
    return out


WEIGHTS = _powers()
# The weighted sum by table lookups: per position, the product of its weight with each of the
# 32 symbol values, keyed by the symbol itself. Issuing 100,000 codes for an import spent a
# second in _gf_mul's bit loop; the tables make a check symbol seven lookups and XORs.
_PRODUCTS = [{symbol: _gf_mul(w, v) for symbol, v in VALUES.items()} for w in WEIGHTS]


def normalize(text):
    """Upper-case, map look-alikes (O→0, I/L→1, U→V), drop dashes and spaces."""
    return (text or "").strip().upper().translate(_TRANSLATE)


def check_symbol(body):
    """The symbol that makes the GF(32) weighted sum of the whole code zero."""
    if len(body) != BODY_LENGTH:
        raise ValueError(f"a code body has {BODY_LENGTH} symbols")
    total = 0
    for products, symbol in zip(_PRODUCTS, body, strict=True):
        total ^= products[symbol]
    return ALPHABET[total]


def with_check(body):
    return body + check_symbol(body)


def is_well_formed(code):
    return len(code) == LENGTH and all(c in VALUES for c in code)


def is_valid(code):
    """True for a normalized 8-symbol code whose check symbol matches."""
    code = normalize(code)
    return is_well_formed(code) and check_symbol(code[:-1]) == code[-1]


GROUP = 4  # symbols in the first group


def group(code):
    """Show a code in two groups of four, the way plaques print it."""
    return f"{code[:GROUP]}-{code[GROUP:]}" if code else ""


def group_expression(field: str) -> Case:
    """group() in SQL, for rows that PostgreSQL writes out itself (the asset list API)."""
    return Case(When(**{field: ""}, then=Value("")),
                default=Concat(Left(field, GROUP), Value("-"), Substr(field, GROUP + 1)),
                output_field=TextField())


def random_code():
    # One byte per symbol, its low five bits: 256 is a multiple of 32, so every symbol is
    # equally likely, as with secrets.choice, at a seventh of the calls.
    body = "".join(ALPHABET[b & 31] for b in secrets.token_bytes(BODY_LENGTH))
    return with_check(body)


# Byte → symbol of its low five bits, for drawing many codes from one random buffer.
_SYMBOL_OF_BYTE = bytes(ord(ALPHABET[b & 31]) for b in range(256))


def random_codes(count):
    """`count` random codes (not checked against the issued ones), from one draw of the
    system's random source: the same distribution as random_code, a fifth of its cost.

    >>> all(is_valid(code) for code in random_codes(100))
    True
    """
    bodies = secrets.token_bytes(BODY_LENGTH * count).translate(_SYMBOL_OF_BYTE).decode()
    return [with_check(bodies[i:i + BODY_LENGTH])
            for i in range(0, BODY_LENGTH * count, BODY_LENGTH)]


def corrections(text):
    """Valid codes one edit away from a mistyped one (a wrong symbol or a swapped pair),
    for a "did you mean" answer. Returns a sorted list; the caller keeps the ones that exist."""
    code = normalize(text)
    if not is_well_formed(code) or is_valid(code):
        return []
    found = set()
    for i in range(LENGTH):
        for symbol in ALPHABET:
            candidate = code[:i] + symbol + code[i + 1:]
            if candidate != code and is_valid(candidate):
                found.add(candidate)
    for i in range(LENGTH - 1):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        if is_valid(swapped):
            found.add(swapped)
    return sorted(found)
