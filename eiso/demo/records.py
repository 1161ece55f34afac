"""Step "records": the one-stop dossier log of the demo province — two years of dossiers of
every built agency that keeps a QMS and handles procedures, imported as the province's
one-stop system would send them (one file, every row naming its agency, through the same
set-based import as a real file), so the figures, the late list, the ranking and the objectives
measured on the on-time rate all have data; and each persona team's list of records to keep
started from the forms of its procedures in force.

Volumes: a department of a persona team receives about 15,000 dossiers a year, a commune or
ward of one about 2,500, every other built agency about 300 — realistic for the teams whose
pages a newcomer opens, lighter elsewhere so that ``seed_demo`` stays fast (about 130,000 rows,
imported in ~10–15 s on SQLite; the full volume of a province, a million a year, would take
minutes: see bench/dossiers.py). ``seed_demo --quick`` (and the tests) build a tenth of it.
Late dossiers are concentrated in one or two procedures of each agency; a few dossiers are
still in progress after their due day (the keepers' inbox).

Idempotent: an agency that already has dossiers is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from eiso.demo.context import DemoContext, StepReport, clock_at, digest
from eiso.demo.data import TEAM_AGENCIES
from eiso.procedures.models import HandledProcedure
from eiso.records import selectors, services
from eiso.records.importing.engine import DossierLoad
from eiso.records.models import AgencyMonthStat, Dossier, RecordType

DAY = datetime.timedelta(days=1)
YEARS = 2
DEPARTMENT_PER_YEAR = 15_000
COMMUNE_PER_YEAR = 2_500
OTHER_PER_YEAR = 300
QUICK_SHARE = 10  # seed_demo --quick: a tenth
COLUMNS = [
    "code",
    "agency",
    "procedure_code",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "channel",
]
CHANNELS = ("Trực tiếp", "Trực tuyến", "Bưu chính công ích")
CHANNEL_WEIGHTS = (50, 45, 5)


def per_year(agency) -> int:
    if agency.code.upper() in TEAM_AGENCIES:
        return COMMUNE_PER_YEAR if agency.tier == "commune" else DEPARTMENT_PER_YEAR
    return OTHER_PER_YEAR


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    while count > 0:
        day += DAY
        if day.weekday() < 5:
            count -= 1
    return day


def _limit(procedure) -> int:
    if procedure.within_the_day:
        return 0
    days = procedure.time_limit_days
    if days is None:
        return 10
    return max(int(Decimal(days).to_integral_value()), 1)


class RecordsBuilder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.share = QUICK_SHARE if ctx.only is not None else 1
        agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        done = set(
            Dossier.objects.filter(agency__in=agencies)
            .order_by()
            .values_list("agency_id", flat=True)
            .distinct()
        )
        self.agencies = [a for a in agencies if a.pk not in done]
        self.procedures: dict[int, list] = {}
        for handled in (
            HandledProcedure.objects.filter(agency__in=self.agencies, is_active=True)
            .select_related("procedure")
            .order_by("procedure__code")
        ):
            self.procedures.setdefault(handled.agency_id, []).append(handled.procedure)
        self.rows = 0
        self.record_types = 0

    def dossiers(self, agency) -> list[list[str]]:
        """Two years of one agency's dossiers, as the one-stop system exports them."""
        procedures = self.procedures.get(agency.pk, [])
        if not procedures:
            return []
        rng = self.ctx.rng(f"records/{agency.code}")
        ranked = sorted(procedures, key=lambda p: digest(f"records/{agency.code}/{p.code}"))
        weights = [1 / (rank**1.2) for rank in range(1, len(ranked) + 1)]
        hard = {p.code for p in ranked[1 : 1 + 1 + digest(f"hard/{agency.code}") % 2]}
        start = self.today - datetime.timedelta(days=365 * YEARS)
        if agency.active_from and agency.active_from > start:
            start = agency.active_from
        days = [start + i * DAY for i in range((self.today - start).days + 1)]
        days = [d for d in days if d.weekday() < 5]
        if not days:
            return []
        yearly = per_year(agency) // self.share
        total = max(yearly * len(days) // 250, 1)
        rows = []
        now_day = self.today
        for n in range(total):
            day = days[rng.randrange(len(days))]
            procedure = rng.choices(ranked, weights=weights)[0]
            received = datetime.datetime.combine(
                day, datetime.time(7 + rng.randrange(9), rng.randrange(60))
            )
            limit = _limit(procedure)
            due_day = working_days_after(day, limit)
            due = datetime.datetime.combine(due_day, datetime.time(17, 0))
            draw = rng.random()
            finished = returned = ""
            if due_day >= now_day and draw < 0.7:
                status = "Đang xử lý"
            elif due_day < now_day and draw < 0.004:
                status = "Đang xử lý"  # overdue, waiting in the keepers' inbox
            elif draw > 0.985:
                status = "Rút hồ sơ"
            elif draw > 0.965:
                status = "Trả lại"
            else:
                status = "Đã giải quyết"
                late = rng.random() < (0.3 if procedure.code in hard else 0.02)
                if late:
                    done_day = working_days_after(due_day, 1 + rng.randrange(8))
                else:
                    span = (due_day - day).days
                    done_day = day + rng.randrange(span + 1) * DAY if span else day
                if done_day > now_day:
                    if late:
                        status = "Đang xử lý"
                    else:
                        done_day = now_day
                if status == "Đã giải quyết":
                    hour = 8 + rng.randrange(9)
                    done = datetime.datetime.combine(
                        done_day, datetime.time(hour, rng.randrange(60))
                    )
                    finished = done.strftime("%d/%m/%Y %H:%M")
                    back = done_day + DAY * rng.randrange(2)
                    if back <= now_day:
                        returned = f"{back:%d/%m/%Y} 15:00"
            rows.append(
                [
                    f"{agency.code}-{day:%y%m%d}-{n:05d}",
                    agency.code,
                    procedure.code,
                    received.strftime("%d/%m/%Y %H:%M"),
                    due.strftime("%d/%m/%Y %H:%M"),
                    finished,
                    returned,
                    status,
                    rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0],
                ]
            )
        return rows

    def build(self) -> None:
        rows: list[list[str]] = []
        for agency in self.agencies:
            rows.extend(self.dossiers(agency))
        if rows:
            with clock_at(self.today, hour=18):
                load = DossierLoad(actor=self.ctx.admin, agency=None, filename="demo-mot-cua.csv")
                result = load.run(_table(rows), apply=True)
            if not result.ok:
                raise ValueError(f"demo dossiers refused: {result.errors[:5]}")
            self.rows = result.rows
        self.keep_lists()

    def keep_lists(self) -> None:
        """The persona teams start their list of records to keep from their procedures."""
        for code in TEAM_AGENCIES:
            agency = self.ctx.agency(code)
            keepers = self.ctx.keepers.get(code)
            if agency is None or keepers is None:
                continue
            if RecordType.objects.filter(agency=agency).exists():
                continue
            with clock_at(self.today):
                keep = selectors.records_to_keep(user=keepers.secretary, agency=agency)
                created = services.record_types_adopt(
                    actor=keepers.secretary, agency=agency, rows=keep.missing
                )
                created.append(
                    services.record_type_create(
                        actor=keepers.secretary,
                        agency=agency,
                        data={
                            "name": "Hồ sơ đánh giá nội bộ (kế hoạch, báo cáo, phiếu ghi chép)",
                            "form_code": "",
                            "keeper": "Thư ký ISO",
                            "location": "e_office",
                            "permanent": False,
                            "retention_years": 5,
                            "disposal": "destroy",
                        },
                    )
                )
            self.record_types += len(created)


def _table(rows: list[list[str]]):
    """The rows as a file's: the header (the columns' names) on row 1."""
    yield 1, list(COLUMNS)
    yield from enumerate(rows, start=2)


def records_totals() -> dict:
    from django.db.models import Sum

    sums = AgencyMonthStat.objects.aggregate(
        finished=Sum("finished"), on_time=Sum("on_time"), late=Sum("late"), overdue=Sum("overdue")
    )
    finished = sums["finished"] or 0
    return {
        "dossiers": Dossier.objects.count(),
        "agencies": Dossier.objects.order_by().values("agency_id").distinct().count(),
        "rate": round(100 * (sums["on_time"] or 0) / finished, 1) if finished else 0,
        "late": sums["late"] or 0,
        "record_types": RecordType.objects.filter(is_active=True).count(),
    }


def build(ctx: DemoContext) -> StepReport:
    """Step "records"."""
    builder = RecordsBuilder(ctx)
    builder.build()
    added = ""
    if builder.rows or builder.record_types:
        added = _(
            "Records: imported %(rows)d one-stop dossiers of two years; %(types)d record types "
            "kept."
        ) % {"rows": builder.rows, "types": builder.record_types}
    totals = (
        _(
            "Records: %(dossiers)d one-stop dossiers in %(agencies)d agencies, %(rate)s %% on "
            "time, %(late)d late; %(record_types)d record types kept."
        )
        % records_totals()
    )
    return StepReport(added=added, totals=totals)
