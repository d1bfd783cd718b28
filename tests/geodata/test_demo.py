"""The deterministic demo generator for hamlets and cell sites."""
import doctest
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from geodata import radio
from geodata.demo import (
    SOURCE,
    demo_agreement,
    demo_geodata_generate,
    demo_geodata_load,
    demo_seed,
    space,
)
from geodata.models import AdminUnit, CellSite, Hamlet


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Generated once per module (about a second); nothing is written. A transactional
    test run before may have flushed the geography: the loader restores it (a no-op else)."""
    with django_db_blocker.unblock():
        call_command("qrmap_load_geodata", verbosity=0)
        return demo_geodata_generate(seed=demo_seed())


def test_exact_gap_counts_and_few_unknowns(demo):
    hamlets = demo.hamlets
    assert len(hamlets) == 1650
    assert sum(h.mobile_status == "no" for h in hamlets) == 268
    assert sum(h.broadband_status == "no" for h in hamlets) == 405
    assert sum(h.mobile_status == "unknown" for h in hamlets) < 30
    assert len({h.external_id for h in hamlets}) == 1650
    # Within a commune every name is distinct.
    assert len({(h.commune_code, h.name) for h in hamlets}) == 1650


@pytest.mark.django_db
def test_same_seed_same_output_other_seed_other_output(demo):
    assert demo_geodata_generate(seed=demo_seed()).digest() == demo.digest()
    assert demo_geodata_generate(seed=demo_seed() + 1).digest() != demo.digest()


@pytest.mark.django_db
def test_every_commune_has_hamlets_in_proportion_to_population(demo):
    per_commune = {}
    for hamlet in demo.hamlets:
        per_commune[hamlet.commune_code] = per_commune.get(hamlet.commune_code, 0) + 1
    communes = AdminUnit.objects.current().communes()
    assert set(per_commune) == set(communes.values_list("code", flat=True))
    biggest = communes.exclude(unit_type="Phường").order_by("-population").first()
    smallest = communes.order_by("population").first()
    assert per_commune[biggest.code] > 2 * per_commune[smallest.code]


def test_gaps_cluster_far_from_the_city_and_not_in_urban_blocks(demo):
    def mean_km(group):
        return sum(space.distance_km((h.x, h.y), (0, 0)) for h in group) / len(group)

    gaps = [h for h in demo.hamlets if h.mobile_status == "no"]
    served = [h for h in demo.hamlets if h.mobile_status == "yes"]
    assert mean_km(gaps) > mean_km(served) + 8
    assert sum(h.name.startswith("Khối") for h in gaps) <= 3
    both = sum(h.broadband_status == "no" for h in gaps)
    assert both > 0.7 * len(gaps)  # where there is no signal there is rarely a cable


@pytest.mark.django_db
def test_load_writes_synthetic_rows_inside_their_communes_and_agrees_with_sites():
    result = demo_geodata_load()
    assert result.loaded is True
    hamlets = Hamlet.objects.all()
    assert hamlets.count() == 1650
    assert hamlets.filter(mobile_status="no").count() == 268
    assert hamlets.filter(broadband_status="no").count() == 405
    assert not hamlets.exclude(synthetic=True, source=SOURCE).exists()
    assert not CellSite.objects.exclude(synthetic=True, source=SOURCE).exists()
    assert set(CellSite.objects.values_list("operator", flat=True)) == {
        "viettel", "vinaphone", "mobifone", "vietnamobile"}
    assert CellSite.objects.filter(status="planned").count() == 12
    assert not CellSite.objects.filter(commune__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM geodata_hamlet h JOIN geodata_adminunit u "
                       "ON u.id = h.commune_id WHERE NOT ST_Covers(u.boundary, h.location)")
        assert cursor.fetchone()[0] == 0
    agreement = demo_agreement()
    assert 85 < agreement < 99  # mostly agreeing, with disagreements left to list
    assert result.counts["agreement_pct"] == agreement


@pytest.mark.django_db
def test_loading_twice_changes_nothing(django_assert_max_num_queries):
    demo_geodata_load()
    before = sorted(Hamlet.objects.values_list("id", "external_id", "mobile_status"))
    with django_assert_max_num_queries(1):
        assert demo_geodata_load().loaded is False
    assert demo_geodata_load(force=True).loaded is True
    assert sorted(Hamlet.objects.values_list("id", "external_id", "mobile_status")) == before


@pytest.mark.django_db
def test_command_prints_the_counts():
    out = StringIO()
    call_command("qrmap_load_demo", stdout=out)
    text = out.getvalue()
    assert "hamlets 1650, mobile_no 268, broadband_no 405" in text


def test_site_radii_come_from_technology_and_terrain():
    assert doctest.testmod(radio).failed == 0
    site = CellSite(technologies=["2G", "3G", "4G"], terrain="rural",
                    radius_overrides={"3G": 5000})
    radio.site_radius_refresh(site)
    assert site.coverage_radius_m == 5000.0
