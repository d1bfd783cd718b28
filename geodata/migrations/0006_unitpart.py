"""Subdivided unit boundaries (geodata_unitpart) for point-in-polygon lookups at scale.

A commune polygon of a few thousand vertices makes every ST_Covers test walk its edges, and
its bounding box holds many points of its neighbours. Cut into parts of at most 128
vertices (ST_Subdivide), each test touches a small polygon and the GiST index on the parts
sends a point to one or two of them: the commune of 100,000 points in well under a second.

Triggers keep the parts equal to geodata_adminunit whatever writes it (the loader, an
import, the admin, a test flush): a unit inserted, its boundary updated, a unit deleted or
the table truncated. The table has no model; geodata.selectors reads it in SQL, and it has
no foreign key so that Django's flush can truncate the units without CASCADE.
"""
from django.db import migrations

PARTS_VERTICES = 128

FORWARD = f"""
CREATE TABLE geodata_unitpart (
    id bigserial PRIMARY KEY,
    unit_id integer NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX geodata_unitpart_geom ON geodata_unitpart USING gist (geom);
CREATE INDEX geodata_unitpart_unit ON geodata_unitpart (unit_id);

CREATE FUNCTION geodata_unitpart_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM geodata_unitpart WHERE unit_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.boundary IS NOT NULL THEN
        INSERT INTO geodata_unitpart (unit_id, geom)
        SELECT NEW.id, ST_Subdivide(NEW.boundary, {PARTS_VERTICES});
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION geodata_unitpart_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE geodata_unitpart;
    RETURN NULL;
END $$;

CREATE TRIGGER geodata_unitpart_rows
AFTER INSERT OR DELETE OR UPDATE OF boundary ON geodata_adminunit
FOR EACH ROW EXECUTE FUNCTION geodata_unitpart_refresh();

CREATE TRIGGER geodata_unitpart_truncate
AFTER TRUNCATE ON geodata_adminunit
FOR EACH STATEMENT EXECUTE FUNCTION geodata_unitpart_clear();

INSERT INTO geodata_unitpart (unit_id, geom)
SELECT id, ST_Subdivide(boundary, {PARTS_VERTICES})
FROM geodata_adminunit WHERE boundary IS NOT NULL;
ANALYZE geodata_unitpart;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS geodata_unitpart_truncate ON geodata_adminunit;
DROP TRIGGER IF EXISTS geodata_unitpart_rows ON geodata_adminunit;
DROP FUNCTION IF EXISTS geodata_unitpart_clear();
DROP FUNCTION IF EXISTS geodata_unitpart_refresh();
DROP TABLE IF EXISTS geodata_unitpart;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("geodata", "0005_analysisjob"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
