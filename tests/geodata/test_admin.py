"""The geodata admin: lists, filters, the unit lineage, saving hamlets and sites."""
import pytest
from django.urls import reverse

from geodata.models import AdminUnit, CellSite, Hamlet
from tests.factories import CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model, query", [
    ("adminunit", "?level__exact=commune&period=current"),
    ("adminunit", "?period=before&q=Cao"),
    ("hamlet", "?mobile_status__exact=no"),
    ("cellsite", "?operator__exact=viettel"),
    ("dataload", ""),
])
def test_changelists_open_without_any_cdn(admin_client, model, query):
    HamletFactory(mobile_status="no")
    CellSiteFactory()
    response = admin_client.get(reverse(f"admin:geodata_{model}_changelist") + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "openlayers" not in html.lower()


def test_period_filter_splits_the_reform(admin_client):
    url = reverse("admin:geodata_adminunit_changelist")
    response = admin_client.get(url + "?level__exact=commune&period=before")
    assert response.context["cl"].result_count == 194
    response = admin_client.get(url + "?level__exact=commune&period=current")
    assert response.context["cl"].result_count == 65


def test_unit_page_shows_its_lineage_and_cannot_be_edited(admin_client):
    ba_son = AdminUnit.objects.current().communes().get(code="06196")
    response = admin_client.get(reverse("admin:geodata_adminunit_change", args=[ba_son.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Xã Cao Lâu", "Xã Xuất Lễ", "Xã Mẫu Sơn"):
        assert name in html
    assert f"{ba_son.boundary.num_points}" in html  # the outline summary, not the polygon
    response = admin_client.post(reverse("admin:geodata_adminunit_change", args=[ba_son.pk]),
                                 {"name": "changed"})
    assert response.status_code == 403
    assert AdminUnit.objects.get(pk=ba_son.pk).name == "Xã Ba Sơn"


def test_saving_a_hamlet_derives_its_commune_from_the_point(admin_client):
    response = admin_client.post(reverse("admin:geodata_hamlet_add"), {
        "name": "Thôn Nà Lầu", "location": "POINT(106.7496 21.8419)", "households": 80,
        "population": 320, "mobile_status": "no", "broadband_status": "unknown",
        "source": "survey", "external_id": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    hamlet = Hamlet.objects.get(name="Thôn Nà Lầu")
    assert hamlet.commune.name == "Phường Lương Văn Tri"
    # The old district is the database's (a trigger); the change page shows it, read-only.
    assert hamlet.district_before.name == "Thành phố Lạng Sơn"
    page = admin_client.get(reverse("admin:geodata_hamlet_change", args=[hamlet.pk]))
    assert "Thành phố Lạng Sơn" in page.content.decode()
    assert 'name="district_before"' not in page.content.decode()


def test_saving_a_site_recomputes_its_coverage_radius(admin_client):
    site = CellSiteFactory(coverage_radius_m=1)
    response = admin_client.post(reverse("admin:geodata_cellsite_change", args=[site.pk]), {
        "name": "VTL test", "operator": "viettel", "technologies": "2G,3G,4G",
        "terrain": "mountain", "radius_overrides": "{}", "location": "POINT(106.76 21.85)",
        "status": "active", "source": "", "external_id": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    site = CellSite.objects.get(pk=site.pk)
    assert site.coverage_radius_m == 6000.0
    assert site.commune is not None
