"""Reads of quality objectives: the years' objectives and their revisions, objectives with
their result so far, the periods of an objective with its measurements, the evaluation report,
and the overseer's roll-up — aggregated in SQL, so each is a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.objectives import periods as period_math
from eiso.objectives.choices import ISSUED_SET_STATUSES, ReportStatus, Result, SetStatus
from eiso.objectives.models import (
    EvaluationReport,
    Measurement,
    ObjectiveAssessment,
    ObjectiveSet,
    ObjectiveTemplate,
    PlanAction,
    QualityObjective,
    number_text,
)
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency

# By this day of January the year's objectives are due (DOMAIN.md, the annual cycle; default).
ISSUE_BY_DAY = 31


def issue_deadline(year: int) -> datetime.date:
    return datetime.date(year, 1, ISSUE_BY_DAY)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def people_of(*, user, agency):
    """People who work in ``agency`` now (visible to ``user``): owners of objectives and of
    risk treatments."""
    from eiso.accounts.models import Membership, User

    members = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


# --- the objectives of a year ---------------------------------------------------------------


def _count_of(queryset, field_name: str = "objective_set"):
    """A correlated ``COUNT(*)`` of ``queryset`` rows pointing at the outer row."""
    counted = (
        queryset.filter(**{field_name: OuterRef("pk")})
        .order_by()
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


SET_ORDERING = {
    "year": ("year", "agency__path", "revision"),
    "-year": ("-year", "agency__path", "-revision"),
    "agency": ("agency__path", "-year", "-revision"),
    "-agency": ("-agency__path", "-year", "-revision"),
    "decision_date": ("decision_date", "pk"),
    "-decision_date": ("-decision_date", "-pk"),
    "status": ("status", "-year"),
    "-status": ("-status", "-year"),
}


def set_list(
    *,
    user,
    agency: Agency | None = None,
    year: int | None = None,
    status: str = "",
    ordering: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[ObjectiveSet]:
    """The objectives of the years (every revision) the user may see (or change, with
    ``action``), with their number of objectives."""
    qs = (
        ObjectiveSet.objects.visible_to(user, action=action)
        .select_related("agency")
        .annotate(objective_count=_count_of(QualityObjective.objects.all()))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*SET_ORDERING.get(ordering, SET_ORDERING["-year"]))


def set_get(*, user, pk, action: Action = Action.VIEW) -> ObjectiveSet:
    return _get(
        ObjectiveSet.objects.visible_to(user, action=action)
        .select_related(
            "agency", "agency__parent", "submitted_by", "approved_by", "issued_by", "created_by"
        )
        .annotate(objective_count=_count_of(QualityObjective.objects.all())),
        pk,
    )


def revisions_of_year(*, user, agency: Agency, year: int) -> list[ObjectiveSet]:
    return list(
        ObjectiveSet.objects.visible_to(user).filter(agency=agency, year=year).order_by("-revision")
    )


def latest_set(*, user, agency: Agency, year: int) -> ObjectiveSet | None:
    return (
        ObjectiveSet.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .order_by("-revision")
        .first()
    )


def in_force_set(*, user, agency: Agency, year: int) -> ObjectiveSet | None:
    return (
        ObjectiveSet.objects.visible_to(user)
        .filter(agency=agency, year=year, status=SetStatus.ISSUED)
        .first()
    )


def last_year_source(*, agency: Agency, year: int) -> ObjectiveSet | None:
    """What "copy last year" starts from: last year's objectives in force (else the latest
    revision of last year). ``agency`` comes from a scoped selector."""
    sets = ObjectiveSet.objects.filter(agency=agency, year=year - 1)
    return sets.filter(status=SetStatus.ISSUED).first() or sets.order_by("-revision").first()


def templates_for(*, agency: Agency) -> QuerySet[ObjectiveTemplate]:
    """The framework model's typical objectives for the agency's kind."""
    return ObjectiveTemplate.objects.filter(kind_id=agency.kind_id).order_by("number")


# --- objectives with their result so far ------------------------------------------------------


def with_results(queryset: QuerySet[QualityObjective]) -> QuerySet[QualityObjective]:
    """Annotate ``measured`` (periods measured across the objective's versions), ``missed``
    (periods that missed the target) and ``result``: not met when any period missed, met when
    every period measured so far met the target, else not measured yet."""
    lineage = Measurement.objects.filter(lineage=OuterRef("lineage"))
    counted = lineage.order_by().values("lineage").annotate(n=Count("pk")).values("n")
    missed = (
        lineage.filter(met=False).order_by().values("lineage").annotate(n=Count("pk")).values("n")
    )
    return queryset.annotate(
        measured=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        missed=Coalesce(Subquery(missed, output_field=IntegerField()), 0),
    ).annotate(
        result=Case(
            When(missed__gt=0, then=Value(Result.NOT_MET)),
            When(measured__gt=0, then=Value(Result.MET)),
            default=Value(Result.NOT_MEASURED),
            output_field=CharField(),
        )
    )


def _latest_revision():
    """The latest revision's number for the outer row's agency and year."""
    return Subquery(
        ObjectiveSet.objects.filter(
            agency_id=OuterRef("agency_id"), year=OuterRef("objective_set__year")
        )
        .order_by("-revision")
        .values("revision")[:1]
    )


OBJECTIVE_ORDERING = {
    "number": ("objective_set__year", "agency__path", "number"),
    "-number": ("-objective_set__year", "agency__path", "-number"),
    "year": ("objective_set__year", "agency__path", "number"),
    "-year": ("-objective_set__year", "agency__path", "number"),
    "agency": ("agency__path", "-objective_set__year", "number"),
    "-agency": ("-agency__path", "-objective_set__year", "number"),
    "result": ("result", "number"),
    "-result": ("-result", "number"),
}


def objective_list(
    *,
    user,
    agency: Agency | None = None,
    year: int | None = None,
    department=None,
    owner=None,
    result: str = "",
    status: str = "",
    q: str = "",
    ordering: str = "",
) -> QuerySet[QualityObjective]:
    """The current objectives (the latest revision of each agency's year) the user may see,
    with their result so far."""
    qs = (
        QualityObjective.objects.visible_to(user)
        .select_related("agency", "objective_set", "department", "owner")
        .filter(objective_set__revision=_latest_revision())
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(objective_set__year=year)
    if department is not None:
        qs = qs.filter(department=department)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if status:
        qs = qs.filter(objective_set__status=status)
    qs = with_results(qs)
    if result:
        qs = qs.filter(result=result)
    if q:
        folded = vn_fold(q)
        qs = qs.filter(Q(statement__icontains=q) | Q(indicator__icontains=q) | Q(unit=folded))
    return qs.order_by(*OBJECTIVE_ORDERING.get(ordering, OBJECTIVE_ORDERING["-year"]))


def with_plan(queryset: QuerySet[QualityObjective]) -> QuerySet[QualityObjective]:
    """Prefetch each objective's plan and procedures (two queries for any number of rows)."""
    return queryset.prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("number", "pk")), "procedures"
    )


def attach_measurements(*, user, objectives) -> list[QualityObjective]:
    """Give each objective ``lineage_measurements``: its measurements across its versions (one
    query for any number of objectives)."""
    objectives = list(objectives)
    found: dict = {}
    for m in (
        Measurement.objects.visible_to(user)
        .filter(lineage__in=[o.lineage for o in objectives])
        .order_by("period_start")
    ):
        found.setdefault(m.lineage, []).append(m)
    for objective in objectives:
        objective.lineage_measurements = found.get(objective.lineage, [])
    return objectives


def objectives_of_set(*, user, objective_set: ObjectiveSet) -> list[QualityObjective]:
    """The objectives of one revision, with their plan, procedures and result (four queries)."""
    return list(
        with_results(QualityObjective.objects.visible_to(user).filter(objective_set=objective_set))
        .select_related("department", "owner")
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.order_by("number", "pk")),
            "procedures",
        )
        .order_by("number")
    )


def objective_get(*, user, pk, action: Action = Action.VIEW) -> QualityObjective:
    return _get(
        with_results(QualityObjective.objects.visible_to(user, action=action)).select_related(
            "agency", "objective_set", "department", "owner", "previous"
        ),
        pk,
    )


def objective_full(*, user, pk) -> QualityObjective:
    """An objective with its result, plan, procedures and measurements (four queries)."""
    objective = _get(
        with_plan(with_results(QualityObjective.objects.visible_to(user))).select_related(
            "agency", "objective_set"
        ),
        pk,
    )
    attach_measurements(user=user, objectives=[objective])
    return objective


def versions_of(*, user, objective: QualityObjective) -> QuerySet[QualityObjective]:
    """Every version of the objective, the newest first."""
    return (
        QualityObjective.objects.visible_to(user)
        .filter(lineage=objective.lineage)
        .select_related("objective_set")
        .order_by("-objective_set__revision")
    )


def plan_of(*, user, objective: QualityObjective) -> QuerySet[PlanAction]:
    return PlanAction.objects.visible_to(user).filter(objective=objective).order_by("number", "pk")


def plan_action_get(*, user, pk, action: Action = Action.VIEW) -> PlanAction:
    return _get(
        PlanAction.objects.visible_to(user, action=action).select_related(
            "objective", "objective__objective_set", "agency"
        ),
        pk,
    )


def measurements_of(*, user, objective: QualityObjective) -> QuerySet[Measurement]:
    """The measurements of the objective across its versions."""
    return (
        Measurement.objects.visible_to(user)
        .filter(lineage=objective.lineage)
        .select_related("objective", "recorded_by")
        .order_by("period_start")
    )


def measurement_get(*, user, pk, action: Action = Action.VIEW) -> Measurement:
    return _get(
        Measurement.objects.visible_to(user, action=action).select_related("objective", "agency"),
        pk,
    )


@dataclass
class PeriodRow:
    period: period_math.Period
    measurement: Measurement | None
    due: bool  # ended, not measured

    @property
    def met(self) -> bool | None:
        return None if self.measurement is None else self.measurement.met


def period_rows(*, objective: QualityObjective, measurements, today: datetime.date):
    """One row per period of the objective's year: its measurement (by start date, whichever
    version it was recorded under) and whether it is due."""
    by_start = {m.period_start: m for m in measurements}
    rows = []
    for period in objective.periods():
        found = by_start.get(period.start)
        rows.append(PeriodRow(period, found, found is None and period.ended_by(today)))
    return rows


def chart_data(*, objective: QualityObjective, rows: list[PeriodRow]) -> dict:
    """The data of the objective's chart over the year (read by objectives/chart.js)."""
    return {
        "labels": [row.period.short_label for row in rows],
        "values": [
            float(row.measurement.value) if row.measurement is not None else None for row in rows
        ],
        "met": [row.met for row in rows],
        "target": float(objective.target),
        "unit": objective.unit,
        "comparator": objective.get_comparator_display(),
    }


def objectives_not_met(*, user, agency: Agency, year: int) -> QuerySet[QualityObjective]:
    """The current objectives of ``agency`` for ``year`` that missed their target in some
    period — where a nonconformity may be raised (the corrective-action module plugs in
    here)."""
    return objective_list(user=user, agency=agency, year=year, result=Result.NOT_MET)


# --- the inbox ----------------------------------------------------------------------------


def measurement_due(*, user, agencies: list[Agency], owner_only: bool, today, limit: int):
    """Objectives in force (this year and last) in ``agencies`` with a period that ended
    without a measurement: ``(objective, period)`` of the earliest such period. Two queries."""
    qs = (
        QualityObjective.objects.visible_to(user)
        .filter(
            agency__in=agencies,
            objective_set__status=SetStatus.ISSUED,
            objective_set__year__in=[today.year, today.year - 1],
        )
        .select_related("agency", "objective_set")
        .order_by("objective_set__year", "agency__path", "number")
    )
    if owner_only:
        qs = qs.filter(owner=user)
    objectives = list(qs[: limit * 3])
    starts: dict = {}
    for lineage, start in Measurement.objects.filter(
        lineage__in=[o.lineage for o in objectives]
    ).values_list("lineage", "period_start"):
        starts.setdefault(lineage, set()).add(start)
    found = []
    for objective in objectives:
        measured = starts.get(objective.lineage, set())
        for period in objective.periods():
            if period.ended_by(today) and period.start not in measured:
                found.append((objective, period))
                break
        if len(found) >= limit:
            break
    return found


# --- the evaluation report ----------------------------------------------------------------


def report_of(*, user, agency: Agency, year: int) -> EvaluationReport | None:
    return (
        EvaluationReport.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .select_related("agency", "agency__parent")
        .first()
    )


def report_get(*, user, pk, action: Action = Action.VIEW) -> EvaluationReport:
    return _get(
        EvaluationReport.objects.visible_to(user, action=action).select_related(
            "agency", "agency__parent", "finalized_by"
        ),
        pk,
    )


def report_list(*, user, agency=None, year=None, status="") -> QuerySet[EvaluationReport]:
    qs = EvaluationReport.objects.visible_to(user).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "agency__path")


@dataclass
class ReportRow:
    """One objective in the evaluation report."""

    objective: QualityObjective
    lineage: object
    number: int
    result: str
    values: list[tuple[str, str, bool]] = field(default_factory=list)  # label, value, met
    assessment: str = ""
    causes: str = ""
    frozen_values: str | None = None  # a final report's values, as they were written

    @property
    def result_label(self) -> str:
        return Result(self.result).label if self.result else ""

    @property
    def values_text(self) -> str:
        if self.frozen_values is not None:
            return self.frozen_values
        return "; ".join(f"{label}: {value}" for label, value, _met in self.values)


def _values_text(rows: list[PeriodRow], objective: QualityObjective) -> list[tuple]:
    unit = objective.unit.strip()
    spacer = "" if unit == "%" else " "
    return [
        (row.period.short_label, f"{row.measurement.value_text}{spacer}{unit}", row.met)
        for row in rows
        if row.measurement is not None
    ]


def report_objectives(*, agency: Agency, year: int) -> list[QualityObjective]:
    """The objectives the report evaluates: those in force for the year (else the latest
    revision's). ``agency`` comes from a scoped selector."""
    sets = ObjectiveSet.objects.filter(agency=agency, year=year)
    chosen = sets.filter(status=SetStatus.ISSUED).first() or sets.order_by("-revision").first()
    if chosen is None:
        return []
    return list(
        with_results(QualityObjective.objects.filter(objective_set=chosen))
        .select_related("objective_set", "department", "owner")
        .order_by("number")
    )


def report_rows(*, report: EvaluationReport) -> list[ReportRow]:
    """The objectives with their measurements, result and the secretary's words. A final
    report shows what was frozen when it was finalized. A fixed number of queries."""
    assessments = {}
    if report.pk is not None:
        assessments = {
            a.lineage: a
            for a in ObjectiveAssessment.objects.filter(report=report).select_related(
                "objective", "objective__objective_set", "objective__department"
            )
        }
    if report.status == ReportStatus.FINAL:
        return [
            ReportRow(
                objective=a.objective,
                lineage=a.lineage,
                number=a.objective.number,
                result=a.result,
                frozen_values=a.values,
                assessment=a.assessment,
                causes=a.causes,
            )
            for a in sorted(assessments.values(), key=lambda a: a.objective.number)
        ]
    objectives = report_objectives(agency=report.agency, year=report.year)
    measurements: dict = {}
    for m in Measurement.objects.filter(lineage__in=[o.lineage for o in objectives]).order_by(
        "period_start"
    ):
        measurements.setdefault(m.lineage, []).append(m)
    today = datetime.date(report.year, 12, 31)
    rows = []
    for objective in objectives:
        found = measurements.get(objective.lineage, [])
        periods = period_rows(objective=objective, measurements=found, today=today)
        written = assessments.get(objective.lineage)
        rows.append(
            ReportRow(
                objective=objective,
                lineage=objective.lineage,
                number=objective.number,
                result=objective.result,
                values=_values_text(periods, objective),
                assessment=written.assessment if written else "",
                causes=written.causes if written else "",
            )
        )
    return rows


# --- the overseer ---------------------------------------------------------------------------


def _objective_counts(year: int):
    """Correlated counts, per agency, of its objectives in force for ``year``: all, met, not
    met."""
    in_force = with_results(
        QualityObjective.objects.filter(
            agency_id=OuterRef("pk"),
            objective_set__year=year,
            objective_set__status=SetStatus.ISSUED,
        )
    )

    def count(queryset):
        counted = queryset.order_by().values("agency_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return {
        "objective_total": count(in_force),
        "objective_met": count(in_force.filter(result=Result.MET)),
        "objective_not_met": count(in_force.filter(result=Result.NOT_MET)),
    }


def overview_agencies(*, user, year: int, root: Agency | None = None) -> QuerySet[Agency]:
    """Every active agency under ``root`` with, for ``year``: the first decision issuing its
    objectives (number, date, whether by 31/01), the status of its latest revision and its
    objectives in force (all, met, not met) — one query at any size."""
    issued = ObjectiveSet.objects.filter(
        agency=OuterRef("pk"), year=year, status__in=ISSUED_SET_STATUSES
    ).order_by("revision")
    latest = ObjectiveSet.objects.filter(agency=OuterRef("pk"), year=year).order_by("-revision")
    qs = Agency.objects.visible_to(user).filter(is_active=True)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(
        decision_number=Subquery(issued.values("decision_number")[:1]),
        decision_date=Subquery(issued.values("decision_date")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        **_objective_counts(year),
    ).annotate(
        on_time=Case(
            When(decision_date__lte=issue_deadline(year), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@dataclass
class TierRow:
    tier: str
    label: str
    agencies: int = 0
    issued: int = 0
    on_time: int = 0
    objectives: int = 0
    met: int = 0
    not_met: int = 0

    @property
    def met_rate(self) -> str:
        return f"{round(100 * self.met / self.objectives)} %" if self.objectives else "—"


def overview_by_tier(*, user, year: int, root: Agency | None = None) -> list[TierRow]:
    """Per tier: agencies, how many issued their objectives for ``year`` (at all and by
    31/01), and how many of their objectives in force were met or not — one query."""
    deadline = issue_deadline(year)
    rows = (
        overview_agencies(user=user, year=year, root=root)
        .order_by()
        .values("tier")
        .annotate(
            n_agencies=Count("pk"),
            n_issued=Count("pk", filter=Q(decision_date__isnull=False)),
            n_on_time=Count("pk", filter=Q(decision_date__lte=deadline)),
            n_objectives=Sum("objective_total"),
            n_met=Sum("objective_met"),
            n_not_met=Sum("objective_not_met"),
        )
    )
    found = {row["tier"]: row for row in rows}
    result = []
    for tier in Tier:
        row = found.get(tier.value)
        if row is None:
            continue
        result.append(
            TierRow(
                tier=tier.value,
                label=str(tier.label),
                agencies=row["n_agencies"],
                issued=row["n_issued"],
                on_time=row["n_on_time"],
                objectives=row["n_objectives"] or 0,
                met=row["n_met"] or 0,
                not_met=row["n_not_met"] or 0,
            )
        )
    if result:
        total = TierRow(tier="", label="")
        for row in result:
            for name in ("agencies", "issued", "on_time", "objectives", "met", "not_met"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        result.append(total)
    return result


def target_text(objective) -> str:
    """The target as "≥ 98 %" for an objective or a template."""
    unit = objective.unit.strip()
    spacer = "" if unit == "%" else " "
    symbol = dict(objective._meta.get_field("comparator").choices).get(objective.comparator, "")
    return f"{symbol} {number_text(objective.target)}{spacer}{unit}".strip()
