"""Reads of the QMS record, announcements, the committee, and the overseer's registry and
summary — aggregated in SQL so they stay one or two queries at any size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.procedures.models import HandledProcedure
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem

SIGNED = (AnnouncementStatus.SIGNED, AnnouncementStatus.SENT, AnnouncementStatus.RECEIVED)


def qms_of(*, user, agency) -> QualitySystem:
    """The agency's QMS record (an unsaved default when none was kept yet)."""
    found = (
        QualitySystem.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("quality_policy", "quality_policy__current_revision")
        .first()
    )
    return found or QualitySystem(agency=agency)


def announcement_list(*, user, agency=None, status: str = "") -> QuerySet[Announcement]:
    qs = Announcement.objects.visible_to(user).select_related("agency", "received_by")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-date", "-created_at")


def announcement_get(*, user, pk, action=None) -> Announcement:
    from eiso.core.roles import Action

    try:
        return (
            Announcement.objects.visible_to(user, action=action or Action.VIEW)
            .select_related("agency", "agency__parent", "received_by")
            .get(pk=pk)
        )
    except (Announcement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def latest_announcement(*, agency) -> Announcement | None:
    return (
        Announcement.objects.filter(agency=agency, status__in=SIGNED)
        .order_by("-date", "-id")
        .first()
    )


@dataclass
class ScopeChange:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    internal_activities_changed: bool = False


def reannouncement_reasons(*, user, agency) -> list[str]:
    """Why the agency must announce again: its scope changed since the last announcement
    (procedures added or removed, internal activities), its standard version changed, or it
    was merged (both recorded on the QMS). Empty when nothing is due."""
    last = latest_announcement(agency=agency)
    if last is None:
        return []
    qms = qms_of(user=user, agency=agency)
    reasons = []
    if qms.reannouncement_reason:
        reasons.append(qms.reannouncement_reason)
    change = scope_change(agency=agency, since=last, qms=qms)
    if change.added:
        reasons.append(
            _("Procedures added to the scope: %(codes)s.") % {"codes": ", ".join(change.added)}
        )
    if change.removed:
        reasons.append(
            _("Procedures removed from the scope: %(codes)s.")
            % {"codes": ", ".join(change.removed)}
        )
    if change.internal_activities_changed:
        reasons.append(_("The internal activities in scope changed."))
    return reasons


def scope_change(*, agency, since: Announcement, qms: QualitySystem) -> ScopeChange:
    now = set(
        HandledProcedure.objects.filter(agency=agency, is_active=True).values_list(
            "procedure__code", flat=True
        )
    )
    then = set(since.procedure_codes)
    return ScopeChange(
        added=sorted(now - then),
        removed=sorted(then - now),
        internal_activities_changed=(qms.internal_activities or "").strip()
        != since.scope_snapshot.get("internal_activities", "").strip(),
    )


@dataclass
class CommitteeState:
    decision: CommitteeDecision | None
    members: list
    flags: list[str]

    @property
    def needs_update(self) -> bool:
        return bool(self.flags)


def committee_state(*, user, agency) -> CommitteeState:
    """The current committee (the latest decision) and why it needs updating: a member who
    left the agency, or whose position changed since."""
    decision = (
        CommitteeDecision.objects.visible_to(user)
        .filter(agency=agency)
        .order_by("-date", "-id")
        .first()
    )
    if decision is None:
        return CommitteeState(None, [], [_("No steering committee decision yet.")])
    members = list(decision.members.select_related("user"))
    active = set(
        Membership.objects.filter(
            agency=agency, is_active=True, user__in=[m.user_id for m in members if m.user_id]
        ).values_list("user_id", flat=True)
    )
    flags = []
    for member in members:
        if member.user_id and member.user_id not in active:
            flags.append(_("%(name)s no longer works in the agency.") % {"name": member.name})
        elif (
            member.user_id
            and member.position
            and member.user.position
            and (member.user.position != member.position)
        ):
            flags.append(
                _("%(name)s is now %(position)s.")
                % {"name": member.name, "position": member.user.position}
            )
    return CommitteeState(decision, members, flags)


def committee_history(*, user, agency) -> QuerySet[CommitteeDecision]:
    return (
        CommitteeDecision.objects.visible_to(user)
        .filter(agency=agency)
        .annotate(member_count=Count("members"))
        .order_by("-date", "-id")
    )


def registry(*, user, root: Agency | None = None, on: datetime.date | None = None):
    """Every active agency under ``root`` with its QMS status and version, its latest
    announcement (number, date, kind, receipt) and whether its scope changed since — one
    query, whatever the number of agencies."""
    latest = Announcement.objects.filter(agency=OuterRef("pk"), status__in=SIGNED)
    if on is not None:
        latest = latest.filter(date__lte=on)
    latest = latest.order_by("-date", "-id")
    qms = QualitySystem.objects.filter(agency=OuterRef("pk"))
    qs = Agency.objects.visible_to(user).filter(is_active=True).select_related("kind")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(
        qms_status=Subquery(qms.values("status")[:1]),
        qms_version=Subquery(qms.values("standard_version")[:1]),
        qms_flag=Subquery(qms.values("reannouncement_reason")[:1]),
        last_number=Subquery(latest.values("number")[:1]),
        last_date=Subquery(latest.values("date")[:1]),
        last_kind=Subquery(latest.values("kind")[:1]),
        last_received=Subquery(latest.values("received_on")[:1]),
        scope_changed=Exists(
            HandledProcedure.objects.filter(
                agency=OuterRef("pk"), updated_at__date__gt=OuterRef("last_date")
            )
        ),
    ).order_by("path")


SUMMARY_COLUMNS = (
    "agencies",
    "must_apply",
    "built",
    "applied",
    "announced",
    "re_announced",
    "announced_this_year",
    "not_announced",
)


def summary(*, user, root: Agency | None = None, on: datetime.date) -> list[dict]:
    """The provincial summary by tier for a date: agencies, how many must apply, have built,
    applied, announced (first and re-), announced in the year, not yet announced — one SQL
    query grouped by tier."""
    # Non-correlated "id IN (subquery)" filters: both databases aggregate them in one pass.
    announced = Announcement.objects.filter(status__in=SIGNED, date__lte=on).values("agency_id")
    with_status = QualitySystem.objects.values("agency_id")
    built = with_status.filter(
        status__in=[QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED]
    )
    applied = with_status.filter(status__in=[QmsStatus.APPLIED, QmsStatus.ANNOUNCED])
    qs = Agency.objects.visible_to(user).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    # Aggregates are prefixed with n_: an alias named like a field ("must_apply") would
    # shadow the field in the filters below.
    rows = qs.values("tier").annotate(
        n_agencies=Count("pk"),
        n_must_apply=Count("pk", filter=Q(must_apply=True)),
        n_built=Count("pk", filter=Q(pk__in=built) | Q(pk__in=announced)),
        n_applied=Count("pk", filter=Q(pk__in=applied) | Q(pk__in=announced)),
        n_announced=Count("pk", filter=Q(pk__in=announced)),
        n_re_announced=Count("pk", filter=Q(pk__in=announced.filter(kind=AnnouncementKind.RE))),
        n_announced_this_year=Count("pk", filter=Q(pk__in=announced.filter(date__year=on.year))),
        n_not_announced=Count("pk", filter=Q(must_apply=True) & ~Q(pk__in=announced)),
    )
    by_tier = {row["tier"]: row for row in rows}
    result = []
    for value, label in Tier.choices:
        row = by_tier.get(value)
        if row:
            result.append(
                {"tier": value, "label": label, **{c: row[f"n_{c}"] for c in SUMMARY_COLUMNS}}
            )
    if result:
        result.append(
            {
                "tier": "",
                "label": _("Total"),
                **{c: sum(r[c] for r in result) for c in SUMMARY_COLUMNS},
            }
        )
    return result


# --- the overseer's pages (registry table, summary by kind) ------------------------------------

REGISTRY_ORDERINGS = {
    "path": "path",
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "kind": "kind__sort_order",
    "-kind": "-kind__sort_order",
    "tier": "tier",
    "-tier": "-tier",
    "status": "qms_status",
    "-status": "-qms_status",
    "date": "last_date",
    "-date": "-last_date",
    "coverage": "coverage",
    "-coverage": "-coverage",
    "reminded": "reminded_at",
    "-reminded": "-reminded_at",
}


def registry_table(
    *,
    user,
    root: Agency | None = None,
    q: str = "",
    kind: str = "",
    tier: str = "",
    status: str = "",
    must_apply: str = "",
    announced: str = "",
    due: str = "",
    ordering: str = "path",
):
    """The registry with each agency's coverage (handled procedures, those with an issued ISO
    procedure, %), whether a re-announcement is due, and the latest reminder sent to it —
    filtered and sortable, still one query whatever the number of agencies."""
    from django.db.models import BooleanField, Case, F, FloatField, Value, When
    from django.db.models.functions import Coalesce

    from eiso.core.text import vn_fold
    from eiso.procedures.selectors import coverage_rollup
    from eiso.qms.models import Reminder

    rollup = coverage_rollup(user=user, root=root).filter(pk=OuterRef("pk"))
    reminders = Reminder.objects.filter(agency=OuterRef("pk")).order_by("-sent_at", "-id")
    qs = registry(user=user, root=root).annotate(
        handled=Coalesce(Subquery(rollup.values("handled")[:1]), 0),
        covered=Coalesce(Subquery(rollup.values("covered")[:1]), 0),
        reminded_at=Subquery(reminders.values("sent_at")[:1]),
        reminded_kind=Subquery(reminders.values("kind")[:1]),
        reminded_by=Subquery(reminders.values("sent_by__full_name")[:1]),
    )
    qs = qs.annotate(
        coverage=Case(
            When(handled=0, then=Value(None)),
            default=F("covered") * 100.0 / F("handled"),
            output_field=FloatField(),
        ),
        due=Case(
            When(
                Q(last_kind__isnull=False)
                & ((Q(qms_flag__isnull=False) & ~Q(qms_flag="")) | Q(scope_changed=True)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if kind:
        qs = qs.filter(kind__code=kind)
    if tier:
        qs = qs.filter(tier=tier)
    if status == QmsStatus.NOT_STARTED:
        qs = qs.filter(Q(qms_status__isnull=True) | Q(qms_status=status))
    elif status:
        qs = qs.filter(qms_status=status)
    if must_apply in ("yes", "no"):
        qs = qs.filter(must_apply=must_apply == "yes")
    if announced in ("yes", "no"):
        qs = qs.filter(last_kind__isnull=announced == "no")
    if due in ("yes", "no"):
        qs = qs.filter(due=due == "yes")
    order = REGISTRY_ORDERINGS.get(ordering, "path")
    name = order.lstrip("-")
    if name in ("coverage", "last_date", "reminded_at", "qms_status"):
        expression = F(name).desc if order.startswith("-") else F(name).asc
        return qs.order_by(expression(nulls_last=True), "path")
    return qs.order_by(order, "path")


def summary_by_kind(*, user, root: Agency | None = None, on: datetime.date) -> list[dict]:
    """The summary's numbers by kind of agency (for "156/156 UBND cấp xã đã công bố"), kinds
    in their usual order — one SQL query grouped by kind."""
    announced = Announcement.objects.filter(status__in=SIGNED, date__lte=on).values("agency_id")
    qs = Agency.objects.visible_to(user).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    rows = (
        qs.values("kind__code", "kind__name", "kind__sort_order")
        .annotate(
            n_agencies=Count("pk"),
            n_must_apply=Count("pk", filter=Q(must_apply=True)),
            n_announced_required=Count("pk", filter=Q(must_apply=True) & Q(pk__in=announced)),
            n_announced=Count("pk", filter=Q(pk__in=announced)),
        )
        .order_by("kind__sort_order", "kind__name")
    )
    return [
        {
            "kind": row["kind__code"],
            "label": row["kind__name"],
            "agencies": row["n_agencies"],
            "must_apply": row["n_must_apply"],
            "announced": row["n_announced"],
            "announced_required": row["n_announced_required"],
        }
        for row in rows
    ]


# --- reads added for the agency-side pages and the API -----------------------------------------


def draft_announcement(*, user, agency) -> Announcement | None:
    """The agency's announcement in preparation (there is at most one), if the user sees it."""
    return (
        Announcement.objects.visible_to(user)
        .filter(agency=agency, status=AnnouncementStatus.DRAFT)
        .order_by("-created_at")
        .first()
    )


def committee_user_choices(*, user, agency):
    """People who work in ``agency`` now (an active membership the user may see): who may sit
    on its steering committee."""
    from eiso.accounts.models import User

    members = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


def committee_decisions_with_members(*, user, agency) -> QuerySet[CommitteeDecision]:
    """The committee's history with each decision's members (two queries at any size)."""
    from django.db.models import Prefetch

    from eiso.qms.models import CommitteeMember

    return (
        committee_history(user=user, agency=agency)
        .select_related("agency")
        .prefetch_related(Prefetch("members", queryset=CommitteeMember.objects.order_by("id")))
    )


def procedure_names(*, codes: list[str]) -> dict[str, str]:
    """The names of administrative procedures by code, from the shared catalogue (one query);
    a code no longer in the catalogue is left out."""
    from eiso.procedures.models import AdministrativeProcedure

    if not codes:
        return {}
    return dict(AdministrativeProcedure.objects.filter(code__in=codes).values_list("code", "name"))


def previous_announcement(*, announcement: Announcement) -> Announcement | None:
    """The signed announcement a re-announcement replaces: the agency's latest signed one
    before it."""
    qs = Announcement.objects.filter(agency_id=announcement.agency_id, status__in=SIGNED).exclude(
        pk=announcement.pk
    )
    if announcement.date:
        qs = qs.filter(date__lte=announcement.date)
    return qs.order_by("-date", "-id").first()


def committee_decision_get(*, user, pk) -> CommitteeDecision:
    try:
        return CommitteeDecision.objects.visible_to(user).select_related("agency").get(pk=pk)
    except (CommitteeDecision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overseen_root(*, user, pk=None, code: str = "") -> Agency | None:
    """The subtree an overseer's page or endpoint shows: the agency named by ``pk`` or ``code``
    among those the user oversees (another is a 404, like one that does not exist), else the
    top of what they oversee when that is one agency, else None (everything they oversee).
    Anyone who oversees nothing gets a 404."""
    from eiso.core.roles import Action
    from eiso.core.scoping import user_scope
    from eiso.organizations import selectors as org_selectors

    scope = user_scope(user, Action.MANAGE_AGENCIES)
    if scope.empty:
        raise Http404
    if pk not in (None, ""):
        return org_selectors.agency_get(user=user, pk=pk, action=Action.MANAGE_AGENCIES)
    if code:
        return org_selectors.agency_by_code(user=user, code=code, action=Action.MANAGE_AGENCIES)
    roots = [
        a
        for a in org_selectors.agency_roots(user=user)
        if scope.everything or a.path in scope.subtree_paths
    ]
    return roots[0] if len(roots) == 1 else None


def summary_required(*, user, root: Agency | None = None, on: datetime.date) -> dict[str, dict]:
    """The summary's numbers among the agencies that must apply only, by tier (``""``: the
    total) — the numerators of the summary's percentages, so that voluntary agencies (communes
    encouraged to apply) never push a share past 100%. One SQL query grouped by tier."""
    announced = Announcement.objects.filter(status__in=SIGNED, date__lte=on).values("agency_id")
    with_status = QualitySystem.objects.values("agency_id")
    built = with_status.filter(
        status__in=[QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED]
    )
    applied = with_status.filter(status__in=[QmsStatus.APPLIED, QmsStatus.ANNOUNCED])
    qs = Agency.objects.visible_to(user).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
        must_apply=True,
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    rows = qs.values("tier").annotate(
        n_must_apply=Count("pk"),
        n_built=Count("pk", filter=Q(pk__in=built) | Q(pk__in=announced)),
        n_applied=Count("pk", filter=Q(pk__in=applied) | Q(pk__in=announced)),
        n_announced=Count("pk", filter=Q(pk__in=announced)),
        n_re_announced=Count("pk", filter=Q(pk__in=announced.filter(kind=AnnouncementKind.RE))),
        n_announced_this_year=Count("pk", filter=Q(pk__in=announced.filter(date__year=on.year))),
    )
    columns = (
        "must_apply",
        "built",
        "applied",
        "announced",
        "re_announced",
        "announced_this_year",
    )
    result = {row["tier"]: {c: row[f"n_{c}"] for c in columns} for row in rows}
    result[""] = {c: sum(r[c] for r in result.values()) for c in columns}
    for counts in result.values():
        counts["not_announced"] = counts["must_apply"] - counts["announced"]
    return result
