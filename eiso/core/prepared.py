"""Prepared statements on PostgreSQL, but not where the plan depends on a pattern (issue 15).

With ``server_side_binding`` (``DB_PREPARE``, config/settings.py) psycopg sends a statement's
parameters apart from its text, and prepares on the server a statement it has run
``prepare_threshold`` times on the connection: PostgreSQL then parses it once and, after five
executions, may keep one generic plan for every later one instead of planning it each time.
Most statements of a page are the same few shapes with other ids (the session, the user and
their memberships, the acting agency's documents), and in one process, alternating request by
request, the secretary's pages took 1.5–4 ms less (8–17 %).

A generic plan is made without the parameters' values. That suits ``agency_id = $1``; it does
not suit ``LIKE $1``: the subtree of an overseer (``path LIKE '0001/0023/%'``) and a search
(``search_text LIKE '%dang ky%'``) match a handful of rows or all of them depending on the
pattern, and the generic plan of the national overseer's document search took 174–218 ms
where a plan for its pattern takes 50. ``PreparedCursor`` therefore never prepares a
statement with a ``LIKE`` whose pattern is a parameter: those are planned for their values every
time, as before. The one exception is a LIKE on a ``url`` column (``SAFE_LIKE``): every page
counts the person's notifications about it (``url LIKE '/documents/12/?%'``), selected by the
person first. A pattern made of columns (the memberships' ``s.path LIKE own.path || '%'``, on
every request) does not depend on a value and is prepared.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.backends.postgresql.base import ServerBindingCursor

LIKE = re.compile(r" I?LIKE ")
SAFE_LIKE = ('"url"::text',)  # what a LIKE may test and still be prepared
ENDS = (" AND ", " OR ", ")")  # where a LIKE's pattern ends, at the latest


def depends_on_pattern(query: str) -> bool:
    """Whether ``query`` has a LIKE whose pattern is a parameter (``%s`` or a named
    ``%(name)s``: its plan depends on the value) on another column than those of
    ``SAFE_LIKE``. A pattern made of columns (``s.path LIKE own.path || '%'``) is planned the
    same for any value. Plain string scans around each LIKE (no backtracking: a search's
    statement is 10 kB)."""
    if "LIKE " not in query:
        return False
    for match in LIKE.finditer(query):
        left = query[max(0, match.start() - 200) : match.start()].rsplit(" ", 1)[-1]
        if left.endswith(SAFE_LIKE):
            continue
        rest = query[match.end() : match.end() + 300]
        end = min((i for i in (rest.find(e) for e in ENDS) if i != -1), default=len(rest))
        pattern = rest[:end]
        if "%s" in pattern or "%(" in pattern:
            return True
    return False


class PreparedCursor(ServerBindingCursor):
    """Django's server-binding cursor; a statement whose plan depends on a LIKE's pattern is
    never prepared."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and depends_on_pattern(str(query)):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


def install(databases: dict | None = None) -> None:
    """Give every PostgreSQL connection that binds on the server (``DB_PREPARE``) this cursor,
    before any connection opens (Django reads ``OPTIONS`` when it connects)."""
    for database in (settings.DATABASES if databases is None else databases).values():
        options = database.get("OPTIONS", {})
        if (
            database.get("ENGINE") == "django.db.backends.postgresql"
            and options.get("server_side_binding") is True
        ):
            options.setdefault("cursor_factory", PreparedCursor)
