"""Celery tasks of geodata: the coverage analyses of the planner dashboard, and the recovery
of every app's jobs whose worker died (geodata.jobs). Tasks are idempotent: a second delivery
of a finished job does nothing."""
from celery import shared_task
from celery.signals import worker_ready

from geodata import jobs
from geodata.analysis import analysis_job_run
from geodata.models import AnalysisJob


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def analysis_job_task(job_id: int) -> None:
    job = jobs.job_claim(AnalysisJob, job_id)
    if job is not None:
        analysis_job_run(job)


@shared_task(ignore_result=True)
def jobs_recover_task() -> int:
    return jobs.jobs_recover()


@worker_ready.connect
def _recover_at_start(**kwargs):
    # A worker that starts after a crash picks up what its predecessor left running.
    jobs.jobs_recover()
