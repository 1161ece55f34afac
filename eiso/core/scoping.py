"""Who sees what — the one place (ARCHITECTURE.md, "Who sees what").

``user_scope(user, action)`` answers which agencies a user may reach for an action, from their
active memberships. On a page the person acts in one role (the header's switch):
``act_as(user, membership)`` narrows both what they see and what they may do to that one
membership; without it (API clients, commands, the explicit "all my agencies" view) the scope
is the union of every role they hold. Every agency-owned query in user-facing code goes through
``Model.objects.visible_to(user, action=...)``.

A second source of scope lives here too (ARCHITECTURE.md): an inspection team's temporary read
access. Someone on the team of an inspection plan reads, during the plan's period, the QMS of
the agencies the plan inspects — the models of ``INSPECTABLE_MODELS`` and nothing else — and
the plan's own records (``inspection_plan_field``) at any time; see ``team_scope``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

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
    find — which is nearly always.

    Written as SQL (``RawSQL``): every request loads the person's memberships with these flags
    (eiso.accounts.middleware), and the same flags as ORM expressions (``Case``/``Exists`` over
    ``OuterRef``) took 1.2 ms of CPU to resolve and compile each time, 25 times the query's own
    run. ``memberships`` must be a top-level Membership queryset (its table is the outer one)."""
    membership = memberships.model._meta.db_table
    agency = apps.get_model("organizations", "Agency")._meta.db_table
    m, a = connection.ops.quote_name(membership), connection.ops.quote_name(agency)
    by_agency, by_subtree = _roles_viewing(Reach.AGENCY), _roles_viewing(Reach.SUBTREE)
    # Paths hold digits and "/" only: LIKE needs no escaping.
    sql = (
        f"CASE WHEN {m}.role IN ({', '.join(['%s'] * len(by_agency))})"
        f" THEN EXISTS (SELECT 1 FROM {a} p WHERE p.successor_id = {m}.agency_id)"
        f" WHEN {m}.role IN ({', '.join(['%s'] * len(by_subtree))})"
        f" THEN EXISTS (SELECT 1 FROM {a} p JOIN {a} s ON s.id = p.successor_id"
        f" JOIN {a} own ON own.id = {m}.agency_id"
        # from the merged agencies (the successor index), not from every agency of the
        # subtree: 6 ms → 0.07 ms on every request of a national overseer (bench/README.md)
        " WHERE p.successor_id IS NOT NULL"
        f" AND s.path LIKE own.path || '%%' AND NOT p.path LIKE own.path || '%%')"
        " ELSE FALSE END"
    )
    flagged = memberships.annotate(
        reaches_predecessors=RawSQL(sql, [*by_agency, *by_subtree], output_field=BooleanField())
    )
    return with_team_flag(flagged)


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


# --- the second source of scope: an inspection team (eiso.inspections) -------------------------
#
# During an inspection plan's period (its first and last day included, in the deployment's time
# zone) the people on its team read the QMS of the agencies it inspects — these models and
# nothing else: no people, memberships, audit trail, notifications, one-stop dossiers, training,
# citizens' ratings and complaints. The agency's own registry row is readable (its name, to pick
# it in filters); its people are not. The access ends the day after the period, whatever the
# plan's state. It comes from the team (a decision naming the person), not from a role: it is
# added to what the role they act as reaches (``act_as`` narrows the roles, not this).

INSPECTABLE_MODELS: frozenset[str] = frozenset(
    {
        "organizations.Agency",
        # documents, legal texts, their decisions and revision tasks
        "documents.Document",
        "documents.Revision",
        "documents.RevisionFile",
        "documents.RevisionEvent",
        "documents.IssuingDecision",
        "documents.MasterListReview",
        "documents.RevisionTask",
        "documents.ExternalDocument",
        # procedures and coverage
        "procedures.HandledProcedure",
        "procedures.IsoProcedure",
        "procedures.ProcedureStep",
        # the QMS record and its announcements
        "qms.QualitySystem",
        "qms.Announcement",
        "qms.AnnouncementEvent",
        # objectives
        "objectives.ObjectiveSet",
        "objectives.QualityObjective",
        "objectives.PlanAction",
        "objectives.Measurement",
        "objectives.EvaluationReport",
        "objectives.ObjectiveAssessment",
        # risks
        "risks.ContextIssue",
        "risks.InterestedParty",
        "risks.Risk",
        "risks.Treatment",
        "risks.RiskReport",
        # internal audits
        "audits.AuditProgramme",
        "audits.ProgrammeItem",
        "audits.InternalAudit",
        "audits.AuditTeamMember",
        "audits.AuditSession",
        "audits.ChecklistItem",
        "audits.ChecklistFile",
        "audits.Finding",
        # corrective actions
        "improvements.Nonconformity",
        "improvements.CorrectiveAction",
        "improvements.EffectivenessCheck",
        # management reviews
        "reviews.ManagementReview",
        "reviews.ReviewInput",
        "reviews.ReviewOutput",
        # the agency's annual reports
        "reports.AnnualReport",
    }
)


@dataclass(frozen=True)
class TeamScope:
    """What being on inspection teams gives a person today: ``plan_ids``, the plans they are
    on (their own records: the plan, its inspections, checklists, findings — any day), and
    ``agency_ids``, the agencies those plans inspect today (their QMS, read only)."""

    plan_ids: frozenset[int] = field(default_factory=frozenset)
    agency_ids: frozenset[int] = field(default_factory=frozenset)


NO_TEAM = TeamScope()


def with_team_flag(memberships):
    """Annotate a Membership queryset with ``on_inspection_team``: whether the person is on any
    inspection team — no extra query, and none later for the many who are not. SQL, as
    ``with_predecessor_flag`` and for the same reason."""
    if not apps.is_installed("eiso.inspections"):
        return memberships
    m = connection.ops.quote_name(memberships.model._meta.db_table)
    team = connection.ops.quote_name(apps.get_model("inspections", "TeamMember")._meta.db_table)
    sql = f"EXISTS (SELECT 1 FROM {team} t WHERE t.user_id = {m}.user_id)"
    return memberships.annotate(on_inspection_team=RawSQL(sql, [], output_field=BooleanField()))


def _load_team(user) -> TeamScope:
    """One query: the plans ``user`` is on and, for those approved whose team is formed by its
    decision and whose period holds today, the agencies they inspect."""
    if not apps.is_installed("eiso.inspections"):
        return NO_TEAM
    member_model = apps.get_model("inspections", "TeamMember")
    today = timezone.localdate()
    plans: set[int] = set()
    agencies: set[int] = set()
    rows = member_model.objects.filter(user_id=user.pk).values_list(
        "plan_id",
        "plan__approved_at",
        "plan__team_decision_date",
        "plan__period_start",
        "plan__period_end",
        "plan__inspections__agency_id",
    )
    for plan_id, approved_at, team_formed, start, end, agency_id in rows:
        plans.add(plan_id)
        if (
            agency_id is not None
            and approved_at is not None
            and team_formed is not None
            and start <= today <= end
        ):
            agencies.add(agency_id)
    return TeamScope(frozenset(plans), frozenset(agencies))


def team_scope(user) -> TeamScope:
    """The plans ``user`` is on and the agencies they inspect today; cached with the scope
    (one query at most per request, none for someone whose memberships say they are on no
    team). Only people with a role somewhere are put on a team (``eiso.inspections``), so a
    person without any active membership is on none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_TEAM
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {"memberships": _memberships(user)}
        setattr(user, _CACHE_ATTR, cache)
    if "team" not in cache:
        flags = [getattr(m, "on_inspection_team", None) for m in cache["memberships"]]
        if all(flag is False for flag in flags):
            cache["team"] = NO_TEAM
        else:
            cache["team"] = _load_team(user)
    return cache["team"]


def inspects(user, agency) -> bool:
    """Whether ``user`` inspects ``agency`` today (on a team of a plan in its period)."""
    return agency is not None and agency.pk in team_scope(user).agency_ids


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


def path_ids(path: str) -> list[int]:
    """The ids of the agencies on a materialized path, the root first and the agency itself
    last: each step of an agency's path is the id of the agency at that level
    ("0000001/0000002/0000052/" → [1, 2, 52])."""
    return [int(step) for step in path.split("/") if step]


def agency_ids_of(paths) -> list[int]:
    """The ids of the agencies whose materialized paths these are (each path's last step),
    sorted: ``agency_ids_of(ancestor_paths(user))`` is every agency at or above the user's,
    read off their paths, no query."""
    return sorted(path_ids(path)[-1] for path in paths)


def path_prefixes(path: str) -> list[str]:
    """The materialized paths of the agencies on a path, the root first and the agency itself
    last ("0000001/0000002/" → ["0000001/", "0000001/0000002/"])."""
    steps = [step for step in path.split("/") if step]
    return ["".join(f"{step}/" for step in steps[: depth + 1]) for depth in range(len(steps))]


def ancestor_paths(user) -> list[str]:
    """The paths of every agency at or above the user's agencies: read off their paths, no
    query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    user_scope(user)  # fills the membership cache
    paths: set[str] = set()
    for membership in _effective(getattr(user, _CACHE_ATTR)):
        paths.update(path_prefixes(membership.agency.path))
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
    if "team" in cache:  # the team's scope is the person's, whatever role they act as
        fresh["team"] = cache["team"]
    setattr(user, _CACHE_ATTR, fresh)


def acting_membership(user):
    """The membership ``user`` acts in now, or None (every role)."""
    return (getattr(user, _CACHE_ATTR, None) or {}).get("acting")


def single_agency(user) -> bool:
    """Whether everything ``user`` sees now belongs to one agency (lists then need no agency
    column)."""
    scope = user_scope(user, Action.VIEW)
    return (
        not scope.everything
        and not scope.subtree_paths
        and len(scope.agency_ids) <= 1
        and not (team_scope(user).agency_ids - scope.agency_ids)
    )


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's memberships changed in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_may(user, action: Action, agency) -> bool:
    return user_scope(user, action).covers(agency)


class AgencyScopedQuerySet(models.QuerySet):
    """Queryset of agency-owned rows. ``agency_field`` names the FK to the agency; the Agency
    model's own queryset sets it to ``""``. ``inspection_plan_field`` (the inspections app's
    own records) names the path to the inspection plan whose team also reads the rows."""

    agency_field = "agency"
    inspection_plan_field = ""

    def _team_condition(self, user) -> Q | None:
        """What an inspection team adds to the VIEW scope of these rows, or None."""
        inspectable = self.model._meta.label in INSPECTABLE_MODELS
        if not inspectable and not self.inspection_plan_field:
            return None
        team = team_scope(user)
        condition = None
        if inspectable and team.agency_ids:
            lookup = f"{self.agency_field}_id__in" if self.agency_field else "id__in"
            condition = Q(**{lookup: sorted(team.agency_ids)})
        if self.inspection_plan_field and team.plan_ids:
            mine = Q(**{f"{self.inspection_plan_field}__in": sorted(team.plan_ids)})
            condition = mine if condition is None else condition | mine
        return condition

    def visible_to(self, user, *, action: Action = Action.VIEW):
        """The only way user-facing code reads agency-owned rows."""
        scope = user_scope(user, action)
        if scope.everything:
            return self
        team = self._team_condition(user) if action == Action.VIEW else None
        if team is not None:
            return self.filter(team if scope.empty else scope.q(self.agency_field) | team)
        if scope.empty:
            return self.none()
        return self.filter(scope.q(self.agency_field))
