"""Reads of satisfaction and feedback: ratings and their summary per agency and period
(satisfaction index, distribution per criterion, by month, by procedure and desk, the comments
to read — aggregated in SQL, a fixed number of queries at any size), the overseer's figures per
agency, the measurement source ``feedback.satisfaction``, complaints and what waits on whom,
the summary the management review reads, and the public reads the portal needs (a complaint
by its tracking code, the procedures and desks of a rating form)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.subqueries import count_rows
from eiso.feedback.choices import CRITERIA, OPEN_STATUSES, ComplaintStatus
from eiso.feedback.models import SCORE_FIELDS, Complaint, Desk, Rating
from eiso.organizations.models import Agency

HUNDRED = Decimal(100)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """This year so far."""
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), today


# --- ratings ------------------------------------------------------------------------------------

RATING_ORDERING = {
    "date": ("submitted_on", "id"),
    "-date": ("-submitted_on", "-id"),
    "score": ("score", "-submitted_on", "-id"),
    "-score": ("-score", "-submitted_on", "-id"),
}


def _ratings_in(qs, *, agency=None, start=None, end=None, procedure=None, desk=None):
    if agency is not None:
        qs = qs.filter(agency=agency)
    if start is not None:
        qs = qs.filter(submitted_on__gte=start)
    if end is not None:
        qs = qs.filter(submitted_on__lte=end)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if desk is not None:
        qs = qs.filter(desk=desk)
    return qs


def rating_list(
    *,
    user,
    agency: Agency | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    procedure=None,
    desk=None,
    with_comment: bool = False,
    satisfied: str = "",
    q: str = "",
    ordering: str = "",
) -> QuerySet[Rating]:
    """Ratings the user may read (one query a page), newest first."""
    qs = _ratings_in(
        Rating.objects.visible_to(user).select_related("agency", "procedure", "desk"),
        agency=agency,
        start=start,
        end=end,
        procedure=procedure,
        desk=desk,
    )
    if with_comment:
        qs = qs.exclude(comment="")
    if satisfied == "yes":
        qs = qs.filter(satisfied=True)
    elif satisfied == "no":
        qs = qs.filter(satisfied=False)
    if q:
        qs = qs.filter(Q(comment__icontains=q) | Q(dossier_code__icontains=q))
    return qs.order_by(*RATING_ORDERING.get(ordering, RATING_ORDERING["-date"]))


def rating_get(*, user, pk) -> Rating:
    return _get(Rating.objects.visible_to(user).select_related("agency", "procedure", "desk"), pk)


@dataclass
class CriterionFigures:
    key: str
    label: str
    average: Decimal | None
    answered: int
    counts: list[int]  # ratings at level 1..5

    @property
    def shares(self) -> list[tuple[int, int, Decimal | None]]:
        """(level, count, percent of those who answered) for 5 down to 1."""
        return [
            (level, self.counts[level - 1], percent(self.counts[level - 1], self.answered))
            for level in range(5, 0, -1)
        ]

    @property
    def satisfied_percent(self) -> Decimal | None:
        return percent(self.counts[3] + self.counts[4], self.answered)


@dataclass
class SatisfactionSummary:
    """An agency's ratings over a period: how many, how many satisfied (the satisfaction
    index: the share of ratings whose average reaches "satisfied"), each criterion's average
    and distribution."""

    start: datetime.date | None
    end: datetime.date | None
    total: int = 0
    satisfied: int = 0
    average: Decimal | None = None
    with_comment: int = 0
    criteria: list[CriterionFigures] = field(default_factory=list)

    @property
    def index(self) -> Decimal | None:
        return percent(self.satisfied, self.total)


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def summarise(qs: QuerySet[Rating], *, start=None, end=None) -> SatisfactionSummary:
    """The figures of ``qs`` in one aggregate query."""
    from eiso.feedback.choices import Criterion

    aggregates = {
        "total": Count("pk"),
        "satisfied_n": Count("pk", filter=Q(satisfied=True)),
        "average": Avg("score"),
        "with_comment": Count("pk", filter=~Q(comment="")),
    }
    for name in SCORE_FIELDS:
        aggregates[f"{name}_avg"] = Avg(name)
        aggregates[f"{name}_n"] = Count(name)
        for level in range(1, 6):
            aggregates[f"{name}_{level}"] = Count("pk", filter=Q(**{name: level}))
    row = qs.order_by().aggregate(**aggregates)
    labels = dict(Criterion.choices)
    return SatisfactionSummary(
        start=start,
        end=end,
        total=row["total"],
        satisfied=row["satisfied_n"],
        average=_decimal(row["average"]),
        with_comment=row["with_comment"],
        criteria=[
            CriterionFigures(
                key=name,
                label=str(labels[name]),
                average=_decimal(row[f"{name}_avg"]),
                answered=row[f"{name}_n"],
                counts=[row[f"{name}_{level}"] for level in range(1, 6)],
            )
            for name in CRITERIA
        ],
    )


def satisfaction_summary(
    *,
    user,
    agency: Agency,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    procedure=None,
    desk=None,
) -> SatisfactionSummary:
    qs = _ratings_in(
        Rating.objects.visible_to(user),
        agency=agency,
        start=start,
        end=end,
        procedure=procedure,
        desk=desk,
    )
    return summarise(qs, start=start, end=end)


@dataclass
class GroupRow:
    label: str
    total: int
    satisfied: int
    average: Decimal | None
    key: object = None

    @property
    def index(self) -> Decimal | None:
        return percent(self.satisfied, self.total)


def _grouped(qs, *fields) -> list[dict]:
    return list(
        qs.order_by()
        .values(*fields)
        .annotate(
            total=Count("pk"),
            satisfied_n=Count("pk", filter=Q(satisfied=True)),
            average=Avg("score"),
        )
        .order_by(*fields)
    )


def satisfaction_by_month(
    *, user, agency: Agency, start=None, end=None, procedure=None, desk=None
) -> list[GroupRow]:
    """One row per month with ratings (one query)."""
    qs = _ratings_in(
        Rating.objects.visible_to(user),
        agency=agency,
        start=start,
        end=end,
        procedure=procedure,
        desk=desk,
    ).annotate(month=TruncMonth("submitted_on"))
    return [
        GroupRow(
            label=f"{r['month']:%m/%Y}",
            total=r["total"],
            satisfied=r["satisfied_n"],
            average=_decimal(r["average"]),
            key=r["month"],
        )
        for r in _grouped(qs, "month")
    ]


def satisfaction_by_procedure(
    *, user, agency: Agency, start=None, end=None, desk=None
) -> list[GroupRow]:
    """One row per procedure rated (and one for ratings that named none), most rated first
    (one query)."""
    qs = _ratings_in(
        Rating.objects.visible_to(user), agency=agency, start=start, end=end, desk=desk
    )
    rows = _grouped(qs, "procedure_id", "procedure__code", "procedure__name")
    result = [
        GroupRow(
            label=(f"{r['procedure__code']} {r['procedure__name']}" if r["procedure_id"] else ""),
            total=r["total"],
            satisfied=r["satisfied_n"],
            average=_decimal(r["average"]),
            key=r["procedure_id"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda g: (-g.total, g.label))


def satisfaction_by_desk(*, user, agency: Agency, start=None, end=None) -> list[GroupRow]:
    qs = _ratings_in(Rating.objects.visible_to(user), agency=agency, start=start, end=end)
    rows = _grouped(qs, "desk_id", "desk__name")
    return [
        GroupRow(
            label=r["desk__name"] or "",
            total=r["total"],
            satisfied=r["satisfied_n"],
            average=_decimal(r["average"]),
            key=r["desk_id"],
        )
        for r in rows
    ]


def satisfaction_rate(agency, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The measurement source ``feedback.satisfaction``: the share (%) of ``agency``'s
    ratings from ``start`` to ``end`` (both included) that are "satisfied" or better; None
    when nobody rated in the period."""
    row = Rating.objects.filter(
        agency=agency, submitted_on__gte=start, submitted_on__lte=end
    ).aggregate(total=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    return percent(row["satisfied"], row["total"])


def satisfaction_rates(
    agency_ids, start: datetime.date, end: datetime.date
) -> dict[int, tuple[int, Decimal | None]]:
    """``{agency id: (ratings, satisfaction %)}`` for many agencies at once (one query): the
    public statistics."""
    rows = (
        Rating.objects.filter(
            agency_id__in=list(agency_ids), submitted_on__gte=start, submitted_on__lte=end
        )
        .order_by()
        .values("agency_id")
        .annotate(total=Count("pk"), satisfied_n=Count("pk", filter=Q(satisfied=True)))
    )
    return {r["agency_id"]: (r["total"], percent(r["satisfied_n"], r["total"])) for r in rows}


def overview_agencies(
    *,
    user,
    start: datetime.date,
    end: datetime.date,
    root: Agency | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Agency]:
    """Every active agency in scope (under ``root``) with its ratings and satisfied ratings of
    the period, its complaints received in the period and those open past their due date now
    (one query)."""
    today = today or timezone.localdate()
    ratings = Rating.objects.filter(
        agency=OuterRef("pk"), submitted_on__gte=start, submitted_on__lte=end
    )
    complaints = Complaint.objects.filter(agency=OuterRef("pk"))
    qs = Agency.objects.visible_to(user).filter(is_active=True)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(
        n_ratings=count_rows(ratings, "agency"),
        n_satisfied=count_rows(ratings.filter(satisfied=True), "agency"),
        n_complaints=count_rows(
            complaints.filter(received_on__gte=start, received_on__lte=end), "agency"
        ),
        n_overdue=count_rows(
            complaints.filter(status__in=OPEN_STATUSES, due_date__lt=today), "agency"
        ),
    ).annotate(
        satisfaction=Case(
            When(
                n_ratings__gt=0,
                then=Cast(F("n_satisfied"), FloatField())
                * 100.0
                / Cast(F("n_ratings"), FloatField()),
            ),
            default=None,
            output_field=FloatField(),
        )
    )


# --- desks ----------------------------------------------------------------------------------------


def desk_list(*, user, agency: Agency, active_only: bool = False) -> QuerySet[Desk]:
    qs = Desk.objects.visible_to(user).filter(agency=agency).select_related("procedure")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "name")


def desk_get(*, user, pk, action: Action = Action.VIEW) -> Desk:
    return _get(
        Desk.objects.visible_to(user, action=action).select_related("agency", "procedure"), pk
    )


# --- complaints -----------------------------------------------------------------------------------

COMPLAINT_ORDERING = {
    "code": ("agency__path", "year", "number"),
    "-code": ("agency__path", "-year", "-number"),
    "received": ("received_on", "number"),
    "-received": ("-received_on", "-number"),
    "due": ("due_date", "number"),
    "-due": ("-due_date", "-number"),
    "status": ("status", "-received_on"),
    "-status": ("-status", "-received_on"),
}


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


def complaint_list(
    *,
    user,
    agency: Agency | None = None,
    status: str = "",
    state: str = "",
    kind: str = "",
    channel: str = "",
    handler=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    q: str = "",
    ordering: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Complaint]:
    """Complaints the user may read (one query a page); ``state``: "open" (waiting for an
    answer), "overdue" (open past the due date), "late" (answered after it)."""
    today = today or timezone.localdate()
    qs = Complaint.objects.visible_to(user).select_related(
        "agency", "procedure", "handler", "department"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status=status)
    if state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif state == "overdue":
        qs = qs.filter(overdue_q(today))
    elif state == "late":
        qs = qs.filter(answered_on__gt=F("due_date"))
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if handler is not None:
        qs = qs.filter(handler=handler)
    if start is not None:
        qs = qs.filter(received_on__gte=start)
    if end is not None:
        qs = qs.filter(received_on__lte=end)
    if q:
        qs = qs.filter(
            Q(subject__icontains=q)
            | Q(content__icontains=q)
            | Q(dossier_code__icontains=q)
            | Q(tracking_code__iexact=q.strip())
        )
    return qs.order_by(*COMPLAINT_ORDERING.get(ordering, COMPLAINT_ORDERING["-received"]))


def complaint_get(*, user, pk, action: Action = Action.VIEW) -> Complaint:
    return _get(
        Complaint.objects.visible_to(user, action=action).select_related(
            "agency",
            "procedure",
            "handler",
            "department",
            "answered_by",
            "registered_by",
        ),
        pk,
    )


def complaint_by_tracking_code(code: str) -> Complaint | None:
    """The complaint a person follows with its tracking code (the public page shows only its
    status, dates and answer), or None."""
    if not code:
        return None
    return (
        Complaint.objects.filter(tracking_code=code, agency__is_active=True)
        .select_related("agency", "procedure")
        .first()
    )


def handler_choices(*, user, agency: Agency):
    """People who work in ``agency`` now: who may handle a complaint."""
    from eiso.accounts.models import Membership, User

    members = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


def procedure_choices(agency: Agency):
    """The administrative procedures ``agency`` handles now (a rating or complaint may name
    one): the public form's list."""
    from eiso.procedures.models import AdministrativeProcedure, HandledProcedure

    handled = HandledProcedure.objects.filter(agency=agency, is_active=True)
    return AdministrativeProcedure.objects.filter(pk__in=handled.values("procedure_id")).order_by(
        "name", "code"
    )


def public_desk(agency: Agency, pk) -> Desk | None:
    """A desk of ``agency`` in use (the target of its QR code), or None."""
    try:
        return (
            Desk.objects.filter(agency=agency, is_active=True, pk=int(pk))
            .select_related("procedure")
            .first()
        )
    except (TypeError, ValueError):
        return None


# --- the inbox ------------------------------------------------------------------------------------


def complaints_waiting(
    *, user, keep_in: list[Agency], today: datetime.date, limit: int
) -> list[Complaint]:
    """What waits on ``user``: in the agencies they keep, complaints received and not yet
    assigned or answered, and every one past its due date; anywhere, those they handle."""
    condition = Q(handler=user, status__in=OPEN_STATUSES)
    if keep_in:
        condition |= Q(agency__in=keep_in) & (Q(status=ComplaintStatus.RECEIVED) | overdue_q(today))
    return list(
        Complaint.objects.visible_to(user)
        .filter(condition)
        .select_related("agency")
        .order_by("due_date", "pk")[:limit]
    )


# --- what the management review and the annual report read ---------------------------------------


@dataclass
class ComplaintSummary:
    start: datetime.date
    end: datetime.date
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open: int = 0
    overdue: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.answered_on_time, self.answered)


def complaint_summary(
    *, user, agency: Agency, start: datetime.date, end: datetime.date
) -> ComplaintSummary:
    """Complaints received from ``start`` to ``end``: how many, answered (on time), still
    open, overdue on ``end``; by channel and by outcome (three queries)."""
    qs = Complaint.objects.visible_to(user).filter(
        agency=agency, received_on__gte=start, received_on__lte=end
    )
    answered = Q(answered_on__isnull=False, answered_on__lte=end) & ~Q(
        status=ComplaintStatus.DECLINED
    )
    row = qs.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_date"))),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=end)),
    )
    by_channel = dict(qs.order_by().values_list("channel").annotate(n=Count("pk")))
    by_outcome = dict(
        qs.exclude(outcome="").order_by().values_list("outcome").annotate(n=Count("pk"))
    )
    return ComplaintSummary(
        start=start,
        end=end,
        received=row["received"],
        answered=row["answered"],
        answered_on_time=row["on_time"],
        open=row["open"],
        overdue=row["overdue"],
        by_channel=by_channel,
        by_outcome=by_outcome,
    )


# --- the answer rules ------------------------------------------------------------------------------


def answer_rules():
    """Every answer rule (data), by channel then newest first."""
    from eiso.feedback.models import AnswerRule

    return AnswerRule.objects.order_by("channel", "-effective_from")


def answer_examples(today: datetime.date) -> list[tuple[str, datetime.date | None, str]]:
    """For each channel: the due date of a complaint received ``today`` and the rule's basis
    (a few queries, one per channel: six channels)."""
    from eiso.feedback import deadlines
    from eiso.feedback.choices import ComplaintChannel

    rows = []
    for value, label in ComplaintChannel.choices:
        rule = deadlines.rule_for(value, today)
        if rule is None:
            rows.append((str(label), None, ""))
        else:
            rows.append(
                (str(label), deadlines.add_days(today, rule.days, rule.day_kind), rule.legal_basis)
            )
    return rows
