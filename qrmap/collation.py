"""Vietnamese alphabetical order (GLOSSARY.md, "Sorting"), in the database and in Python.

Code-point order puts "Đông Kinh" after "Tam Thanh" (Đ is U+0110) and "Bình Gia" before
"Bắc Sơn"; Vietnamese order has đ right after d, ă and â right after a, and compares tone
marks only when the letters are equal. PostgreSQL does it with the ICU collation
VI_COLLATION (`Collate("name", VI_COLLATION)`); lists built in Python use vietnamese_key.

>>> sorted(["Tam Thanh", "Đông Kinh", "Dương", "Bình Gia", "Bắc Sơn"], key=vietnamese_key)
['Bắc Sơn', 'Bình Gia', 'Dương', 'Đông Kinh', 'Tam Thanh']
>>> sorted(["Xã Yên Bình", "xã An Hùng", "Xã Ái Quốc", "Xã Ai Lao"], key=vietnamese_key)
['Xã Ai Lao', 'Xã Ái Quốc', 'xã An Hùng', 'Xã Yên Bình']
"""
import unicodedata

VI_COLLATION = "vi-x-icu"

# Letters with a modifier are letters of their own, sorted after the plain one.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
# Tone marks only break ties: none, grave, hook, tilde, acute, dot below.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def vietnamese_key(text: str) -> tuple[str, str, str]:
    """A sort key: letters first, then tone marks, then case."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS:
            letters[-1:] = [letters[-1] + _LETTER_MARKS[char]] if letters else []
        elif char in _TONES:
            tones[-1:] = [tones[-1][:-1] + _TONES[char]] if tones else []
        else:
            # đ sorts as a letter of its own right after d.
            letters.append("d\x7f" if char == "đ" else char)
            tones.append(char + "0")
    return "".join(f"{letter}\x00" for letter in letters), "".join(tones), text
