"""Name search at national scale (assets.search): fuzzystrmatch and the vocabulary of folded
words that a typo is corrected against, kept from assets_assetsearch by triggers (so that
0008's row trigger stays as it is); finer statistics on the folded names, so that the planner
tells a common word from a rare one; the index of the default order by name.

Statistics: the selectivity of `LIKE '%word%'` is read from the column's histogram; with the
default 100 entries any word absent from them looks as rare as one row in ten thousand, and a
word in one of them as common as one in a hundred.
"""
import django.contrib.postgres.indexes
from django.contrib.postgres.operations import CreateExtension
from django.conf import settings
from django.db import migrations, models

# Statement triggers on assets_assetsearch itself, whoever writes it (0008's row trigger, or a
# statement trigger of a bulk insert): one INSERT ... SELECT per statement, not one per row.
# Transition tables allow one event per trigger, hence two.
TRIGGER = r"""
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_words_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearchword (word)
    SELECT DISTINCT word FROM changed, regexp_split_to_table(changed.text, '\s+') AS word
    WHERE word <> '' ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER assetsearch_words_insert AFTER INSERT ON assets_assetsearch
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public.qrmap_asset_search_words_keep();
CREATE TRIGGER assetsearch_words_update AFTER UPDATE ON assets_assetsearch
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public.qrmap_asset_search_words_keep();
INSERT INTO assets_assetsearchword (word)
    SELECT DISTINCT word FROM assets_assetsearch, regexp_split_to_table(text, '\s+') AS word
    WHERE word <> '' ON CONFLICT DO NOTHING;
ALTER TABLE assets_assetsearch ALTER COLUMN text SET STATISTICS 1000;
ANALYZE assets_assetsearch;
ANALYZE assets_assetsearchword;
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS assetsearch_words_insert ON assets_assetsearch;
DROP TRIGGER IF EXISTS assetsearch_words_update ON assets_assetsearch;
DROP FUNCTION IF EXISTS public.qrmap_asset_search_words_keep();
ALTER TABLE assets_assetsearch ALTER COLUMN text SET STATISTICS -1;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0009_search_keep_per_statement'),
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
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
