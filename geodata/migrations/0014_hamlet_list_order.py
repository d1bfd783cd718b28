"""The coverage list pages by keyset per commune in Vietnamese order (geodata.coverage.listing):
this index holds each commune's hamlets in that order (name under the ICU collation, then id)."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geodata', '0013_unit_lookup_plans'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='hamlet',
            index=models.Index(models.F('commune'), django.db.models.functions.comparison.Collate('name', 'vi-x-icu'), models.F('id'), name='hamlet_list_order'),
        ),
    ]
