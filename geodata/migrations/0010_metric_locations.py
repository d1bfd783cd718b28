"""Hamlets and cell sites keep their location in a metric projection as well, for the
coverage model's distance tests (geodata.coverage.model).

At 100,000 hamlets × 10,000 sites the analysis spent most of its time in spheroid
ST_DWithin on geography, a few candidate sites per hamlet. A planar ST_DWithin on projected
points costs a fraction of that; the model corrects each radius by the projection's scale
factor at the site, so the answer agrees with the spheroid one to well under a metre across
Vietnam (geodata.coverage.metric).

EPSG:32648 (WGS 84 / UTM zone 48N): the storage datum (EPSG:4326), so the transform is a
projection alone, with no datum shift; zone 48N covers most of the country, and the scale
correction covers the rest.

The columns are stored generated columns, computed by PostgreSQL from `location` on every
write (bulk_create, COPY, raw SQL, the importer, the admin alike), so no writer can leave them
stale. They have no model field: only the coverage SQL reads them. Their GiST indexes are
what the analysis' per-hamlet probe and the planned sites' reach use.

The projection is defined over a band of longitudes around its zone: a point outside
DOMAIN (a mistyped coordinate, a continent away) gets NULL rather than an error that would
fail the write, so that a write of an out-of-range point still meets the CHECK of migration
0002 and its own message; no site reaches a hamlet without a metric point.
"""
from django.db import migrations

METRIC_SRID = 32648
TABLES = ["geodata_hamlet", "geodata_cellsite"]
# Where the projection is defined and meaningful: 45° either side of 105°E, and UTM's own
# latitudes (80°S to 84°N).
DOMAIN = "ST_X(location) BETWEEN 60 AND 150 AND ST_Y(location) BETWEEN -80 AND 84"


def _forward(table: str) -> str:
    return f"""
        ALTER TABLE {table} ADD COLUMN IF NOT EXISTS location_metric
            geometry(Point, {METRIC_SRID})
            GENERATED ALWAYS AS (CASE WHEN {DOMAIN}
                                      THEN ST_Transform(location, {METRIC_SRID}) END) STORED;
        CREATE INDEX IF NOT EXISTS {table}_location_metric_gist
            ON {table} USING gist (location_metric);
        ANALYZE {table};
    """


def _backward(table: str) -> str:
    return f"""
        DROP INDEX IF EXISTS {table}_location_metric_gist;
        ALTER TABLE {table} DROP COLUMN IF EXISTS location_metric;
    """


class Migration(migrations.Migration):
    dependencies = [("geodata", "0009_translated_verbose_names")]

    operations = [
        migrations.RunSQL(sql=_forward(table), reverse_sql=_backward(table))
        for table in TABLES
    ]
