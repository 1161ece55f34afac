"""Mergers and splits of agencies (the 2025 reorganisation merged communes and removed
districts): one service each, one transaction, audited.

The merged (or split) agencies become inactive the day before the change, with a ``successor``
link; their sub-agencies move under the successor; their documents, announcements and history
stay where they are and stay readable from the successor (``eiso.core.scoping`` follows the
successor links for reading). The organizations app does not know the domain apps, so they plug
their own rows in through ``register_merge_hook`` (from their ``AppConfig.ready``): the
procedures an agency handled, the QMS flagged for re-announcement…"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.organizations.models import Agency
from eiso.organizations.services import agency_create, agency_move_under

MergeHook = Callable[..., None]
_MERGE_HOOKS: list[MergeHook] = []


def register_merge_hook(fn: MergeHook) -> MergeHook:
    """Register ``fn(*, actor, sources, successor, on)``, called inside the merge's (or
    split's) transaction after the sources were retired. An exception undoes everything."""
    if fn not in _MERGE_HOOKS:
        _MERGE_HOOKS.append(fn)
    return fn


def merge_hooks() -> tuple[MergeHook, ...]:
    return tuple(_MERGE_HOOKS)


def _run_hooks(*, actor, sources: list[Agency], successor: Agency, on: datetime.date) -> None:
    for hook in _MERGE_HOOKS:
        hook(actor=actor, sources=sources, successor=successor, on=on)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why (the decision that reorganised the agencies).")
        raise ValidationFailed(message, fields={"reason": [message]})
    return reason


def _lock_sources(actor, sources: list[Agency]) -> list[Agency]:
    """The sources, locked, checked: distinct, active, managed by the actor, not nested."""
    pks = [s.pk for s in sources]
    if not pks:
        message = _("Choose the agencies to reorganise.")
        raise ValidationFailed(message, fields={"sources": [message]})
    if len(set(pks)) != len(pks):
        message = _("The same agency is listed twice.")
        raise ValidationFailed(message, fields={"sources": [message]})
    locked = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=pks)}
    ordered = [locked[pk] for pk in pks if pk in locked]
    if len(ordered) != len(pks):
        raise NotPermitted(_("You cannot reorganise these agencies."))
    for source in ordered:
        if not user_may(actor, Action.MANAGE_AGENCIES, source):
            raise NotPermitted(_("You cannot reorganise %(agency)s.") % {"agency": source.code})
        if not source.is_active:
            message = _("%(agency)s is already inactive.") % {"agency": source.code}
            raise ValidationFailed(message, fields={"sources": [message]})
    for source in ordered:
        for other in ordered:
            if other.pk != source.pk and other.path.startswith(source.path):
                message = _("%(inner)s is inside %(outer)s: reorganise one level at a time.") % {
                    "inner": other.code,
                    "outer": source.code,
                }
                raise ValidationFailed(message, fields={"sources": [message]})
    return ordered


def _last_day(source: Agency, on: datetime.date) -> datetime.date:
    last = on - datetime.timedelta(days=1)
    if source.active_from and last < source.active_from:
        message = _("%(agency)s only became active on %(date)s.") % {
            "agency": source.code,
            "date": source.active_from.strftime("%d/%m/%Y"),
        }
        raise ValidationFailed(message, fields={"on": [message]})
    return last


def _retire(
    *,
    actor,
    source: Agency,
    successor: Agency,
    on: datetime.date,
    reason: str,
    action: str,
    extra: dict,
) -> None:
    """Move the source's sub-agencies under the successor, end the source the day before
    ``on`` with its successor link, and write the audit event."""
    last_day = _last_day(source, on)
    moved = []
    for child in list(Agency.objects.select_for_update().filter(parent=source).order_by("path")):
        agency_move_under(agency=child, new_parent=successor)
        moved.append(child.code)
    previous_end = source.active_to
    Agency.objects.filter(pk=source.pk).update(
        is_active=False, active_to=last_day, successor=successor, version=F("version") + 1
    )
    audit_record(
        actor=actor,
        action=action,
        obj=source,
        agency=source,
        changes={
            "is_active": [True, False],
            "active_to": [previous_end, last_day],
            "successor": [None, successor.code],
            "sub_agencies_moved": moved,
            **extra,
        },
        reason=reason,
    )


@transaction.atomic
def agency_merge(
    *,
    actor,
    sources: list[Agency],
    into: Agency | None = None,
    new: dict | None = None,
    on: datetime.date,
    reason: str,
) -> Agency:
    """Merge ``sources`` into the existing agency ``into``, or into a new agency made from
    ``new`` (``agency_create``'s fields; by default under the sources' common parent, of the
    first source's kind, active from ``on``). Returns the successor."""
    reason = _require_reason(reason)
    if (into is None) == (new is None):
        message = _("Merge into an existing agency or a new one (one of the two).")
        raise ValidationFailed(message, fields={"into": [message]})
    locked = _lock_sources(actor, list(sources))
    if into is not None:
        successor = Agency.objects.select_for_update().get(pk=into.pk)
        if not user_may(actor, Action.MANAGE_AGENCIES, successor):
            raise NotPermitted(_("You cannot merge agencies into %(agency)s.") % {"agency": into})
        if not successor.is_active:
            message = _("The agency to merge into is inactive.")
            raise ValidationFailed(message, fields={"into": [message]})
        if any(successor.path.startswith(s.path) for s in locked):
            message = _("An agency cannot be merged into itself or one of its sub-agencies.")
            raise ValidationFailed(message, fields={"into": [message]})
    else:
        data = dict(new or {})
        if "parent" not in data:
            parents = {s.parent_id for s in locked}
            if len(parents) != 1:
                message = _("The agencies have different parents: say where the new agency goes.")
                raise ValidationFailed(message, fields={"parent": [message]})
            data["parent"] = locked[0].parent
        data.setdefault("kind", locked[0].kind)
        data.setdefault("active_from", on)
        successor = agency_create(actor=actor, reason=reason, **data)
    codes = [s.code for s in locked]
    for source in locked:
        _retire(
            actor=actor,
            source=source,
            successor=successor,
            on=on,
            reason=reason,
            action="agency.merge",
            extra={"merged_with": codes},
        )
    audit_record(
        actor=actor,
        action="agency.merge_into",
        obj=successor,
        agency=successor,
        changes={"sources": codes, "on": on, "new": into is None},
        reason=reason,
    )
    retired = list(Agency.objects.filter(pk__in=[s.pk for s in locked]).order_by("path"))
    successor.refresh_from_db()
    _run_hooks(actor=actor, sources=retired, successor=successor, on=on)
    return successor


@transaction.atomic
def agency_split(
    *, actor, source: Agency, parts: list[dict], on: datetime.date, reason: str
) -> list[Agency]:
    """Split ``source`` into new agencies made from ``parts`` (``agency_create``'s fields; by
    default under the source's parent, of its kind, active from ``on``). The first part is the
    formal successor: it receives the sub-agencies and what the hooks carry over; every part is
    named in the audit trail."""
    reason = _require_reason(reason)
    if len(parts) < 2:
        message = _("A split needs at least two new agencies.")
        raise ValidationFailed(message, fields={"parts": [message]})
    (locked,) = _lock_sources(actor, [source])
    created = []
    for part in parts:
        data = dict(part)
        data.setdefault("parent", locked.parent)
        data.setdefault("kind", locked.kind)
        data.setdefault("active_from", on)
        created.append(agency_create(actor=actor, reason=reason, **data))
    successor = created[0]
    part_codes = [p.code for p in created]
    _retire(
        actor=actor,
        source=locked,
        successor=successor,
        on=on,
        reason=reason,
        action="agency.split",
        extra={"parts": part_codes},
    )
    for part in created:
        audit_record(
            actor=actor,
            action="agency.split_from",
            obj=part,
            agency=part,
            changes={"source": locked.code, "parts": part_codes, "on": on},
            reason=reason,
        )
    locked.refresh_from_db()
    for part in created:
        part.refresh_from_db()
    _run_hooks(actor=actor, sources=[locked], successor=successor, on=on)
    return created
