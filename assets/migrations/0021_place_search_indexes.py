"""Trigram indexes on the folded names of hamlets and administrative units, for the admin map
widget's place search (assets.places), which matches `qrmap_fold(name) LIKE '%query%'`: at
national scale (some 100,000 hamlets, 3,300 communes) folding every name per keystroke was a
sequential scan.

They live here, not in geodata, because qrmap_fold is this app's function (0008) and geodata
depends on nothing of assets; the indexes are expressions Django's model state need not hold.
"""
from django.db import migrations

INDEXES = """
CREATE INDEX IF NOT EXISTS hamlet_name_fold_trgm
    ON geodata_hamlet USING gin (public.qrmap_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS adminunit_name_fold_trgm
    ON geodata_adminunit USING gin (public.qrmap_fold(name) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS hamlet_name_fold_trgm;
DROP INDEX IF EXISTS adminunit_name_fold_trgm;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0020_field_action"),
        ("geodata", "0011_adminunit_province"),
    ]

    operations = [migrations.RunSQL(INDEXES, DROP)]
