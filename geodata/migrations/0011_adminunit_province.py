"""The province of every administrative unit, kept by a trigger.

One installation holds several provinces (issue 13): staff scopes, coverage figures and the
plaque link are per province, and they ask "which province" of a unit or an asset in one
indexed column rather than by walking the parent chain or testing a boundary per query.

Why a trigger: units arrive through the loader (bulk_create, bulk_update), the units import
layer (one create per row, without a parent), the admin, and raw SQL in tests; the trigger is
the one place that sees them all. The rule:
- a province is its own province;
- a unit with a parent takes the parent's province (the loader writes parents first);
- a unit without a parent takes the province in force whose boundary holds a point of the
  unit (geodata_province_at, on the subdivided parts of migration 0006), lowest code first;
- a province inserted after units that had none adopts those it holds.
A unit whose parent moves to another province keeps its own value until it is written again
(the loader rewrites every unit's parent on each load).
"""
import django.db.models.deletion
from django.db import migrations, models

FORWARD = """
CREATE FUNCTION geodata_province_at(point geometry) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT u.id
        FROM (SELECT p.unit_id FROM geodata_unitpart p
              WHERE ST_Covers(p.geom, point) OFFSET 0) part
        JOIN geodata_adminunit u ON u.id = part.unit_id
        WHERE u.level = 'province'
          AND (u.valid_from IS NULL OR u.valid_from <= CURRENT_DATE)
          AND (u.valid_to IS NULL OR u.valid_to >= CURRENT_DATE)
        ORDER BY u.code LIMIT 1);
END $$;

CREATE FUNCTION geodata_unit_province_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level = 'province' THEN
        NEW.province_id := NEW.id;
    ELSIF NEW.parent_id IS NOT NULL THEN
        NEW.province_id := (SELECT CASE WHEN p.level = 'province' THEN p.id
                                        ELSE p.province_id END
                            FROM geodata_adminunit p WHERE p.id = NEW.parent_id);
    ELSIF NEW.boundary IS NOT NULL THEN
        NEW.province_id := geodata_province_at(ST_PointOnSurface(NEW.boundary));
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER geodata_unit_province_insert
BEFORE INSERT ON geodata_adminunit
FOR EACH ROW EXECUTE FUNCTION geodata_unit_province_set();

CREATE TRIGGER geodata_unit_province_change
BEFORE UPDATE OF parent_id, level, boundary ON geodata_adminunit
FOR EACH ROW EXECUTE FUNCTION geodata_unit_province_set();

CREATE FUNCTION geodata_province_adopt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE geodata_adminunit u SET province_id = NEW.id
    WHERE u.province_id IS NULL AND u.parent_id IS NULL AND u.level <> 'province'
      AND u.boundary && NEW.boundary
      AND ST_Covers(NEW.boundary, ST_PointOnSurface(u.boundary));
    RETURN NULL;
END $$;

CREATE TRIGGER geodata_province_adopt
AFTER INSERT ON geodata_adminunit
FOR EACH ROW WHEN (NEW.level = 'province' AND NEW.boundary IS NOT NULL)
EXECUTE FUNCTION geodata_province_adopt();
"""

# Existing rows, level by level so that each takes its parent's fresh value.
FILL = """
UPDATE geodata_adminunit SET province_id = id WHERE level = 'province';
UPDATE geodata_adminunit u SET province_id = CASE WHEN p.level = 'province' THEN p.id
                                                  ELSE p.province_id END
FROM geodata_adminunit p WHERE u.parent_id = p.id AND u.level = 'district';
UPDATE geodata_adminunit u SET province_id = CASE WHEN p.level = 'province' THEN p.id
                                                  ELSE p.province_id END
FROM geodata_adminunit p WHERE u.parent_id = p.id AND u.level = 'commune';
UPDATE geodata_adminunit
SET province_id = geodata_province_at(ST_PointOnSurface(boundary))
WHERE province_id IS NULL AND parent_id IS NULL AND boundary IS NOT NULL
  AND level <> 'province';
"""

BACKWARD = """
DROP TRIGGER IF EXISTS geodata_province_adopt ON geodata_adminunit;
DROP FUNCTION IF EXISTS geodata_province_adopt();
DROP TRIGGER IF EXISTS geodata_unit_province_change ON geodata_adminunit;
DROP TRIGGER IF EXISTS geodata_unit_province_insert ON geodata_adminunit;
DROP FUNCTION IF EXISTS geodata_unit_province_set();
DROP FUNCTION IF EXISTS geodata_province_at(geometry);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("geodata", "0010_metric_locations"),
    ]

    operations = [
        migrations.AddField(
            model_name="adminunit",
            name="province",
            field=models.ForeignKey(
                blank=True, editable=False, null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+", to="geodata.adminunit",
                verbose_name="province"),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
