"""The units before 2025 at a point, as one SQL function: the rule the address lookup applied
in Python, now the one rule of the lookup (geodata.selectors.unit_lookup_point asks it) and
of the units stored on each asset (assets 0025).

geodata_units_before_at(point, commune, district) -> (district_before, commune_before,
commune_before_approximate), given today's commune that holds the point and the old district
found for it (by the caller's rule: geodata_district_before_at for stored rows, the full
polygons for a free point):
- the old commune is a predecessor of today's commune (a commune split between two new ones
  is a predecessor of both, so today's commune settles it); among several, those of the
  point's old district when there are any, then the nearest label point (the old communes
  have no polygons, only approximate centroids), the lowest code on a tie;
- it is "approximate" when it was chosen among several;
- the old district is the old commune's own when one is found, else the one given.

Plain SQL returning a table, so that the planner inlines it in a set-wise fill (a LATERAL
join per row) instead of calling it; `district` is read once through a subquery the planner
may not flatten (OFFSET 0), or inlining would copy a caller's district expression (a polygon
lookup) into every place the body names it.
"""
from django.db import migrations

FORWARD = """
CREATE FUNCTION geodata_units_before_at(point geometry, commune bigint, district bigint)
RETURNS TABLE (district_before bigint, commune_before bigint,
               commune_before_approximate boolean)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE WHEN old.id IS NULL THEN given.d ELSE old.parent_id END, old.id,
       coalesce(old.approximate, false)
FROM (SELECT district AS d OFFSET 0) given
LEFT JOIN LATERAL (
    SELECT u.id, u.parent_id,
           count(*) OVER (PARTITION BY coalesce(u.parent_id = given.d, false)) > 1
               AS approximate
    FROM geodata_unitsuccession s JOIN geodata_adminunit u ON u.id = s.predecessor_id
    WHERE s.successor_id = commune
    ORDER BY coalesce(u.parent_id = given.d, false) DESC,
             ST_DistanceSphere(u.label_point, point), u.code
    LIMIT 1) old ON true
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS geodata_units_before_at(geometry, bigint, bigint);"


class Migration(migrations.Migration):
    dependencies = [("geodata", "0014_hamlet_list_order")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
