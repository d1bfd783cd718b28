"""The coverage model measures on the points in UTM 48N that hamlets and sites store
(migration 0009), with each radius scaled by the projection's scale factor: its statuses are
those of the same test on the spheroid, also a few dozen centimetres from a radius."""
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from geodata.coverage import PlannedSite, coverage_figures, coverage_sums, hamlet_coverage
from geodata.coverage.model import (
    MODEL_TECHNOLOGIES,
    gap_coverage,
    model_max_radius,
    status_query,
)
from geodata.models import AdminUnit, Hamlet
from tests.factories import CellSiteFactory, HamletFactory
from tests.geodata.test_coverage import project

pytestmark = pytest.mark.django_db

# The model's test on geography (spheroid), as it was before the metric columns.
SPHEROID_SQL = """
SELECT h.id, EXISTS (
    SELECT 1 FROM geodata_cellsite s
    WHERE s.status = 'active' AND s.coverage_radius_m > 0
      AND s.technologies && %(model_techs)s::varchar[]
      AND ST_DWithin(s.location::geography, h.location::geography, %(max_radius)s)
      AND ST_DWithin(s.location::geography, h.location::geography, s.coverage_radius_m))
FROM geodata_hamlet h
"""


def spheroid_statuses() -> dict[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute(SPHEROID_SQL, {"model_techs": MODEL_TECHNOLOGIES,
                                      "max_radius": model_max_radius()})
        return dict(cursor.fetchall())


# Lạng Sơn (1.5° east of zone 48N's central meridian), the far west (2° west of it) and the
# coast of Khánh Hòa (4.3° east: the largest scale factor on the mainland).
SITES = [((106.50, 21.90), 3000.0), ((103.00, 22.30), 6000.0), ((109.30, 12.20), 6000.0)]


@pytest.fixture
def rings():
    """Around each site, hamlets 40 cm inside and 40 cm outside its radius at 12 azimuths."""
    for (lon, lat), radius in SITES:
        CellSiteFactory(location=Point(lon, lat), coverage_radius_m=radius,
                        technologies=["4G"])
        for azimuth in range(0, 360, 30):
            for name, metres in (("in", radius - 0.4), ("out", radius + 0.4)):
                HamletFactory(name=f"{name} {lon} {azimuth}", population=100,
                              location=Point(*project((lon, lat), metres, azimuth)))


def test_statuses_are_those_of_the_spheroid_a_few_dozen_centimetres_from_the_radius(rings):
    rows = hamlet_coverage()
    assert len(rows) == 2 * 12 * len(SITES)
    assert {row.id: row.mobile_modelled for row in rows} == spheroid_statuses()
    assert all(row.mobile_modelled == row.name.startswith("in ") for row in rows)


def test_statuses_on_province_data_are_those_of_the_spheroid(province_hamlets):
    rows = hamlet_coverage()
    assert {row.id: row.mobile_modelled for row in rows} == spheroid_statuses()
    # The data have both kinds, and squares served whole as well as hamlets probed alone.
    assert {True, False} <= {row.mobile_modelled for row in rows}


def test_the_metric_columns_follow_the_location(rings):
    hamlet = Hamlet.objects.filter(name__startswith="out ").first()
    Hamlet.objects.filter(pk=hamlet.pk).update(location=Point(106.50, 21.90))
    assert next(row for row in hamlet_coverage() if row.id == hamlet.pk).mobile_modelled


def test_the_gaps_alone_are_the_gap_rows_of_the_figures(province_hamlets):
    assert gap_coverage() == coverage_figures().gap_rows
    assert gap_coverage()  # the data have gaps


def plan_of(sql: str, params: dict) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geodata_hamlet; ANALYZE geodata_cellsite")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("cells", [True, False])
def test_the_plan_probes_the_metric_site_index_and_nothing_on_the_spheroid(
        province_hamlets, cells):
    plan = plan_of(*status_query(
        cells=cells, planned=(PlannedSite(lon=106.5, lat=21.9, radius_m=5000),)))
    assert "Index Scan using geodata_cellsite_location_metric_gist" in plan
    assert "geodata_hamlet_location_metric_gist" in plan  # planned sites probe the hamlets
    assert "geography" not in plan  # no spheroid test
    assert "st_covers" not in plan.lower() and "unitpart" not in plan  # units are stored
    # EXISTS as joins that stop at the first site (no count(*) of the sites in reach); with
    # cells, the squares are probed (semi join) before the hamlets left over (anti join).
    assert "Anti Join" in plan
    assert ("Semi Join" in plan) == cells


def test_a_point_a_continent_away_is_saved_and_counts_as_unreached(rings):
    """The projection is undefined there: the metric point is left empty rather than
    failing the write (the range CHECK of migration 0002 still refuses latitude 95)."""
    CellSiteFactory(location=Point(-106.5, 21.9), coverage_radius_m=6000, technologies=["4G"])
    far = HamletFactory(name="far", location=Point(-106.5, 21.9))
    rows = {row.id: row for row in hamlet_coverage()}
    assert not rows[far.pk].mobile_modelled  # where the spheroid test would find the site
    assert sum(row.mobile_modelled for row in rows.values()) == 12 * len(SITES)


def test_the_sums_alone_are_the_sums_of_the_rows(province_hamlets):
    Hamlet.objects.filter(pk__in=Hamlet.objects.order_by("id").values("id")[:40]).update(
        mobile_status="unknown")  # some gaps decided by the model alone
    figures, sums = coverage_figures(), coverage_sums()
    assert sums.province == figures.province
    assert sums.communes == figures.communes and sums.districts == figures.districts
    assert sums.sites == figures.sites and sums.hamlets == []
    commune = AdminUnit.objects.current().communes().order_by("code").first()
    one = coverage_figures(commune=commune)
    assert coverage_sums(commune=commune).communes == one.communes
    assert coverage_sums(commune=commune).districts == one.districts
