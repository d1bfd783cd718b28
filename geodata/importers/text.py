"""Text quirks of the files a province keeps: Unicode forms, accents, decimal commas.

>>> nfc("Le\u0302 Lo\u031bi") == "Lê Lợi"
True
>>> fold("  Vĩ Độ ")
'vi do'
>>> number_parse("21,8530")
21.853
>>> number_parse("1.234,5")
1234.5
>>> integer_parse("1.234")
1234
"""
import functools
import re
import unicodedata


def nfc(value: str) -> str:
    """Store composed Unicode: Excel on macOS and some phones write decomposed letters."""
    return unicodedata.normalize("NFC", value)


class _Marks(dict):
    """str.translate table that drops combining marks, filled as characters are met: after
    the first rows every lookup stays in C (a generator over the characters cost 40 µs a
    name, 4 s for a file of 100,000)."""

    def __missing__(self, code: int):
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _Marks()
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)
def fold(value: str) -> str:
    """Lower case, no accents, đ→d, runs of non-letters to one space (for matching only)."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = decomposed.translate(_MARKS).lower()
    return _NON_ALNUM.sub(" ", bare).strip()


_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,\s]\d{3})+$")


def number_parse(value: str) -> float:
    """A decimal number with a point or a comma as the decimal mark (raises ValueError)."""
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." in text:
        # Both marks: the last one is the decimal mark, the other groups thousands.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    if not text:
        raise ValueError("empty")
    return float(text)


def integer_parse(value: str) -> int:
    """A whole number; `1.234` and `1,234` are Vietnamese/English thousands groupings."""
    text = value.strip()
    if _GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    number = number_parse(text)
    if number != int(number):
        raise ValueError("not a whole number")
    return int(number)
