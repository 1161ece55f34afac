"""Reads of inspections; every one starts from ``visible_to`` (the team of a plan reaches its
own records through ``inspection_plan_field``, and the inspected agencies' QMS during the
plan's period: eiso.core.scoping). Lists are aggregated in SQL: a fixed number of queries
whatever the number of agencies.

``inspected_agencies`` and ``inspected_counts`` are what the provincial summary and the
dashboard read ("inspected")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.scoping import team_scope
from eiso.core.subqueries import count_rows
from eiso.core.text import vn_fold
from eiso.inspections import rules
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result
from eiso.inspections.models import (
    ChecklistAnswer,
    ChecklistVersion,
    Finding,
    Inspection,
    InspectionPlan,
    TeamMember,
)
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.qms.choices import SIGNED_STATUSES, QmsStatus
from eiso.qms.models import Announcement, QualitySystem

RECORDED = (
    InspectionStatus.CONCLUDED,
    InspectionStatus.REMEDIATION_REPORTED,
    InspectionStatus.CLOSED,
)
OPEN = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
APPLIED = (QmsStatus.APPLIED, QmsStatus.ANNOUNCED)

PLAN_ORDERINGS = {
    "year": ("year", "agency__path"),
    "-year": ("-year", "agency__path"),
    "status": ("status", "-year"),
    "-status": ("-status", "-year"),
}
INSPECTION_ORDERINGS = {
    "date": ("date", "agency__path"),
    "-date": ("-date", "agency__path"),
    "agency": ("agency__path",),
    "-agency": ("-agency__path",),
    "status": ("status", "date"),
    "-status": ("-status", "date"),
}


# --- plans ------------------------------------------------------------------------------------


def plan_list(
    *, user, year: int | None = None, status: str = "", q: str = "", ordering: str = "-year"
) -> QuerySet[InspectionPlan]:
    """Plans the user may read (overseers: their subtree's; a team member: the plans they are
    on), with their numbers of agencies, visits on site and records made."""
    inspections = Inspection.objects.filter(plan=OuterRef("pk"))
    qs = (
        InspectionPlan.objects.visible_to(user)
        .select_related("agency")
        .annotate(
            agency_count=count_rows(inspections, "plan"),
            on_site_count=count_rows(inspections.filter(mode=Mode.ON_SITE), "plan"),
            recorded_count=count_rows(inspections.filter(status__in=RECORDED), "plan"),
            team_count=count_rows(TeamMember.objects.filter(plan=OuterRef("pk")), "plan"),
        )
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(decision_number__icontains=q))
    return qs.order_by(*PLAN_ORDERINGS.get(ordering, PLAN_ORDERINGS["-year"]), "pk")


def plan_get(*, user, pk, manage: bool = False) -> InspectionPlan:
    """A plan the user may read; ``manage``: one they keep (the Sở KH&CN's overseers). Else
    404."""
    action = Action.INSPECT if manage else Action.VIEW
    plan = (
        InspectionPlan.objects.visible_to(user, action=action)
        .select_related("agency", "checklist_version", "approved_by")
        .filter(pk=_int(pk))
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def team_of(*, plan: InspectionPlan) -> list[TeamMember]:
    """The team in order: leader, deputies, members, secretary."""
    order = {"leader": 0, "deputy": 1, "member": 2, "secretary": 3}
    members = list(plan.team.select_related("user"))
    return sorted(members, key=lambda m: (order.get(m.role, 9), m.pk))


def version_choices() -> QuerySet[ChecklistVersion]:
    return ChecklistVersion.objects.filter(is_active=True).order_by("-effective_from")


def _with_progress(qs):
    answers = ChecklistAnswer.objects.filter(inspection=OuterRef("pk"))
    return qs.annotate(
        item_count=count_rows(answers, "inspection"),
        given_count=count_rows(answers.exclude(result=""), "inspection"),
        fail_count=count_rows(answers.filter(result=Result.FAIL), "inspection"),
        finding_count=count_rows(Finding.objects.filter(inspection=OuterRef("pk")), "inspection"),
    )


def inspections_of(*, user, plan: InspectionPlan) -> QuerySet[Inspection]:
    """The agencies of a plan with their progress (one query)."""
    qs = Inspection.objects.visible_to(user).filter(plan=plan).select_related("agency")
    return _with_progress(qs).order_by("date", "agency__path")


# --- inspections ------------------------------------------------------------------------------


def inspection_list(
    *,
    user,
    year: int | None = None,
    plan=None,
    status: str = "",
    mode: str = "",
    q: str = "",
    agency=None,
    ordering: str = "date",
) -> QuerySet[Inspection]:
    """Inspections the user may read: an agency its own, overseers their subtree's, a team
    its plan's."""
    qs = Inspection.objects.visible_to(user).select_related("agency", "plan")
    if year:
        qs = qs.filter(plan__year=year)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    if mode:
        qs = qs.filter(mode=mode)
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    if q:
        qs = qs.filter(agency__search_text__contains=vn_fold(q))
    ordering_fields = INSPECTION_ORDERINGS.get(ordering, INSPECTION_ORDERINGS["date"])
    return _with_progress(qs).order_by("-plan__year", *ordering_fields, "pk")


def _inspection(user, pk, action: Action = Action.VIEW) -> Inspection:
    found = (
        Inspection.objects.visible_to(user, action=action)
        .select_related(
            "agency", "plan", "plan__agency", "plan__checklist_version", "remediation_by"
        )
        .filter(pk=_int(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def inspection_get(*, user, pk) -> Inspection:
    return _inspection(user, pk)


def inspection_for_team(*, user, pk) -> Inspection:
    """An inspection of a plan the user is on (else 404): the team's pages."""
    inspection = _inspection(user, pk)
    if not rules.on_team(user, inspection.plan_id):
        raise Http404
    return inspection


def inspection_for_agency(*, user, pk) -> Inspection:
    """An inspection of an agency whose ISO secretary or head the user is (else 404)."""
    inspection = _inspection(user, pk)
    if not rules.keeps_agency(user, inspection.agency):
        raise Http404
    return inspection


def inspection_for_manager(*, user, pk) -> Inspection:
    """An inspection of a plan the user keeps (else 404)."""
    return _inspection(user, pk, Action.INSPECT)


def answers_of(*, inspection: Inspection) -> list[ChecklistAnswer]:
    return list(
        inspection.answers.select_related("answered_by").prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("number"))
        )
    )


def answer_get(*, user, pk) -> ChecklistAnswer:
    found = (
        ChecklistAnswer.objects.visible_to(user)
        .select_related("inspection", "inspection__plan", "inspection__agency")
        .filter(pk=_int(pk))
        .first()
    )
    if found is None or not rules.on_team(user, found.inspection.plan_id):
        raise Http404
    return found


def findings_of(*, inspection: Inspection) -> list[Finding]:
    return list(
        inspection.findings.select_related("nonconformity", "answer", "recorded_by").order_by(
            "number"
        )
    )


def team_member_get(*, user, pk) -> TeamMember:
    found = (
        TeamMember.objects.visible_to(user, action=Action.INSPECT)
        .select_related("plan")
        .filter(pk=_int(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- the inspector's home ---------------------------------------------------------------------


def my_plans(*, user) -> QuerySet[InspectionPlan]:
    """The plans the user is on."""
    ids = sorted(team_scope(user).plan_ids)
    return plan_list(user=user).filter(pk__in=ids)


def my_inspections(*, user, today: datetime.date | None = None) -> QuerySet[Inspection]:
    """Agencies to visit and checklists to fill: the inspections of the plans the user is on
    that are not closed, soonest first."""
    ids = sorted(team_scope(user).plan_ids)
    qs = (
        Inspection.objects.visible_to(user)
        .filter(plan_id__in=ids)
        .exclude(status=InspectionStatus.CLOSED)
        .select_related("agency", "plan")
    )
    return _with_progress(qs).order_by(
        Coalesce("date", "plan__period_end", output_field=DateField()), "agency__path", "pk"
    )


# --- picking agencies from the tree -----------------------------------------------------------


def pickable_agencies(
    *,
    user,
    plan: InspectionPlan,
    tier: str = "",
    kind=None,
    qms_status: str = "",
    not_inspected_years: int | None = None,
    must_apply: bool | None = None,
) -> QuerySet[Agency]:
    """Active agencies under the plan's agency, not yet in it, that the user may inspect,
    filtered by tier, kind, QMS status and "not inspected in the last N years" (an inspection
    record made in a plan of those years)."""
    qs = (
        Agency.objects.visible_to(user, action=Action.INSPECT)
        .filter(path__startswith=plan.agency.path, is_active=True)
        .exclude(pk__in=plan.inspections.values("agency_id"))
        .select_related("kind")
    )
    if tier:
        qs = qs.filter(tier=tier)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if must_apply is not None:
        qs = qs.filter(must_apply=must_apply)
    if qms_status:
        status = QualitySystem.objects.filter(agency=OuterRef("pk")).values("status")[:1]
        if qms_status == QmsStatus.NOT_STARTED:
            qs = qs.annotate(qms_status=Subquery(status)).filter(
                Q(qms_status=QmsStatus.NOT_STARTED) | Q(qms_status=None)
            )
        else:
            qs = qs.annotate(qms_status=Subquery(status)).filter(qms_status=qms_status)
    if not_inspected_years:
        recent = Inspection.objects.filter(
            agency=OuterRef("pk"),
            status__in=RECORDED,
            plan__year__gte=plan.year - not_inspected_years,
            plan__year__lt=plan.year,
        )
        qs = qs.filter(~Exists(recent))
    return qs.order_by("path")


# --- the summary --------------------------------------------------------------------------------


@dataclass
class TierRow:
    tier: str
    label: str
    in_plan: int = 0
    on_site: int = 0
    records: int = 0
    applied: int = 0
    announced: int = 0
    recorded: int = 0
    all_met: int = 0
    with_failures: int = 0
    findings: int = 0


@dataclass
class CommonFinding:
    number: str
    text: str
    agencies: int


@dataclass
class PlanSummary:
    rows: list[TierRow]
    total: TierRow
    common: list[CommonFinding] = field(default_factory=list)
    nonconformities_open: int = 0
    nonconformities_closed: int = 0

    @property
    def announced_line(self) -> str:
        """ "128/147": announced by the inspection date, of the agencies in the plan."""
        return f"{self.total.announced}/{self.total.in_plan}"


def _inspection_day():
    """The day an inspection counts from: its record's date, else the visit's, else the end
    of its plan's period."""
    return Coalesce("record_date", "date", "plan__period_end", output_field=DateField())


def summary_rows(*, plan: InspectionPlan) -> QuerySet[Inspection]:
    """Each agency of the plan with what the summary counts: whether it had announced (a
    signed announcement dated on or before its inspection day — from the announcements, never
    typed), whether its QMS is applied, its results and findings. One query."""
    announced = Announcement.objects.filter(
        agency=OuterRef("agency"), status__in=SIGNED_STATUSES, date__lte=OuterRef("day")
    ).order_by("-date", "-pk")
    applied = QualitySystem.objects.filter(agency=OuterRef("agency"), status__in=APPLIED)
    answers = ChecklistAnswer.objects.filter(inspection=OuterRef("pk"))
    return (
        plan.inspections.select_related("agency")
        .annotate(
            day=_inspection_day(),
            announced=Exists(announced),
            announcement_number=Subquery(announced.values("number")[:1]),
            announcement_date=Subquery(announced.values("date")[:1]),
            qms_applied=Exists(applied),
            fail_count=count_rows(answers.filter(result=Result.FAIL), "inspection"),
            finding_count=count_rows(
                Finding.objects.filter(inspection=OuterRef("pk")), "inspection"
            ),
        )
        .order_by("agency__tier", "agency__path")
    )


def _flag(condition: Q):
    return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))


def plan_summary(*, plan: InspectionPlan) -> PlanSummary:
    """The figures of the plan's summary: by tier (in the plan, on site, through records,
    applied, announced by the inspection day, records made, all items met, with items not met,
    findings), the common shortcomings (items not met by the most agencies) and the
    nonconformities raised, open and closed. Four queries."""
    by_tier = (
        summary_rows(plan=plan)
        .order_by()
        .values("agency__tier")
        .annotate(
            in_plan=Count("pk"),
            on_site=_flag(Q(mode=Mode.ON_SITE)),
            records=_flag(Q(mode=Mode.RECORDS)),
            applied=_flag(Q(qms_applied=True) | Q(announced=True)),
            announced_n=_flag(Q(announced=True)),
            recorded=_flag(Q(status__in=RECORDED)),
            all_met=_flag(Q(status__in=RECORDED, fail_count=0)),
            with_failures=_flag(Q(fail_count__gt=0)),
            findings=Sum("finding_count"),
        )
    )
    labels = dict(Tier.choices)
    rows = []
    for value in [t for t, _label in Tier.choices]:
        found = next((r for r in by_tier if r["agency__tier"] == value), None)
        if found is None:
            continue
        rows.append(
            TierRow(
                tier=value,
                label=str(labels[value]),
                in_plan=found["in_plan"],
                on_site=found["on_site"] or 0,
                records=found["records"] or 0,
                applied=found["applied"] or 0,
                announced=found["announced_n"] or 0,
                recorded=found["recorded"] or 0,
                all_met=found["all_met"] or 0,
                with_failures=found["with_failures"] or 0,
                findings=found["findings"] or 0,
            )
        )
    total = TierRow(tier="", label="")
    for row in rows:
        for name in (
            "in_plan",
            "on_site",
            "records",
            "applied",
            "announced",
            "recorded",
            "all_met",
            "with_failures",
            "findings",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    common = [
        CommonFinding(number=r["number"], text=r["text"], agencies=r["n"])
        for r in ChecklistAnswer.objects.filter(inspection__plan=plan, result=Result.FAIL)
        .values("number", "text")
        .annotate(n=Count("inspection", distinct=True))
        .order_by("-n", "number")[:10]
    ]
    ncs = nonconformity_counts(plan=plan)
    return PlanSummary(
        rows=rows,
        total=total,
        common=common,
        nonconformities_open=ncs["open"],
        nonconformities_closed=ncs["closed"],
    )


def nonconformity_counts(*, plan: InspectionPlan) -> dict[str, int]:
    """The nonconformities the plan's findings raised: how many are open and closed."""
    findings = Finding.objects.filter(inspection__plan=plan).exclude(nonconformity=None)
    counts = findings.aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(nonconformity__status="closed"))
    )
    return {"open": counts["total"] - counts["closed"], "closed": counts["closed"]}


def recommendations_of(*, plan: InspectionPlan) -> list[tuple[str, str]]:
    """(agency, recommendations) of every agency whose record made some."""
    return list(
        plan.inspections.exclude(recommendations="")
        .order_by("agency__path")
        .values_list("agency__name", "recommendations")
    )


# --- the contract with the provincial summary and the dashboard --------------------------------


def _inspected(user, root, year, on):
    on = on or timezone.localdate()
    year = year or on.year
    done = Inspection.objects.filter(
        agency=OuterRef("pk"),
        plan__year=year,
        plan__status__in=(PlanStatus.APPROVED, PlanStatus.COMPLETED),
        status__in=RECORDED,
        record_date__lte=on,
    )
    qs = Agency.objects.visible_to(user).filter(Exists(done))
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs


def inspected_agencies(
    *, user, root=None, year: int | None = None, on: datetime.date | None = None
) -> QuerySet[Agency]:
    """Agencies the user may read (under ``root``) inspected in ``year`` (default: the year of
    ``on``) by ``on`` (default today): an inspection record made in an approved plan of that
    year, dated on or before ``on``. One query."""
    return _inspected(user, root, year, on).order_by("path")


def inspected_counts(
    *, user, root=None, year: int | None = None, on: datetime.date | None = None
) -> dict[str, int]:
    """``{tier: number inspected}`` plus ``"total"`` (see ``inspected_agencies``). One query."""
    rows = _inspected(user, root, year, on).order_by().values("tier").annotate(n=Count("pk"))
    counts = {row["tier"]: row["n"] for row in rows}
    counts["total"] = sum(counts.values())
    return counts
