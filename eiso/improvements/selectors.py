"""Reads of nonconformities and corrective actions: the lists with their counts (one query),
what waits on a person (the inbox), the overseer's counts per agency (open, overdue, average
days to close — aggregated in SQL), and the summary the management review reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.subqueries import count_rows
from eiso.improvements.choices import NOT_CLOSED, NcStatus
from eiso.improvements.models import CorrectiveAction, EffectivenessCheck, Nonconformity
from eiso.organizations.models import Agency


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _overdue_action(today: datetime.date, outer: str = "pk"):
    return CorrectiveAction.objects.filter(
        nonconformity=OuterRef(outer), done_on__isnull=True, due_date__lt=today
    )


def overdue_q(today: datetime.date) -> Q:
    """A record not closed that is past its date, or has an action past its due date."""
    return Q(status__in=NOT_CLOSED) & (Q(due_date__lt=today) | Q(Exists(_overdue_action(today))))


NC_ORDERING = {
    "code": ("agency__path", "year", "number"),
    "-code": ("agency__path", "-year", "-number"),
    "raised": ("raised_on", "number"),
    "-raised": ("-raised_on", "-number"),
    "due": (F("due_date").asc(nulls_last=True), "number"),
    "-due": (F("due_date").desc(nulls_last=True), "number"),
    "status": ("status", "-raised_on"),
    "-status": ("-status", "-raised_on"),
}


def nonconformity_list(
    *,
    user,
    agency: Agency | None = None,
    year: int | None = None,
    status: str = "",
    source: str = "",
    department=None,
    owner=None,
    open_only: bool = False,
    overdue: bool = False,
    q: str = "",
    ordering: str = "",
    today: datetime.date | None = None,
    action: Action = Action.VIEW,
) -> QuerySet[Nonconformity]:
    """Nonconformities the user may see, with their actions counted (all, not done, overdue)
    — one query for any number of rows."""
    today = today or timezone.localdate()
    actions = CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"))
    qs = (
        Nonconformity.objects.visible_to(user, action=action)
        .select_related("agency", "department", "owner")
        .annotate(
            action_total=count_rows(actions, "nonconformity"),
            actions_open=count_rows(actions.filter(done_on__isnull=True), "nonconformity"),
            actions_overdue=count_rows(
                actions.filter(done_on__isnull=True, due_date__lt=today), "nonconformity"
            ),
        )
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=NOT_CLOSED)
    if source:
        qs = qs.filter(source=source)
    if department is not None:
        qs = qs.filter(department=department)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(source_ref__icontains=q)
        )
    return qs.order_by(*NC_ORDERING.get(ordering, NC_ORDERING["-raised"]))


def nonconformity_get(*, user, pk, action: Action = Action.VIEW) -> Nonconformity:
    return _get(
        Nonconformity.objects.visible_to(user, action=action).select_related(
            "agency",
            "agency__parent",
            "department",
            "owner",
            "raised_by",
            "plan_approved_by",
        ),
        pk,
    )


def actions_of(*, user, nonconformity: Nonconformity) -> QuerySet[CorrectiveAction]:
    return (
        CorrectiveAction.objects.visible_to(user)
        .filter(nonconformity=nonconformity)
        .select_related("owner", "agency", "nonconformity")
        .order_by("round", "number")
    )


def checks_of(*, user, nonconformity: Nonconformity) -> QuerySet[EffectivenessCheck]:
    return (
        EffectivenessCheck.objects.visible_to(user)
        .filter(nonconformity=nonconformity)
        .select_related("checked_by")
        .order_by("checked_on", "pk")
    )


def action_get(*, user, pk, action: Action = Action.VIEW) -> CorrectiveAction:
    return _get(
        CorrectiveAction.objects.visible_to(user, action=action).select_related(
            "nonconformity", "nonconformity__agency", "agency", "owner"
        ),
        pk,
    )


ACTION_ORDERING = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "code": ("nonconformity__year", "nonconformity__number", "number"),
    "-code": ("-nonconformity__year", "-nonconformity__number", "number"),
}


def action_list(
    *,
    user,
    agency: Agency | None = None,
    owner=None,
    state: str = "",
    q: str = "",
    ordering: str = "",
    today: datetime.date | None = None,
) -> QuerySet[CorrectiveAction]:
    """Corrective actions the user may see; ``state``: "open" (not done), "overdue", "done"."""
    today = today or timezone.localdate()
    qs = CorrectiveAction.objects.visible_to(user).select_related(
        "agency", "owner", "nonconformity"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if state == "open":
        qs = qs.filter(done_on__isnull=True)
    elif state == "overdue":
        qs = qs.filter(done_on__isnull=True, due_date__lt=today)
    elif state == "done":
        qs = qs.filter(done_on__isnull=False)
    if q:
        qs = qs.filter(Q(action__icontains=q) | Q(nonconformity__title__icontains=q))
    return qs.order_by(*ACTION_ORDERING.get(ordering, ACTION_ORDERING["due"]))


# --- the inbox ------------------------------------------------------------------------------------


def actions_due(*, user, today: datetime.date, within_days: int, limit: int):
    """Actions owned by ``user``, not done, of a record whose plan is approved, due by
    ``today + within_days`` (overdue first)."""
    return list(
        CorrectiveAction.objects.visible_to(user)
        .filter(
            owner=user,
            done_on__isnull=True,
            nonconformity__status__in=(NcStatus.PLAN_APPROVED, NcStatus.IN_PROGRESS),
            due_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("nonconformity", "agency")
        .order_by("due_date", "pk")[:limit]
    )


def actions_overdue_in(*, user, agencies: list[Agency], today: datetime.date, limit: int):
    """Overdue actions in ``agencies`` (for their ISO secretary), oldest first."""
    if not agencies:
        return []
    return list(
        CorrectiveAction.objects.visible_to(user)
        .filter(agency__in=agencies, done_on__isnull=True, due_date__lt=today)
        .exclude(owner=user)
        .select_related("nonconformity", "agency", "owner")
        .order_by("due_date", "pk")[:limit]
    )


def records_waiting(
    *, user, owned: bool, keep_in: list[Agency], verify_in: list[Agency], limit: int
) -> list[Nonconformity]:
    """Records waiting on ``user``: a plan to write (their own, when ``owned``), a plan to
    approve (in ``keep_in``), actions to verify (in ``verify_in``, not their own)."""
    condition = Q(pk__in=[])
    if owned:
        condition |= Q(owner=user, status=NcStatus.OPEN)
    if keep_in:
        condition |= Q(agency__in=keep_in, status=NcStatus.PLANNED)
    if verify_in:
        condition |= Q(agency__in=verify_in, status=NcStatus.AWAITING_VERIFICATION) & ~Q(owner=user)
    return list(
        Nonconformity.objects.visible_to(user)
        .filter(condition)
        .select_related("agency")
        .order_by("raised_on", "pk")[:limit]
    )


# --- the overseer -----------------------------------------------------------------------------


def overview_agencies(
    *, user, year: int, root: Agency | None = None, today: datetime.date | None = None
) -> QuerySet[Agency]:
    """Every active agency in scope (under ``root``) with its nonconformities: open now,
    overdue now, raised and closed in ``year``, and the average days from raised to closed
    of those closed in ``year`` — one query, counted by the database."""
    today = today or timezone.localdate()
    of_agency = Nonconformity.objects.filter(agency=OuterRef("pk"))
    open_now = of_agency.filter(status__in=NOT_CLOSED)
    overdue = open_now.filter(Q(due_date__lt=today) | Q(Exists(_overdue_action(today))))
    closed = of_agency.filter(status=NcStatus.CLOSED, closed_on__year=year)
    average = closed.order_by().values("agency").annotate(a=Avg("days_to_close")).values("a")
    qs = Agency.objects.visible_to(user).filter(is_active=True)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(
        nc_open=count_rows(open_now, "agency"),
        nc_overdue=count_rows(overdue, "agency"),
        nc_raised=count_rows(of_agency.filter(raised_on__year=year), "agency"),
        nc_closed=count_rows(closed, "agency"),
        nc_days=Subquery(average, output_field=FloatField()),
    )


def overview_totals(*, user, year: int, root: Agency | None = None, today=None) -> dict:
    """The same counts over every agency of the overview (one query), the average weighted
    by record."""
    today = today or timezone.localdate()
    qs = Nonconformity.objects.visible_to(user).filter(agency__is_active=True)
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    return qs.aggregate(
        nc_open=Count("pk", filter=Q(status__in=NOT_CLOSED)),
        nc_overdue=Count("pk", filter=overdue_q(today)),
        nc_raised=Count("pk", filter=Q(raised_on__year=year)),
        nc_closed=Count("pk", filter=Q(status=NcStatus.CLOSED, closed_on__year=year)),
        nc_days=Avg("days_to_close", filter=Q(status=NcStatus.CLOSED, closed_on__year=year)),
    )


# --- what the management review reads ------------------------------------------------------------


@dataclass
class NcSummary:
    """Nonconformities and corrective actions of an agency as they stood on a day."""

    start: datetime.date
    on: datetime.date
    raised: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    actions_total: int = 0
    actions_done: int = 0
    average_days: float | None = None
    open_records: list[Nonconformity] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.raised or self.open or self.closed)


def summary_for(*, user, agency: Agency, start: datetime.date, on: datetime.date) -> NcSummary:
    """What happened to ``agency``'s nonconformities between ``start`` and ``on`` and what was
    still open on ``on`` (a record closed after ``on`` counts as open then): four queries."""
    qs = Nonconformity.objects.visible_to(user).filter(agency=agency, raised_on__lte=on)
    closed_by = Q(status=NcStatus.CLOSED, closed_on__lte=on)
    counts = qs.aggregate(
        raised=Count("pk", filter=Q(raised_on__gte=start)),
        closed=Count("pk", filter=closed_by & Q(closed_on__gte=start)),
        open=Count("pk", filter=~closed_by),
        overdue=Count("pk", filter=~closed_by & Q(due_date__lt=on)),
        days=Avg("days_to_close", filter=closed_by & Q(closed_on__gte=start)),
    )
    by_source = dict(
        qs.filter(raised_on__gte=start).order_by().values_list("source").annotate(n=Count("pk"))
    )
    actions = CorrectiveAction.objects.visible_to(user).filter(
        agency=agency, nonconformity__raised_on__lte=on, nonconformity__raised_on__gte=start
    )
    action_counts = actions.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=on))
    )
    open_records = list(
        qs.exclude(closed_by).select_related("department").order_by("raised_on", "number")[:30]
    )
    return NcSummary(
        start=start,
        on=on,
        raised=counts["raised"],
        closed=counts["closed"],
        open=counts["open"],
        overdue=counts["overdue"],
        by_source=by_source,
        actions_total=action_counts["total"],
        actions_done=action_counts["done"],
        average_days=counts["days"],
        open_records=open_records,
    )


def with_record(queryset: QuerySet[Nonconformity]) -> QuerySet[Nonconformity]:
    """Records with their actions and checks of every round: two more queries for any
    number."""
    return queryset.prefetch_related(
        Prefetch("actions", queryset=CorrectiveAction.objects.order_by("round", "number")),
        Prefetch("checks", queryset=EffectivenessCheck.objects.order_by("checked_on", "pk")),
    )
