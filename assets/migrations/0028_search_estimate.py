"""A finer sample of the folded names for the planner, so that the API's name search picks
its plan (assets.api.pagination.SPARSE_MATCHES) on a better estimate of the matches.

PostgreSQL estimates `text LIKE '%...%'` as the share of its histogram of the indexed
expression that matches: with the default 100 buckets that share moves in steps of 1%, or
10,000 rows at 1,000,000 assets, the very threshold between the two plans. At 1,000,000
(bench search's 200 queries) the estimate was off by a factor of 3.9 on average and put two
queries on the wrong side (`pac duong`: 10,271 estimated, 2,502 found, walked in 82 ms;
`mo`: 9,691 estimated, 19,526 found, read from the index in 40 ms). With 1,000 buckets it
is off by 1.9 on average and no query is on the wrong side; ANALYZE reads 300,000 rows of
the table instead of 30,000 (2 s at 1,000,000)."""
from django.db import migrations

FORWARD = """
ALTER INDEX assetsearch_joined_trgm ALTER COLUMN 1 SET STATISTICS 1000;
ANALYZE assets_assetsearch;
"""
BACKWARD = "ALTER INDEX assetsearch_joined_trgm ALTER COLUMN 1 SET STATISTICS -1;"


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0027_search_name_order"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
