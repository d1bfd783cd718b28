"""The cql2-text parser: pygeofilter's grammar and transformer, with two of its rules put
right (pygeofilter 0.4):

- AND binds tighter than OR, as CQL2 says; pygeofilter reads both at one level from the
  left, so `a OR b AND c` would silently mean `(a OR b) AND c`;
- NOT applies to any condition, `NOT (a OR b)` included, which pygeofilter cannot parse.

The grammar text is pygeofilter's own, so everything else (literals, WKT, functions) parses
exactly as there; a rule that is no longer where it was is an error at import, not a silently
different parser.
"""
import os
from pathlib import Path

import pygeofilter.parsers.cql2_text.parser as upstream
from lark import Lark

PRECEDENCE = (
    '''?condition: condition_1
          | condition "AND"i condition_1                                 -> and_
          | condition "OR"i condition_1                                   -> or_''',
    '''?condition: conjunction
          | condition "OR"i conjunction                                   -> or_

?conjunction: condition_1
          | conjunction "AND"i condition_1                               -> and_''',
)
NEGATION = (
    '''            | "NOT"i predicate                                               -> not_
            | "NOT"i "(" predicate ")"                                       -> not_''',
    '''            | "NOT"i condition_1                                             -> not_''',
)


def _grammar() -> str:
    text = (Path(upstream.__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    for old, new in (PRECEDENCE, NEGATION):
        if old not in text:
            raise RuntimeError("pygeofilter's cql2-text grammar changed: review assets/ogc/"
                               "cql2_text.py")
        text = text.replace(old, new)
    return text


_PARSER = Lark(
    _grammar(),
    parser="lalr",
    maybe_placeholders=False,
    transformer=upstream.CQLTransformer(),
    import_paths=[os.path.dirname(os.path.dirname(upstream.__file__))],
)


def parse(text: str):
    """The pygeofilter syntax tree of a cql2-text filter."""
    return _PARSER.parse(text)
