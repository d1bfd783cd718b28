"""Keyset paging and "about N" counts for the public lists (the assets list, the coverage
list), which reach millions of rows at national scale.

A page by OFFSET reads and drops every row before it, and a paginator counts every row
on every page. Here a page starts after (or ends before) the sort key of one row, which
the list's index finds at once, so the thousandth page costs what the first does; the
total is exact up to COUNT_EXACT_UP_TO rows and PostgreSQL's estimate above that."""
import json
from dataclasses import dataclass

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

COUNT_EXACT_UP_TO = 5000
POSITION_MAX = 10**9


class PagingError(ValueError):
    """A cursor or position the list cannot page from: the view answers 400 with it."""


@dataclass(frozen=True)
class KeysetOrder:
    """A list's order: `columns` are the SQL of the sort key, unique as a whole (the row
    comparison of the cursor), `ascending` and `descending` the same as order_by terms."""

    columns: tuple[str, ...]
    ascending: tuple
    descending: tuple


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    first: int  # the position of the first row (1-based), as the links carried it

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def keyset_page(queryset: QuerySet, order: KeysetOrder, *, size: int, after=None,
                before=None, first: int = 1) -> KeysetPage:
    """The `size` rows after the key `after` (a tuple of the columns' values), or before
    `before`, or the first ones. A page that ends before a key knows there is one after it;
    one that starts after a key has one before it."""
    if before is not None:
        rows = list(_beyond(queryset, order, before, "<").order_by(*order.descending)[
            :size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, has_next=True, has_previous=more,
                          first=max(1, first - len(rows)) if more else 1)
    if after is not None:
        queryset = _beyond(queryset, order, after, ">")
    rows = list(queryset.order_by(*order.ascending)[:size + 1])
    return KeysetPage(rows[:size], has_next=len(rows) > size, has_previous=after is not None,
                      first=first)


def _beyond(queryset: QuerySet, order: KeysetOrder, key, operator: str) -> QuerySet:
    if len(key) != len(order.columns):
        raise PagingError("a cursor of another list")
    sql = f"({', '.join(order.columns)}) {operator} ({', '.join(['%s'] * len(key))})"
    return queryset.filter(RawSQL(sql, list(key), output_field=BooleanField()))


def position_parse(text: str | None) -> int:
    """The 1-based position of a page's first row, as a next or previous link carries it
    (only shown: "51–100 of about N"), or PagingError.

    >>> position_parse(None), position_parse("51")
    (1, 51)
    """
    if text is None or text == "":
        return 1
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not (
            1 <= int(text) <= POSITION_MAX):
        raise PagingError(text)
    return int(text)


def count_about(queryset: QuerySet, *, exact_up_to: int | None = None) -> tuple[int, bool]:
    """(how many rows, whether exactly): counted up to `exact_up_to`, which reads no
    further than that; beyond, the planner's estimate of the query (EXPLAIN, no rows read),
    rounded to two significant digits, since it is no closer than that."""
    exact_up_to = COUNT_EXACT_UP_TO if exact_up_to is None else exact_up_to
    counted = queryset.order_by()[:exact_up_to + 1].count()
    if counted <= exact_up_to:
        return counted, True
    estimate = max(int(estimated_rows(queryset.order_by())), counted)
    return _two_digits(estimate), False


def estimated_rows(queryset: QuerySet) -> float:
    """The rows PostgreSQL expects the query to give: its plan (EXPLAIN), no row read."""
    # A query Django knows to be empty (.none(), or `__in` one) is never sent: no plan.
    # The primary key alone: the rows are the same, and the planner no longer plans the
    # select list's joins (select_related) and columns, which cost the API's name search
    # 4.3 ms an estimate at 1,000,000 assets against 2.5.
    query = queryset.query
    if not (query.is_sliced or query.group_by or query.combinator):
        queryset = queryset.values("pk")
    plan = queryset.explain(format="json")
    return json.loads(plan)[0]["Plan"]["Plan Rows"] if plan else 0


def _two_digits(n: int) -> int:
    """
    >>> _two_digits(1234567), _two_digits(5001), _two_digits(99)
    (1200000, 5000, 99)
    """
    scale = 10 ** max(0, len(str(n)) - 2)
    return round(n / scale) * scale
