"""Name search at national scale (assets.search): fuzzystrmatch and the vocabulary of folded
words that a typo is corrected against, kept by the trigger of 0008 (which now writes the words
too); finer statistics on the folded names, so that the planner tells a common word from a
rare one; the index of the default order by name.

Statistics: the selectivity of `LIKE '%word%'` is read from the column's histogram; with the
default 100 entries any word absent from them looks as rare as one row in ten thousand, and a
word in one of them as common as one in a hundred.
"""
import django.contrib.postgres.indexes
from django.contrib.postgres.operations import CreateExtension
from django.conf import settings
from django.db import migrations, models

TRIGGER = r"""
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    folded text := public.qrmap_asset_search_text(NEW.name_vi, NEW.name_en, NEW.name_zh);
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text) VALUES (NEW.id, folded)
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text;
    INSERT INTO assets_assetsearchword (word)
    SELECT DISTINCT word FROM regexp_split_to_table(folded, '\s+') AS word WHERE word <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
INSERT INTO assets_assetsearchword (word)
    SELECT DISTINCT word FROM assets_assetsearch, regexp_split_to_table(text, '\s+') AS word
    WHERE word <> '' ON CONFLICT DO NOTHING;
ALTER TABLE assets_assetsearch ALTER COLUMN text SET STATISTICS 1000;
ANALYZE assets_assetsearch;
ANALYZE assets_assetsearchword;
"""
# 0008's function, as it was.
TRIGGER_BEFORE = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    VALUES (NEW.id, public.qrmap_asset_search_text(NEW.name_vi, NEW.name_en, NEW.name_zh))
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END $$;
ALTER TABLE assets_assetsearch ALTER COLUMN text SET STATISTICS -1;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0008_name_search'),
        ('geodata', '0006_unitpart'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateExtension("fuzzystrmatch"),  # levenshtein(), for typos (assets.search)
        migrations.CreateModel(
            name='AssetSearchWord',
            fields=[
                ('word', models.TextField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.AddIndex(
            model_name='asset',
            index=models.Index(fields=['name_vi', 'id'], name='asset_name_vi_order'),
        ),
        migrations.AddIndex(
            model_name='assetsearchword',
            index=django.contrib.postgres.indexes.GinIndex(
                fields=['word'], name='assetsearchword_trgm', opclasses=['gin_trgm_ops']),
        ),
        migrations.RunSQL(TRIGGER, TRIGGER_BEFORE),
    ]
