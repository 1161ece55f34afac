"""The dossier figures, read from the pre-aggregated monthly tables only: per procedure from
the (agency × procedure × channel × month) cells (``DossierStat``); per channel from the
(agency × channel × month) cells (``AgencyChannelMonthStat``) unless a procedure is chosen; per
month, per agency (the overseer's ranking), per tier and per subtree from the (agency × month)
cells (``AgencyMonthStat``) unless a procedure or channel is chosen; and the on-time rate
that objectives measure (the ``dossiers.on_time_rate`` source). No read here touches the
dossiers themselves, so every page costs the same whatever their number: a handful of
aggregate queries over cells whose number depends on the agencies and months shown.

The on-time rate is the share of dossiers finished on time among those finished in the
period; a dossier is on time when its result is dated on or before its due day (local days:
finished at 23:59 on the due day is on time, at 00:01 the day after is late)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, FloatField, QuerySet, Sum, When
from django.db.models.functions import Cast, Coalesce, Substr

from eiso.organizations.choices import Tier
from eiso.organizations.models import PATH_STEP, Agency
from eiso.records.choices import Channel
from eiso.records.models import AgencyChannelMonthStat, AgencyMonthStat, DossierStat

ON_TIME_SOURCE = "dossiers.on_time_rate"
SUMS = {
    "n_received": Coalesce(Sum("received"), 0),
    "n_finished": Coalesce(Sum("finished"), 0),
    "n_on_time": Coalesce(Sum("on_time"), 0),
    "n_late": Coalesce(Sum("late"), 0),
    "n_in_progress": Coalesce(Sum("in_progress"), 0),
    "n_overdue": Coalesce(Sum("overdue"), 0),
}
RATE = Case(
    When(
        n_finished__gt=0,
        then=Cast(F("n_on_time"), FloatField()) * 100.0 / Cast(F("n_finished"), FloatField()),
    ),
    default=None,
    output_field=FloatField(),
)
HUNDRED = Decimal(100)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this one included."""
    last = month_start(today)
    return add_months(last, -11), last


def rate_of(on_time: int, finished: int) -> Decimal | None:
    if not finished:
        return None
    return (Decimal(on_time) * HUNDRED / Decimal(finished)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Figures:
    """Sums over some cells. ``rate``: the on-time rate in % (None: nothing finished)."""

    received: int = 0
    finished: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @classmethod
    def of(cls, row: dict) -> Figures:
        return cls(
            received=row.get("n_received") or 0,
            finished=row.get("n_finished") or 0,
            on_time=row.get("n_on_time") or 0,
            late=row.get("n_late") or 0,
            in_progress=row.get("n_in_progress") or 0,
            overdue=row.get("n_overdue") or 0,
        )

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.on_time, self.finished)


def cells(
    *,
    user,
    agency: Agency | None = None,
    root: Agency | None = None,
    procedure=None,
    channel: str = "",
    month_from: datetime.date | None = None,
    month_to: datetime.date | None = None,
    detailed: bool = False,
    by_channel: bool = False,
) -> QuerySet:
    """The monthly cells ``user`` may read, filtered: one agency, or a subtree (``root``),
    one procedure, one channel, a range of months (both ends included). Per agency, procedure
    and channel when a procedure is chosen (or ``detailed``); per agency and channel when a
    channel is (or ``by_channel``); per agency otherwise."""
    if detailed or procedure is not None:
        model = DossierStat
    elif by_channel or channel:
        model = AgencyChannelMonthStat
    else:
        model = AgencyMonthStat
    qs = model.objects.visible_to(user)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if channel:
        qs = qs.filter(channel=channel)
    if month_from is not None:
        qs = qs.filter(month__gte=month_start(month_from))
    if month_to is not None:
        qs = qs.filter(month__lte=month_start(month_to))
    return qs


def _grouped(qs: QuerySet, *fields: str) -> QuerySet:
    return qs.order_by().values(*fields).annotate(**SUMS).annotate(rate=RATE)


def totals(**filters) -> Figures:
    return Figures.of(cells(**filters).aggregate(**SUMS))


PROCEDURE_ORDERING = {
    "code": ("procedure__code",),
    "-code": ("-procedure__code",),
    "received": ("-n_received", "procedure__code"),
    "-received": ("n_received", "procedure__code"),
    "rate": (F("rate").asc(nulls_last=True), "procedure__code"),
    "-rate": (F("rate").desc(nulls_last=True), "procedure__code"),
    "late": ("-n_late", "procedure__code"),
    "-late": ("n_late", "procedure__code"),
    "overdue": ("-n_overdue", "procedure__code"),
}


def by_procedure(*, ordering: str = "", **filters) -> QuerySet:
    """One row per procedure: its figures and on-time rate (lowest rate first by default:
    where the late dossiers are)."""
    order = PROCEDURE_ORDERING.get(ordering, PROCEDURE_ORDERING["rate"])
    return _grouped(
        cells(detailed=True, **filters), "procedure_id", "procedure__code", "procedure__name"
    ).order_by(*order)


def by_month(**filters) -> list[dict]:
    """One row per month of the range, oldest first (months without dossiers left out)."""
    rows = list(_grouped(cells(**filters), "month").order_by("month"))
    for row in rows:
        row["figures"] = Figures.of(row)
    return rows


def by_channel(**filters) -> list[dict]:
    rows = list(_grouped(cells(by_channel=True, **filters), "channel").order_by("channel"))
    labels = dict(Channel.choices)
    for row in rows:
        row["figures"] = Figures.of(row)
        row["label"] = labels.get(row["channel"], row["channel"])
    return rows


AGENCY_ORDERING = {
    "rate": (F("rate").desc(nulls_last=True), "agency__path"),
    "-rate": (F("rate").asc(nulls_last=True), "agency__path"),
    "name": ("agency__name",),
    "received": ("-n_received", "agency__path"),
    "late": ("-n_late", "agency__path"),
    "overdue": ("-n_overdue", "agency__path"),
}


def by_agency(*, ordering: str = "", **filters) -> QuerySet:
    """The ranking: one row per agency with dossiers in the range, the best on-time rate
    first (agencies with nothing finished last)."""
    order = AGENCY_ORDERING.get(ordering, AGENCY_ORDERING["rate"])
    return _grouped(
        cells(**filters),
        "agency_id",
        "agency__code",
        "agency__name",
        "agency__short_name",
        "agency__tier",
        "agency__path",
    ).order_by(*order)


@dataclass
class RollUpRow:
    label: str
    figures: Figures
    agency: Agency | None = None
    tier: str = ""


def by_tier(**filters) -> list[RollUpRow]:
    """One row per tier (provincial, district, commune), in the tiers' order, and the total."""
    found = {
        row["agency__tier"]: Figures.of(row) for row in _grouped(cells(**filters), "agency__tier")
    }
    rows = [
        RollUpRow(label=str(tier.label), figures=found[tier.value], tier=tier.value)
        for tier in Tier
        if tier.value in found
    ]
    return rows


def by_subtree(*, user, root: Agency, **filters) -> list[RollUpRow]:
    """One row per agency directly under ``root``, each with the figures of its whole
    subtree (and ``root``'s own dossiers on a row of their own). Two queries."""
    length = len(root.path) + PATH_STEP + 1
    rows = list(
        cells(user=user, root=root, **filters)
        .annotate(branch=Substr("agency__path", 1, length))
        .order_by()
        .values("branch")
        .annotate(**SUMS)
    )
    branches = {
        a.path: a
        for a in Agency.objects.visible_to(user).filter(path__in=[r["branch"] for r in rows])
    }
    result = []
    for row in sorted(rows, key=lambda r: r["branch"]):
        agency = branches.get(row["branch"])
        if agency is None:
            continue
        result.append(RollUpRow(label=str(agency), figures=Figures.of(row), agency=agency))
    return result


def on_time_rate(agency, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The measurement source ``dossiers.on_time_rate``: the on-time rate of ``agency``'s
    dossiers finished in the months from ``start`` to ``end`` (None: none finished)."""
    row = AgencyMonthStat.objects.filter(
        agency=agency, month__gte=month_start(start), month__lte=month_start(end)
    ).aggregate(**SUMS)
    return rate_of(row["n_on_time"], row["n_finished"])
