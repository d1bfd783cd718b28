"""Name search: the conditions and the ranking on AssetSearch.text, the folded names that the
trigram index holds, written so that the planner can use it.

Folding is done by the database function `qrmap_fold` (migration 0008): lower case, accents
removed by `unaccent`, đ/Đ read as d/D. The query is folded by the same function, never in
Python, so that the two sides cannot drift apart. The indexed text is " vi \\n en \\n zh": each
folded name preceded by a space and followed by a newline, which a search text never holds
(whitespace is collapsed), so a match cannot run from one language into the next.
"""
from django.db.models import BooleanField, F, FloatField, Func, TextField, Value

from assets.models import AssetSearch

# Names are at most 300 characters: a longer text cannot be part of one.
MAX_QUERY = 300
# pg_trgm needs three characters in a row to use the index for LIKE; a shorter text is
# looked up as the start of a word (" ab%"), whose padded trigrams the index does hold.
SHORT_QUERY = 3
# Candidates ranked per search. A common word ("thon", "cho") matches a large share of a
# national registry; ranking all of it would cost time in proportion, and the first page
# would not be more useful than the best of this many.
CANDIDATES = 500
# word_similarity of a typed text with a typo: "dong dnag" against "dong dang" is 0.56, the
# pg_trgm default of 0.6 would miss it.
TYPO_THRESHOLD = 0.5


class Fold(Func):
    """Lower case, accents removed, đ as d: the form names are compared in."""

    function = "qrmap_fold"
    output_field = TextField()


def _operator(operator: str, output_field, *expressions) -> Func:
    return Func(*expressions, template="%(expressions)s", arg_joiner=f" {operator} ",
                output_field=output_field)


def name_matches(query: str):
    """AssetSearch rows whose text contains the query (folded); a query shorter than three
    characters matches the start of a word. Expects a search text (one space per run)."""
    if len(query) > MAX_QUERY:
        return AssetSearch.objects.none()
    wanted = Fold(Value(" " + query if len(query) < SHORT_QUERY else query))
    return AssetSearch.objects.filter(text__contains=wanted)


def name_similar(query: str):
    """AssetSearch rows with a name close to the query despite a typo (word similarity)."""
    if not SHORT_QUERY <= len(query) <= MAX_QUERY:
        return AssetSearch.objects.none()
    # `text %> query`; the threshold is the session's pg_trgm.word_similarity_threshold.
    return AssetSearch.objects.filter(
        _operator("%%>", BooleanField(), F("text"), Fold(Value(query))))


def name_ranked(queryset, query: str):
    """Assets ordered best first: active before retired, a Vietnamese name that starts with
    the query, then trigram similarity of the folded names, then the name."""
    return queryset.alias(
        prefix=_operator("^@", BooleanField(), F("search__text"), Fold(Value(" " + query))),
        likeness=Func(F("search__text"), Fold(Value(query)), function="similarity",
                      output_field=FloatField()),
    ).order_by("status", F("prefix").desc(), F("likeness").desc(), "name_vi", "pk")
