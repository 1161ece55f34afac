"""Reads of objectives: the current ones with their result so far (annotated in SQL), one
objective with its plan, versions and measurements across versions, its periods and chart,
what is not met (the nonconformity hook) and the measurements due (the inbox)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from eiso.core.roles import Action
from eiso.core.subqueries import count_of
from eiso.core.text import vn_fold
from eiso.objectives import periods as period_math
from eiso.objectives.choices import Result, SetStatus
from eiso.objectives.models import (
    Measurement,
    ObjectiveSet,
    PlanAction,
    QualityObjective,
)
from eiso.objectives.selectors._common import _get
from eiso.organizations.models import Agency

# --- objectives with their result so far ------------------------------------------------------


def with_results(queryset: QuerySet[QualityObjective]) -> QuerySet[QualityObjective]:
    """Annotate ``measured`` (periods measured across the objective's versions), ``missed``
    (periods that missed the target) and ``result``: not met when any period missed, met when
    every period measured so far met the target, else not measured yet."""
    measurements = Measurement.objects.all()
    return queryset.annotate(
        measured=count_of(measurements, "lineage", outer="lineage"),
        missed=count_of(measurements.filter(met=False), "lineage", outer="lineage"),
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
