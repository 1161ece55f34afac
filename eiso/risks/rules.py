"""Who may do what with the context, interested parties and the risk register, on top of the
agency scope: the ISO secretary and the head keep them; a treatment's owner completes it."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def can_complete(user, treatment) -> bool:
    """The keepers, or the treatment's owner while they work in the agency."""
    roles = roles_in(user, treatment.agency)
    if roles & KEEPERS:
        return True
    return bool(roles) and treatment.owner_id is not None and treatment.owner_id == user.pk


def keeps(actor, obj) -> bool:
    return can_keep(actor, obj.agency)
