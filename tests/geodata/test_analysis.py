"""Scenarios and proposals of the planner dashboard: small ones inline, large ones as a job
(here run inline or not at all; tests/geodata/test_analysis_worker.py has the real worker),
results reused for the same parameters on the same data, jobs scoped to their planner, a
dead worker's job sent again or failed with its reason, bad input a form error."""
import datetime
import doctest

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone, translation

from geodata import jobs
from geodata.analysis import analysis_parameters, analysis_request
from geodata.coverage import (
    PlannedSite,
    coverage_figures,
    coverage_proposal,
    coverage_scenario,
    results,
)
from geodata.coverage.cache import coverage_fingerprint
from geodata.coverage.results import gains_of, scenario_of
from geodata.forms import ProposalForm
from geodata.models import AdminUnit, AnalysisJob
from geodata.tasks import analysis_job_task
from tests.assets.staff_fixtures import make_staff
from tests.factories import CellSiteFactory, HamletFactory

pytestmark = pytest.mark.django_db
DASHBOARD = "planning:dashboard"
PROPOSAL = {"action": "proposal", "k": 2, "radius": 2000}


def gap_hamlets(geography):
    """Two communes of Lạng Sơn city: gap hamlets in small clusters, one covered hamlet and
    one site (enough for a proposal to choose between candidates)."""
    units = AdminUnit.objects.current().communes()
    for code, populations in (("05977", [300, 250, 200]), ("05986", [900, 100])):
        unit = units.get(code=code)
        x, y = unit.boundary.point_on_surface.coords
        for index, population in enumerate(populations):
            HamletFactory(name=f"Bản {code}-{index}", commune=unit, population=population,
                          location=Point(x + 0.006 * index, y), mobile_status="no")
        HamletFactory(name=f"Thôn {code}", commune=unit, location=Point(x, y + 0.02),
                      mobile_status="yes")
        CellSiteFactory(location=Point(x, y + 0.021), coverage_radius_m=1500)
    return units.get(code="05977")


@pytest.fixture
def city(geography):
    return gap_hamlets(geography)


@pytest.fixture
def sent(monkeypatch):
    """The "run job N" messages, caught instead of sent to a broker."""
    messages = []

    class App:
        def send_task(self, name, args):
            messages.append((name, *args))

    monkeypatch.setattr(jobs, "current_app", App())
    return messages


def planner_client(client, name):
    client.force_login(make_staff(name, roles=("planner",), all_communes=True))
    return client


@pytest.fixture
def planner(client):
    return planner_client(client, "planner_a")


def test_doctests():
    assert doctest.testmod(results).failed == 0


def test_a_small_analysis_runs_in_the_request_and_keeps_no_job(planner, city):
    response = planner.get(reverse(DASHBOARD), {**PROPOSAL, "commune": city.code})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="proposal-result"' in html
    assert 'id="analysis-job"' not in html and "Bản 05977-0" in html
    assert not AnalysisJob.objects.exists()


def test_a_large_analysis_queues_one_job_that_the_same_request_finds_again(
    planner, city, settings, sent, django_capture_on_commit_callbacks
):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = planner.get(reverse(DASHBOARD), PROPOSAL)
    html = response.content.decode()
    assert response.status_code == 202
    assert 'id="analysis-job"' in html and "geodata/analysis_job.js" in html
    assert 'id="proposal-result"' not in html and 'id="job-refresh"' in html
    job = AnalysisJob.objects.get()
    assert (job.kind, job.commune, job.status) == ("proposal", None, "queued")
    assert job.parameters == {"k": 2, "radius_m": 2000, "extra_points": []}
    assert job.fingerprint == coverage_fingerprint()
    assert sent == [("geodata.tasks.analysis_job_task", job.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        again = planner.get(reverse(DASHBOARD), PROPOSAL)
    assert again.status_code == 202 and AnalysisJob.objects.count() == 1 and len(sent) == 1
    # Another planner asking the same gets a job of their own (jobs are read by their owner).
    other = planner_client(planner, "planner_b")
    other.get(reverse(DASHBOARD), PROPOSAL)
    assert AnalysisJob.objects.count() == 2


def test_the_worker_reports_each_step_and_keeps_the_inline_gains(city, monkeypatch):
    job = AnalysisJob.objects.create(
        created_by=make_staff("planner_c", roles=("planner",)), kind="proposal",
        parameters={"k": 2, "radius_m": 2000, "extra_points": []}, parameters_key="x",
        fingerprint="")
    steps = []
    real_beat = jobs.job_beat

    def beat(job, fields=("progress",)):
        steps.append((job.progress, job.total))
        real_beat(job, fields)

    monkeypatch.setattr(jobs, "job_beat", beat)
    analysis_job_task(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1 and job.progress == job.total == 4
    assert job.fingerprint == coverage_fingerprint()
    # The analysis, the reach of the candidates, then each of the two sites it chose.
    assert [step for step in steps if step[1]] == [(1, 4), (2, 4), (3, 4), (4, 4), (4, 4)]
    inline = coverage_proposal(k=2, radius_m=2000)
    kept = gains_of(job.result, coverage_figures().hamlets)
    assert [(g.site, [h.id for h in g.hamlets]) for g in kept] == \
        [(g.site, [h.id for h in g.hamlets]) for g in inline]
    assert len(kept) == 2


def test_a_kept_scenario_is_the_scenario(city):
    planned = [PlannedSite(lon=h.location.x, lat=h.location.y, radius_m=700, label=h.name)
               for h in city.hamlets.filter(mobile_status="no")[:2]]
    fresh = coverage_scenario(planned=planned, commune=city)
    kept = scenario_of(results.scenario_json(fresh), before=fresh.before, commune=city)
    assert [r.id for r in kept.closed] == [r.id for r in fresh.closed] != []
    assert kept.after.province == fresh.after.province
    assert kept.after.hamlets == fresh.after.hamlets


def test_a_done_result_is_shown_to_any_planner_until_the_data_change(planner, city, settings):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    settings.QRMAP_JOBS_INLINE = True  # the job runs in the request, as a worker would
    first = planner.get(reverse(DASHBOARD), PROPOSAL)
    assert first.status_code == 200 and 'id="proposal-result"' in first.content.decode()
    job = AnalysisJob.objects.get()
    assert job.status == "done"
    other = planner_client(planner, "planner_b")
    shown = other.get(reverse(DASHBOARD), PROPOSAL).content.decode()
    assert 'id="proposal-result"' in shown and AnalysisJob.objects.count() == 1
    HamletFactory(name="Bản mới", location=Point(106.9, 21.95), mobile_status="no")
    other.get(reverse(DASHBOARD), PROPOSAL)
    assert AnalysisJob.objects.count() == 2
    assert AnalysisJob.objects.first().fingerprint == coverage_fingerprint() != job.fingerprint


def test_only_the_planner_who_asked_reads_the_job(client, city):
    owner = make_staff("planner_a", roles=("planner",))
    job = AnalysisJob.objects.create(created_by=owner, kind="proposal", parameters={},
                                     parameters_key="x", fingerprint="f")
    url = reverse("planning:analysis_status", args=[job.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(make_staff("clerk", roles=("editor",)))
    assert client.get(url).status_code == 403
    client.force_login(make_staff("planner_b", roles=("planner",)))
    assert client.get(url).status_code == 404
    assert client.get(reverse("planning:analysis_status", args=[10**9])).status_code == 404
    client.force_login(owner)
    data = client.get(url).json()
    assert data["status"] == "queued" and not data["done"] and not data["failed"]


@pytest.mark.parametrize("query", [
    {"action": "proposal", "k": "abc"},
    {"action": "proposal", "k": 0},
    {"action": "proposal", "k": 3, "radius": "-5"},
    {"action": "proposal", "k": 3, "radius": "1e400"},
    {"action": "proposal", "k": 3, "extra": "106.7, 21.8\n" * 201},
    {"action": "proposal", "k": 3, "extra": "nan, nan"},
    {"action": "scenario", "sites": "106.7, 21.8, 99999999999999999999"},
    {"action": "scenario", "sites": "inf, 21.8"},
])
def test_bad_parameters_are_form_errors(planner, city, settings, query):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    response = planner.get(reverse(DASHBOARD), query)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not AnalysisJob.objects.exists()


def test_a_planner_has_a_few_analyses_under_way_at_most(planner, city, settings, sent):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    for k in (1, 2, 3):
        assert planner.get(reverse(DASHBOARD), {**PROPOSAL, "k": k}).status_code == 202
    response = planner.get(reverse(DASHBOARD), {**PROPOSAL, "k": 4}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "3 analyses under way" in response.content.decode()
    assert AnalysisJob.objects.count() == 3


def _stale(job, *, attempts):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    AnalysisJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=long_ago,
                                                 attempts=attempts)


def test_a_dead_workers_job_is_sent_again_then_failed_with_its_reason(
    planner, city, settings, sent
):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    planner.get(reverse(DASHBOARD), PROPOSAL)
    job = AnalysisJob.objects.get()
    _stale(job, attempts=1)  # its worker was killed halfway
    assert jobs.jobs_recover() == 1
    assert sent[-1] == ("geodata.tasks.analysis_job_task", job.pk)
    analysis_job_task(job.pk)  # the message, delivered to a live worker
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2) and job.result["gains"]

    second = AnalysisJob.objects.create(
        created_by=job.created_by, kind="proposal", parameters=job.parameters,
        parameters_key="other", fingerprint=job.fingerprint)
    _stale(second, attempts=settings.QRMAP_JOB_MAX_ATTEMPTS)  # killed every time
    assert jobs.jobs_recover() == 1
    with translation.override("en"):  # a worker writes in its own language (vi by default)
        analysis_job_task(second.pk)
    second.refresh_from_db()
    assert second.status == "failed" and "stopped 3 times" in second.message
    assert jobs.jobs_recover() == 0  # failed is final: never "running" again


def test_a_failed_job_says_why_and_can_run_again(planner, city, settings, monkeypatch):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    settings.QRMAP_JOBS_INLINE = True

    def broken(**kwargs):
        raise ZeroDivisionError("bug")

    with monkeypatch.context() as patch:
        patch.setattr("geodata.analysis.analysis_compute", broken)
        html = planner.get(reverse(DASHBOARD), PROPOSAL).content.decode()
        job = AnalysisJob.objects.get()
        assert job.status == "failed" and "ZeroDivisionError" in job.message
        assert 'id="analysis-job"' in html and "ZeroDivisionError" in html
        assert "again=1" in html.split('id="job-again"')[1].split(">")[0]
        # The refresh link shows the same failure, and starts nothing.
        assert planner.get(reverse(DASHBOARD), PROPOSAL).status_code == 200
        assert AnalysisJob.objects.count() == 1
    shown = planner.get(reverse(DASHBOARD), {**PROPOSAL, "again": 1}).content.decode()
    assert AnalysisJob.objects.count() == 2 and 'id="proposal-result"' in shown


def test_the_parameters_are_the_checked_form_data():
    form = ProposalForm({"k": 3, "technology": "4G", "terrain": "mountain",
                         "extra": "21.85, 106.76, 900, Đỉnh đồi"})
    assert form.is_valid(), form.errors
    assert analysis_parameters(kind="proposal", data=form.cleaned_data) == {
        "k": 3, "radius_m": 6000, "extra_points": [[106.76, 21.85, 900.0, "Đỉnh đồi"]]}


def test_the_same_parameters_on_the_same_data_give_one_job(city, settings, sent):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    user = make_staff("planner_a", roles=("planner",))
    parameters = {"k": 2, "radius_m": 2000, "extra_points": []}
    first = analysis_request(user=user, kind="proposal", parameters=parameters)
    again = analysis_request(user=user, kind="proposal", parameters=dict(reversed(
        parameters.items())))
    commune = analysis_request(user=user, kind="proposal", parameters=parameters,
                               commune=city)
    assert first.job == again.job != commune.job


def test_the_admin_shows_jobs_and_their_reason_read_only(admin_client, city):
    job = AnalysisJob.objects.create(
        created_by=make_staff("planner_a", roles=("planner",)), kind="proposal",
        parameters={}, parameters_key="x", fingerprint="f", status="failed",
        message="The worker ran out of memory.")
    listing = admin_client.get(reverse("admin:geodata_analysisjob_changelist") + "?status=failed")
    assert listing.status_code == 200 and "planner_a" in listing.content.decode()
    page = admin_client.get(reverse("admin:geodata_analysisjob_change", args=[job.pk]))
    assert page.status_code == 200 and "The worker ran out of memory." in page.content.decode()
    assert admin_client.get(reverse("admin:geodata_analysisjob_add")).status_code == 403
