"""Who keeps training records, on top of the agency scope: the ISO secretary and the head
record courses, sessions, attendance and certificates of the people of their agency."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_keep(user, agency) -> bool:
    return bool(roles_in(user, agency) & KEEPERS)
