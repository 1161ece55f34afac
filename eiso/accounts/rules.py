"""Who may grant which role where, and the acts only an administrator performs — read from
THE grant policy (``eiso.core.roles.GRANT_POLICY``) over the actor's (acting) roles."""

from __future__ import annotations

from eiso.core.roles import GRANT_POLICY, Action, Reach, Role
from eiso.core.scoping import cached_memberships, user_scope


def _covers(reach: Reach, membership, agency) -> bool:
    if reach == Reach.EVERYTHING:
        return True
    if reach == Reach.SUBTREE:
        return agency.path.startswith(membership.agency.path)
    return membership.agency.pk == agency.pk


def grantable_roles(user, agency) -> set[str]:
    """The roles ``user`` may hand out in ``agency`` (empty: none)."""
    if user is None or not user.is_authenticated or not user.is_active or agency is None:
        return set()
    if user.is_superuser:
        return set(Role.values)
    roles: set[str] = set()
    for membership in cached_memberships(user):
        rule = GRANT_POLICY.get(membership.role)
        if rule is not None and _covers(rule.reach, membership, agency):
            roles.update(rule.roles)
    return roles


def roles_grantable_somewhere(user) -> list[Role]:
    """Every role ``user`` may hand out in at least one agency, in the order of ``Role`` (the
    choices of the grant forms; the service checks the agency)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Role)
    held = {m.role for m in cached_memberships(user)}
    allowed = {r for role in held if role in GRANT_POLICY for r in GRANT_POLICY[role].roles}
    return [role for role in Role if role in allowed]


def is_administrator(user) -> bool:
    """A system administrator (acting as one): manages people everywhere."""
    return user_scope(user, Action.MANAGE_USERS).everything
