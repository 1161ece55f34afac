"""Reads of the context, interested parties and the risk register: lists with filters, the heat
map before and after treatment (grouped in SQL), overdue treatments, the evaluation report's
rows — each a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from eiso.core.roles import Action
from eiso.core.subqueries import count_of
from eiso.organizations.models import Agency
from eiso.risks.choices import Level, ReportStatus, RiskKind
from eiso.risks.models import (
    ContextIssue,
    InterestedParty,
    Risk,
    RiskReport,
    RiskScale,
    Treatment,
)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def default_scale() -> RiskScale | None:
    return RiskScale.objects.filter(is_default=True).order_by("code").first()


# --- context and interested parties ------------------------------------------------------------


def issue_list(*, user, agency=None, year=None, kind="", category="") -> QuerySet[ContextIssue]:
    qs = ContextIssue.objects.visible_to(user).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-year", "agency__path", "number")


def issue_get(*, user, pk, action: Action = Action.VIEW) -> ContextIssue:
    return _get(ContextIssue.objects.visible_to(user, action=action).select_related("agency"), pk)


def party_list(*, user, agency=None, year=None, kind="") -> QuerySet[InterestedParty]:
    qs = InterestedParty.objects.visible_to(user).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "agency__path", "number")


def party_get(*, user, pk, action: Action = Action.VIEW) -> InterestedParty:
    return _get(
        InterestedParty.objects.visible_to(user, action=action).select_related("agency"), pk
    )


# --- the register -----------------------------------------------------------------------------


def _with_treatment_counts(queryset):
    treatments = Treatment.objects.all()
    return queryset.annotate(
        treatment_count=count_of(treatments, "risk"),
        treatments_open=count_of(treatments.filter(done_on__isnull=True), "risk"),
    )


RISK_ORDERING = {
    "code": ("agency__path", "-year", "code"),
    "-code": ("agency__path", "-year", "-code"),
    "rating": ("rating", "code"),
    "-rating": ("-rating", "code"),
    "residual": (F("residual_rating").asc(nulls_last=True), "code"),
    "-residual": (F("residual_rating").desc(nulls_last=True), "code"),
    "year": ("year", "agency__path", "code"),
    "-year": ("-year", "agency__path", "code"),
}


def _level_filter(level: str) -> Q:
    if level == Level.LOW:
        return Q(rating__lte=F("scale__acceptance_threshold"))
    if level == Level.HIGH:
        return Q(rating__gte=F("scale__high_from"))
    return Q(rating__gt=F("scale__acceptance_threshold"), rating__lt=F("scale__high_from"))


def risk_list(
    *,
    user,
    agency: Agency | None = None,
    year: int | None = None,
    kind: str = "",
    status: str = "",
    level: str = "",
    q: str = "",
    ordering: str = "",
) -> QuerySet[Risk]:
    qs = Risk.objects.visible_to(user).select_related(
        "agency", "scale", "procedure", "department", "owner"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(_level_filter(level))
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(code__icontains=q) | Q(process__icontains=q))
    return _with_treatment_counts(qs).order_by(*RISK_ORDERING.get(ordering, RISK_ORDERING["-year"]))


def risk_get(*, user, pk, action: Action = Action.VIEW) -> Risk:
    return _get(
        Risk.objects.visible_to(user, action=action).select_related(
            "agency", "scale", "procedure", "department", "owner", "reviewed_by", "created_by"
        ),
        pk,
    )


def treatments_of(*, user, risk: Risk) -> QuerySet[Treatment]:
    return (
        Treatment.objects.visible_to(user)
        .filter(risk=risk)
        .select_related("owner")
        .order_by("due_date", "pk")
    )


def treatment_get(*, user, pk, action: Action = Action.VIEW) -> Treatment:
    return _get(
        Treatment.objects.visible_to(user, action=action).select_related(
            "risk", "risk__scale", "agency", "owner"
        ),
        pk,
    )


def treatments_due(*, user, today: datetime.date, within_days: int, limit: int):
    """Treatments owned by ``user``, not done, due by ``today + within_days`` (overdue first)."""
    return list(
        Treatment.objects.visible_to(user)
        .filter(
            owner=user,
            done_on__isnull=True,
            due_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("risk", "agency")
        .order_by("due_date", "pk")[:limit]
    )


def untreated_above_threshold(*, agency: Agency, year: int) -> list[str]:
    """Codes of the year's risks rated above the acceptance threshold with no treatment
    (``agency`` comes from a scoped selector)."""
    return list(
        Risk.objects.filter(agency=agency, year=year, kind=RiskKind.RISK)
        .filter(rating__gt=F("scale__acceptance_threshold"))
        .annotate(n=Count("treatments"))
        .filter(n=0)
        .order_by("code")
        .values_list("code", flat=True)
    )


# --- the heat map -------------------------------------------------------------------------


@dataclass
class Cell:
    likelihood: int
    impact: int
    rating: int
    level: str
    count: int
    likelihood_label: str = ""
    impact_label: str = ""


@dataclass
class HeatMap:
    """Rows from the highest impact down; each row a cell per likelihood."""

    rows: list[list[Cell]]
    likelihood_levels: list[str]
    impact_levels: list[str]
    total: int


def _grid(scale: RiskScale, counts: dict[tuple[int, int], int]) -> HeatMap:
    rows = []
    for impact in range(scale.max_impact, 0, -1):
        rows.append(
            [
                Cell(
                    likelihood,
                    impact,
                    likelihood * impact,
                    scale.level(likelihood * impact),
                    counts.get((likelihood, impact), 0),
                    scale.likelihood_levels[likelihood - 1],
                    scale.impact_levels[impact - 1],
                )
                for likelihood in range(1, scale.max_likelihood + 1)
            ]
        )
    return HeatMap(
        rows=rows,
        likelihood_levels=list(scale.likelihood_levels),
        impact_levels=list(scale.impact_levels),
        total=sum(counts.values()),
    )


def heat_maps(risks: QuerySet[Risk]) -> tuple[HeatMap, HeatMap] | None:
    """The heat maps of ``risks`` (already scoped and filtered) before and after treatment —
    two grouped queries; a risk not re-rated yet counts after as before. None without a
    scale."""
    scale = default_scale()
    if scale is None:
        return None
    plain = risks.order_by()
    before = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in plain.values("likelihood", "impact").annotate(n=Count("pk"))
    }
    after: dict[tuple[int, int], int] = {}
    rows = (
        plain.annotate(
            after_l=Coalesce("residual_likelihood", "likelihood"),
            after_i=Coalesce("residual_impact", "impact"),
        )
        .values("after_l", "after_i")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        after[(row["after_l"], row["after_i"])] = row["n"]
    return _grid(scale, before), _grid(scale, after)


# --- the evaluation report ------------------------------------------------------------------


def report_of(*, user, agency: Agency, year: int) -> RiskReport | None:
    return (
        RiskReport.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .select_related("agency", "agency__parent")
        .first()
    )


def report_get(*, user, pk, action: Action = Action.VIEW) -> RiskReport:
    return _get(
        RiskReport.objects.visible_to(user, action=action).select_related(
            "agency", "agency__parent"
        ),
        pk,
    )


def report_list(*, user, agency=None, year=None, status="") -> QuerySet[RiskReport]:
    qs = RiskReport.objects.visible_to(user).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "agency__path")


def report_rows(*, report: RiskReport) -> list[dict]:
    """The register as the report shows it: a final report's frozen rows, else the year's
    risks and opportunities now (two queries)."""
    if report.status == ReportStatus.FINAL and report.snapshot:
        return list(report.snapshot)
    risks = list(
        Risk.objects.filter(agency=report.agency, year=report.year)
        .select_related("scale", "procedure", "department")
        .prefetch_related("treatments")
        .order_by("kind", "code")
    )
    rows = []
    for risk in risks:
        treatments = list(risk.treatments.all())
        rows.append(
            {
                "code": risk.code,
                "kind": risk.kind,
                "process": risk.process_label,
                "description": risk.description,
                "rating": risk.rating,
                "level": risk.level,
                "residual_rating": risk.residual_rating,
                "residual_level": risk.residual_level,
                "treatments": "; ".join(
                    f"{t.action} ({'đã thực hiện ' + t.done_on.strftime('%d/%m/%Y') if t.done_on else 'hạn ' + t.due_date.strftime('%d/%m/%Y')})"
                    for t in treatments
                ),
                "done": sum(1 for t in treatments if t.done_on),
                "total": len(treatments),
                "effectiveness": risk.effectiveness,
                "status": risk.status,
            }
        )
    return rows
