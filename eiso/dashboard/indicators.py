"""The indicators the overseer's dashboard ranks agencies by, each 0–100 for one agency on a day
(None: the system has nothing to say), computed for many agencies at once — a fixed number of
queries whatever their number — and the composite score whose weights are data
(``ScoreFormula``).

- ``obligations_on_time``: of the year's obligations due by the day, the share met on time;
- ``announced``: 100 when the QMS is announced by the day, else 0;
- ``objectives_met``: of the year's objectives assessed in the final evaluation, the share met;
- ``no_overdue_nc``: 100 without an overdue nonconformity, 25 less for each one;
- ``reported_on_time``: the last annual report due by the day: 100 on time, 50 late, 0 none;
- ``on_time_rate``: one-stop dossiers finished on time since 1 January (records module);
- ``satisfaction``: citizens satisfied since 1 January (feedback module)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from eiso.cycle import selectors as cycle
from eiso.cycle.choices import ObligationState
from eiso.dashboard.models import ScoreFormula
from eiso.improvements.choices import NcStatus
from eiso.improvements.models import Nonconformity
from eiso.objectives.choices import ReportStatus as EvaluationStatus
from eiso.objectives.models import ObjectiveAssessment
from eiso.qms.choices import SIGNED_STATUSES
from eiso.qms.models import Announcement
from eiso.reports import kpis
from eiso.reports.choices import DELIVERED, ReportStatus
from eiso.reports.models import AnnualReport

ANNUAL_EVIDENCE = "reports.annual_report"

LABELS = {
    "obligations_on_time": _("Obligations met on time"),
    "announced": _("QMS announced"),
    "objectives_met": _("Objectives met"),
    "no_overdue_nc": _("No overdue nonconformity"),
    "reported_on_time": _("Annual report on time"),
    "on_time_rate": _("Dossiers on time"),
    "satisfaction": _("Citizens satisfied"),
}
KEYS = tuple(LABELS)


@dataclass
class AgencyScore:
    agency: object
    values: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    obligations: object = None  # the agency's cycle.AgencyYear
    rank: int | None = None


def formula_on(on: datetime.date) -> ScoreFormula | None:
    return (
        ScoreFormula.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def formula_text(formula: ScoreFormula | None) -> str:
    """ "(35 × Obligations met on time + 15 × QMS announced + …) / the weights of the
    indicators known"."""
    if formula is None:
        return ""
    parts = [
        f"{weight} × {LABELS[key]}"
        for key, weight in formula.weights.items()
        if key in LABELS and weight
    ]
    return (
        "(" + " + ".join(parts) + ") / " + str(_("the sum of the weights of the indicators known"))
    )


def score(values: dict, weights: dict) -> float | None:
    total = sum(w for k, w in weights.items() if values.get(k) is not None and w)
    if not total:
        return None
    return round(
        sum(values[k] * w for k, w in weights.items() if values.get(k) is not None) / total, 1
    )


def percent(part, whole) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def _report_year(on: datetime.date) -> int:
    """The year of the last annual report due by ``on`` (15/12 by default)."""
    return on.year if on >= datetime.date(on.year, 12, 15) else on.year - 1


def _as_float(value) -> float | None:
    return None if value is None else round(float(Decimal(value)), 1)


def compute(
    agencies: list,
    *,
    year: int,
    on: datetime.date,
    weights: dict,
    among: QuerySet | None = None,
    counting: bool = False,
) -> list[AgencyScore]:
    """Every agency's indicators and score (agencies: the concerned ones of a subtree;
    ``among``: a query holding them all, the subtree, read as a subquery instead of a list of
    their ids;
    ``counting``: each agency's obligations as code, due date and state only — enough for the
    scores and the totals, see ``cycle.compute``)."""
    ids = [a.pk for a in agencies]
    within = among.order_by().values("pk") if among is not None and ids else ids
    obligations = cycle.compute(agencies, year=year, on=on, among=among, counting=counting)
    announced = set(
        Announcement.objects.filter(
            agency_id__in=within, status__in=SIGNED_STATUSES, date__lte=on
        ).values_list("agency_id", flat=True)
    )
    assessed = {
        row["agency_id"]: row
        for row in ObjectiveAssessment.objects.filter(
            agency_id__in=within,
            report__year=year,
            report__status=EvaluationStatus.FINAL,
            report__report_date__lte=on,
        )
        .order_by()
        .values("agency_id")
        .annotate(
            met=Count("pk", filter=Q(result="met")),
            n=Count("pk", filter=Q(result__in=["met", "not_met"])),
        )
    }
    overdue_nc = dict(
        Nonconformity.objects.filter(agency_id__in=within, raised_on__lte=on, due_date__lt=on)
        .exclude(status=NcStatus.CLOSED, closed_on__lte=on)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk"))
    )
    report_year = _report_year(on)
    reported = {}
    for agency_id, late in (
        AnnualReport.objects.filter(agency_id__in=within, year=report_year, submitted_on__lte=on)
        .filter(Q(status__in=DELIVERED) | Q(status=ReportStatus.RETURNED, returned_on__gt=on))
        .order_by("agency_id", "version")
        .values_list("agency_id", "late")
    ):
        reported[agency_id] = 50.0 if late else 100.0
    start = datetime.date(on.year, 1, 1)
    dossiers = kpis.dossier_rates(within, start, on)
    satisfied = kpis.satisfaction_rates(ids, start, on)
    result = []
    for agency in agencies:
        found = obligations[agency.pk]
        due = [o for o in found.obligations if o.due <= on]
        on_time = sum(1 for o in due if o.state == ObligationState.MET_ON_TIME)
        row = assessed.get(agency.pk)
        values = {
            "obligations_on_time": percent(on_time, len(due)),
            "announced": 100.0 if agency.pk in announced else 0.0,
            "objectives_met": percent(row["met"], row["n"]) if row else None,
            "no_overdue_nc": max(0.0, 100.0 - 25.0 * overdue_nc.get(agency.pk, 0)),
            "reported_on_time": reported.get(agency.pk, 0.0),
            "on_time_rate": _as_float(dossiers.get(agency.pk)) if dossiers is not None else None,
            "satisfaction": _as_float(satisfied.get(agency.pk)) if satisfied is not None else None,
        }
        result.append(
            AgencyScore(
                agency=agency, values=values, score=score(values, weights), obligations=found
            )
        )
    ranked = sorted(result, key=lambda s: (s.score is None, -(s.score or 0), s.agency.path))
    for position, item in enumerate(ranked, start=1):
        item.rank = position if item.score is not None else None
    return ranked


def known(key: str) -> bool:
    """Whether the system can compute ``key`` for many agencies (its module is installed)."""
    return key in LABELS and kpis.known(key)
