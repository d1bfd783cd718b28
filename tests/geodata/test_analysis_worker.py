"""A province-wide proposal above the inline limit is computed by a real Celery worker: the
page shows the progress panel (202), the status endpoint follows the job to "done", and the
page then shows the same gains as the proposal computed inline; the same request reuses the
job, new data does not."""
import re
import time

import pytest
from django.urls import reverse

from geodata.coverage import coverage_proposal
from geodata.models import AnalysisJob
from tests.assets.staff_fixtures import make_staff
from tests.factories import HamletFactory
from tests.geodata.test_analysis import PROPOSAL, gap_hamlets

pytestmark = pytest.mark.django_db(transaction=True)
GAIN_ROW = re.compile(r"<tr>\s*<td>(\d+)</td><td>([^<]*)</td>\s*<td>([^<]*)</td>"
                      r"\s*<td class=\"num\">[^<]*</td>\s*<td class=\"num\"[^>]*>(\d+)</td>"
                      r"\s*<td class=\"num\">([^<]*)</td>")


def _until_done(client, url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(url).json()
        if status["done"] or status["failed"]:
            return status
        time.sleep(0.2)
    raise AssertionError(f"the analysis job did not end: {status}")


def _gains_shown(html):
    """(number, site, hamlets closed, people) of each row of the result table."""
    table = html.split('id="proposal-result"')[1].split("</table>")[0]
    return [(int(n), site, int(hamlets), int(re.sub(r"\D", "", people)))
            for n, site, _where, hamlets, people in GAIN_ROW.findall(table)]


def test_a_province_wide_proposal_is_computed_by_the_worker(
    client, geography, settings, celery_worker
):
    settings.QRMAP_ANALYSIS_INLINE_LIMIT = 1  # small data, the path of a large analysis
    gap_hamlets(geography)
    client.force_login(make_staff("planner_w", roles=("planner",)))
    dashboard = reverse("planning:dashboard")

    page = client.get(dashboard, PROPOSAL)
    html = page.content.decode()
    assert page.status_code == 202 and 'id="analysis-job"' in html
    job = AnalysisJob.objects.get()
    status = _until_done(client, reverse("planning:analysis_status", args=[job.pk]))
    assert status["done"] and status["progress"] == status["total"] == 2 + PROPOSAL["k"]
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1

    result = client.get(dashboard, PROPOSAL)
    html = result.content.decode()
    assert result.status_code == 200 and 'id="analysis-job"' not in html
    inline = coverage_proposal(k=PROPOSAL["k"], radius_m=PROPOSAL["radius"])
    assert _gains_shown(html) == [
        (n, gain.site.label, len(gain.hamlets), gain.population)
        for n, gain in enumerate(inline, start=1)]
    assert len(inline) == 2 and AnalysisJob.objects.count() == 1

    HamletFactory(name="Bản mới", commune=job.commune, mobile_status="no")
    assert client.get(dashboard, PROPOSAL).status_code == 202  # new data: a new job
    assert AnalysisJob.objects.count() == 2
