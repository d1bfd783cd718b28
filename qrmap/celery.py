"""The Celery app: print jobs, large imports, long analyses and the scan flush run in worker
processes, never in a web request. Job state lives in the database (the job's own row); the
broker only carries "run job N". Tasks are acknowledged late and rejected when their worker is
lost, so a job whose worker dies is delivered again; jobs_recover (beat, every minute, and at
worker start) catches the rest from their stale heartbeats."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qrmap.settings")

app = Celery("qrmap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
