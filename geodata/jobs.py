"""Background jobs whose state lives in their own database row (print batches, import jobs,
coverage analyses): queued, claimed by one worker, kept alive by a heartbeat, never left
"running" by a dead worker. Every job model has the fields status, progress, message,
heartbeat_at, attempts and created_at.

It lives in geodata, the app every other app may use, and knows no job model: each app
registers its own in AppConfig.ready() (job_register), as importer layers are registered.

- job_enqueue sends "run job N" to Celery once the row is committed (by task name, so this
  module needs no task import).
- job_claim lets exactly one worker run a job: a row lock; a job that is done or failed, or
  running with a fresh heartbeat elsewhere, is not taken; a job whose attempts are used up
  is marked failed with the reason.
- jobs_recover (beat every minute, and at worker start) sends again the jobs whose worker died
  (stale heartbeat) or whose message was lost (queued for too long).
"""
import datetime
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
# Job model -> the name of the Celery task that runs one of its rows (job_register).
TASKS: dict[type, str] = {}
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def job_register(model, *, task: str) -> None:
    """Have job_enqueue and jobs_recover run the rows of this model with this task."""
    TASKS[model] = task


def _stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.QRMAP_JOB_STALE_SECONDS)


def job_enqueue(job) -> None:
    """Have a worker run the job once its row is committed."""
    name, pk = TASKS[type(job)], job.pk
    transaction.on_commit(lambda: current_app.send_task(name, args=[pk]))


def job_claim(model, pk: int):
    """The job, now running in this worker, or None when it must not run here."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status in (DONE, FAILED):
            return None
        alive = job.heartbeat_at is not None and job.heartbeat_at > _stale_before()
        if job.status == RUNNING and alive:
            return None  # another worker has it
        if job.attempts >= settings.QRMAP_JOB_MAX_ATTEMPTS:
            job.status = FAILED
            job.message = _("The job stopped %(n)d times without finishing (its worker was "
                            "stopped or ran out of memory); start it again with less at once.") \
                % {"n": job.attempts}
            job.save(update_fields=["status", "message"])
            return None
        job.status, job.progress, job.message = RUNNING, 0, ""
        job.attempts += 1
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "progress", "message", "attempts", "heartbeat_at"])
        return job


def job_beat(job, fields=("progress",)) -> None:
    """Save progress with a heartbeat: the job is alive."""
    job.heartbeat_at = timezone.now()
    job.save(update_fields=[*fields, "heartbeat_at"])


def job_end(job, *, failed: str = "", fields=()) -> None:
    """Done, or failed with the reason people will read; `fields` (a result) are saved in
    the same write, so that no page sees "done" without them."""
    job.status, job.message = (FAILED, failed) if failed else (DONE, "")
    job_beat(job, fields=("status", "message", *fields))


def jobs_recover() -> int:
    """Send again the jobs whose worker died or whose message was lost; returns how many."""
    stale, count = _stale_before(), 0
    for model, task in TASKS.items():
        lost = model.objects.filter(status=RUNNING, heartbeat_at__lt=stale) \
            | model.objects.filter(status=QUEUED, created_at__lt=stale)
        for pk in lost.values_list("pk", flat=True):
            log.warning("%s %s: its worker is gone; sending it again", model.__name__, pk)
            current_app.send_task(task, args=[pk])
            count += 1
    return count
