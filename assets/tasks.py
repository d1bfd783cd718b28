"""Celery tasks: thin wrappers that load a job's row and call the same function a command
calls. Every task is idempotent (a second delivery of a finished job does nothing). The
recovery of jobs whose worker died is in geodata.tasks, with the job machinery."""
import logging

from celery import shared_task

from assets.importers.jobs import import_job_run
from assets.models import AssetPhoto, ImportJob, PrintBatch, Report
from assets.printing import PrintJobError, print_batch_run
from assets.scans import scans_flush
from assets.services.photos import asset_photo_process
from assets.services.reports import report_notify
from geodata import jobs

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def print_batch_task(batch_id: int) -> None:
    batch = jobs.job_claim(PrintBatch, batch_id)
    if batch is None:
        return
    try:
        print_batch_run(batch=batch)
    except PrintJobError as error:
        log.info("print batch %s failed: %s", batch_id, error)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def import_job_task(job_id: int) -> None:
    job = jobs.job_claim(ImportJob, job_id)
    if job is not None:
        import_job_run(job)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def asset_photo_task(photo_id: int) -> None:
    """Make the variants of an uploaded photo and publish it (or mark it failed)."""
    photo = jobs.job_claim(AssetPhoto, photo_id)
    if photo is not None:
        asset_photo_process(photo=photo)


@shared_task(ignore_result=True)
def scans_flush_task() -> int:
    return scans_flush()


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def report_notify_task(report_id: int) -> int:
    """Tell the staff about a new report by e-mail (retried while the mail server is down)."""
    report = Report.objects.select_related("asset").filter(pk=report_id).first()
    return report_notify(report=report) if report is not None else 0
