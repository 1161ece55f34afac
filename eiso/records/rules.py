"""Who may do what with records and dossiers, on top of the agency scope: the ISO secretary
and the head keep the list of records to keep and import the agency's one-stop dossiers (an
administrator, e.g. the province's integration account, imports for any agency)."""

from __future__ import annotations

from eiso.core.roles import Role
from eiso.core.scoping import roles_in

KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_keep(user, agency) -> bool:
    """Edit the agency's record types."""
    return bool(roles_in(user, agency) & KEEPERS)


def can_import(user, agency) -> bool:
    """Import (or push) one-stop dossiers of the agency."""
    return bool(roles_in(user, agency) & KEEPERS)
