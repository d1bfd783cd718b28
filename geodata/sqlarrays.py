"""Large array parameters as PostgreSQL array literals.

psycopg adapts a Python list element by element in Python (about 20 µs per 1,000 numbers
is fine, but an import passes arrays of 100,000 coordinates several times: 4 s in all).
Numbers and codes need no quoting inside an array literal, so one join builds it; the SQL
casts it (`%s::float8[]`).

>>> number_array([1, 2.5, -3e-05])
'{1,2.5,-3e-05}'
>>> number_array([])
'{}'
"""
from collections.abc import Iterable

_QUOTE = str.maketrans({"\\": "\\\\", '"': '\\"'})


def number_array(values: Iterable[float | int]) -> str:
    """An array literal of ints or floats (repr keeps every float exactly)."""
    return "{" + ",".join(map(repr, values)) + "}"


def word_array(values: Iterable[str]) -> str:
    """An array literal of words made of letters and digits only (codes): no quoting.

    >>> word_array(["7PJ2QXRF", "0000000A"])
    '{7PJ2QXRF,0000000A}'
    """
    return "{" + ",".join(values) + "}"


def text_array(values: Iterable[str]) -> str:
    """An array literal of any texts (external ids): each quoted, backslash and double
    quote escaped, so commas, braces and spaces stay inside their element.

    >>> text_array(['A-1', 'x,"y"', 'a\\\\b'])
    '{"A-1","x,\\\\"y\\\\"","a\\\\\\\\b"}'
    """
    return "{" + ",".join('"' + v.translate(_QUOTE) + '"' for v in values) + "}"
