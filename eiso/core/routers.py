"""The optional read replica (``DATABASE_REPLICA_URL``): the overseer's heavy reads — reports,
summaries, dashboards — go to a replica of the primary, so one national overseer's summary
never slows the agencies' work. Everything else, and every write, stays on the primary.

Reads go to the replica only inside ``using_replica()`` (a context manager, also a decorator),
which the overseer's read-only selectors put around their queries::

    from eiso.core.routers import using_replica

    @using_replica()
    def summary_report(*, user, root, on): ...

Without a replica configured (no ``replica`` database) it changes nothing. Inside an atomic
block on the primary reads stay there (a replica lags behind: a page that has just written
reads its own writes). The state is a context variable: one request's choice never leaks to
another thread or task."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class using_replica(contextlib.ContextDecorator):  # noqa: N801 (used like a function)
    """Send the reads of the block to the replica, when there is one."""

    def __enter__(self):
        self._token = _reading_from_replica.set(True)
        return self

    def __exit__(self, *exc):
        _reading_from_replica.reset(self._token)
        return False


def read_alias() -> str:
    """The database alias reads use here and now."""
    if _reading_from_replica.get() and replica_configured() and not _in_transaction():
        return REPLICA
    return "default"


def _in_transaction() -> bool:
    """Whether the primary has a transaction open (the test case's own wrapper aside, as
    Django's durable blocks do)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections["default"].atomic_blocks
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:  # an object reads where it came from
            return instance._state.db
        alias = read_alias()
        return alias if alias != "default" else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # the replica holds the same rows as the primary
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica gets its schema from the primary
