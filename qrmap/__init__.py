"""qrmap project package. The Celery app is loaded with Django, so that shared tasks bind to
it in every process (web, worker, beat)."""
from qrmap.celery import app as celery_app

__all__ = ("celery_app",)
