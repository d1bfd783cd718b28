# See geodata 0002: the database refuses coordinates outside the WGS84 range.
from django.db import migrations



def _sql(table, column):
    check = (f"{column} IS NULL OR (ST_X({column}) BETWEEN -180 AND 180 "
             f"AND ST_Y({column}) BETWEEN -90 AND 90)")
    return (f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_range CHECK ({check})",
            f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_range")


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]
    operations = [migrations.RunSQL(*_sql("assets_asset", "location"))]
