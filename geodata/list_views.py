"""/maps/coverage/list/: what the coverage map shows, as a list a keyboard and a screen
reader can read (the map's marks are drawn on canvas): hamlets by commune with their 3G/4G
and broadband status, filtered by commune and status, a keyset page at a time
(geodata.coverage.listing), readable without JavaScript."""
from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from geodata.coverage.listing import commune_order, hamlet_list_key, hamlet_list_rows
from geodata.coverage.mapdata import BROADBAND_CODES, mobile_code
from geodata.forms import CoverageFilterForm
from geodata.map_symbols import legend_symbols
from geodata.maps import coverage_labels
from geodata.tile_layers import commune_figures
from qrmap.i18n import language_parse, language_short
from qrmap.paging import PagingError, position_parse

PAGE_SIZE = 50
STATUSES = [("", _("All hamlets")), ("mobile_gap", _("Without 3G/4G")),
            ("broadband_gap", _("Without broadband")),
            ("both_gaps", _("Without 3G/4G and without broadband")),
            ("covered", _("3G/4G and broadband")),
            ("unknown", _("Status not declared"))]
# What the cached figures per commune count for a status filter (geodata.tile_layers).
TOTALS = {"": "t", "mobile_gap": "g", "broadband_gap": "bg"}


class CoverageListForm(CoverageFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["sort"]


def _cursor(text: str | None, communes: list[int]):
    if text is None:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise PagingError(text)
    key = hamlet_list_key(int(text), communes)
    if key is None:
        raise PagingError(text)
    return key


def _total(commune, status: str) -> int | None:
    """The filter's total from the figures cached per data version, where they hold it."""
    column = TOTALS.get(status)
    if column is None:
        return None
    rows = [row for row in commune_figures() if commune is None or row["id"] == commune.pk]
    return sum(row[column] for row in rows)


def _rows_shown(rows, labels: dict, symbols: dict) -> list[dict]:
    mobile_lines = dict(zip("YynN", symbols["mobile"], strict=True))
    broadband_lines = dict(zip("YNU", symbols["broadband"], strict=True))
    shown = []
    for row in rows:
        mobile, broadband = mobile_code(row), BROADBAND_CODES.get(row.broadband_declared, "U")
        shown.append({"row": row, "mobile": mobile_lines[mobile],
                      "broadband": broadband_lines[broadband],
                      "gap": mobile in "nN" or broadband == "N"})
    return shown


@require_GET
def coverage_list_view(request):
    form = CoverageListForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    commune, status = data.get("commune"), data.get("status", "")
    communes = commune_order()
    if commune is not None:
        communes = [commune.pk]
    try:
        after = _cursor(request.GET.get("after"), communes)
        before = _cursor(request.GET.get("before"), communes)
        first = position_parse(request.GET.get("from"))
    except PagingError:
        return render(request, "assets/bad_request.html", {"message": _(
            "This page of the list no longer exists: start again from its first page."),
            "parameters": [name for name in ("after", "before", "from") if name in request.GET]},
            status=400)
    rows = hamlet_list_rows(communes=communes, status=status, key=before or after,
                            backwards=before is not None, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    if before is not None:
        rows, has_previous, has_next = rows[-PAGE_SIZE:], more, True
        first = max(1, first - len(rows)) if more else 1
    else:
        rows, has_previous, has_next = rows[:PAGE_SIZE], after is not None, more
    labels = coverage_labels()
    asked = language_parse(request.GET.get("lang"))
    query = {"commune": commune.code if commune else "", "status": status,
             "lang": language_short(asked) if asked else ""}
    list_query = urlencode({k: v for k, v in query.items() if v})
    return render(request, "geodata/coverage_list.html", {
        "form": form, "commune": commune, "status": status,
        "rows": _rows_shown(rows, labels, legend_symbols(labels)),
        "page": {"rows": rows, "first": first, "last": first + len(rows) - 1,
                 "has_previous": has_previous, "has_next": has_next},
        "total": _total(commune, status), "exact": True, "list_query": list_query,
        "map_query": urlencode({k: v for k, v in query.items() if v and k != "status"}),
        "first_key": rows[0].id if rows else "", "last_key": rows[-1].id if rows else "",
    })
