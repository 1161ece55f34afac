"""Who decides what an agency shows on the public portal: its ISO secretary and its head."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

PUBLISHERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_publish(user, agency) -> bool:
    return bool(roles_in(user, agency) & PUBLISHERS)
