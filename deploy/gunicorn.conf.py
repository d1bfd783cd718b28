"""gunicorn settings for qrmap: `gunicorn -c deploy/gunicorn.conf.py` (systemd's
qrmap-web.service, `make run`, the deploy tests). Command-line flags override these.

gunicorn sits behind nginx (deploy/nginx/), which reads every request body whole before it
passes the request on and buffers every response: a thread only ever talks to nginx over
loopback, so a phone uploading a photo over 3G, or downloading a print PDF, holds no thread.
That is why the timeouts below can be short and a handful of threads per worker is enough.

Environment (all optional):
  GUNICORN_BIND     where to listen (127.0.0.1:8000: nginx on the same machine)
  GUNICORN_WORKERS  processes (default 2 x CPUs + 1; each takes 125-185 MB, README)
  GUNICORN_THREADS  threads per process (default 4); each thread may hold a database
                    connection: up to WORKERS x THREADS connections per web node
  LOG_LEVEL         gunicorn's error log level (info)
"""
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# The repository root, whatever the working directory, so `qrmap.wsgi` imports.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "qrmap.wsgi:application"
proc_name = "qrmap"

bind = os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"
# sched_getaffinity, not cpu_count: a container or a CPUAffinity= limit counts, not the host.
workers = _int("GUNICORN_WORKERS", 2 * len(os.sched_getaffinity(0)) + 1)
# Threads: a request mostly waits on PostgreSQL or Redis, which releases the GIL.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A gthread worker's main loop reports to the master even while its threads are busy, so
# `timeout` does not bound a request (nginx's proxy_read_timeout does); it restarts a worker
# that is truly stuck (a C call holding the GIL). On stop or reload, requests in flight get
# graceful_timeout to finish (systemd's TimeoutStopSec is longer).
timeout = 60
graceful_timeout = 30
# nginx keeps idle upstream connections open (keepalive in deploy/nginx/qrmap-upstream.conf);
# an idle keep-alive connection waits in the worker's poller, not in a thread.
keepalive = 20
# Restart a worker after this many requests (spread out): a bound on slow growth of memory
# in C libraries (GDAL, Pillow) that a long-lived process never gives back.
max_requests = 5000
max_requests_jitter = 500

# Privacy (README "Privacy"): no client address (%(h)s, in gunicorn's default format), no
# query string (/near/ carries the visitor's position), no referrer, no user agent.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# gunicorn's control socket (gunicornc) goes to systemd's RuntimeDirectory; elsewhere (make
# run, tests) there is none, so that two instances never fight over one default path.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True
