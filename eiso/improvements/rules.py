"""Who may do what with nonconformities, on top of the agency scope: anyone who works in the
agency raises one; its owner (or the ISO secretary, the head) writes the correction, the cause
and the plan; the secretary or the head approves the plan; an action's owner records it done;
effectiveness is verified by the keepers or an internal auditor — never by the record's owner."""

from __future__ import annotations

from eiso.core.roles import Action, Role
from eiso.core.scoping import inspects, roles_in, user_may

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}
VERIFIERS = KEEPERS | {Role.AUDITOR}
# Sources whose finder may work outside the agency (an inspection team, the handler of a
# complaint at a superior agency): they need only to reach the agency.
OUTSIDE_SOURCES = {"inspection", "complaint"}


def can_raise(user, agency, source: str = "staff") -> bool:
    if roles_in(user, agency):
        return True
    if source == "inspection" and inspects(user, agency):  # its team, during the plan's period
        return True
    return source in OUTSIDE_SOURCES and user_may(user, Action.VIEW, agency)


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def is_owner(user, nc) -> bool:
    return bool(roles_in(user, nc.agency)) and nc.owner_id is not None and nc.owner_id == user.pk


def can_answer(user, nc) -> bool:
    """Writes the correction, the cause and the plan: the owner or the keepers."""
    return can_keep(user, nc.agency) or is_owner(user, nc)


def can_verify(user, nc) -> bool:
    return bool(roles_in(user, nc.agency) & VERIFIERS)


def can_complete(user, action) -> bool:
    """Records an action done: its owner, the record's owner, or the keepers."""
    roles = roles_in(user, action.agency)
    if roles & KEEPERS:
        return True
    if not roles:
        return False
    return user.pk in (action.owner_id, action.nonconformity.owner_id)


# --- the workflow's "who" (actor, object) ------------------------------------------------------


def answers(actor, obj) -> bool:
    return can_answer(actor, obj)


def keeps(actor, obj) -> bool:
    return can_keep(actor, obj.agency)


def verifies(actor, obj) -> bool:
    return can_verify(actor, obj)


def closes(actor, obj) -> bool:
    return can_answer(actor, obj) or can_verify(actor, obj)
