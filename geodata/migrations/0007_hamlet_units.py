"""Today's commune and the district before 2025 stored on each hamlet, kept by triggers.

The gap analysis sums hamlets per commune and per old district; finding the old district per
query (a point-in-polygon test, and a nearest-district search in the slivers) cost most of
its time at national size. Both units are now columns, set where the data is written.

Why triggers rather than Python: hamlets arrive through the demo loader (bulk_create), the
importer, the admin, COPY in the benchmarks and raw SQL in tests, and the units they lie in
change when a boundary is corrected or a unit is added; a trigger is the one place that sees
all of these. The rules live in two SQL functions, used by the triggers and by set-wise fills
(this migration, the benchmark generator):

- geodata_commune_at(point): today's commune whose boundary covers the point, the lowest GSO
  code on a shared border, NULL outside: the rule of geodata.selectors.communes_at_xy.
- geodata_district_before_at(point): the district in force the day before the reform that
  covers the point (lowest code), else, in the slivers the old district polygons and today's
  communes leave between them, the nearest district within 0.02 degrees (~2 km): the rule the
  analysis applied per query before.

Both test the subdivided parts of geodata_unitpart (migration 0006), which a GiST index
sends to one or two small polygons. They are plpgsql so that the row triggers reuse their
plans; the subquery with OFFSET 0 keeps the planner from walking every unit by code and
testing its parts (it chose that, at 0.6 ms a point).

Hamlet rows: on insert a unit is kept when the writer gives one (the importer and the admin
give the same rule's answer; test data may give any) and looked up when not; on a move both
are looked up again unless the same statement sets them. A lookup costs some 30-40 us per
row, so bulk writers that know the units (the benchmark generator) give them.
Unit rows: a unit inserted, deleted, or with a new boundary, level, code or validity sends the
hamlets that point at it or lie within ~2 km of its outline through both rules again (the
trigger's name sorts after geodata_unitpart_rows, so the parts are already new). What no
trigger sees: a unit's validity ending by the mere passing of a date; the loader's next run,
which writes the validity, does.
"""
import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The districts the analysis counts are those in force the day before the 2025 reform
# (AdminUnit.objects.before_reform()); the date is written into the function here.
REFORM_EVE = (datetime.date.fromisoformat(settings.QRMAP_REFORM_DATE)
              - datetime.timedelta(days=1)).isoformat()
NEAR_DEGREES = 0.02

FUNCTIONS = f"""
CREATE FUNCTION geodata_commune_at(point geometry) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT u.id
        FROM (SELECT p.unit_id FROM geodata_unitpart p
              WHERE ST_Covers(p.geom, point) OFFSET 0) part
        JOIN geodata_adminunit u ON u.id = part.unit_id
        WHERE u.level = 'commune'
          AND (u.valid_from IS NULL OR u.valid_from <= CURRENT_DATE)
          AND (u.valid_to IS NULL OR u.valid_to >= CURRENT_DATE)
        ORDER BY u.code LIMIT 1);
END $$;

CREATE FUNCTION geodata_district_before_at(point geometry) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    found bigint;
BEGIN
    SELECT u.id INTO found
    FROM (SELECT p.unit_id FROM geodata_unitpart p
          WHERE ST_Covers(p.geom, point) OFFSET 0) part
    JOIN geodata_adminunit u ON u.id = part.unit_id
    WHERE u.level = 'district'
      AND (u.valid_from IS NULL OR u.valid_from <= DATE '{REFORM_EVE}')
      AND (u.valid_to IS NULL OR u.valid_to >= DATE '{REFORM_EVE}')
    ORDER BY u.code LIMIT 1;
    IF found IS NOT NULL THEN
        RETURN found;
    END IF;
    -- The distance to the nearest part is the distance to the whole outline.
    RETURN (
        SELECT u.id
        FROM (SELECT p.unit_id, ST_Distance(p.geom, point) AS distance FROM geodata_unitpart p
              WHERE ST_DWithin(p.geom, point, {NEAR_DEGREES}) OFFSET 0) part
        JOIN geodata_adminunit u ON u.id = part.unit_id
        WHERE u.level = 'district'
          AND (u.valid_from IS NULL OR u.valid_from <= DATE '{REFORM_EVE}')
          AND (u.valid_to IS NULL OR u.valid_to >= DATE '{REFORM_EVE}')
        ORDER BY part.distance, u.code LIMIT 1);
END $$;

CREATE FUNCTION geodata_hamlet_units_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'INSERT' AND NEW.commune_id IS NULL)
       OR (TG_OP = 'UPDATE' AND NEW.commune_id IS NOT DISTINCT FROM OLD.commune_id) THEN
        NEW.commune_id := geodata_commune_at(NEW.location);
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.district_before_id IS NULL)
       OR (TG_OP = 'UPDATE' AND NEW.district_before_id IS NOT DISTINCT FROM OLD.district_before_id) THEN
        NEW.district_before_id := geodata_district_before_at(NEW.location);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER geodata_hamlet_units_insert
BEFORE INSERT ON geodata_hamlet
FOR EACH ROW EXECUTE FUNCTION geodata_hamlet_units_set();

CREATE TRIGGER geodata_hamlet_units_move
BEFORE UPDATE OF location ON geodata_hamlet
FOR EACH ROW WHEN (OLD.location IS DISTINCT FROM NEW.location)
EXECUTE FUNCTION geodata_hamlet_units_set();

CREATE FUNCTION geodata_units_hamlets_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unit bigint := CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END;
    area box2d;
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.boundary IS NOT NULL
       AND NEW.level IN ('commune', 'district') THEN
        area := ST_Expand(Box2D(NEW.boundary), {NEAR_DEGREES});
    END IF;
    UPDATE geodata_hamlet h
    SET commune_id = geodata_commune_at(h.location),
        district_before_id = geodata_district_before_at(h.location)
    WHERE h.commune_id = unit OR h.district_before_id = unit
       OR (area IS NOT NULL AND h.location && area::geometry);
    RETURN NULL;
END $$;

CREATE TRIGGER geodata_units_hamlets_rows
AFTER INSERT OR DELETE ON geodata_adminunit
FOR EACH ROW EXECUTE FUNCTION geodata_units_hamlets_follow();

CREATE TRIGGER geodata_units_hamlets_change
AFTER UPDATE OF boundary, level, code, valid_from, valid_to ON geodata_adminunit
FOR EACH ROW WHEN (OLD.boundary IS DISTINCT FROM NEW.boundary OR OLD.level <> NEW.level
                   OR OLD.code <> NEW.code
                   OR OLD.valid_from IS DISTINCT FROM NEW.valid_from
                   OR OLD.valid_to IS DISTINCT FROM NEW.valid_to)
EXECUTE FUNCTION geodata_units_hamlets_follow();
"""

# Existing rows, in one statement; their communes were set by the same rule already.
FILL = """
UPDATE geodata_hamlet
SET commune_id = coalesce(commune_id, geodata_commune_at(location)),
    district_before_id = geodata_district_before_at(location);
ANALYZE geodata_hamlet;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS geodata_units_hamlets_change ON geodata_adminunit;
DROP TRIGGER IF EXISTS geodata_units_hamlets_rows ON geodata_adminunit;
DROP FUNCTION IF EXISTS geodata_units_hamlets_follow();
DROP TRIGGER IF EXISTS geodata_hamlet_units_move ON geodata_hamlet;
DROP TRIGGER IF EXISTS geodata_hamlet_units_insert ON geodata_hamlet;
DROP FUNCTION IF EXISTS geodata_hamlet_units_set();
DROP FUNCTION IF EXISTS geodata_district_before_at(geometry);
DROP FUNCTION IF EXISTS geodata_commune_at(geometry);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("geodata", "0006_unitpart"),
    ]

    operations = [
        migrations.AddField(
            model_name="hamlet",
            name="district_before",
            field=models.ForeignKey(
                blank=True, editable=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                to="geodata.adminunit", verbose_name="district before 2025"),
        ),
        migrations.RunSQL(FUNCTIONS + FILL, BACKWARD),
    ]
