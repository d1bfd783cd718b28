"""A planner asks for a proposal too large for the web request: the dashboard shows the
progress panel, which follows the job in the browser (its state is set by hand while no
worker has taken it), and once a worker has computed it the page shows the proposed sites by
itself; a failed job shows its reason and the way to run it again."""
import time

import pytest

from geodata.models import AnalysisJob
from qrmap.celery import app
from tests.assets.staff_fixtures import make_staff
from tests.e2e.test_coverage_map import no_tiles
from tests.geodata.test_analysis import gap_hamlets
from tests.runtime_processes import Worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idle_queue():
    """A queue of its own, with no worker yet: a job sent there waits."""
    before = app.conf.task_default_queue
    app.conf.task_default_queue = f"analysis-e2e-{time.monotonic_ns()}"
    yield app.conf.task_default_queue
    app.conf.task_default_queue = before


def _ask_for_a_proposal(live_server, page_factory):
    make_staff("planner_e2e", roles=("planner",))
    page = page_factory(1366, 768, locale="en-US")
    no_tiles(page)
    page.polls = []
    page.on("response",
            lambda r: page.polls.append(r.status) if "status.json" in r.url else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/planning/")
    page.fill("#id_username", "planner_e2e")
    page.fill("#id_password", "pass-word-123")
    page.click("form.login [type=submit]")
    page.wait_for_selector("#proposal")
    page.fill("#proposal input[name=k]", "2")
    page.fill("#proposal input[name=radius]", "2000")
    page.click("#proposal button[type=submit]")
    page.wait_for_selector("#analysis-job")
    assert page.inner_text("#job-label") == "queued"
    return page


def test_the_progress_panel_follows_the_job_to_its_result(
    live_server, page_factory, geography, settings, artifact, idle_queue, tmp_path
):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1  # small data, the path of a province-wide run
    gap_hamlets(geography)
    page = _ask_for_a_proposal(live_server, page_factory)
    # As a worker reports its steps; no heartbeat, so that the real worker below takes it.
    AnalysisJob.objects.update(status="running", progress=1, total=4)
    page.wait_for_function("() => document.getElementById('job-bar').value === 1")
    assert page.inner_text("#job-label") == "running"
    assert page.inner_text("#job-count") == "step 1 of 4"
    page.screenshot(path=artifact("proposal-running.png"), full_page=True)

    worker = Worker(queue=idle_queue, log=tmp_path / "worker.log")
    try:
        page.wait_for_selector("#proposal-result table.gains", timeout=60_000)
    finally:
        worker.stop()
    assert page.locator("#analysis-job").count() == 0
    assert page.locator("#proposal-result tbody tr").count() == 2
    assert page.polls and set(page.polls) == {200}
    assert AnalysisJob.objects.get().status == "done"
    page.screenshot(path=artifact("proposal-done.png"), full_page=True)


def test_a_failed_job_shows_its_reason_and_a_way_to_run_it_again(
    live_server, page_factory, geography, settings, artifact, idle_queue
):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1
    gap_hamlets(geography)
    page = _ask_for_a_proposal(live_server, page_factory)
    assert not page.is_visible("#job-again")
    AnalysisJob.objects.update(status="failed", message="The worker ran out of memory.")
    page.wait_for_selector("#job-again", state="visible")
    assert page.inner_text("#job-label") == "failed"
    assert page.inner_text("#job-message") == "The worker ran out of memory."
    assert not page.is_visible("#job-help") and not page.is_visible("#job-bar")
    page.screenshot(path=artifact("proposal-failed.png"), full_page=True)
    assert "again=1" in page.get_attribute("#job-again", "href")
