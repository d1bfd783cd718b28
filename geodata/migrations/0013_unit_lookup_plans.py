"""The point-in-unit functions (geodata_commune_at, geodata_district_before_at,
geodata_province_at) with a plan that cannot walk the units.

Migrations 0007 and 0011 fenced the parts' subquery with OFFSET 0, but plpgsql switches to a
generic plan after a few calls, and in that plan the planner walked the units of the level
by code and probed the parts' GiST index once per unit until one covered the point: 2 ms a
point with Lạng Sơn's 65 communes, and growing with every unit loaded (some 3,300 communes
nationally), in every hamlet trigger, every saved asset and every import of up to 2,000
rows. The parts that cover the point are now collected first, as an array (an InitPlan,
evaluated once), and only those units are read: 0.1 ms a point, whatever the number of
units. Same answers; the reverse keeps the new bodies.
"""
import datetime

from django.conf import settings
from django.db import migrations

REFORM_EVE = (datetime.date.fromisoformat(settings.QRMAP_REFORM_DATE)
              - datetime.timedelta(days=1)).isoformat()
NEAR_DEGREES = 0.02
TODAY = ("(u.valid_from IS NULL OR u.valid_from <= CURRENT_DATE) "
         "AND (u.valid_to IS NULL OR u.valid_to >= CURRENT_DATE)")
EVE = (f"(u.valid_from IS NULL OR u.valid_from <= DATE '{REFORM_EVE}') "
       f"AND (u.valid_to IS NULL OR u.valid_to >= DATE '{REFORM_EVE}')")
COVERING = "ARRAY(SELECT p.unit_id FROM geodata_unitpart p WHERE ST_Covers(p.geom, point))"


def _covering_unit(name: str, level: str, validity: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}(point geometry) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT u.id FROM geodata_adminunit u
        WHERE u.id = ANY({COVERING}) AND u.level = '{level}' AND {validity}
        ORDER BY u.code LIMIT 1);
END $$;
"""


FORWARD = _covering_unit("geodata_commune_at", "commune", TODAY) + _covering_unit(
    "geodata_province_at", "province", TODAY) + f"""
CREATE OR REPLACE FUNCTION geodata_district_before_at(point geometry) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    found bigint;
BEGIN
    SELECT u.id INTO found FROM geodata_adminunit u
    WHERE u.id = ANY({COVERING}) AND u.level = 'district' AND {EVE}
    ORDER BY u.code LIMIT 1;
    IF found IS NOT NULL THEN
        RETURN found;
    END IF;
    -- In the slivers between outlines: the nearest district within ~2 km (the distance to
    -- the nearest part is the distance to the whole outline).
    RETURN (
        SELECT u.id
        FROM (SELECT p.unit_id, min(ST_Distance(p.geom, point)) AS distance
              FROM geodata_unitpart p
              WHERE ST_DWithin(p.geom, point, {NEAR_DEGREES}) GROUP BY p.unit_id) part
        JOIN geodata_adminunit u ON u.id = part.unit_id
        WHERE u.level = 'district' AND {EVE}
        ORDER BY part.distance, u.code LIMIT 1);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("geodata", "0012_vn2000_tm3_spatial_ref_sys")]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
