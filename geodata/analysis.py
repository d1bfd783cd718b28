"""Scenarios and proposals of the planner dashboard: a small one runs in the web request; a
large one (hamlets in scope × sites above QRMAP_ANALYSIS_INLINE_LIMIT) runs in a Celery
worker as an AnalysisJob while the page shows its progress; a result already computed for the
same parameters on the same data (coverage fingerprint) is shown again at once.

The dashboard's forms are GET, so that an analysis is a link one can share: a job row is a
cache entry, not a change of the data, and the same request finds the same job again.
"""
import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from geodata import jobs
from geodata.coverage import coverage_proposal, coverage_scenario
from geodata.coverage.cache import coverage_fingerprint
from geodata.coverage.results import proposal_json, scenario_json, site_list, site_of
from geodata.models import AdminUnit, AnalysisJob, Availability, Hamlet

log = logging.getLogger(__name__)
SCENARIO, PROPOSAL = AnalysisJob.Kind.SCENARIO, AnalysisJob.Kind.PROPOSAL
PENDING = (AnalysisJob.Status.QUEUED, AnalysisJob.Status.RUNNING)


class AnalysisRefused(Exception):
    """The planner already has as many analyses under way as one may (the message says so)."""


@dataclass
class Analysis:
    """What the dashboard shows: the result (coverage.results JSON), or the job that is
    computing it (or that failed), or both for a job run inline."""

    result: dict | None = None
    job: AnalysisJob | None = None


def analysis_parameters(*, kind: str, data: dict) -> dict:
    """The checked data of ScenarioForm or ProposalForm as plain JSON: only what changes the
    result (technology and terrain matter through the radius they gave)."""
    if kind == SCENARIO:
        return {"planned": [site_list(site) for site in data["planned"]]}
    return {"k": data["k"], "radius_m": data["radius"],
            "extra_points": [site_list(site) for site in data["extra_points"]]}


def _parameters_key(kind: str, parameters: dict, commune: AdminUnit | None) -> str:
    text = json.dumps([kind, commune.pk if commune else None, parameters], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def analysis_work(*, kind: str, parameters: dict, commune: AdminUnit | None = None) -> int:
    """Hamlets in scope × planned or candidate sites: what the analysis costs, roughly."""
    hamlets = Hamlet.objects.all() if commune is None else Hamlet.objects.filter(commune=commune)
    counts = hamlets.aggregate(
        all=Count("id"), open=Count("id", filter=~Q(mobile_status=Availability.YES)))
    if kind == SCENARIO:
        return counts["all"] * len(parameters["planned"])
    # Every gap hamlet is a candidate, and a hamlet declared covered never is a gap.
    return counts["all"] * (counts["open"] + len(parameters["extra_points"]))


def analysis_compute(*, kind: str, parameters: dict, commune: AdminUnit | None = None,
                     progress=None) -> dict:
    """Run the scenario or the proposal; its result as JSON (geodata.coverage.results)."""
    steps = {"progress": progress} if progress else {}
    if kind == SCENARIO:
        planned = [site_of(values) for values in parameters["planned"]]
        return scenario_json(coverage_scenario(planned=planned, commune=commune, **steps))
    gains = coverage_proposal(
        k=parameters["k"], radius_m=parameters["radius_m"], commune=commune,
        extra_points=[site_of(values) for values in parameters["extra_points"]], **steps)
    return proposal_json(gains)


def analysis_request(*, user, kind: str, parameters: dict, commune: AdminUnit | None = None,
                     again: bool = False) -> Analysis:
    """The analysis on today's data: computed here when it is small; else a result kept for
    the same parameters and data (any planner's), else this planner's job for it (under way,
    or failed unless `again`), else a new job. AnalysisRefused past the pending limit."""
    if analysis_work(kind=kind, parameters=parameters, commune=commune) \
            < settings.QRMAP_ANALYSIS_INLINE_LIMIT:
        return Analysis(result=analysis_compute(kind=kind, parameters=parameters,
                                                commune=commune))
    fingerprint = coverage_fingerprint()
    key = _parameters_key(kind, parameters, commune)
    same = AnalysisJob.objects.filter(parameters_key=key, fingerprint=fingerprint)
    done = same.filter(status=AnalysisJob.Status.DONE).first()
    if done is not None:
        return Analysis(result=done.result)
    mine = same.filter(created_by=user).first()  # the newest (Meta.ordering)
    if mine is not None and not (again and mine.status == AnalysisJob.Status.FAILED):
        return Analysis(job=mine)
    pending = AnalysisJob.objects.filter(created_by=user, status__in=PENDING).count()
    if pending >= settings.QRMAP_ANALYSIS_MAX_PENDING:
        raise AnalysisRefused(ngettext(
            "You already have %(n)d analysis under way: wait until it ends.",
            "You already have %(n)d analyses under way: wait until one of them ends.",
            pending) % {"n": pending})
    job = AnalysisJob.objects.create(created_by=user, kind=kind, parameters=parameters,
                                     parameters_key=key, commune=commune,
                                     fingerprint=fingerprint)
    return analysis_job_start(job=job)


def analysis_job_start(*, job: AnalysisJob) -> Analysis:
    """Queue the job for a worker; with QRMAP_JOBS_INLINE (tests, one-off scripts) claim and
    run it here, as a worker would."""
    if not settings.QRMAP_JOBS_INLINE:
        jobs.job_enqueue(job)
        return Analysis(job=job)
    claimed = jobs.job_claim(AnalysisJob, job.pk)
    if claimed is not None:
        analysis_job_run(claimed)
    job.refresh_from_db()
    return Analysis(result=job.result, job=job)


def analysis_job_run(job: AnalysisJob) -> None:
    """Compute a claimed job with its progress; the job ends done with its result, or failed
    with the reason."""
    # The data this run reads: should it change while the page waits, the result is kept
    # (and found again) for the data it was computed on, not for the data of the request.
    job.fingerprint = coverage_fingerprint()
    jobs.job_beat(job, fields=("fingerprint",))

    def progress(done: int, total: int) -> None:
        job.progress, job.total = done, total
        jobs.job_beat(job, fields=("progress", "total"))

    try:
        job.result = analysis_compute(kind=job.kind, parameters=job.parameters,
                                      commune=job.commune, progress=progress)
    except Exception as error:
        # A bug or a database error: the planner reads that it failed, the log says where.
        log.exception("analysis job %s failed", job.pk)
        jobs.job_end(job, failed=_("The analysis stopped with an error (%(error)s); try again "
                                   "later or with a smaller area.")
                     % {"error": type(error).__name__})
        return
    jobs.job_end(job, fields=("result",))


def analysis_job_get(*, user, pk: int) -> AnalysisJob | None:
    """One of the user's own analysis jobs; None for anyone else's (or none at all)."""
    return AnalysisJob.objects.filter(pk=pk, created_by=user).first()
