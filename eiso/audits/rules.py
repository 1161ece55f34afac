"""Who may do what with internal audits, on top of the agency scope: the ISO secretary (or
the head) keeps the programme and drafts the plans; the head approves them; the audit team
fills the checklist and records findings; the lead auditor (or the keepers) issues the report;
the people of the agency reply to findings; an auditor never audits their own department."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}
APPROVERS = {Role.HEAD}


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def can_approve(user, agency) -> bool:
    return bool(roles_in(user, agency) & APPROVERS)


def on_team(user, audit) -> bool:
    """Whether ``user`` is on the audit's team (the team is prefetched on pages)."""
    if not roles_in(user, audit.agency):
        return False
    return any(m.user_id == user.pk for m in audit.team.all())


def leads(user, audit) -> bool:
    if not roles_in(user, audit.agency):
        return False
    return any(m.user_id == user.pk and m.role == "lead" for m in audit.team.all())


def works_in(user, agency) -> bool:
    return bool(roles_in(user, agency))


# --- the workflow's "who" (actor, object) ------------------------------------------------------


def keeps(actor, obj) -> bool:
    return can_keep(actor, obj.agency)


def approves(actor, obj) -> bool:
    return can_approve(actor, obj.agency)


def prepares(actor, obj) -> bool:
    return can_keep(actor, obj.agency) or on_team(actor, obj)


def audits(actor, obj) -> bool:
    return on_team(actor, obj)


def reports(actor, obj) -> bool:
    return can_keep(actor, obj.agency) or leads(actor, obj)


def replies(actor, obj) -> bool:
    return works_in(actor, obj.agency)
