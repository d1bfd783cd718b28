"""Name search: the conditions and the ranking on AssetSearch.text, the folded names that the
trigram index holds, written so that the planner can use it.

Folding is done by the database function `qrmap_fold` (migration 0008): lower case, accents
removed by `unaccent`, đ/Đ read as d/D. The query is folded by the same function, never in
Python, so that the two sides cannot drift apart. The indexed text is " vi \\n en \\n zh": each
folded name preceded by a space and followed by a newline, which a search text never holds
(whitespace is collapsed), so a match cannot run from one language into the next.
"""
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, TextField, Value
from django.db.models.functions import StrIndex

from assets.models import AssetSearch, AssetSearchWord

# Names are at most 300 characters: a longer text cannot be part of one.
MAX_QUERY = 300
# pg_trgm needs three characters in a row to use the index for LIKE; a shorter text is
# looked up as the start of a word (" ab%"), whose padded trigrams the index does hold.
SHORT_QUERY = 3
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


# The two words of the query that the fewest names hold, counting the names of every vocabulary
# word that contains it (the first and last words may be parts of words; a word that no name
# holds, a typo, counts none and is the best key of all: nothing matches, found at once);
# with whether it opens or closes the query. Ties go to the longer word.
_RAREST = """
SELECT q.word, q.n = 1, q.n = q.words
FROM (SELECT t.word, t.n, count(*) OVER () AS words
      FROM regexp_split_to_table(public.qrmap_fold(%(query)s), ' ') WITH ORDINALITY AS t(word, n)
     ) AS q
WHERE length(q.word) + (q.n > 1)::int + (q.n < q.words)::int >= %(short)s
ORDER BY (SELECT coalesce(sum(w.names), 0) FROM assets_assetsearchword w
          WHERE strpos(w.word, q.word) > 0),
         length(q.word) DESC, q.n
LIMIT 2
"""


class Fold(Func):
    """Lower case, accents removed, đ as d: the form names are compared in."""

    function = "qrmap_fold"
    output_field = TextField()


def _operator(operator: str, output_field, *expressions) -> Func:
    return Func(*expressions, template="%(expressions)s", arg_joiner=f" {operator} ",
                output_field=output_field)


def name_matches(query: str, *, rarest_words: bool = True):
    """AssetSearch rows whose text contains the query (folded); a query shorter than three
    characters matches the start of a word. Expects a search text (one space per run).
    rarest_words=False gives the index every trigram of the query: slower to look up, but
    fewer rows to check, the better way when every match is read rather than the first few."""
    if len(query) > MAX_QUERY:
        return AssetSearch.objects.none()
    wanted = Fold(Value(" " + query if len(query) < SHORT_QUERY else query))
    keys = _rarest_words(query) if rarest_words else []
    if not keys:
        return AssetSearch.objects.filter(text__contains=wanted)
    # The index looks up the rarest words only (each alone is a part of the text, so a name
    # that holds the text holds them); strpos(), which no index serves, checks the whole text
    # on the few rows found.
    matches = AssetSearch.objects.all()
    for key in keys:
        matches = matches.filter(text__contains=Fold(Value(key)))
    return matches.alias(at=StrIndex("text", wanted)).filter(at__gt=0)


def _rarest_words(query: str) -> list[str]:
    """The two words of a query of three or more that the fewest names hold (AssetSearchWord),
    each with the spaces around it in the query; none for a shorter query."""
    if query.count(" ") < 2:
        return []
    with connections[AssetSearchWord.objects.db].cursor() as cursor:
        cursor.execute(_RAREST, {"query": query, "short": SHORT_QUERY})
        found = cursor.fetchall()
    return [("" if first else " ") + word + ("" if last else " ") for word, first, last in found]


def name_corrected(query: str) -> str:
    """The query (folded) with each word that no name holds replaced by the nearest word that
    one does; "" when nothing would change (a search text expected, as for name_matches)."""
    if not SHORT_QUERY <= len(query) <= MAX_QUERY:
        return ""
    with connections[AssetSearchWord.objects.db].cursor() as cursor:
        cursor.execute(_CORRECTED, {"query": query, "short": SHORT_QUERY,
                                    "longest": TYPO_LONGEST_WORD, "edits": TYPO_EDITS})
        corrected = cursor.fetchone()[0] or ""
        cursor.execute("SELECT public.qrmap_fold(%s)", [query])
        return "" if corrected == cursor.fetchone()[0] else corrected


def name_ranked(queryset, query: str):
    """Assets ordered best first: active before retired, a Vietnamese name that starts with
    the query, then trigram similarity of the folded names, then the name."""
    return queryset.alias(
        prefix=_operator("^@", BooleanField(), F("search__text"), Fold(Value(" " + query))),
        likeness=Func(F("search__text"), Fold(Value(query)), function="similarity",
                      output_field=FloatField()),
    ).order_by("status", F("prefix").desc(), F("likeness").desc(), "name_vi", "pk")
