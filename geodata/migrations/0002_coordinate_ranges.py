# The database itself refuses coordinates outside the WGS84 range (lon ±180, lat ±90): a
# swapped or mistyped coordinate that slips past a form or an importer still cannot land.
from django.db import migrations

TABLES = [("geodata_hamlet", "location"), ("geodata_cellsite", "location"),
          ("geodata_adminunit", "label_point")]


def range_sql(table, column):
    check = (f"{column} IS NULL OR (ST_X({column}) BETWEEN -180 AND 180 "
             f"AND ST_Y({column}) BETWEEN -90 AND 90)")
    return (f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_range CHECK ({check})",
            f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_range")


class Migration(migrations.Migration):
    dependencies = [("geodata", "0001_initial")]
    operations = [migrations.RunSQL(*range_sql(t, c)) for t, c in TABLES]
