"""Who may do what with management reviews, on top of the agency scope: the ISO secretary and
the head prepare the meeting, its pack and its minutes; an output's owner records it done."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)


def can_complete(user, output) -> bool:
    roles = roles_in(user, output.agency)
    if roles & KEEPERS:
        return True
    return bool(roles) and output.owner_id is not None and output.owner_id == user.pk


def keeps(actor, obj) -> bool:
    return can_keep(actor, obj.agency)
