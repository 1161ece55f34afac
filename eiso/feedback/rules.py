"""Who may do what with ratings and complaints, on top of the agency scope: anyone who works in
the agency registers a complaint received at the desk or by phone; the ISO secretary and the
head (the keepers) assign, close, decline and reopen; the handler they assign answers too. The
sender's contact is read only by the keepers and the handler — never by overseers, nor in
their exports."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def works_in(user, agency) -> bool:
    return bool(roles_in(user, agency))


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def is_handler(user, complaint) -> bool:
    return (
        complaint.handler_id is not None
        and user is not None
        and complaint.handler_id == getattr(user, "pk", None)
        and works_in(user, complaint.agency)
    )


def can_handle(user, complaint) -> bool:
    return can_keep(user, complaint.agency) or is_handler(user, complaint)


def can_see_contact(user, complaint) -> bool:
    """The sender's contact: the keepers of the agency and the handler only."""
    return can_handle(user, complaint)


# --- the workflow's "who" (actor, object) ------------------------------------------------------


def handles(actor, obj) -> bool:
    return can_handle(actor, obj)


def keeps(actor, obj) -> bool:
    return can_keep(actor, obj.agency)
