"""CQL2 `filter` of OGC API – Features Part 3: the text is parsed by pygeofilter (cql2-text or
cql2-json) and its syntax tree translated here into a Django Q over the collection's
queryables only (assets.ogc.queryables), so no text of a request ever becomes SQL: names map
to fixed ORM lookups, values become bound parameters.

Comparisons are lookup expressions rather than keyword filters so that NOT keeps SQL's (and
CQL2's) three-valued logic: `NOT status = 'x'` leaves out rows without a status, where
Django's exclude() would add them. Everything is checked before the database sees it: the
length of the text (before parsing), the nesting depth, the vertices of a geometry (before
GEOS builds it), the value types; any failure is a ParamError naming `filter`.
"""
import functools
import json
import operator

from django.db.models import F, Lookup, Q, Value
from django.db.models import lookups as sql
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from pygeofilter import ast
from pygeofilter.parsers.cql2_json import parse as cql2_json_parse

from assets.ogc.cql2_text import parse as cql2_text_parse
from assets.ogc.cql2_values import (
    enum_check,
    filter_error,
    geometry_literal,
    literal,
    named,
    short,
)
from assets.ogc.queryables import GEOMETRY, queryables
from geodata.params import ParamError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
PARAMS = ("filter", "filter-lang", "filter-crs")
LANGUAGES = {"cql2-text": cql2_text_parse,
             "cql2-json": lambda text: cql2_json_parse(_json_normalized(json.loads(text)))}
# Bounds that keep a hostile filter cheap: ~8 kB of text, a few dozen nested conditions,
# an IN list of a thousand values (and a geometry's vertices: assets.ogc.cql2_values).
MAX_CHARS = 8_000
MAX_DEPTH = 40
MAX_LIST = 1_000
COMPARISONS = {ast.Equal: sql.Exact, ast.LessThan: sql.LessThan,
               ast.LessEqual: sql.LessThanOrEqual, ast.GreaterThan: sql.GreaterThan,
               ast.GreaterEqual: sql.GreaterThanOrEqual}
# A comparison with the literal on the left reads the other way round.
FLIPPED = {ast.LessThan: ast.GreaterThan, ast.GreaterThan: ast.LessThan,
           ast.LessEqual: ast.GreaterEqual, ast.GreaterEqual: ast.LessEqual}
SPATIAL = {ast.GeometryIntersects: "intersects", ast.GeometryDisjoint: "disjoint",
           ast.GeometryContains: "contains", ast.GeometryWithin: "within",
           ast.GeometryTouches: "touches", ast.GeometryCrosses: "crosses",
           ast.GeometryOverlaps: "overlaps", ast.GeometryEquals: "equals"}
SPATIAL_FLIPPED = {"contains": "within", "within": "contains"}
# pygeofilter reads CASEI(x) as lower(x).
CASEI = "lower"


class Like(Lookup):
    """CQL2 LIKE is SQL LIKE: % and _ are the wildcards, a backslash escapes; the pattern is
    a bound parameter."""

    lookup_name = "cql2_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def filter_q(collection, params) -> Q:
    """The Q of the request's `filter` (an empty Q without one)."""
    language = params.get("filter-lang", "cql2-text")
    if language not in LANGUAGES:
        raise ParamError("filter-lang", _("filter-lang takes cql2-text or cql2-json."))
    if params.get("filter-crs", CRS84) != CRS84:
        raise ParamError("filter-crs", _("Only CRS84 (longitude, latitude) is supported."))
    text = params.get("filter")
    if text is None:
        return Q()
    if len(text) > MAX_CHARS:
        raise filter_error(_("The filter is longer than %(n)d characters.") % {"n": MAX_CHARS})
    try:
        tree = LANGUAGES[language](text)
    except ParamError:
        raise
    # The parser meets hostile text: whatever it raises is a filter it could not read.
    except Exception as error:  # noqa: BLE001
        raise filter_error(_("The filter is not valid %(language)s%(where)s.") % {
            "language": language, "where": _where(error)}) from None
    return _Translator(queryables(collection)).condition(tree, 0)


def _json_normalized(node, depth=0):
    """The cql2-json document as pygeofilter 0.4 reads it: BETWEEN's args are
    [property, low, high] in CQL2 1.0, [property, [low, high]] in the draft it follows."""
    if depth > 4 * MAX_DEPTH:
        raise filter_error(_("The filter nests deeper than %(n)d levels.") % {"n": MAX_DEPTH})
    if isinstance(node, list):
        return [_json_normalized(item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_normalized(value, depth + 1) for key, value in node.items()}
    args = node.get("args")
    if node.get("op") == "between" and isinstance(args, list) and len(args) == 3:
        node["args"] = [args[0], args[1:]]
    return node


def _where(error):
    line, column = getattr(error, "line", None), getattr(error, "column", None)
    if isinstance(line, int) and isinstance(column, int) and line > 0:
        return _(" (line %(line)d, column %(column)d)") % {"line": line, "column": column}
    return ""


def _operands(node, kind):
    """The operands of a chain of one operator, left to right (iterative: a chain of
    hundreds of ORs is a tree hundreds deep)."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, kind):
            stack += [item.rhs, item.lhs]
        else:
            found.append(item)
    return found


class _Translator:
    def __init__(self, known):
        self.known = known

    def condition(self, node, depth) -> Q:
        if depth > MAX_DEPTH:
            raise filter_error(_("The filter nests deeper than %(n)d levels.") % {"n": MAX_DEPTH})
        depth += 1
        for kind, combine in ((ast.And, operator.and_), (ast.Or, operator.or_)):
            if isinstance(node, kind):
                # A long flat list (a OR b OR c ...) is one level, not one per operand.
                return functools.reduce(combine, (self.condition(operand, depth)
                                                  for operand in _operands(node, kind)))
        if isinstance(node, ast.Not):
            return ~self.condition(node.sub_node, depth)
        if type(node) in COMPARISONS or isinstance(node, ast.NotEqual):
            return self.comparison(node)
        for kind, method in ((ast.Like, self.like), (ast.In, self.within_list),
                             (ast.Between, self.between), (ast.IsNull, self.is_null)):
            if isinstance(node, kind):
                return method(node)
        if type(node) in SPATIAL:
            return self.spatial(node)
        raise filter_error(_("%(what)s is not supported in a filter.") % {"what": named(node)})

    # Properties and values

    def property(self, node, *, spatial=False):
        """(queryable, expression) of the property side; CASEI(property) is lowered."""
        if isinstance(node, ast.Function) and node.name == CASEI and len(node.arguments) == 1:
            queryable, _expression = self.property(node.arguments[0])
            if not queryable.text:
                raise filter_error(_("CASEI takes a text property, not %(name)s.")
                             % {"name": queryable.name})
            return queryable, Lower(F(queryable.lookup))
        if not isinstance(node, ast.Attribute):
            raise filter_error(_("Expected a queryable, found %(what)s.") % {"what": named(node)})
        queryable = self.known.get(node.name)
        if queryable is None:
            raise filter_error(_("Unknown queryable %(name)s. Queryables: %(known)s.") % {
                "name": short(node.name), "known": ", ".join(self.known)})
        if (queryable.type == GEOMETRY) != spatial:
            raise filter_error(_("%(name)s cannot be used here.") % {"name": queryable.name})
        return queryable, F(queryable.lookup)

    def value(self, node, queryable, *, lowered=False):
        """A bound literal of the queryable's type (lowered by the database for CASEI)."""
        if isinstance(node, ast.Function) and node.name == CASEI and len(node.arguments) == 1:
            node, lowered = node.arguments[0], True
        value = literal(node, queryable)
        if lowered:
            if not queryable.text:
                raise filter_error(_("CASEI takes text."))
            return Lower(Value(value))
        return Value(value)

    def sides(self, node, lhs, rhs):
        """The predicate's type and its property and value sides, in either order."""
        kind = type(node)
        if isinstance(rhs, (ast.Attribute, ast.Function)) and not isinstance(
                lhs, (ast.Attribute, ast.Function)):
            lhs, rhs = rhs, lhs
            kind = FLIPPED.get(kind, kind)
        queryable, expression = self.property(lhs)
        lowered = isinstance(expression, Lower)
        return kind, queryable, expression, self.value(rhs, queryable, lowered=lowered)

    # Predicates

    def comparison(self, node):
        kind, queryable, expression, value = self.sides(node, node.lhs, node.rhs)
        if kind in (ast.Equal, ast.NotEqual) and isinstance(value, Value):
            enum_check(queryable, [value.value])
        elif queryable.type in ("string", "boolean") and kind not in (ast.Equal, ast.NotEqual):
            if queryable.type == "boolean" or queryable.enum:
                raise filter_error(_("%(name)s takes = and <> only.") % {"name": queryable.name})
        if kind is ast.NotEqual:
            return ~Q(sql.Exact(expression, value))
        return Q(COMPARISONS[kind](expression, value))

    def like(self, node):
        queryable, expression = self.property(node.lhs)
        if not queryable.text:
            raise filter_error(_("LIKE takes a text property, not %(name)s.")
                         % {"name": queryable.name})
        pattern = self.value(node.pattern, queryable, lowered=isinstance(expression, Lower))
        condition = Q(Like(expression, pattern))
        return ~condition if node.not_ else condition

    def within_list(self, node):
        if len(node.sub_nodes) > MAX_LIST:
            raise filter_error(_("IN takes at most %(n)d values.") % {"n": MAX_LIST})
        queryable, expression = self.property(node.lhs)
        if isinstance(expression, Lower):
            raise filter_error(_("CASEI is not supported with IN."))
        listed = [literal(item, queryable) for item in node.sub_nodes]
        enum_check(queryable, listed)
        condition = Q(sql.In(expression, listed))
        return ~condition if node.not_ else condition

    def between(self, node):
        queryable, expression = self.property(node.lhs)
        if not (queryable.type in ("integer", "number") or queryable.format
                or (queryable.text and not queryable.enum)):
            raise filter_error(_("BETWEEN takes a number, date or text property, not "
                           "%(name)s.") % {"name": queryable.name})
        low, high = self.value(node.low, queryable), self.value(node.high, queryable)
        condition = Q(sql.GreaterThanOrEqual(expression, low)) & Q(
            sql.LessThanOrEqual(expression, high))
        return ~condition if node.not_ else condition

    def is_null(self, node):
        queryable = self.known.get(getattr(node.lhs, "name", None))
        spatial = queryable is not None and queryable.type == GEOMETRY
        queryable, expression = self.property(node.lhs, spatial=spatial)
        condition = Q(sql.IsNull(expression, True))
        return ~condition if node.not_ else condition

    def spatial(self, node):
        operation, lhs, rhs = SPATIAL[type(node)], node.lhs, node.rhs
        if not isinstance(lhs, ast.Attribute) and isinstance(rhs, ast.Attribute):
            lhs, rhs = rhs, lhs
            operation = SPATIAL_FLIPPED.get(operation, operation)
        queryable, _expression = self.property(lhs, spatial=True)
        return Q(**{f"{queryable.lookup}__{operation}": geometry_literal(rhs)})
