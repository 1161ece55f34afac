"""Numbers for the home pages, aggregated in SQL: the agency people's home, and the overseer's
dashboard of any subtree on any day — agencies by tier and QMS status, announcements awaiting
receipt, the year's obligations met and overdue (per obligation), nonconformities open and
overdue, objectives met, the on-time dossier rate and satisfaction where known, the agencies
inspected by the Sở KH&CN in the year (the inspections module's count), the league table by the
composite score, and the trends over the years. A fixed number of queries whatever the
number of agencies: one per panel, one per kind of evidence for the obligations."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from eiso.audits.choices import AuditStatus
from eiso.audits.models import InternalAudit
from eiso.core.kept import kept, key_of, reach_of
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.cycle import selectors as cycle
from eiso.cycle.choices import MET_STATES, ObligationState
from eiso.dashboard import indicators
from eiso.improvements.choices import NcStatus
from eiso.improvements.models import Nonconformity
from eiso.inspections import selectors as inspections
from eiso.objectives.choices import ReportStatus as EvaluationStatus
from eiso.objectives.models import ObjectiveAssessment
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.qms.choices import SIGNED_STATUSES, QmsStatus
from eiso.qms.models import Announcement, QualitySystem
from eiso.reports.choices import DELIVERED
from eiso.reports.models import AnnualReport

OVERSIGHT = Action.OVERSEE
TREND_YEARS = 5
RANKING_SHOWN = 10


def agency_overview(*, user, root: Agency | None = None) -> dict:
    """Counts of the agencies a user oversees, by tier: one query."""
    qs = Agency.objects.visible_to(user)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    by_tier = qs.values("tier").annotate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        must_apply=Count("pk", filter=Q(is_active=True, must_apply=True)),
    )
    rows = {row["tier"]: row for row in by_tier}
    return {
        "rows": rows,
        "total": sum(r["active"] for r in rows.values()),
        "must_apply": sum(r["must_apply"] for r in rows.values()),
    }


def can_oversee(user) -> bool:
    return not user_scope(user, OVERSIGHT).empty


# --- the overseer's dashboard -----------------------------------------------------------------


@dataclass
class Dashboard:
    root: Agency | None
    on: datetime.date
    year: int
    tiers: list[dict]
    statuses: list[tuple[str, str]]
    awaiting_receipt: int
    obligations: list[dict]
    nonconformities: dict
    objectives: dict
    on_time_rate: dict
    satisfaction: dict
    scores: list[indicators.AgencyScore]
    formula: object
    formula_text: str
    trends: dict
    reported: dict = field(default_factory=dict)
    inspected: dict = field(default_factory=dict)
    concerned: int = 0  # the agencies ranked (``scores`` may hold only the first of them)
    bottom: list = field(default_factory=list)
    computed_at: datetime.datetime | None = None  # when these numbers were computed

    def __post_init__(self):
        if not self.concerned:
            self.concerned = len(self.scores)
        if not self.bottom:
            scored = [s for s in self.scores if s.score is not None]
            if len(scored) > RANKING_SHOWN:
                self.bottom = list(reversed(scored[-RANKING_SHOWN:]))

    @property
    def agencies(self) -> int:
        return sum(t["total"] for t in self.tiers)

    @property
    def top(self) -> list:
        return [s for s in self.scores if s.score is not None][:RANKING_SHOWN]

    @property
    def obligations_overdue(self) -> int:
        return sum(o["overdue"] for o in self.obligations)

    @property
    def obligations_met(self) -> int:
        return sum(o["met"] for o in self.obligations)


def _active_on(user, root: Agency | None, on: datetime.date):
    qs = Agency.objects.visible_to(user, action=OVERSIGHT).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs


def tiers_by_status(agencies) -> list[dict]:
    """Agencies by tier and QMS status (one query)."""
    status = QualitySystem.objects.filter(agency=OuterRef("pk")).values("status")[:1]
    rows = (
        agencies.annotate(qms=Subquery(status))
        .order_by()
        .values("tier", "qms")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        counts[row["tier"]][row["qms"] or QmsStatus.NOT_STARTED] += row["n"]
    return [
        {
            "tier": value,
            "label": str(label),
            "total": sum(counts[value].values()),
            "statuses": {s: counts[value].get(s, 0) for s in QmsStatus.values},
        }
        for value, label in Tier.choices
        if value in counts
    ]


def awaiting_receipt(agencies, on: datetime.date) -> int:
    """Announcements sent to the overseer by ``on`` and not received by then."""
    return (
        Announcement.objects.filter(
            agency__in=agencies.values("pk"),
            status__in=SIGNED_STATUSES,
            sent_at__date__lte=on,
        )
        .filter(Q(received_on__isnull=True) | Q(received_on__gt=on))
        .exclude(status="returned")
        .count()
    )


def _verdict(states: tuple[str, ...]) -> tuple[str, ...]:
    """What one agency's instances of one obligation (their states) add to the totals."""
    found = ["agencies"]
    if ObligationState.OVERDUE in states:
        found.append("overdue")
    elif ObligationState.DUE_SOON in states:
        found.append("due_soon")
    due = [s for s in states if s != ObligationState.NOT_YET_DUE]
    if due and all(s in MET_STATES for s in due):
        found.append("met")
        if all(s == ObligationState.MET_ON_TIME for s in due):
            found.append("on_time")
    return tuple(found)


def obligation_totals(scores, columns) -> list[dict]:
    """Per obligation: how many agencies met it (every instance due by the day met), have it
    overdue, due soon (each agency's obligations read once, grouped by code; the verdict of
    each combination of states worked out once)."""
    counts = {column.code: Counter() for column in columns}
    verdicts: dict[tuple[str, ...], tuple[str, ...]] = {}
    for item in scores:
        by_code: dict[str, tuple[str, ...]] = {}
        for obligation in item.obligations.obligations:
            by_code[obligation.code] = by_code.get(obligation.code, ()) + (obligation.state,)
        for code, states in by_code.items():
            found = counts.get(code)
            if found is None:
                continue
            verdict = verdicts.get(states)
            if verdict is None:
                verdict = verdicts[states] = _verdict(states)
            for name in verdict:
                found[name] += 1
    return [
        {
            "code": column.code,
            "title": column.title,
            "agencies": counts[column.code]["agencies"],
            "met": counts[column.code]["met"],
            "on_time": counts[column.code]["on_time"],
            "overdue": counts[column.code]["overdue"],
            "due_soon": counts[column.code]["due_soon"],
        }
        for column in columns
    ]


def nonconformity_counts(agencies, on: datetime.date) -> dict:
    open_q = Q(raised_on__lte=on) & ~Q(status=NcStatus.CLOSED, closed_on__lte=on)
    return Nonconformity.objects.filter(agency__in=agencies.values("pk")).aggregate(
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(due_date__lt=on)),
    )


def objective_counts(agencies, year: int, on: datetime.date) -> dict:
    found = ObjectiveAssessment.objects.filter(
        agency__in=agencies.values("pk"),
        report__year=year,
        report__status=EvaluationStatus.FINAL,
        report__report_date__lte=on,
    ).aggregate(
        met=Count("pk", filter=Q(result="met")),
        assessed=Count("pk", filter=Q(result__in=["met", "not_met"])),
        agencies=Count("agency", distinct=True),
    )
    found["pct"] = indicators.percent(found["met"], found["assessed"])
    return found


def _average(scores, key: str) -> dict:
    values = [s.values[key] for s in scores if s.values.get(key) is not None]
    return {
        "known": indicators.known(key),
        "agencies": len(values),
        "value": round(sum(values) / len(values), 1) if values else None,
    }


def trends(agencies, concerned_count: int, on: datetime.date) -> dict:
    """Over the last years (to ``on``): the share of the agencies that had announced, reported
    on time, had their internal audit, and the objectives met — four grouped queries."""
    years = list(range(on.year - TREND_YEARS + 1, on.year + 1))
    ids = agencies.values("pk")
    ends = {y: min(on, datetime.date(y, 12, 31)) for y in years}
    total = agencies.count()
    announced_counts = agencies.aggregate(
        **{
            f"y{y}": Count(
                "pk",
                filter=Q(
                    Exists(
                        Announcement.objects.filter(
                            agency=OuterRef("pk"), status__in=SIGNED_STATUSES, date__lte=ends[y]
                        )
                    )
                ),
            )
            for y in years
        }
    )
    reported = dict(
        AnnualReport.objects.filter(
            agency__in=ids, year__in=years, status__in=DELIVERED, late=False, submitted_on__lte=on
        )
        .order_by()
        .values_list("year")
        .annotate(n=Count("agency", distinct=True))
    )
    audited = dict(
        InternalAudit.objects.filter(
            agency__in=ids,
            year__in=years,
            status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED],
            report_date__lte=on,
        )
        .order_by()
        .values_list("year")
        .annotate(n=Count("agency", distinct=True))
    )
    rows = (
        ObjectiveAssessment.objects.filter(
            agency__in=ids,
            report__status=EvaluationStatus.FINAL,
            report__year__in=years,
            report__report_date__lte=on,
        )
        .order_by()
        .values("report__year")
        .annotate(
            met=Count("pk", filter=Q(result="met")),
            n=Count("pk", filter=Q(result__in=["met", "not_met"])),
        )
    )
    objectives = {row["report__year"]: row for row in rows}
    pct = indicators.percent
    return {
        "years": years,
        "announced": [pct(announced_counts[f"y{y}"], total) for y in years],
        "reported_on_time": [pct(reported.get(y, 0), concerned_count) for y in years],
        "audited": [pct(audited.get(y, 0), concerned_count) for y in years],
        "objectives_met": [
            pct(objectives[y]["met"], objectives[y]["n"]) if y in objectives else None
            for y in years
        ],
    }


def inspected_counts(*, user, root: Agency | None, on: datetime.date, agencies: int) -> dict:
    """The agencies inspected in the year of ``on`` by then (an inspection record made in an
    approved plan), by tier, and their share of the ``agencies`` in scope (one query)."""
    counts = inspections.inspected_counts(user=user, root=root, year=on.year, on=on)
    total = counts.pop("total")
    return {
        "count": total,
        "agencies": agencies,
        "pct": indicators.percent(total, agencies),
        "by_tier": counts,
    }


def inspected_list(*, user, root: Agency | None, on: datetime.date):
    """The agencies behind the count (the drill-down): one query."""
    return inspections.inspected_agencies(user=user, root=root, year=on.year, on=on)


def dashboard(*, user, root: Agency | None, on: datetime.date) -> Dashboard:
    """The dashboard of ``root``'s subtree (everything the user oversees when None) on ``on``."""
    year = on.year
    agencies = _active_on(user, root, on)
    concerned = list(cycle.concerned(agencies, on).select_related("kind").order_by("path"))
    formula = indicators.formula_on(on)
    weights = formula.weights if formula else {}
    # The evidence is read for the subtree (a cheap subquery), the concerned ones counted.
    scores = indicators.compute(
        concerned, year=year, on=on, weights=weights, among=agencies, counting=True
    )
    columns = cycle.columns(cycle.sets_in_force(year))
    tiers = tiers_by_status(agencies)
    return Dashboard(
        computed_at=timezone.now(),
        root=root,
        on=on,
        year=year,
        tiers=tiers,
        statuses=list(QmsStatus.choices),
        awaiting_receipt=awaiting_receipt(agencies, on),
        obligations=obligation_totals(scores, columns),
        nonconformities=nonconformity_counts(agencies, on),
        objectives=objective_counts(agencies, year, on),
        on_time_rate=_average(scores, "on_time_rate"),
        satisfaction=_average(scores, "satisfaction"),
        scores=scores,
        formula=formula,
        formula_text=indicators.formula_text(formula),
        trends=trends(agencies, len(concerned), on),
        inspected=inspected_counts(
            user=user, root=root, on=on, agencies=sum(t["total"] for t in tiers)
        ),
    )


# --- the dashboard kept between requests ---------------------------------------------------------
# A national overseer's dashboard reads the evidence of 5,000 agencies (about a second of CPU): it
# is kept (eiso.core.kept) while nothing changed, and for at most DASHBOARD_MAX_AGE seconds while
# other people change data; the person's own changes show at once.

RANKING_KEPT = 500  # the head of the league table kept: the most the API returns


@dataclass(frozen=True)
class RankedAgency:
    """What the kept league table shows of an agency."""

    pk: int
    code: str
    name: str
    short_name: str


def _light(item: indicators.AgencyScore) -> indicators.AgencyScore:
    agency = item.agency
    return indicators.AgencyScore(
        agency=RankedAgency(agency.pk, agency.code, agency.name, agency.short_name),
        values=item.values,
        score=item.score,
        rank=item.rank,
    )


def _kept_key(user, root: Agency | None, on: datetime.date) -> str:
    """The same subtree on the same day seen with the same reach gives the same dashboard."""
    reach = reach_of(user, OVERSIGHT, Action.VIEW)
    return key_of("dashboard", reach, root.pk if root else None, on, get_language())


def dashboard_kept(
    *,
    user,
    root: Agency | None,
    on: datetime.date,
    fresh: bool = False,
    events: tuple[int, int] | None = None,
) -> Dashboard:
    """``dashboard`` for the pages and the API, kept between requests (see above): the league
    table holds its first ``RANKING_KEPT`` agencies and the bottom ones. ``fresh``: compute it
    again now; ``events``: see ``eiso.core.kept.kept``."""

    def compute() -> Dashboard:
        board = dashboard(user=user, root=root, on=on)
        return dataclasses.replace(
            board,
            scores=[_light(s) for s in board.scores[:RANKING_KEPT]],
            bottom=[_light(s) for s in board.bottom],
        )

    found = kept(
        _kept_key(user, root, on),
        compute,
        user=user,
        max_age=settings.DASHBOARD_MAX_AGE,
        fresh=fresh,
        events=events,
    )
    return dataclasses.replace(found.value, computed_at=found.computed_at)


def agency_scores(*, agency: Agency, on: datetime.date) -> indicators.AgencyScore:
    """One agency's indicators and score (its own page in the drill-down)."""
    formula = indicators.formula_on(on)
    return indicators.compute(
        [agency], year=on.year, on=on, weights=formula.weights if formula else {}
    )[0]


def formula_history():
    from eiso.dashboard.models import ScoreFormula

    return ScoreFormula.objects.select_related("created_by").order_by("-effective_from", "-id")
