"""The units before 2025 stored on each asset, kept by triggers (issue 13).

The asset page printed the pre-2025 address by looking it up per request (the old district
in the subdivided polygons, the old commune among the predecessors of today's); at national
size that was most of a cold page. The three columns are now derived where the row is written.

Why triggers, as for hamlets (geodata 0007): assets arrive through the services (admin, API,
field mode, history revert), the importer (COPY and set-wise UPDATE through a staging table),
the demo loader (bulk_create), and raw SQL in benchmarks and tests; the units they lie in
change when a boundary, a label point or a merger is corrected. A trigger is the one place
that sees all of them. The rule is one SQL function, geodata_units_before_at (geodata 0015),
given the stored commune and the old district of geodata_district_before_at; the services
ask the same function beforehand (geodata.selectors.units_before_at_xy) only so that the
instance they save, and its history row, hold what the trigger writes.

Asset rows: on insert, and on an update that changes the location or the commune, the three
columns are derived again; a writer cannot set them (the trigger wins).
Unit rows: a unit inserted, deleted, or with a new boundary, level, code, validity, parent or
label point re-derives the assets whose commune is the unit or one of its successors (the old
communes have no polygons: the lineage finds them) and, for a district, those within ~2 km of
its old or new outline. A merger edge added, changed or removed re-derives the assets of its
new commune. What no trigger sees: the commune itself, set by the services from today's
polygons, is not re-derived by a boundary change (as before this migration).
"""
import django.db.models.deletion
from django.db import migrations, models


# The old district within this distance of an outline may change with it (geodata 0007).
NEAR_DEGREES = 0.02
DERIVE = """
SELECT b.district_before, b.commune_before, b.commune_before_approximate
FROM geodata_units_before_at({point}, {commune}, {district}) b
"""

FORWARD = f"""
CREATE FUNCTION assets_asset_units_before_set() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    district bigint := geodata_district_before_at(NEW.location);
BEGIN
    {DERIVE.format(point="NEW.location", commune="NEW.commune_id", district="district")}
    INTO NEW.district_before_id, NEW.commune_before_id, NEW.commune_before_approximate;
    RETURN NEW;
END $$;

CREATE TRIGGER assets_asset_units_before_insert
BEFORE INSERT ON assets_asset
FOR EACH ROW EXECUTE FUNCTION assets_asset_units_before_set();

CREATE TRIGGER assets_asset_units_before_move
BEFORE UPDATE OF location, commune_id ON assets_asset
FOR EACH ROW WHEN (OLD.location IS DISTINCT FROM NEW.location
                   OR OLD.commune_id IS DISTINCT FROM NEW.commune_id)
EXECUTE FUNCTION assets_asset_units_before_set();

-- The assets whose units before 2025 may follow from these communes, or lie in this area.
CREATE FUNCTION assets_units_before_rederive(communes bigint[], area box2d) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assets_asset a
    SET (district_before_id, commune_before_id, commune_before_approximate) = (
        {DERIVE.format(point="a.location", commune="a.commune_id",
                       district="geodata_district_before_at(a.location)")})
    WHERE a.commune_id = ANY(communes)
       OR (area IS NOT NULL AND a.location && area::geometry);
END $$;

CREATE FUNCTION assets_units_before_follow_unit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unit bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    area box2d;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.level = 'district' AND OLD.boundary IS NOT NULL THEN
        area := Box2D(OLD.boundary);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.level = 'district' AND NEW.boundary IS NOT NULL THEN
        area := CASE WHEN area IS NULL THEN Box2D(NEW.boundary)
                     ELSE Box2D(ST_Collect(area::geometry, Box2D(NEW.boundary)::geometry))
                END;
    END IF;
    PERFORM assets_units_before_rederive(
        array_append(ARRAY(SELECT s.successor_id FROM geodata_unitsuccession s
                           WHERE s.predecessor_id = unit), unit),
        ST_Expand(area, {NEAR_DEGREES}));
    RETURN NULL;
END $$;

-- Named to fire after geodata_unitpart_rows (triggers fire by name), so that the parts the
-- old district is found in are already the new boundary's.
CREATE TRIGGER geodata_units_assets_before_rows
AFTER INSERT OR DELETE ON geodata_adminunit
FOR EACH ROW EXECUTE FUNCTION assets_units_before_follow_unit();

CREATE TRIGGER geodata_units_assets_before_change
AFTER UPDATE OF boundary, level, code, valid_from, valid_to, parent_id, label_point
ON geodata_adminunit
FOR EACH ROW WHEN (OLD.boundary IS DISTINCT FROM NEW.boundary OR OLD.level <> NEW.level
                   OR OLD.code <> NEW.code
                   OR OLD.valid_from IS DISTINCT FROM NEW.valid_from
                   OR OLD.valid_to IS DISTINCT FROM NEW.valid_to
                   OR OLD.parent_id IS DISTINCT FROM NEW.parent_id
                   OR OLD.label_point IS DISTINCT FROM NEW.label_point)
EXECUTE FUNCTION assets_units_before_follow_unit();

CREATE FUNCTION assets_units_before_follow_merger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM assets_units_before_rederive(
        ARRAY[CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.successor_id END,
              CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.successor_id END], NULL);
    RETURN NULL;
END $$;

CREATE TRIGGER assets_units_before_merger
AFTER INSERT OR UPDATE OR DELETE ON geodata_unitsuccession
FOR EACH ROW EXECUTE FUNCTION assets_units_before_follow_merger();
"""

# Existing rows in one statement: the old district first, once per row (the subquery the
# planner may not flatten), then the inlined lineage rule. JIT off: the planner prices the
# polygon tests high and would compile for longer than the statement runs.
FILL = f"""
SET LOCAL jit = off;
UPDATE assets_asset a
SET (district_before_id, commune_before_id, commune_before_approximate)
    = (b.district_before, b.commune_before, b.commune_before_approximate)
FROM (SELECT id, location, commune_id, geodata_district_before_at(location) AS district
      FROM assets_asset OFFSET 0) p,
     LATERAL geodata_units_before_at(p.location, p.commune_id, p.district) b
WHERE a.id = p.id;
ANALYZE assets_asset;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS assets_units_before_merger ON geodata_unitsuccession;
DROP FUNCTION IF EXISTS assets_units_before_follow_merger();
DROP TRIGGER IF EXISTS geodata_units_assets_before_change ON geodata_adminunit;
DROP TRIGGER IF EXISTS geodata_units_assets_before_rows ON geodata_adminunit;
DROP FUNCTION IF EXISTS assets_units_before_follow_unit();
DROP FUNCTION IF EXISTS assets_units_before_rederive(bigint[], box2d);
DROP TRIGGER IF EXISTS assets_asset_units_before_move ON assets_asset;
DROP TRIGGER IF EXISTS assets_asset_units_before_insert ON assets_asset;
DROP FUNCTION IF EXISTS assets_asset_units_before_set();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0024_asset_list_order'),
        ('geodata', '0015_units_before_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='asset',
            name='commune_before',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='commune before 2025'),
        ),
        migrations.AddField(
            model_name='asset',
            name='commune_before_approximate',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='commune before 2025 approximate'),
        ),
        migrations.AddField(
            model_name='asset',
            name='district_before',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='district before 2025'),
        ),
        migrations.AddField(
            model_name='historicalasset',
            name='commune_before',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='commune before 2025'),
        ),
        migrations.AddField(
            model_name='historicalasset',
            name='commune_before_approximate',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='commune before 2025 approximate'),
        ),
        migrations.AddField(
            model_name='historicalasset',
            name='district_before',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geodata.adminunit', verbose_name='district before 2025'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
