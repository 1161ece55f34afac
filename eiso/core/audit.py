"""The audit trail. Services call ``audit_record`` inside their transaction; it works the same
from a request, a management command or a task (the remote address is then empty)."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable

from django.db import models

from eiso.core.bulk import insert_objects
from eiso.core.models import AuditEvent
from eiso.core.request_context import current_remote_addr

_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value):
    if type(value) in _AS_IS:  # most values: JSON already (asked first, imports build many)
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The values of ``fields`` on ``obj``, JSON-ready, for a before/after diff."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, object], after: dict[str, object]) -> dict[str, list]:
    """``{field: [old, new]}`` for every field whose value differs."""
    keys = dict.fromkeys([*before, *after])
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    agency=None,
    changes: dict | None = None,
    reason: str = "",
    object_type: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """One audit event, not saved yet (``audit_record`` saves it; ``audit_record_many``
    saves many at once). ``agency`` defaults to ``obj.agency`` when the object has one;
    ``object_repr`` to ``str(obj)`` (a caller writing thousands may know it cheaper)."""
    if agency is None and obj is not None:
        agency = getattr(obj, "agency", None)
    actor_name = ""
    if actor is not None:
        actor_name = (getattr(actor, "full_name", "") or actor.get_username())[:200]
    if object_repr is None:
        object_repr = str(obj) if obj is not None else ""
    actor = actor if actor is not None and actor.pk else None
    event = AuditEvent(
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor_name or "system",
        agency_id=agency.pk if agency is not None else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=object_repr[:300],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        reason=reason,
        remote_addr=current_remote_addr(),
    )
    # the related objects as given (setting them through their descriptors costs more than the
    # rest of the event when thousands are built)
    _ACTOR.set_cached_value(event, actor)
    _AGENCY.set_cached_value(event, agency)
    return event


_ACTOR = AuditEvent._meta.get_field("actor")
_AGENCY = AuditEvent._meta.get_field("agency")


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    agency=None,
    changes: dict | None = None,
    reason: str = "",
    object_type: str | None = None,
) -> AuditEvent:
    """Write one audit event. ``agency`` defaults to ``obj.agency`` when the object has one."""
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        agency=agency,
        changes=changes,
        reason=reason,
        object_type=object_type,
    )
    event.save(force_insert=True)
    return event


AUDIT_BATCH = 2000  # events per INSERT of ``audit_record_many``


def audit_record_many(events: Iterable[AuditEvent]) -> int:
    """Write the events built with ``audit_event`` (a set-based write: one INSERT per
    ``AUDIT_BATCH`` events, the same rows as ``audit_record`` one by one). Returns how many."""
    events = list(events)
    insert_objects(events, batch=AUDIT_BATCH)
    return len(events)
