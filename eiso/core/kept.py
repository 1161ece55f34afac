"""Results kept between requests: an overseer's dashboard, a person's inbox — what costs many
queries to compute and is asked for again and again while nothing changed.

Every service writes an audit event, so the id of the last one says whether anything changed
since a result was computed. A kept result is shown again:

- while no audit event was written since it was computed; or
- while it is younger than ``max_age`` seconds, other people having changed data meanwhile
  (a busy country writes every second: without this nothing would ever be kept), unless the
  person changed something themselves since — their own changes always show at once — or,
  for a result about their own agencies (the inbox, the home page, a master list), anything
  was written in those agencies since: a colleague's submission reaches the head at once.

When a result is too old, one process computes it again; the others show the one it replaces
until it is done (never after the person's own change) instead of all computing the same.

The cache is Django's (``CACHE_URL``: Redis shared by every app process in production; each
process's memory otherwise). The key names what the result depends on besides the data (the
person's reach, the day, the language); a caller that shows a kept result says when it was
computed (``Kept.computed_at``) and offers to compute it again (``fresh``)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from eiso.core.models import AuditEvent
from eiso.core.scoping import user_scope

T = TypeVar("T")
KEPT_SECONDS = 3600  # how long the cache holds a result (shown only while valid, see above)
# How long one process computing a result again may keep the others showing the one it
# replaces (the lock is removed when it is done; this bounds a process that died meanwhile).
COMPUTING_SECONDS = 60


@dataclass(frozen=True)
class Kept(Generic[T]):
    value: T
    computed_at: datetime.datetime


def last_events(user, agency_ids=()) -> tuple[int, int]:
    """The id of the last audit event, and of the last one near the person: caused by them,
    or written in one of ``agency_ids`` (their agencies: what their colleagues do reaches their
    inbox). One query, one index probe each (``audit_actor_last``, ``audit_agency_last``)."""
    near = [AuditEvent.objects.filter(actor_id=user.pk)]
    near += [AuditEvent.objects.filter(agency_id=pk) for pk in sorted(set(agency_ids))]
    row = (
        AuditEvent.objects.order_by("-id")
        .annotate(
            **{
                f"near{i}": Coalesce(Subquery(q.order_by("-id").values("id")[:1]), 0)
                for i, q in enumerate(near)
            }
        )
        .values_list("id", *[f"near{i}" for i in range(len(near))])
        .first()
    )
    return (row[0], max(row[1:])) if row else (0, 0)


def request_events(request, agency_ids=()) -> tuple[int, int]:
    """``last_events`` of the request's person, read once per request and set of agencies (a
    page showing several kept results writes nothing before reading them)."""
    found = request.__dict__.setdefault("_eiso_last_events", {})
    key = tuple(sorted(set(agency_ids)))
    if key not in found:
        found[key] = last_events(request.user, key)
    return found[key]


def reach_of(user, *actions) -> list:
    """What a result computed for ``user`` over ``actions`` depends on of them: their scope for
    each action (two people of the same reach share a kept result; no one else does)."""
    scopes = [user_scope(user, action) for action in actions]
    return [(s.everything, sorted(s.agency_ids), s.subtree_paths) for s in scopes]


def key_of(prefix: str, *parts) -> str:
    """A cache key for ``parts`` (anything with a stable ``repr``)."""
    return f"kept:{prefix}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept(
    key: str,
    compute: Callable[[], T],
    *,
    user,
    max_age: int,
    fresh: bool = False,
    agency_ids=(),
    events: tuple[int, int] | None = None,
) -> Kept[T]:
    """``compute()``, or what it gave earlier under ``key`` while still valid (see above).
    ``agency_ids``: the agencies whose every change shows at once; ``events``:
    ``last_events(user, agency_ids)`` when the caller read them already (``request_events``)."""
    last, mine = events or last_events(user, agency_ids)
    found = None if fresh else cache.get(key)
    computing = f"{key}:computing"
    locked = False  # this process took the lock: only then does it release it
    if found is not None:
        version, result = found
        age = (timezone.now() - result.computed_at).total_seconds()
        if version == last or (mine <= version and 0 <= age < max_age):
            return result
        if mine <= version:
            locked = cache.add(computing, True, COMPUTING_SECONDS)
            if not locked:
                # Too old, and another process is computing it again already: rather than
                # every process computing the same at once (a national dashboard: 1-2 s of CPU
                # each), the one it replaces is shown a moment longer. Never after the person's
                # own change.
                return result
    try:
        result = Kept(compute(), timezone.now())
        cache.set(key, (last, result), KEPT_SECONDS)
    finally:
        if locked:
            cache.delete(computing)
    return result


def kept_for(
    request,
    key: str,
    compute: Callable[[], T],
    *,
    max_age: int,
    fresh: bool = False,
    agency_ids=(),
) -> Kept[T]:
    """``kept`` for a page: the request's person, their last events read once per request."""
    return kept(
        key,
        compute,
        user=request.user,
        max_age=max_age,
        fresh=fresh,
        events=request_events(request, agency_ids),
    )
