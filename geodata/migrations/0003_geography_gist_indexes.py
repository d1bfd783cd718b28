"""Functional GiST indexes on location::geography for hamlets and cell sites.

Coverage analysis measures in metres with ST_DWithin on geography (DESIGN.md, "Coverage
analysis"). The plain spatial index on the geometry column cannot serve a predicate on the
geography cast, so without these every hamlet-to-site test would scan the whole table.
"""
from django.db import migrations

INDEXES = [
    ("geodata_hamlet", "geodata_hamlet_location_geog_gist"),
    ("geodata_cellsite", "geodata_cellsite_location_geog_gist"),
]


class Migration(migrations.Migration):
    dependencies = [("geodata", "0002_coordinate_ranges")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gist ((location::geography))",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for table, name in INDEXES
    ]
