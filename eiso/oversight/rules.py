"""Who may use the overseer's pages: the people who oversee agencies (overseers of a subtree,
administrators everywhere). One action names that reach, so every page, selector and service
of this app asks the same question."""

from __future__ import annotations

from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope

# The reach of the overseer's registry, summaries and reminders (the permission matrix).
OVERSIGHT = Action.OVERSEE


def oversees_anything(user) -> bool:
    return bool(user.is_authenticated) and not user_scope(user, OVERSIGHT).empty


def can_remind(user, agency) -> bool:
    """The overseer of ``agency`` (its subtree) may remind it."""
    return user_may(user, OVERSIGHT, agency)
