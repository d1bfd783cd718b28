"""The project's settings, plus the baseline pages the benchmarks compare against.
DEBUG is off: with it on, Django keeps every SQL query in memory and timings mean less."""
from qrmap.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
