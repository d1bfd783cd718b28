"""The lists of what the maps show, at national size (1,000,000 assets, 100,000 hamlets):
/maps/assets/list/ and /maps/coverage/list/, first and deep pages by keyset, beside what the
assets list did before (a count(*) of every match and the page by OFFSET, in SQL alone) and
beside the whole-province coverage analysis a list built on it would run, in one run.

Requests go through Django's test client in-process (bench.search, bench.ogc_filter): the
view, its queries and its HTML are measured, not a network; the references are bare SQL.
"""
import os
import re

from django.db import connection
from django.test import Client

from bench import _national
from bench._report import Row, medians_ms

REPEATS = 5
DEEP = 500_000  # the assets list's deep page starts at this row
OLD_PAGE = """SELECT a.id FROM assets_asset a WHERE a.status = 'active'
              ORDER BY a.name_vi COLLATE "vi-x-icu", a.code LIMIT 50 OFFSET %s"""
OLD_COUNT = "SELECT count(*) FROM assets_asset a WHERE a.status = 'active'"
NOTES = """
Each figure is the median of the repeats, the two sides interleaved. The assets list's next
link carries after=<code of the page's last asset>: its deep page here is the one that starts
at row 500,001, reached by such a link, and the reference is that page as the list fetched it
before (OFFSET 500,000 on the same order) plus the count(*) its paginator ran on every page.
The list's total is exact up to 5,000 matches and the planner's estimate beyond ("of about"),
so no page reads every match. The coverage list reads each commune's first rows after the
cursor through the index (commune, name, id), and the model's site test only for the rows it
shows or filters; the reference is the whole-province analysis (geodata.coverage.model,
hamlet_coverage), what a list of statuses built on it would run for every page.
"""


def _get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response.content.decode()
    return call


def _sql(sql, params=()):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()
    return call


def _asset_rows(client) -> tuple[list[Row], str]:
    with connection.cursor() as cursor:
        cursor.execute(OLD_PAGE.replace("SELECT a.id", "SELECT a.code").replace(
            "LIMIT 50", "LIMIT 1"), [DEEP - 1])
        after = cursor.fetchone()[0]
    first = _get(client, "/maps/assets/list/?lang=en")
    deep = _get(client, f"/maps/assets/list/?lang=en&after={after}&from={DEEP + 1}")
    old_first = lambda: (_sql(OLD_COUNT)(), _sql(OLD_PAGE, [0])())  # noqa: E731
    old_deep = lambda: (_sql(OLD_COUNT)(), _sql(OLD_PAGE, [DEEP])())  # noqa: E731
    shown = re.search(r'<p class="muted">([^<]+)</p>', deep()).group(1)
    rows = [
        Row("assets list, first page (view, ms; ref. count(*) + OFFSET 0 in SQL)",
            *medians_ms(first, old_first, repeats=REPEATS)),
        Row(f"assets list, page from row {DEEP + 1:,} by keyset (view, ms; ref. count(*) + "
            f"OFFSET {DEEP:,} in SQL)", *medians_ms(deep, old_deep, repeats=REPEATS)),
    ]
    return rows, shown


def _coverage_rows(client) -> list[Row]:
    from geodata.coverage.model import hamlet_coverage

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM geodata_hamlet ORDER BY id OFFSET 50000 LIMIT 1")
        middle = cursor.fetchone()[0]
    analysis = hamlet_coverage  # the reference: every hamlet's status, province-wide
    rows = []
    for label, url in (("first page", "/maps/coverage/list/?lang=en"),
                       ("first page without 3G/4G", "/maps/coverage/list/?status=mobile_gap"),
                       ("page after a middle hamlet", f"/maps/coverage/list/?after={middle}"),
                       ("page after it, without 3G/4G",
                        f"/maps/coverage/list/?status=mobile_gap&after={middle}")):
        rows.append(Row(f"coverage list, {label} (view, ms; ref. the province's analysis)",
                        *medians_ms(_get(client, url), analysis, repeats=REPEATS)))
    return rows


def run():
    with _national.national_database() as data:
        client = Client()
        rows, shown = _asset_rows(client)
        rows += _coverage_rows(client)
        load = os.getloadavg()[0]
    context = {**data.context(), "repeats": f"median of {REPEATS}",
               "deep assets page shows": shown,
               "load average (1 min) at the end": f"{load:.1f} on {os.cpu_count()} cores"}
    return {"title": "The maps' lists at national size: keyset pages, no full count",
            "rows": rows, "context": context, "baseline_label": "before / whole analysis",
            "notes": NOTES}
