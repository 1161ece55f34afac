"""Reads of an agency's QMS record, announcements and committee — aggregated in SQL so they
stay one or two queries at any size. The overseer's registry and summary read these from above
(``eiso.oversight.selectors``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.procedures.models import HandledProcedure
from eiso.qms.choices import (
    SIGNED_STATUSES,
    AnnouncementAction,
    AnnouncementStatus,
)
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem

SIGNED = SIGNED_STATUSES  # a returned announcement was signed all the same


def qms_of(*, user, agency) -> QualitySystem:
    """The agency's QMS record (an unsaved default when none was kept yet)."""
    found = (
        QualitySystem.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("quality_policy")
        .first()
    )
    return found or QualitySystem(agency=agency)


ANNOUNCEMENT_ORDERINGS = {
    "date": ("date", "created_at"),
    "-date": ("-date", "-created_at"),
    "number": ("number_digits", "number_part", "number"),
    "-number": ("-number_digits", "-number_part", "-number"),
    "agency": ("agency__name", "-date"),
    "-agency": ("-agency__name", "-date"),
    "status": ("status", "-date"),
    "-status": ("-status", "-date"),
    "received": ("received_on", "-date"),
    "-received": ("-received_on", "-date"),
}


def announcement_list(
    *,
    user,
    agency=None,
    status: str = "",
    q: str = "",
    kind: str = "",
    ordering: str = "-date",
) -> QuerySet[Announcement]:
    """The announcements the user may read: of one ``agency`` (filter), in one ``status``
    (discarded drafts only when asked for), searched by number (``q``: "45" finds 45/QĐ-…, a
    full number finds that number, anything else what contains it), newest first or as
    ``ordering`` says. The latest return reason rides along (one query)."""
    from django.db.models.functions import Coalesce, Length, NullIf, StrIndex, Substr

    from eiso.core.numbers import parse_official_number

    qs = _with_return_reason(
        Announcement.objects.visible_to(user).select_related("agency", "received_by")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    # Discarded drafts only when asked for.
    qs = qs.filter(status=status) if status else qs.exclude(status=AnnouncementStatus.DISCARDED)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        parsed = parse_official_number(q)
        if parsed is not None and parsed.symbol:
            qs = qs.filter(
                number__startswith=f"{parsed.number:02d}/", number__endswith=f"-{parsed.symbol}"
            )
        elif parsed is not None:
            qs = qs.filter(number__startswith=f"{parsed.number:02d}/")
        else:
            qs = qs.filter(number__contains=q.upper())
    if ordering.lstrip("-") == "number":
        # "09/…" before "45/…" before "120/…": the part before the slash, shorter first, with
        # no cast that an old malformed number could break.
        slash = NullIf(StrIndex("number", Value("/")), 0)
        part = Coalesce(Substr("number", 1, slash - 1), "number")
        qs = qs.annotate(number_part=part, number_digits=Length(part))
    return qs.order_by(*ANNOUNCEMENT_ORDERINGS.get(ordering, ANNOUNCEMENT_ORDERINGS["-date"]))


def announcement_events(*, announcement: Announcement):
    """The announcement's history, oldest first, with who took each step (one query)."""
    return announcement.events.select_related("actor").order_by("created_at", "id")


def _with_return_reason(qs):
    """The overseer's latest reason for returning each announcement (``return_reason``)."""
    from eiso.qms.models import AnnouncementEvent

    returns = AnnouncementEvent.objects.filter(
        announcement=OuterRef("pk"), action=AnnouncementAction.RETURN
    ).order_by("-created_at", "-id")
    return qs.annotate(return_reason=Subquery(returns.values("comment")[:1]))


def announcement_get(*, user, pk, action=None) -> Announcement:
    from eiso.core.roles import Action

    try:
        return _with_return_reason(
            Announcement.objects.visible_to(user, action=action or Action.VIEW).select_related(
                "agency", "agency__parent", "received_by"
            )
        ).get(pk=pk)
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
