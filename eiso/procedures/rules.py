"""Who may do what with administrative procedures, on top of the agency scope."""

from __future__ import annotations

from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope


def can_keep_catalogue(user) -> bool:
    """The catalogue is kept by admins and by overseers of a whole province (a root of the
    tree), not by the overseer of one department's sub-tree."""
    scope = user_scope(user, Action.KEEP_CATALOGUES)
    return scope.everything or any(path.count("/") == 1 for path in scope.subtree_paths)


def can_manage_scope(user, agency) -> bool:
    """An agency's list of handled procedures: its ISO secretary or head, or an administrator
    (overseers read it)."""
    return user_may(user, Action.MANAGE_STRUCTURE, agency)
