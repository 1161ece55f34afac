"""Who sees what — the one place (ARCHITECTURE.md, "Who sees what").

``user_scope(user, action)`` answers which agencies a user may reach for an action, from their
active memberships. On a page the person acts in one role (the header's switch):
``act_as(user, membership)`` narrows both what they see and what they may do to that one
membership; without it (API clients, commands, the explicit "all my agencies" view) the scope
is the union of every role they hold. Every agency-owned query in user-facing code goes through
``Model.objects.visible_to(user, action=...)``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from eiso.core.roles import ROLE_REACH, Action, Reach

_CACHE_ATTR = "_eiso_scope_cache"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    subtree_paths: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.agency_ids or self.subtree_paths)

    def q(self, agency_field: str = "agency") -> Q:
        """A Q object selecting rows whose agency (reached through ``agency_field``; empty for
        the Agency model itself) is in scope."""
        if self.everything:
            return Q()
        prefix = f"{agency_field}__" if agency_field else ""
        id_lookup = f"{agency_field}_id__in" if agency_field else "id__in"
        condition = Q(pk__in=[])
        if self.agency_ids:
            condition = Q(**{id_lookup: sorted(self.agency_ids)})
        for path in self.subtree_paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    def covers(self, agency) -> bool:
        if agency is None:
            return self.everything
        return (
            self.everything
            or agency.pk in self.agency_ids
            or any(agency.path.startswith(p) for p in self.subtree_paths)
        )


NOWHERE = Scope()
EVERYWHERE = Scope(everything=True)


def _roles_viewing(reach: Reach) -> list[str]:
    return [role for role, reaches in ROLE_REACH.items() if reaches.get(Action.VIEW) == reach]


def with_predecessor_flag(memberships):
    """Annotate a Membership queryset with ``reaches_predecessors``: whether agencies merged
    into what the membership views (``Agency.successor``) lie outside that reach. It costs no
    extra query, and lets ``user_scope`` skip the predecessor query when there is nothing to
    find — which is nearly always."""
    agency_model = apps.get_model("organizations", "Agency")
    direct = agency_model.objects.filter(successor_id=OuterRef("agency_id"))
    into_subtree = agency_model.objects.filter(
        successor__path__startswith=OuterRef("agency__path")
    ).exclude(path__startswith=OuterRef("agency__path"))
    return memberships.annotate(
        reaches_predecessors=Case(
            When(role__in=_roles_viewing(Reach.AGENCY), then=Exists(direct)),
            When(role__in=_roles_viewing(Reach.SUBTREE), then=Exists(into_subtree)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _effective(cache: dict) -> list:
    """The memberships that count now: the acting one alone, or all of them."""
    acting = cache.get("acting")
    return [acting] if acting is not None else cache["memberships"]


def _memberships(user):
    membership_model = apps.get_model("accounts", "Membership")
    return list(
        with_predecessor_flag(
            membership_model.objects.filter(user=user, is_active=True, agency__is_active=True)
        )
        .select_related("agency")
        .only("role", "agency__id", "agency__path")
    )


def _predecessors_of(agency_ids: list[int], paths: list[str]) -> list[tuple[int, str]]:
    """``(id, path)`` of every agency whose successor chain leads to one of ``agency_ids`` or
    into one of the subtrees ``paths`` — one recursive query (both SQLite and PostgreSQL)."""
    agency_model = apps.get_model("organizations", "Agency")
    table = connection.ops.quote_name(agency_model._meta.db_table)
    successor = connection.ops.quote_name(agency_model._meta.get_field("successor").column)
    conditions: list[str] = []
    params: list[object] = []
    if agency_ids:
        conditions.append(f"s.id IN ({', '.join(['%s'] * len(agency_ids))})")
        params.extend(agency_ids)
    for path in paths:  # paths hold digits and "/" only: no LIKE wildcards to escape
        conditions.append("s.path LIKE %s")
        params.append(f"{path}%")
    if not conditions:
        return []
    sql = (
        f"WITH RECURSIVE pred(id) AS ("
        f" SELECT a.id FROM {table} a JOIN {table} s ON s.id = a.{successor}"
        f" WHERE {' OR '.join(conditions)}"
        f" UNION"
        f" SELECT a.id FROM {table} a JOIN pred p ON a.{successor} = p.id"
        f") SELECT t.id, t.path FROM {table} t WHERE t.id IN (SELECT id FROM pred)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _predecessor_ids(cache: dict, ids: set[int], paths: list[str]) -> set[int]:
    """Agencies merged (or split) into what the VIEW scope reaches: their documents and
    announcements stay readable from the successor. Cached with the memberships; at most one
    query, and none when no membership is flagged (see ``with_predecessor_flag``)."""
    if "predecessors" not in cache:
        flagged = [
            m
            for m in _effective(cache)
            # Memberships loaded without the flag (primed elsewhere): ask, to be safe.
            if getattr(m, "reaches_predecessors", True)
        ]
        seed_ids = [
            m.agency.pk
            for m in flagged
            if ROLE_REACH.get(m.role, {}).get(Action.VIEW) == Reach.AGENCY
        ]
        seed_paths = [
            m.agency.path
            for m in flagged
            if ROLE_REACH.get(m.role, {}).get(Action.VIEW) == Reach.SUBTREE
        ]
        found = _predecessors_of(sorted(set(seed_ids)), sorted(set(seed_paths)))
        cache["predecessors"] = found
    return {
        pk
        for pk, path in cache["predecessors"]
        if pk not in ids and not any(path.startswith(p) for p in paths)
    }


def user_scope(user, action: Action = Action.VIEW) -> Scope:
    """The agencies ``user`` may reach for ``action``; cached on the user object, which lives
    for one request (or one task)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {"memberships": _memberships(user)}
        setattr(user, _CACHE_ATTR, cache)
    if action in cache:
        return cache[action]
    ids: set[int] = set()
    paths: list[str] = []
    everything = False
    for membership in _effective(cache):
        reach = ROLE_REACH.get(membership.role, {}).get(action)
        if reach == Reach.EVERYTHING:
            everything = True
        elif reach == Reach.SUBTREE:
            paths.append(membership.agency.path)
        elif reach == Reach.AGENCY:
            ids.add(membership.agency.pk)
    # Drop paths already inside another path of the scope.
    paths = sorted(set(paths))
    minimal = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    if action == Action.VIEW and not everything:
        ids |= _predecessor_ids(cache, ids, minimal)
    scope = EVERYWHERE if everything else Scope(False, frozenset(ids), tuple(minimal))
    cache[action] = scope
    return scope


def ancestor_paths(user) -> list[str]:
    """The paths of every agency at or above the user's agencies (for shared catalogues)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    user_scope(user)  # fills the membership cache
    paths: set[str] = set()
    for membership in _effective(getattr(user, _CACHE_ATTR)):
        steps = membership.agency.path.split("/")[:-1]
        for end in range(1, len(steps) + 1):
            paths.add("/".join(steps[:end]) + "/")
    return sorted(paths)


def roles_in(user, agency) -> set[str]:
    """The roles ``user`` holds in exactly ``agency`` (admins and superusers: every role)."""
    if user is None or not user.is_authenticated or not user.is_active or agency is None:
        return set()
    if user_scope(user, Action.CHANGE).everything:
        from eiso.core.roles import Role

        return set(Role.values)
    return {m.role for m in _effective(getattr(user, _CACHE_ATTR)) if m.agency.pk == agency.pk}


def cached_memberships(user) -> list:
    """The memberships that count now (the acting one, or every active one), loaded once per
    request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    user_scope(user)
    cache = getattr(user, _CACHE_ATTR, None)
    return _effective(cache) if cache else []


def all_memberships(user) -> list:
    """Every active membership of the user, whatever role they act as."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    user_scope(user)
    return getattr(user, _CACHE_ATTR, {}).get("memberships", [])


def prime_scope(user, memberships, *, acting=None) -> None:
    """Seed the per-request cache with memberships already loaded (saves a query); with
    ``acting``, the person acts in that one membership (see ``act_as``)."""
    memberships = list(memberships)
    cache = {"memberships": memberships}
    if acting is not None:
        cache["acting"] = acting
    setattr(user, _CACHE_ATTR, cache)


def act_as(user, membership) -> None:
    """Narrow what ``user`` sees and may do to ``membership`` (``None``: every role again)."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        user_scope(user)
        cache = getattr(user, _CACHE_ATTR)
    memberships = cache["memberships"]
    fresh = {"memberships": memberships}
    if membership is not None:
        fresh["acting"] = membership
    setattr(user, _CACHE_ATTR, fresh)


def acting_membership(user):
    """The membership ``user`` acts in now, or None (every role)."""
    return (getattr(user, _CACHE_ATTR, None) or {}).get("acting")


def single_agency(user) -> bool:
    """Whether everything ``user`` sees now belongs to one agency (lists then need no agency
    column)."""
    scope = user_scope(user, Action.VIEW)
    return not scope.everything and not scope.subtree_paths and len(scope.agency_ids) <= 1


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's memberships changed in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_may(user, action: Action, agency) -> bool:
    return user_scope(user, action).covers(agency)


class AgencyScopedQuerySet(models.QuerySet):
    """Queryset of agency-owned rows. ``agency_field`` names the FK to the agency; the Agency
    model's own queryset sets it to ``""``."""

    agency_field = "agency"

    def visible_to(self, user, *, action: Action = Action.VIEW):
        """The only way user-facing code reads agency-owned rows."""
        scope = user_scope(user, action)
        if scope.everything:
            return self
        if scope.empty:
            return self.none()
        return self.filter(scope.q(self.agency_field))
