"""The overseer's overview of a year: per agency and by tier (issued by 31/01, objectives
met), one query each at any size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from eiso.core.subqueries import count_rows
from eiso.objectives.choices import ISSUED_SET_STATUSES, Result, SetStatus
from eiso.objectives.models import (
    ObjectiveSet,
    QualityObjective,
    number_text,
)
from eiso.objectives.selectors._common import issue_deadline
from eiso.objectives.selectors.objectives import with_results
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency

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

    return {
        "objective_total": count_rows(in_force, "agency_id"),
        "objective_met": count_rows(in_force.filter(result=Result.MET), "agency_id"),
        "objective_not_met": count_rows(in_force.filter(result=Result.NOT_MET), "agency_id"),
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
