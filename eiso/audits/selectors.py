"""Reads of internal audits: the clauses and the question bank, programmes, audits with their
counts (one query), the team, schedule, checklist and findings of an audit, what waits on an
auditor (their home and the inbox), and the audit results the management review reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from eiso.audits.choices import AuditStatus, FindingGrade
from eiso.audits.models import (
    AuditProgramme,
    AuditQuestion,
    AuditSession,
    AuditTeamMember,
    ChecklistFile,
    ChecklistItem,
    Finding,
    InternalAudit,
    IsoClause,
    ProgrammeItem,
)
from eiso.core.roles import Action
from eiso.core.subqueries import count_rows
from eiso.improvements.choices import NcStatus
from eiso.organizations.models import Agency

OPEN_AUDITS = (AuditStatus.APPROVED, AuditStatus.IN_PROGRESS)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- the standard and the question bank (global data) --------------------------------------------


def clause_list() -> QuerySet[IsoClause]:
    return IsoClause.objects.order_by("order", "code")


def question_list(*, clause=None, process: str = "", q: str = "", active: str = "") -> QuerySet:
    qs = AuditQuestion.objects.select_related("clause")
    if clause is not None:
        qs = qs.filter(clause=clause)
    if process == "-":
        qs = qs.filter(process="")
    elif process:
        qs = qs.filter(process=process)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(guidance__icontains=q))
    if active == "yes":
        qs = qs.filter(is_active=True)
    elif active == "no":
        qs = qs.filter(is_active=False)
    return qs.order_by("clause__order", "process", "order", "pk")


def question_get(*, pk) -> AuditQuestion:
    return _get(AuditQuestion.objects.select_related("clause"), pk)


def bank_processes() -> list[str]:
    """The processes the bank has questions for."""
    return list(
        AuditQuestion.objects.exclude(process="")
        .filter(is_active=True)
        .order_by("process")
        .values_list("process", flat=True)
        .distinct()
    )


# --- programmes ----------------------------------------------------------------------------------


def programme_list(*, user, agency=None, year=None, status: str = "") -> QuerySet:
    qs = (
        AuditProgramme.objects.visible_to(user)
        .select_related("agency")
        .annotate(
            line_count=count_rows(
                ProgrammeItem.objects.filter(programme=OuterRef("pk")), "programme"
            ),
            audit_count=count_rows(
                InternalAudit.objects.filter(programme=OuterRef("pk")), "programme"
            ),
        )
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "agency__path")


def programme_get(*, user, pk, action: Action = Action.VIEW) -> AuditProgramme:
    return _get(
        AuditProgramme.objects.visible_to(user, action=action).select_related(
            "agency", "approved_by"
        ),
        pk,
    )


def programme_of(*, user, agency, year: int) -> AuditProgramme | None:
    return (
        AuditProgramme.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .select_related("agency")
        .first()
    )


def programme_items(*, user, programme) -> QuerySet[ProgrammeItem]:
    return (
        ProgrammeItem.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("department")
        .order_by("number")
    )


def programme_item_get(*, user, pk, action: Action = Action.VIEW) -> ProgrammeItem:
    return _get(
        ProgrammeItem.objects.visible_to(user, action=action).select_related(
            "programme", "agency", "department"
        ),
        pk,
    )


# --- audits ----------------------------------------------------------------------------------------


def _with_counts(qs):
    items = ChecklistItem.objects.filter(audit=OuterRef("pk"))
    findings = Finding.objects.filter(audit=OuterRef("pk"))
    return qs.annotate(
        question_count=count_rows(items, "audit"),
        answered_count=count_rows(items.exclude(answer=""), "audit"),
        finding_count=count_rows(findings, "audit"),
        nc_count=count_rows(
            findings.filter(grade__in=(FindingGrade.MAJOR, FindingGrade.MINOR)), "audit"
        ),
    )


AUDIT_ORDERING = {
    "start": ("start_date", "pk"),
    "-start": ("-start_date", "-pk"),
    "status": ("status", "-start_date"),
    "-status": ("-status", "-start_date"),
}


def audit_list(
    *,
    user,
    agency=None,
    year=None,
    status: str = "",
    q: str = "",
    ordering: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[InternalAudit]:
    qs = _with_counts(
        InternalAudit.objects.visible_to(user, action=action).select_related("agency")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(scope__icontains=q))
    return qs.order_by(*AUDIT_ORDERING.get(ordering, AUDIT_ORDERING["-start"]))


def audit_get(*, user, pk, action: Action = Action.VIEW) -> InternalAudit:
    """One audit, its team prefetched (the rules read it)."""
    return _get(
        InternalAudit.objects.visible_to(user, action=action)
        .select_related("agency", "agency__parent", "programme", "approved_by")
        .prefetch_related(
            Prefetch("team", queryset=AuditTeamMember.objects.select_related("user"))
        ),
        pk,
    )


def sessions_of(*, user, audit) -> QuerySet[AuditSession]:
    items = ChecklistItem.objects.filter(session=OuterRef("pk"))
    return (
        AuditSession.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("department", "auditor")
        .prefetch_related("clauses")
        .annotate(
            question_count=count_rows(items, "session"),
            answered_count=count_rows(items.exclude(answer=""), "session"),
        )
        .order_by("date", "start_time", "pk")
    )


def session_get(*, user, pk, action: Action = Action.VIEW) -> AuditSession:
    return _get(
        AuditSession.objects.visible_to(user, action=action)
        .select_related("audit", "audit__agency", "department", "auditor")
        .prefetch_related(
            "clauses",
            Prefetch("audit__team", queryset=AuditTeamMember.objects.select_related("user")),
        ),
        pk,
    )


def member_get(*, user, pk, action: Action = Action.VIEW) -> AuditTeamMember:
    return _get(
        AuditTeamMember.objects.visible_to(user, action=action).select_related("audit", "user"),
        pk,
    )


def checklist_of(*, user, audit, session=None) -> QuerySet[ChecklistItem]:
    qs = (
        ChecklistItem.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("clause", "session", "answered_by")
        .prefetch_related(
            Prefetch("files", queryset=ChecklistFile.objects.order_by("pk")),
            Prefetch("findings", queryset=Finding.objects.order_by("number")),
        )
    )
    if session is not None:
        qs = qs.filter(session=session)
    return qs.order_by("session__date", "session__start_time", "session_id", "number")


def item_get(*, user, pk, action: Action = Action.VIEW) -> ChecklistItem:
    return _get(
        ChecklistItem.objects.visible_to(user, action=action).select_related(
            "audit", "audit__agency", "session", "session__department", "clause"
        ),
        pk,
    )


def file_get(*, user, pk) -> ChecklistFile:
    return _get(ChecklistFile.objects.visible_to(user).select_related("item"), pk)


def findings_of(*, user, audit) -> QuerySet[Finding]:
    return (
        Finding.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("clause", "department", "nonconformity", "recorded_by", "replied_by")
        .order_by("number")
    )


def finding_get(*, user, pk, action: Action = Action.VIEW) -> Finding:
    return _get(
        Finding.objects.visible_to(user, action=action).select_related(
            "audit", "audit__agency", "clause", "department", "nonconformity"
        ),
        pk,
    )


def _awaiting_reply() -> Q:
    """A finding not answered yet: a nonconformity whose plan is not approved, another
    without a reply."""
    nc = Q(grade__in=(FindingGrade.MAJOR, FindingGrade.MINOR))
    return (nc & Q(nonconformity__status__in=(NcStatus.OPEN, NcStatus.PLANNED))) | (
        ~nc & Q(reply="")
    )


FINDING_ORDERING = {
    "recorded": ("recorded_on", "number"),
    "-recorded": ("-recorded_on", "-number"),
    "grade": ("grade", "-recorded_on"),
}


def finding_list(
    *,
    user,
    agency=None,
    year=None,
    grade: str = "",
    awaiting: bool = False,
    q: str = "",
    ordering: str = "",
) -> QuerySet[Finding]:
    qs = Finding.objects.visible_to(user).select_related(
        "agency", "audit", "clause", "department", "nonconformity"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(audit__year=year)
    if grade:
        qs = qs.filter(grade=grade)
    if awaiting:
        qs = qs.filter(_awaiting_reply())
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(evidence__icontains=q))
    return qs.order_by(*FINDING_ORDERING.get(ordering, FINDING_ORDERING["-recorded"]))


# --- what waits on an auditor --------------------------------------------------------------------


def my_audits(*, user, limit: int = 50) -> list[InternalAudit]:
    """Audits on whose team ``user`` is, not closed: the nearest first."""
    team = AuditTeamMember.objects.filter(user=user).values("audit_id")
    return list(
        _with_counts(
            InternalAudit.objects.visible_to(user)
            .filter(pk__in=team)
            .exclude(status__in=(AuditStatus.CLOSED, AuditStatus.DRAFT))
            .select_related("agency")
        ).order_by("start_date", "pk")[:limit]
    )


def sessions_to_fill(*, user, limit: int) -> list[AuditSession]:
    """Lines of the schedule ``user`` audits with questions not answered, in audits approved or
    in progress (each with ``question_count`` and ``answered_count``)."""
    items = ChecklistItem.objects.filter(session=OuterRef("pk"))
    return list(
        AuditSession.objects.visible_to(user)
        .filter(auditor=user, audit__status__in=OPEN_AUDITS)
        .select_related("audit", "department", "agency")
        .annotate(
            question_count=count_rows(items, "session"),
            answered_count=count_rows(items.exclude(answer=""), "session"),
        )
        .filter(Q(question_count=0) | Q(answered_count__lt=F("question_count")))
        .order_by("date", "start_time", "pk")[:limit]
    )


def findings_awaiting(
    *, user, recorded_by=None, agencies: list[Agency] = (), limit: int
) -> list[Finding]:
    """Findings not answered yet: those ``recorded_by`` the auditor, or in ``agencies`` (for
    their keepers), in audits in progress or reported."""
    condition = Q(pk__in=[])
    if recorded_by is not None:
        condition |= Q(recorded_by=recorded_by)
    if agencies:
        condition |= Q(agency__in=list(agencies))
    return list(
        Finding.objects.visible_to(user)
        .filter(condition)
        .filter(_awaiting_reply())
        .filter(audit__status__in=(AuditStatus.IN_PROGRESS, AuditStatus.REPORTED))
        .select_related("audit", "agency", "nonconformity", "department")
        .order_by("recorded_on", "pk")[:limit]
    )


def plans_to_approve(*, user, agencies: list[Agency], today: datetime.date, limit: int):
    """Draft plans of ``agencies`` with a lead auditor and a schedule (ready for the head)."""
    if not agencies:
        return []
    return list(
        InternalAudit.objects.visible_to(user)
        .filter(agency__in=agencies, status=AuditStatus.DRAFT)
        .filter(team__role="lead", sessions__isnull=False)
        .distinct()
        .select_related("agency")
        .order_by("start_date", "pk")[:limit]
    )


# --- what the management review reads ---------------------------------------------------------


@dataclass
class AuditSummary:
    """The internal audits of an agency reported between two days."""

    start: datetime.date
    on: datetime.date
    audits: list[InternalAudit] = field(default_factory=list)
    by_grade: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.audits


def summary_for(*, user, agency, start: datetime.date, on: datetime.date) -> AuditSummary:
    """Audits reported between ``start`` and ``on`` and their findings by grade (three
    queries)."""
    audits = list(
        _with_counts(
            InternalAudit.objects.visible_to(user).filter(
                agency=agency, report_date__gte=start, report_date__lte=on
            )
        ).order_by("report_date", "pk")
    )
    findings = Finding.objects.visible_to(user).filter(audit__in=audits)
    by_grade = dict(findings.order_by().values_list("grade").annotate(n=Count("pk")))
    return AuditSummary(
        start=start,
        on=on,
        audits=audits,
        by_grade=by_grade,
        findings=list(
            findings.select_related("clause", "department", "nonconformity").order_by(
                "audit__report_date", "number"
            )[:40]
        ),
    )


def improvement_findings(*, user, agency, start, on) -> list[Finding]:
    """Opportunities for improvement found by the audits between ``start`` and ``on``."""
    return list(
        Finding.objects.visible_to(user)
        .filter(
            agency=agency,
            grade=FindingGrade.IMPROVEMENT,
            recorded_on__gte=start,
            recorded_on__lte=on,
        )
        .select_related("clause", "department")
        .order_by("recorded_on", "number")[:30]
    )


# --- what the API shows with an audit or a programme ---------------------------------------------


def with_plan(queryset: QuerySet[InternalAudit]) -> QuerySet[InternalAudit]:
    """Audits with their team (people) and schedule (clauses): three queries for any number."""
    return queryset.prefetch_related(
        Prefetch("team", queryset=AuditTeamMember.objects.select_related("user")),
        Prefetch(
            "sessions",
            queryset=AuditSession.objects.prefetch_related("clauses").order_by(
                "date", "start_time", "pk"
            ),
        ),
    )


def with_items(queryset: QuerySet[AuditProgramme]) -> QuerySet[AuditProgramme]:
    return queryset.prefetch_related(
        Prefetch("items", queryset=ProgrammeItem.objects.order_by("number"))
    )
