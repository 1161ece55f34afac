"""Timestamps read from PostgreSQL by psycopg's compiled parser (issue 15).

Django's psycopg 3 backend reads every ``timestamptz`` through a loader derived from psycopg's
pure-Python one (``django.db.backends.postgresql.psycopg_any.BaseTzLoader``; Django ticket
#36960): a regular expression and a dozen Python calls per value, ~4 µs, where psycopg's
compiled loader takes ~0.7 µs. Every row carries ``created_at`` and ``updated_at``: a page
reads a hundred of them, the summary's files of a province five hundred. On each new
connection this registers a loader with Django's behaviour (the value put in the connection's
time zone, ``timezone`` for Django's check in ``create_cursor``) that parses with the compiled
one. Without psycopg's C implementation (a pure-Python install) nothing changes.
``eiso/core/tests/test_timestamps.py`` compares both loaders value for value.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.backends.signals import connection_created
from psycopg.adapt import Loader

try:
    from psycopg._cmodule import _psycopg
except ImportError:  # pragma: no cover - psycopg 3 always has the module (None if pure Python)
    _psycopg = None

COMPILED = getattr(_psycopg, "TimestamptzLoader", None)


class CompiledTzLoader(Loader):
    """``timestamptz`` as text, parsed by psycopg's compiled loader, then in ``timezone``
    exactly as Django's own loader does (``replace``: the connection is in that zone)."""

    timezone = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._parse = COMPILED(oid, context).load

    def load(self, data):
        return self._parse(data).replace(tzinfo=self.timezone)


@lru_cache
def loader_for(timezone) -> type[CompiledTzLoader]:
    return type("CompiledTzLoader", (CompiledTzLoader,), {"timezone": timezone})


def use_compiled_loader(sender, connection, **kwargs) -> None:
    if COMPILED is None or connection.vendor != "postgresql":
        return
    adapters = getattr(connection.connection, "adapters", None)
    if adapters is None:  # psycopg2 (not this project's driver)
        return
    adapters.register_loader("timestamptz", loader_for(connection.timezone))


def install() -> None:
    connection_created.connect(use_compiled_loader, dispatch_uid="eiso-compiled-timestamps")
