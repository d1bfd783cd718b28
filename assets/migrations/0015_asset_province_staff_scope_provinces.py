"""The province of each asset (and of its history rows), and staff scopes by province.

Existing assets take their commune's province (AdminUnit.province, geodata 0009); from now on
the asset services and the importer set it with the commune (geodata.selectors.units_at_xy).
"""
import django.db.models.deletion
from django.db import migrations, models


FILL = """
UPDATE assets_asset a SET province_id = u.province_id
FROM geodata_adminunit u WHERE u.id = a.commune_id AND u.province_id IS NOT NULL;
UPDATE assets_historicalasset a SET province_id = u.province_id
FROM geodata_adminunit u WHERE u.id = a.commune_id AND u.province_id IS NOT NULL;
ANALYZE assets_asset;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0014_search_words_joined'),
        ('geodata', '0011_adminunit_province'),
    ]

    operations = [
        migrations.AddField(
            model_name='asset',
            name='province',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geodata.adminunit', verbose_name='province'),
        ),
        migrations.AddField(
            model_name='historicalasset',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='province'),
        ),
        migrations.AddField(
            model_name='staffscope',
            name='provinces',
            field=models.ManyToManyField(blank=True, limit_choices_to={'level': 'province', 'valid_to__isnull': True}, related_name='+', to='geodata.adminunit', verbose_name='provinces'),
        ),
        migrations.AlterField(
            model_name='staffscope',
            name='all_communes',
            field=models.BooleanField(default=False, verbose_name='whole installation (every province)'),
        ),
        migrations.AlterField(
            model_name='staffscope',
            name='communes',
            field=models.ManyToManyField(blank=True, limit_choices_to={'level': 'commune', 'valid_to__isnull': True}, related_name='+', to='geodata.adminunit', verbose_name='communes'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
