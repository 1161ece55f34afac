"""Who may do what with the reports, on top of the agency scope: the agency's ISO secretary (or
its head) drafts and submits its annual report, the head approves it; the overseers of the
agency (the Sở KH&CN, a superior agency) receive it or return it; the overseers of a province
(any subtree they oversee) write and send its summary report."""

from __future__ import annotations

from eiso.core.roles import Action, Role
from eiso.core.scoping import roles_in, user_may, user_scope

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}
APPROVERS = {Role.HEAD}
OVERSIGHT = Action.OVERSEE


def can_draft(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def can_approve(user, agency) -> bool:
    return bool(roles_in(user, agency) & APPROVERS)


def oversees(user, agency) -> bool:
    return user_may(user, OVERSIGHT, agency)


def oversees_anything(user) -> bool:
    return bool(user.is_authenticated) and not user_scope(user, OVERSIGHT).empty


# --- the workflows' "who" (actor, report) ------------------------------------------------------


def drafts(actor, report) -> bool:
    return can_draft(actor, report.agency)


def approves(actor, report) -> bool:
    return can_approve(actor, report.agency)


def receives(actor, report) -> bool:
    return oversees(actor, report.agency)
