"""Writes to assets move the data version the vector tiles key on (geodata 0007)."""
from django.db import migrations

TABLE = "assets_asset"
CREATE = f"""
DROP TRIGGER IF EXISTS {TABLE}_dataversion ON {TABLE};
DROP TRIGGER IF EXISTS {TABLE}_dataversion_truncate ON {TABLE};
CREATE TRIGGER {TABLE}_dataversion
AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION geodata_dataversion_bump();
CREATE TRIGGER {TABLE}_dataversion_truncate
AFTER TRUNCATE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION geodata_dataversion_bump();
"""
DROP = (f"DROP TRIGGER IF EXISTS {TABLE}_dataversion ON {TABLE};"
        f"DROP TRIGGER IF EXISTS {TABLE}_dataversion_truncate ON {TABLE};")


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0011_search_word_counts"),
        ("geodata", "0008_data_version"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
