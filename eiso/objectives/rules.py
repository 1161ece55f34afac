"""Who may do what with quality objectives, on top of the agency scope: the ISO secretary (or
the head) drafts, the head approves and issues, an objective's owner measures it."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

DRAFTERS = {Role.ISO_SECRETARY, Role.HEAD}
APPROVERS = {Role.HEAD}


def can_draft(user, agency) -> bool:
    return bool(roles_in(user, agency) & DRAFTERS)


def can_approve(user, agency) -> bool:
    return bool(roles_in(user, agency) & APPROVERS)


def can_measure(user, objective) -> bool:
    """The QMS's keepers, or the objective's owner while they work in the agency."""
    roles = roles_in(user, objective.agency)
    if roles & DRAFTERS:
        return True
    return bool(roles) and objective.owner_id is not None and objective.owner_id == user.pk


# --- the workflow's "who" (actor, object) ------------------------------------------------------


def drafts(actor, obj) -> bool:
    return can_draft(actor, obj.agency)


def approves(actor, obj) -> bool:
    return can_approve(actor, obj.agency)
