"""Which database a query goes to: the primary ("default") or the read replica ("replica",
configured by DATABASE_REPLICA_URL, a PostgreSQL streaming replica of the primary).

The rule (one place, here):

1. Every write goes to the primary.
2. A read goes to the replica only inside `replica_reads()`, and the only code that opens
   it is ReplicaReadsMiddleware, for a request that is
   - safe (GET, HEAD, OPTIONS), and
   - anonymous: it carries no session cookie and no Authorization header. Signed-in staff
     always carry their session cookie, API clients their token.
   The public asset pages, maps, search and the open API are such requests: they are what
   the replica is for.
3. Even there, a read goes to the primary when the request has already written (a GET that
   records something reads its own row back), or inside atomic() on the primary.
4. Everything else reads from the primary: staff pages and the admin, every POST, the
   request's middleware before and after the view, Celery tasks, management commands,
   tests. A code path opts in to the replica, never out of it.

Read-your-writes follows: whoever writes is either a POST (primary), a signed-in member of
staff (primary for every request, so the page after a save shows the save), or a task or
command (primary). A public visitor may see a change late by the replica's lag plus the page
cache's lifetime: within the five minutes the asset page already allows any cache
(Cache-Control max-age=300). The replica's lag is watched on the replica itself:
`SELECT now() - pg_last_xact_replay_timestamp()`.

Shared caches: a value cached from a replica read may predate a write that committed a
moment before. A cache that both staff and visitors read must keep the two apart, e.g.
with `reads_from()` in its keys, or staff may get the visitor's older copy back.
Raw SQL through `django.db.connection` bypasses routers and reads the primary.

The state is a ContextVar: one per thread (gunicorn's gthread workers) and per asyncio task,
set and reset around each request, so it never leaks from one request into the next.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Where reads go in the current context: PRIMARY unless replica_reads() said otherwise.
_reads: ContextVar[str] = ContextVar("qrmap_reads", default=PRIMARY)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from() -> str:
    """The alias that reads go to here and now: "default" or "replica"."""
    return PrimaryReplicaRouter().db_for_read(None)


@contextmanager
def replica_reads():
    """Let reads inside this block go to the replica (when one is configured)."""
    token = _reads.set(REPLICA)
    try:
        yield
    finally:
        _reads.reset(token)


@contextmanager
def primary_reads():
    """Force the primary inside a replica_reads() block (a read that must be fresh)."""
    token = _reads.set(PRIMARY)
    try:
        yield
    finally:
        _reads.reset(token)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: see the module docstring for the rule."""

    def db_for_read(self, model, **hints):
        if _reads.get() != REPLICA or not replica_configured():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        # From the first write on, this request reads its own writes (rule 3).
        if _reads.get() == REPLICA:
            _reads.set(PRIMARY)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's WAL, schema included.
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Open replica_reads() for anonymous safe requests (rule 2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.anonymous_read(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)

    @staticmethod
    def anonymous_read(request) -> bool:
        return (request.method in SAFE_METHODS
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                and "Authorization" not in request.headers)
