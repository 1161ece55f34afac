"""Reads of the evaluation reports: the objectives a report evaluates, their values, result
and the secretary's words (frozen once the report is final)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    QuerySet,
)

from eiso.core.roles import Action
from eiso.objectives.choices import ReportStatus, Result, SetStatus
from eiso.objectives.models import (
    EvaluationReport,
    Measurement,
    ObjectiveAssessment,
    ObjectiveSet,
    QualityObjective,
)
from eiso.objectives.selectors._common import _get
from eiso.objectives.selectors.objectives import PeriodRow, period_rows, with_results
from eiso.organizations.models import Agency

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
