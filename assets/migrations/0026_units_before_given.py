"""An insert that brings its units before 2025 keeps them (as the hamlet trigger does, geodata
0007): the per-row trigger of assets 0025 ran the polygon lookup once per row, 65 µs of every
imported row (1.3 s of 20,000), where the importer now asks the same SQL rules once for the
whole file (geodata.unit_lookup.units_before_at_xy, set-wise on the subdivided parts). The
services give the values too: they asked the rule before the save so that the instance and
its history row hold them, and the trigger then asked it a second time.

A row inserted with neither unit (the demo loader's bulk_create, raw SQL, a point no old
district covers) is still derived by the trigger, and an update that moves the point or
changes the commune always is. The WHEN clause is tested before any function is called, so a
row that brings its units costs the trigger nothing.

The name-search rows of inserted assets (assets 0009) are written without ON CONFLICT: that
clause dates from 0008's row trigger, which fired on updates too, and an inserted asset can
have no search row yet (the search row's foreign key refuses one whose asset is gone, and a
delete takes the search row with it). The speculative insertion it asks cost 0.4 s of every
50,000 imported rows.
"""
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    SELECT id, public.qrmap_asset_search_text(name_vi, name_en, name_zh) FROM inserted;
    RETURN NULL;
END $$;
DROP TRIGGER assets_asset_units_before_insert ON assets_asset;
CREATE TRIGGER assets_asset_units_before_insert
BEFORE INSERT ON assets_asset
FOR EACH ROW WHEN (NEW.district_before_id IS NULL AND NEW.commune_before_id IS NULL)
EXECUTE FUNCTION assets_asset_units_before_set();
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION public.qrmap_asset_search_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assets_assetsearch (asset_id, text)
    SELECT id, public.qrmap_asset_search_text(name_vi, name_en, name_zh) FROM inserted
    ON CONFLICT (asset_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END $$;
DROP TRIGGER assets_asset_units_before_insert ON assets_asset;
CREATE TRIGGER assets_asset_units_before_insert
BEFORE INSERT ON assets_asset
FOR EACH ROW EXECUTE FUNCTION assets_asset_units_before_set();
"""


class Migration(migrations.Migration):
    dependencies = [("assets", "0025_asset_units_before")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
