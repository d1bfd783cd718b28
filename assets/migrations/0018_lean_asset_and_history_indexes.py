"""Indexes that buy nothing go (issue 13: an import spends its commit maintaining them).

The history table is read per asset (id, ordered by history_date) and by history_id; no
query searches it by code, commune, external id, verifier, replacement or place, so those
nine indexes (two GiST) go. On the asset table the LIKE-only twins of code and external_id
go (codes are looked up whole; the admin's external-id search is a contains, which neither
serves), and the foreign keys that only a deletion follows (verified_by, replaced_by) get
partial indexes over the few rows that have one.
"""
import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0017_report_reference'),
        ('geodata', '0010_metric_locations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The unique constraint stays (renamed, not rebuilt: a national table has a million
        # rows); only its LIKE-only twin goes, no query searches codes by prefix.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='asset',
                    name='code',
                    field=models.CharField(editable=False, max_length=8, verbose_name='code'),
                ),
                migrations.AddConstraint(
                    model_name='asset',
                    constraint=models.UniqueConstraint(fields=('code',), name='asset_code_unique'),
                ),
            ],
            database_operations=[migrations.RunSQL(
                'DROP INDEX IF EXISTS "assets_asset_code_135ade07_like"; '
                'ALTER TABLE assets_asset RENAME CONSTRAINT assets_asset_code_key '
                'TO asset_code_unique',
                reverse_sql='ALTER TABLE assets_asset RENAME CONSTRAINT asset_code_unique '
                'TO assets_asset_code_key; CREATE INDEX "assets_asset_code_135ade07_like" '
                'ON assets_asset (code varchar_pattern_ops)')],
        ),
        # The foreign keys stay as they are (AlterField would drop and re-validate them);
        # only their full indexes go, replaced by the partial ones below.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='asset',
                    name='replaced_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='replaces', to='assets.asset', verbose_name='replaced by'),
                ),
                migrations.AlterField(
                    model_name='asset',
                    name='verified_by',
                    field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by'),
                ),
            ],
            database_operations=[migrations.RunSQL(
                'DROP INDEX IF EXISTS "assets_asset_replaced_by_id_917368a2"; '
                'DROP INDEX IF EXISTS "assets_asset_verified_by_id_f2250879"',
                reverse_sql='CREATE INDEX "assets_asset_replaced_by_id_917368a2" '
                'ON assets_asset (replaced_by_id); CREATE INDEX '
                '"assets_asset_verified_by_id_f2250879" ON assets_asset (verified_by_id)')],
        ),
        migrations.AlterField(
            model_name='asset',
            name='external_id',
            field=models.CharField(blank=True, max_length=100, verbose_name='external id'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='code',
            field=models.CharField(editable=False, max_length=8, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='commune',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='commune'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='external_id',
            field=models.CharField(blank=True, max_length=100, verbose_name='external id'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='location',
            field=django.contrib.gis.db.models.fields.PointField(spatial_index=False, srid=4326, verbose_name='location'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='replaced_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assets.asset', verbose_name='replaced by'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='shape',
            field=django.contrib.gis.db.models.fields.GeometryField(blank=True, null=True, spatial_index=False, srid=4326, verbose_name='shape'),
        ),
        migrations.AlterField(
            model_name='historicalasset',
            name='verified_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by'),
        ),
        migrations.AddIndex(
            model_name='asset',
            index=models.Index(fields=['external_id'], name='asset_external_id'),
        ),
        migrations.AddIndex(
            model_name='asset',
            index=models.Index(condition=models.Q(('verified_by__isnull', False)), fields=['verified_by'], name='asset_verified_by'),
        ),
        migrations.AddIndex(
            model_name='asset',
            index=models.Index(condition=models.Q(('replaced_by__isnull', False)), fields=['replaced_by'], name='asset_replaced_by'),
        ),
    ]
