"""Name search: the conditions and the ranking on AssetSearch.text, the folded names that the
trigram index holds, written so that the planner can use it.

Folding is done by the database function `qrmap_fold` (migration 0008): lower case, accents
removed by `unaccent`, đ/Đ read as d/D. The query is folded by the same function, never in
Python, so that the two sides cannot drift apart. The indexed text is " vi \\n en \\n zh": each
folded name preceded by a space and followed by a newline, which a search text never holds
(whitespace is collapsed), so a match cannot run from one language into the next.
"""
import copy

from django.db import connections
from django.db.models import BooleanField, Expression, F, FloatField, Func, TextField, Value
from django.db.models.functions import Replace, StrIndex

from assets.models import AssetSearch, AssetSearchWord

# Names are at most 300 characters: a longer text cannot be part of one.
MAX_QUERY = 300
# pg_trgm needs three characters in a row to use the index for LIKE; a shorter text is
# looked up as the start of a word (" ab%"), whose padded trigrams the index does hold.
SHORT_QUERY = 3
# The trigram index holds the text with every space made this letter, so that trigrams run
# across words: "na ro" then looks up "naéro" (word ending "na", next word starting "ro"),
# not every name that holds "na" somewhere and "ro" somewhere (pg_trgm cuts words at spaces
# for LIKE). Folded text never holds it (unaccent reads é as e), so the match is exactly
# the text's; pg_trgm counts it as a letter (a word character) in any UTF-8 locale.
JOINER = "é"
# Candidates ranked per search. A common word ("thon", "cho") matches a large share of a
# national registry; ranking all of it would cost time in proportion, and the first page
# would not be more useful than the best of this many.
CANDIDATES = 200
# A mistyped word is replaced by the vocabulary word (AssetSearchWord) nearest to it: at most
# TYPO_EDITS edits away (Levenshtein), and a swap of two letters, the commonest typo on a
# phone, counts as one edit rather than Levenshtein's two and wins a tie ("pca" is "pac", not
# "ca"; "trunog" is "truong", not "trung").
TYPO_EDITS = 2
# Longer words are left as typed: nothing in a name is that long but a code or a number, and
# levenshtein() refuses more than 255 characters.
TYPO_LONGEST_WORD = 40
# One query for the whole correction, folded by the database like the names: each word of the
# query that no name holds (and that is long enough to tell) becomes its nearest word.
_CORRECTED = """
SELECT string_agg(coalesce(
    CASE WHEN length(q.word) NOT BETWEEN %(short)s AND %(longest)s
              OR EXISTS (SELECT 1 FROM assets_assetsearchword w WHERE w.word = q.word)
         THEN q.word END,
    (SELECT w.word FROM (
         SELECT word, ARRAY(SELECT unnest(string_to_array(word, NULL)) ORDER BY 1)
                    = ARRAY(SELECT unnest(string_to_array(q.word, NULL)) ORDER BY 1) AS anagram
         FROM assets_assetsearchword) AS w
     -- CASE, so that levenshtein() never sees a word longer than it takes.
     WHERE CASE WHEN abs(length(w.word) - length(q.word)) <= 1
                THEN public.levenshtein_less_equal(w.word, q.word, %(edits)s) END
           <= %(edits)s
     ORDER BY CASE WHEN w.anagram THEN 1 ELSE public.levenshtein(w.word, q.word) END,
              w.anagram DESC, public.similarity(w.word, q.word) DESC, w.word
     LIMIT 1),
    q.word), ' ' ORDER BY q.n)
FROM regexp_split_to_table(public.qrmap_fold(%(query)s), ' ') WITH ORDINALITY AS q(word, n)
WHERE q.word <> ''
"""


# Each word of the query, folded, in order, with how many names hold it: a whole word's
# count (0 when unknown: added since the last count); for a first or last word that no name
# holds whole, likely a part of one, the names of every vocabulary word that contains it
# (the trigram index on the vocabulary finds them). A typo counts none: nothing matches it.
_WORD_COUNTS = r"""
SELECT q.word, coalesce(
    (SELECT coalesce(w.names, 0) FROM assets_assetsearchword w WHERE w.word = q.word),
    (SELECT sum(w.names) FROM assets_assetsearchword w
     WHERE w.word LIKE '%%' || replace(replace(replace(q.word, '\', '\\'), '%%', '\%%'),
                                      '_', '\_') || '%%'),
    0)
FROM regexp_split_to_table(public.qrmap_fold(%(query)s), ' ') WITH ORDINALITY AS q(word, n)
ORDER BY q.n
"""


def search_text(text: str | None) -> str:
    """Typed search text with runs of spaces made one; NUL, which PostgreSQL text cannot
    hold, counts as a space (so a stray byte is not a database error)."""
    return " ".join((text or "").replace("\x00", " ").split())


class Fold(Func):
    """Lower case, accents removed, đ as d: the form names are compared in."""

    function = "qrmap_fold"
    output_field = TextField()


def _operator(operator: str, output_field, *expressions) -> Func:
    return Func(*expressions, template="%(expressions)s", arg_joiner=f" {operator} ",
                output_field=output_field)


def joined(text):
    """The text with each space made JOINER, the form the trigram index holds (see above)."""
    return Replace(text, Value(" "), Value(JOINER), output_field=TextField())


def name_matches(query: str, *, rarest_pair: bool = True):
    """AssetSearch rows whose text contains the query (folded); a query shorter than three
    characters matches the start of a word. Expects a search text (one space per run).
    rarest_pair=False gives the index every trigram of the query: slower to look up, but
    no strpos() to check, whose selectivity the planner cannot tell (a list that reads
    every match, in id order, then walked the whole table for a rare name)."""
    wanted = _wanted(query)
    if wanted is None:
        return AssetSearch.objects.none()
    matches = AssetSearch.objects.alias(joined=joined(F("text")))
    key = _rarest_pair(query) if rarest_pair else ""
    if key:
        # The index looks up two adjacent words of the query (each posting list it reads
        # costs time, and those of common trigrams are long); strpos(), which no index
        # serves, checks the whole text on the few rows found.
        pair = _holding(matches.filter(joined__contains=joined(Fold(Value(key)))), wanted)
        if not _read_in_order(pair):
            return pair
    return matches.filter(joined__contains=joined(wanted))


def name_walked(query: str):
    """The rows of name_matches(query, rarest_pair=False), written for a plan that reads the
    search table in id order and checks every row: strpos() on the text, which no index
    serves, where the trigram form makes a copy of each text with its spaces replaced. At
    1,000,000 assets the first 1,001 matches of "duong slang" (69,000 rows read) took 31 ms
    the trigram way, 11 ms this way. The same rows: the text never holds JOINER."""
    wanted = _wanted(query)
    return AssetSearch.objects.none() if wanted is None else _holding(
        AssetSearch.objects.all(), wanted)


def _wanted(query: str):
    """The folded text that a matching name holds, or None when the query can match nothing
    (too long for a name, or no letter or digit to look up)."""
    if len(query) > MAX_QUERY or not _indexable(query):
        return None
    return Fold(Value(" " + query if len(query) < SHORT_QUERY else query))


def _holding(rows, wanted):
    """The rows whose text holds `wanted`, by strpos(), which no index serves."""
    return rows.alias(at=StrIndex("text", wanted)).filter(at__gt=0)


class NamesContain(Expression):
    """A filter on assets: a name contains the text (assets_asset.id IN the search rows of
    name_matches(text, rarest_pair=False)). names_walked() makes it the name_walked() form,
    for a list that walks the ids in order rather than asking the trigram index."""

    conditional = True

    def __init__(self, text: str, *, walked: bool = False):
        super().__init__(output_field=BooleanField())
        self.text, self.walked = text, walked
        self.pk, self.ids = F("pk"), None

    def get_source_expressions(self):
        return [self.pk] if self.ids is None else [self.pk, self.ids]

    def set_source_expressions(self, expressions):
        self.pk, *rest = expressions
        self.ids = rest[0] if rest else None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):
        clone = self.copy()
        clone.is_summary = summarize
        clone.pk = F("pk").resolve_expression(query, allow_joins, reuse, summarize)
        rows = name_walked(self.text) if self.walked else name_matches(self.text,
                                                                         rarest_pair=False)
        clone.ids = rows.values("asset_id").query.resolve_expression(query)
        return clone

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        ids_sql, ids_params = compiler.compile(self.ids)  # EmptyResultSet: nothing matches
        return f"{pk_sql} IN {ids_sql}", (*pk_params, *ids_params)

    def walked_in(self, query):
        return NamesContain(self.text, walked=True).resolve_expression(query)


def names_walked(queryset):
    """The queryset with its NamesContain filters in their walked form (see there)."""
    clone = queryset.all()
    where = clone.query.where
    where.children = [_walked(child, clone.query) for child in where.children]
    return clone


def names_alone(queryset) -> str:
    """The text of the queryset's NamesContain filter when it is its only condition (the
    ids of its rows are then those of the search table's matching rows: every asset has
    one), else ""."""
    query = queryset.query
    children = query.where.children
    if (queryset.model is not AssetSearch.asset.field.related_model or len(children) != 1
            or query.combinator or query.distinct or query.where.negated):
        return ""
    condition = getattr(children[0], "lhs", None)
    return condition.text if isinstance(condition, NamesContain) else ""


def _walked(condition, query):
    # filter() keeps a conditional expression as `expression = true` (an Exact lookup).
    if isinstance(getattr(condition, "lhs", None), NamesContain):
        condition = copy.copy(condition)
        condition.lhs = condition.lhs.walked_in(query)
    return condition


def _read_in_order(matches) -> bool:
    """Whether PostgreSQL would look for the first CANDIDATES matches by reading the table in
    order rather than through the index. It does when every word of the query is common: the
    rarest pair then matches tens of thousands of names, and it bets that the first few
    hundred rows of the pair hold the whole query (strpos(), whose selectivity it cannot
    tell). They do not: "duong na duong" (a typo's correction) read 540,000 of 1,000,000 names
    in 237 ms that way, where the whole query's trigrams take 12 ms. One EXPLAIN, about 1 ms,
    for queries of three words or more."""
    plan = matches.order_by().values("asset_id")[:CANDIDATES].explain(format="json")
    return '"Seq Scan"' in plan


def _indexable(text: str) -> bool:
    """Whether the text has a letter or digit, whose trigrams the index holds. Punctuation
    alone gives pg_trgm nothing to look up: the index would hand back every name to check."""
    return any(character.isalnum() for character in text)


def _rarest_pair(query: str) -> str:
    """For a query of three words or more, the two adjacent words of it that the fewest names
    hold (AssetSearchWord), the rarest word and the rarer of its neighbours; "" otherwise.
    A word that no name holds is a typo and the best key of all: nothing matches."""
    if query.count(" ") < 2:
        return ""
    with connections[AssetSearchWord.objects.db].cursor() as cursor:
        cursor.execute(_WORD_COUNTS, {"query": query})
        found = cursor.fetchall()
    last = len(found) - 1
    counts = [names for _, names in found]
    # Only a word with a letter or digit can be the key: pg_trgm takes no trigram from "%"
    # or "-", and a key without any made the index return every row (0.7 s at 1,000,000).
    usable = [n for n, (word, _) in enumerate(found) if _indexable(word)]
    if not usable:
        return ""
    rarest = min(usable, key=counts.__getitem__)
    other = min((n for n in (rarest - 1, rarest + 1) if 0 <= n <= last),
                key=lambda n: (n not in usable, counts[n]))
    first = min(rarest, other)
    return f"{found[first][0]} {found[first + 1][0]}"


def name_corrected(query: str) -> str:
    """The query (folded) with each word that no name holds replaced by the nearest word that
    one does; "" when nothing would change (a search text expected, as for name_matches)."""
    if not SHORT_QUERY <= len(query) <= MAX_QUERY:
        return ""
    with connections[AssetSearchWord.objects.db].cursor() as cursor:
        # With the folded query, to tell whether anything changed, in the same round trip.
        cursor.execute(f"SELECT c.corrected, public.qrmap_fold(%(query)s) "
                       f"FROM ({_CORRECTED}) AS c(corrected)",
                       {"query": query, "short": SHORT_QUERY, "longest": TYPO_LONGEST_WORD,
                        "edits": TYPO_EDITS})
        corrected, folded = cursor.fetchone()
        return "" if (corrected or "") == folded else corrected or ""


def name_ranked(queryset, query: str):
    """Assets ordered best first: active before retired, a Vietnamese name that starts with
    the query, then trigram similarity of the folded names, then the name."""
    return queryset.alias(
        prefix=_operator("^@", BooleanField(), F("search__text"), Fold(Value(" " + query))),
        likeness=Func(F("search__text"), Fold(Value(query)), function="similarity",
                      output_field=FloatField()),
    ).order_by("status", F("prefix").desc(), F("likeness").desc(), "name_vi", "pk")
