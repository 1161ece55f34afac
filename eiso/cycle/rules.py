"""Who may do what with the annual cycle, on top of the agency scope: everyone who may read an
agency sees its obligations; the overseers of a subtree see the matrix of its agencies; the
deployment's rule sets are kept by administrators, a province's own by the overseers of that
province (the reach that keeps the province's shared catalogues)."""

from __future__ import annotations

from eiso.core.roles import Action, Role
from eiso.core.scoping import roles_in, user_may, user_scope

OVERSIGHT = Action.OVERSEE
# Who receives an agency's reminders.
RECIPIENT_ROLES = (Role.ISO_SECRETARY, Role.HEAD)


def oversees_anything(user) -> bool:
    return bool(user.is_authenticated) and not user_scope(user, OVERSIGHT).empty


def keeps_rules_somewhere(user) -> bool:
    return bool(user.is_authenticated) and not user_scope(user, Action.KEEP_CATALOGUES).empty


def can_keep_rules(user, scope) -> bool:
    """Whether ``user`` may prepare and adopt a rule set for ``scope`` (None: everywhere)."""
    reach = user_scope(user, Action.KEEP_CATALOGUES)
    if scope is None:
        return reach.everything
    return user_may(user, Action.KEEP_CATALOGUES, scope)


def answers_for(user, agency) -> bool:
    """Whether ``user`` keeps ``agency``'s QMS (its obligations wait on them)."""
    return bool(roles_in(user, agency) & set(RECIPIENT_ROLES))


# --- the workflow's "who" (actor, rule set) ------------------------------------------------


def keeps(actor, rule_set) -> bool:
    return can_keep_rules(actor, rule_set.scope)
