"""Who may do what with an agency's QMS record, on top of the agency scope."""

from __future__ import annotations

from eiso.core.roles import Action, Role
from eiso.core.scoping import roles_in, user_may


def can_keep_qms(user, agency) -> bool:
    """The agency's ISO secretary or head keep its QMS record (administrators may onboard
    it)."""
    return bool(roles_in(user, agency) & {Role.ISO_SECRETARY, Role.HEAD}) or user_may(
        user, Action.MANAGE_AGENCIES, agency
    )


def can_receive(user, agency) -> bool:
    """Overseers of the agency acknowledge receipt of its announcements, or return them for
    correction."""
    return user_may(user, Action.OVERSEE, agency)
