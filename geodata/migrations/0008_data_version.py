"""A data version that every write moves, read in a fraction of a millisecond: the vector
tile caches (geodata.tiles) key on it.

The coverage fingerprint (geodata.coverage.cache) hashes every hamlet and site: about half a
second at 100,000 hamlets, too slow for each tile request. Row signals miss bulk writes
(COPY, QuerySet.update, raw SQL). A statement-level trigger sees them all, once per statement,
so a COPY of 100,000 rows pays one counter update, not 100,000.

The counter is a row per table, updated in the writer's transaction: a reader sees the new
version exactly when it sees the new rows (geodata.tiles relies on that to never cache a tile
under a version its data does not belong to). Writers of the same table queue on that row
until commit; writers of different tables do not. The table has no model, like
geodata_unitpart, so that Django's flush leaves it (and the versions only grow).
Idempotent (IF NOT EXISTS, OR REPLACE), so that a database that ran it under another
migration name takes it again without error.
"""
from django.db import migrations

FUNCTION = """
CREATE TABLE IF NOT EXISTS geodata_dataversion (
    name text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION geodata_dataversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO geodata_dataversion (name, version) VALUES (TG_TABLE_NAME, 1)
    ON CONFLICT (name) DO UPDATE SET version = geodata_dataversion.version + 1;
    RETURN NULL;
END $$;
"""
TABLES = ["geodata_hamlet", "geodata_cellsite", "geodata_adminunit"]


def trigger_sql(table: str) -> str:
    """The statement triggers that move the version of `table` (also used by assets)."""
    return f"""
DROP TRIGGER IF EXISTS {table}_dataversion ON {table};
DROP TRIGGER IF EXISTS {table}_dataversion_truncate ON {table};
CREATE TRIGGER {table}_dataversion
AFTER INSERT OR UPDATE OR DELETE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION geodata_dataversion_bump();
CREATE TRIGGER {table}_dataversion_truncate
AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION geodata_dataversion_bump();
"""


def drop_sql(table: str) -> str:
    return (f"DROP TRIGGER IF EXISTS {table}_dataversion ON {table};"
            f"DROP TRIGGER IF EXISTS {table}_dataversion_truncate ON {table};")


class Migration(migrations.Migration):

    dependencies = [
        ("geodata", "0007_hamlet_units"),
    ]

    operations = [
        migrations.RunSQL(
            FUNCTION + "".join(trigger_sql(table) for table in TABLES),
            "".join(drop_sql(table) for table in TABLES)
            + "DROP FUNCTION IF EXISTS geodata_dataversion_bump(); "
              "DROP TABLE IF EXISTS geodata_dataversion;",
        ),
    ]
