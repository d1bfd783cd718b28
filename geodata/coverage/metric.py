"""Metric points for the coverage model: the `location_metric` columns of hamlets and sites
(migration 0009) are their locations in UTM zone 48N, where ST_DWithin is planar and cheap.

A planar distance there is the true one times the projection's scale factor, so a radius on
the ground becomes a planar reach at the site (metric_reach_sql); the model's answers are
then those of the spheroid to well under a metre (tests/geodata/test_coverage_metric.py).
"""

# WGS 84 / UTM zone 48N, the projection of the `location_metric` columns (migration 0009).
METRIC_SRID = 32648
# A transverse Mercator map stretches lengths by its scale factor k, which grows with the
# distance x from the central meridian (easting 500,000 m): k = k0 + x²/(2·k0·R²), from
# 0.9996 on 105°E to 1.0003 on Lạng Sơn's eastern edge and 1.0026 at 109.5°E. A planar
# distance is k times the true one, so a radius is compared as radius × k at the site: k
# changes by less than 1e-4 over the model's 6 km, under half a metre.
METRIC_SCALE_SQL = "(0.9996 + power(ST_X({point}) - 500000, 2) / (2 * 0.9996 * 6371000.0 ^ 2))"


def metric_point_sql(lon: str, lat: str) -> str:
    """SQL of a point given in degrees (storage SRID), projected like `location_metric`."""
    return f"ST_Transform(ST_SetSRID(ST_MakePoint({lon}, {lat}), %(srid)s), {METRIC_SRID})"


def metric_reach_sql(radius: str, point: str) -> str:
    """SQL of a radius in metres on the ground as a planar distance at `point` (projected)."""
    return f"({radius}) * {METRIC_SCALE_SQL.format(point=point)}"
