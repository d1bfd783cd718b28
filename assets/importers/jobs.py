"""Large imports run in a Celery worker, not in the web request: the preview (read and check
every row) and the commit of a file above QRMAP_IMPORT_INLINE_BYTES. The worker stores the
checked plan next to the upload (private, assets.importers.uploads), keyed by the preview's
options, so the preview page, its CSV report and the commit reuse it instead of reading the
file again; the page shows the job's progress meanwhile."""
import hashlib
import json
import pickle
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from assets.importers.run import import_file_plan, import_finish
from assets.importers.uploads import upload_meta
from assets.models import ImportJob
from geodata import jobs
from geodata.importers.engine import ImportPlan, ImportRefused, import_commit
from geodata.importers.sources import SourceRefused


def import_in_background(*, meta: dict) -> bool:
    """Is this upload large enough to be checked and saved by a worker?"""
    return Path(meta["path"]).stat().st_size > settings.QRMAP_IMPORT_INLINE_BYTES


def options_key(options: dict) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:32]


def _plan_file(meta: dict, key: str) -> Path:
    return Path(meta["folder"]) / f"plan-{key}.pickle"


def plan_stored(*, meta: dict, options: dict) -> ImportPlan | None:
    """The plan a worker checked with these options, if there is one. (The pickle is written
    by our own worker into the upload's private folder, which no URL serves.)"""
    path = _plan_file(meta, options_key(options))
    if not path.is_file():
        return None
    with open(path, "rb") as handle:
        return pickle.load(handle)  # noqa: S301 - our own file, see above


def import_job_request(*, meta: dict, kind: str, options: dict, user) -> ImportJob:
    """The job for this upload, kind and options: the one under way or done, else a new
    queued one."""
    key = options_key(options)
    job = ImportJob.objects.filter(token=meta["token"], kind=kind, options_key=key).exclude(
        status=ImportJob.Status.FAILED).first()
    if job is None or (kind == ImportJob.Kind.COMMIT and job.status == ImportJob.Status.FAILED):
        job = ImportJob.objects.create(token=meta["token"], kind=kind, options=options,
                                       options_key=key, created_by=user)
        jobs.job_enqueue(job)
    return job


def import_job_run(job: ImportJob) -> None:
    """Check (and for a commit, save) the upload of a claimed job; the job ends done or failed
    with the reason."""
    meta = upload_meta(token=job.token, user=job.created_by)
    options = {k: v for k, v in job.options.items() if k != "good_rows"}

    def progress(done, total):
        job.progress, job.total = done, total
        jobs.job_beat(job, fields=("progress", "total"))

    try:
        plan = plan_stored(meta=meta, options=options) if job.kind == "commit" else None
        if plan is None:
            plan = import_file_plan(path=Path(meta["path"]), layer=meta["layer"],
                                    name=meta["name"], user=job.created_by, progress=progress,
                                    **options)
            with open(_plan_file(meta, options_key(options)), "wb") as handle:
                pickle.dump(plan, handle)
        if job.kind == ImportJob.Kind.COMMIT:
            counts = import_commit(plan=plan, commit_good_rows=bool(job.options.get("good_rows")),
                                   user=job.created_by)
            import_finish(meta=meta, plan=plan, counts=counts)
    except (SourceRefused, ValueError) as error:  # ImportRefused is a ValueError
        jobs.job_end(job, failed=str(error) or _("The file cannot be imported."))
        if not isinstance(error, ImportRefused | SourceRefused):
            raise
        return
    jobs.job_end(job)
