"""Pages of the asset list that stop at a cap when the list is a name search.

A common word ("duong", "cho") is part of a third of a national registry's names: counting
every match, or sorting them all for the first page, reads several hundred thousand rows for a
list no client pages through. With `q`, the list is the first COUNT_CAP matches by id (the
first registered; a fixed set, so pages do not overlap), in the asked order; `count_capped`
says when more match. A client that wants the others narrows the search (a longer text, a
commune, a kind).
"""
from functools import cached_property, partial

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL

from assets import search
from geodata.apis import ApiPagination
from geodata.sqlarrays import number_array, text_array
from qrmap.paging import estimated_rows

COUNT_CAP = 1000
# Matches, as PostgreSQL estimates them (from a histogram of the folded names of 1,000
# buckets, assets 0028: with 100 the estimate moved in steps of this very number), under which
# reading them all from the trigram index and sorting their ids beats walking the ids in
# order until cap + 1 match. At 1,000,000 assets (bench search): 4,300 matches read whole
# 4× faster than walked, 20,000 1.4× slower, 316,000 a hundred times slower.
SPARSE_MATCHES = 10_000


class EncodedPaginator(Paginator):
    """Pages that hold what `encode` makes of their rows' query (the Feature texts that
    PostgreSQL writes, assets.api.features) rather than the rows as models."""

    def __init__(self, object_list, *args, encode=None, encode_key=None, **kwargs):
        super().__init__(object_list, *args, **kwargs)
        self.encode = encode
        # What the encoded query's text depends on besides the rows (the view's language,
        # its URLs): with it a name search's page query is compiled once (_page_texts).
        self.encode_key = encode_key

    def page(self, number):
        page = super().page(number)
        if self.encode is not None:
            page.object_list = self.encode(page.object_list)
        return page


class CappedPaginator(EncodedPaginator):
    """Pages of the first `cap` rows by id; `capped` says whether more match."""

    cap = COUNT_CAP

    def __init__(self, object_list, *args, **kwargs):
        super().__init__(object_list, *args, **kwargs)
        self.matches = object_list

    def first_matches(self):
        """The search itself: the ids of the first cap + 1 matches, each with its name_vi,
        the key of the list's default order."""
        matches = self.matches.order_by()
        walked = estimated_rows(matches) > SPARSE_MATCHES
        text = search.names_alone(matches)
        if text:
            # A name search alone: the ids are the search table's, with no join to the
            # assets (at 1,000,000, 7,800 matches read in 19 ms rather than 37).
            matches = (search.name_walked(text) if walked else
                       search.name_matches(text, rarest_pair=False))
            key = "asset_id"
        else:
            # The walk checks every row it reads: the check no index serves is the cheaper.
            matches, key = (search.names_walked(matches) if walked else matches), "pk"
        # Sparse: by an expression, not the column, so that PostgreSQL cannot walk the ids
        # in order (the plan it picks whatever the number of matches, because it counts a
        # row's text check as almost free) and reads the matches from the index.
        order = key if walked else F(key) + 0
        return matches.order_by(order).values_list(key, "name_vi")[: self.cap + 1]

    @cached_property
    def first_rows(self) -> list[tuple[int, str]]:
        # One search for both the count and the pages, fetched once.
        return list(self.first_matches())

    @property
    def first_ids(self) -> list[int]:
        return [pk for pk, _ in self.first_rows]

    @cached_property
    def count(self) -> int:
        return min(len(self.first_rows), self.cap)

    @property
    def capped(self) -> bool:
        return len(self.first_rows) > self.cap

    @property
    def name_ordered(self) -> bool:
        """Whether the list's order is the default, by name_vi (then id)."""
        ordering = self.matches.query.order_by or self.matches.model._meta.ordering
        return list(ordering) in (["name_vi"], ["name_vi", "pk"])

    def page(self, number):
        if not self.name_ordered:
            self.object_list = _only(self.matches, self.first_ids[: self.cap])
            return super().page(number)
        # Paginator.page's numbers and orphans, but the page's rows alone are read.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listed = self.first_rows[: self.cap]
        values = {"ids": number_array(pk for pk, _ in listed),
                  "names": text_array(name for _, name in listed),
                  "limit": top - bottom, "offset": bottom}
        if self.encode is None or self.encode_key is None:
            rows = _name_page(self.matches, **values)
            return self._get_page(rows if self.encode is None else self.encode(rows), number,
                                  self)
        query = self.matches.query
        key = (self.encode_key, self.matches.model, self.matches.db,
               repr(query.select_related), query.deferred_loading)
        texts = _page_texts(key, lambda slots: self.encode(_name_page(self.matches, **slots)),
                            values)
        return self._get_page(texts, number, self)


def _only(queryset, ids: list[int]):
    """The rows of these ids, loaded and ordered as queryset asks: the filters have run in
    the search already and are not repeated."""
    # One array parameter rather than `IN (%s, ...)` with a thousand: the driver splits the
    # query text at every placeholder. Arrays go as their text: the driver's list adapter
    # took a millisecond for a thousand items.
    return _rows(queryset, '"{table}"."id" = ANY(%s::bigint[])', [number_array(ids)])


def _name_page(queryset, *, ids, names, limit, offset):
    """The rows `offset` to `offset + limit` of the (id, name_vi) pairs given as two array
    texts, sorted by name_vi then id, loaded and ordered as queryset asks. PostgreSQL sorts
    the pairs the search brought, in its own collation (the column's, not Python's), and
    reads the asset rows of the page only. At 1,000,000 assets (bench search's queries),
    reading the thousand listed rows to sort them made the page's query 15-16 ms at the 95th
    percentile; 8-9 ms now."""
    return _rows(queryset, '"{table}"."id" IN (SELECT u.id FROM unnest(%s::bigint[], '
                           '%s::text[]) AS u(id, name) ORDER BY u.name, u.id LIMIT %s '
                           'OFFSET %s)', [ids, names, limit, offset])


class _Slot:
    """A parameter of a query compiled once, filled at each run (_page_texts)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


# Compiled page queries by what their text depends on; a few per language and host.
_PAGE_QUERIES: dict = {}
_PAGE_QUERIES_MAX = 64


def _page_texts(key, build, values: dict) -> list:
    """What `build(parameters)` selects, run with `values`: the query is built and compiled
    once per key, with a _Slot where each value goes, and later runs only fill them in.
    Building the Feature query of a page and compiling it took 6.6 ms, a tenth of a name
    search at 1,000,000 assets."""
    compiled = _PAGE_QUERIES.get(key)
    if compiled is None:
        queryset = build({name: _Slot(name) for name in values})
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        slots = {i: p.name for i, p in enumerate(params) if isinstance(p, _Slot)}
        if sorted(slots.values()) != sorted(values):
            raise RuntimeError(f"a page query holds its parameters {sorted(slots.values())}")
        if len(_PAGE_QUERIES) >= _PAGE_QUERIES_MAX:
            _PAGE_QUERIES.clear()
        _PAGE_QUERIES[key] = compiled = (sql, tuple(params), slots, queryset.db)
    sql, params, slots, db = compiled
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [values[slots[i]] if i in slots else param
                             for i, param in enumerate(params)])
        return [value for (value,) in cursor.fetchall()]


def _rows(queryset, condition: str, params: list):
    query, table = queryset.query, queryset.model._meta.db_table
    rows = queryset.model._base_manager.filter(
        RawSQL(condition.format(table=table), params, output_field=BooleanField()))
    rows.query.select_related = query.select_related
    rows.query.deferred_loading = query.deferred_loading
    return rows.order_by(*(query.order_by or queryset.model._meta.ordering), "pk")


class AssetPagination(ApiPagination):
    """ApiPagination with a capped count for name searches (`q`); a page holds what the
    view's `page_encode` makes of its rows, when it has one."""

    capped_by = "q"

    def paginate_queryset(self, queryset, request, view=None):
        searched = bool(request.query_params.get(self.capped_by, "").strip())
        paginator = CappedPaginator if searched else EncodedPaginator
        key = getattr(view, "page_encode_key", None)
        self.django_paginator_class = partial(paginator, encode=getattr(view, "page_encode",
                                                                        None),
                                              encode_key=key() if key else None)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        capped = isinstance(self.page.paginator, CappedPaginator) and self.page.paginator.capped
        items = list(response.data.items())
        at = [key for key, _ in items].index("count") + 1
        response.data = type(response.data)(items[:at] + [("count_capped", capped)] + items[at:])
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"true when more than {COUNT_CAP:,} assets match q: count then "
                           f"says {COUNT_CAP:,} and the pages stop there (narrow the search).",
        }
        result.setdefault("required", []).append("count_capped")
        return result
