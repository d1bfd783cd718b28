"""Indexed name search: pg_trgm, an IMMUTABLE folding function, the AssetSearch table with a GIN
trigram index, and the trigger that keeps it (assets.search explains the indexed text).

unaccent() is only STABLE (its dictionary could change), so it cannot take part in an index or
a generated value directly; the wrapper names the dictionary and every function by schema, so
that a restore with another search_path folds the same way. đ/Đ are translated first: recent
unaccent rules map them to d/D, but the rules file is the server's to replace.

The trigger fires for every writer (ORM, COPY, raw SQL), but not under
session_replication_role = replica: a bulk load that sets it fills the table itself.
"""
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION public.qrmap_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary,
                                                 pg_catalog.translate($1, 'đĐ', 'dD'))) $$;
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_text(text, text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ' ' || coalesce(public.qrmap_fold($1), '')
              || E' \n ' || coalesce(public.qrmap_fold($2), '')
              || E' \n ' || coalesce(public.qrmap_fold($3), '') $$;
"""
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS public.qrmap_asset_search_text(text, text, text);
DROP FUNCTION IF EXISTS public.qrmap_fold(text);
"""
TRIGGER = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    VALUES (NEW.id, public.qrmap_asset_search_text(NEW.name_vi, NEW.name_en, NEW.name_zh))
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END $$;
CREATE TRIGGER asset_search_keep AFTER INSERT OR UPDATE OF name_vi, name_en, name_zh
    ON assets_asset FOR EACH ROW EXECUTE FUNCTION public.qrmap_asset_search_keep();
INSERT INTO assets_assetsearch (asset_id, text)
    SELECT id, public.qrmap_asset_search_text(name_vi, name_en, name_zh) FROM assets_asset;
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS asset_search_keep ON assets_asset;
DROP FUNCTION IF EXISTS public.qrmap_asset_search_keep();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0007_import_jobs'),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.CreateModel(
            name='AssetSearch',
            fields=[
                ('asset', models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name='search', serialize=False, to='assets.asset')),
                ('text', models.TextField()),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(
                    fields=['text'], name='assetsearch_text_trgm', opclasses=['gin_trgm_ops'])],
            },
        ),
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
