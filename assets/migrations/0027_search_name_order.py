"""The search row carries its asset's name_vi, the API's default order, so that a name search
sorts its first thousand matches without reading their asset rows (assets.api.pagination).
The triggers that keep the search rows write it too. Existing rows are written again into an
emptied table rather than updated in place: an UPDATE of every row would leave each one's old
version and a new trigram entry behind (twice the table until a vacuum, at 1,000,000 assets),
and the index is built once after."""
from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text, name_vi)
    SELECT id, public.qrmap_asset_search_text(name_vi, name_en, name_zh), name_vi
    FROM inserted;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text, name_vi)
    VALUES (NEW.id, public.qrmap_asset_search_text(NEW.name_vi, NEW.name_en, NEW.name_zh),
            NEW.name_vi)
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text, name_vi = EXCLUDED.name_vi;
    RETURN NULL;
END $$;
CREATE TEMP TABLE assetsearch_rebuilt ON COMMIT DROP AS
    SELECT s.asset_id, s.text, a.name_vi
    FROM assets_assetsearch s JOIN assets_asset a ON a.id = s.asset_id;
DROP INDEX assetsearch_joined_trgm;
-- The words are the same: the vocabulary trigger has nothing to add.
ALTER TABLE assets_assetsearch DISABLE TRIGGER assetsearch_words_insert;
TRUNCATE assets_assetsearch;
INSERT INTO assets_assetsearch (asset_id, text, name_vi)
    SELECT asset_id, text, name_vi FROM assetsearch_rebuilt ORDER BY asset_id;
-- The rows' foreign key checks now, not at COMMIT: a table with pending checks can be
-- neither altered nor indexed.
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
ALTER TABLE assets_assetsearch ENABLE TRIGGER assetsearch_words_insert;
CREATE INDEX assetsearch_joined_trgm ON assets_assetsearch
    USING gin ((replace(text, ' ', 'é')) gin_trgm_ops);
DROP TABLE assetsearch_rebuilt;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    SELECT id, public.qrmap_asset_search_text(name_vi, name_en, name_zh) FROM inserted;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    VALUES (NEW.id, public.qrmap_asset_search_text(NEW.name_vi, NEW.name_en, NEW.name_zh))
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0026_units_before_given"),
    ]

    operations = [
        migrations.AddField(
            model_name="assetsearch",
            name="name_vi",
            field=models.CharField(default="", max_length=300, verbose_name="name (Vietnamese)"),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
