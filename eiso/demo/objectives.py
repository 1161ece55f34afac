"""Step "objectives": every demo agency that keeps a QMS has last year's and this year's quality
objectives with their plan — last year's from the framework model's typical objectives for its
kind, this year's copied from last year with one target raised — drafted by its ISO secretary,
approved and issued by its head in January (a few late, in February), measured after each
period (some periods missed the target; in one agency in four the latest period is still to be
entered), and the evaluation report of each year finalized before the internal audit, with
the causes of every objective missed. The persona teams' agencies also change their objectives
mid-year (a second revision, the first kept).

Written through the objectives' services on the days it happened (``clock_at``), idempotent
(a year that has objectives is left alone)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.demo.data import TEAM_AGENCIES
from eiso.objectives import services
from eiso.objectives.choices import Comparator, Result, SetStatus
from eiso.objectives.models import (
    EvaluationReport,
    Measurement,
    ObjectiveSet,
    QualityObjective,
)
from eiso.objectives.selectors import report_rows, with_results
from eiso.organizations.models import Agency

DAY = datetime.timedelta(days=1)
AMEND_DAY = datetime.date(2000, 7, 8)  # the persona teams change their objectives on 08/07
NOTES = (
    "Số liệu từ Hệ thống thông tin giải quyết TTHC của tỉnh",
    "Tổng hợp từ sổ theo dõi của Bộ phận Một cửa",
    "Theo báo cáo của Văn phòng",
)
CAUSES = (
    "Số lượng hồ sơ tăng đột biến trong quý, công chức tiếp nhận nghỉ phép chưa bố trí người thay",
    "Phần mềm một cửa điện tử gián đoạn kết nối với Cổng dịch vụ công quốc gia nhiều ngày",
    "Một số hồ sơ phải lấy ý kiến cơ quan liên quan, phản hồi chậm so với thời hạn",
    "Người dân chưa quen nộp hồ sơ trực tuyến, còn nộp trực tiếp",
)
MET_WORDS = (
    "Đạt chỉ tiêu đề ra; duy trì các biện pháp đang áp dụng.",
    "Đạt và vượt chỉ tiêu nhờ theo dõi tiến độ hằng tuần.",
)
MISSED_WORDS = (
    "Chưa đạt chỉ tiêu trong kỳ; đã xác định nguyên nhân và đề ra hành động khắc phục.",
    "Không đạt chỉ tiêu ở một kỳ đo; cần tăng cường theo dõi, nhắc việc.",
)


def value_for(objective: QualityObjective, key: str, *, miss: bool) -> Decimal:
    """A plausible measured value: meets the target, or misses it when ``miss``."""
    target = objective.target
    step = Decimal(1 + digest(key) % 4) / (Decimal(2) if objective.unit.strip() == "%" else 1)
    if objective.comparator in (Comparator.GE, Comparator.GT):
        value = target - step * 2 if miss else target + step / 2
        return min(value, Decimal(100)) if objective.unit.strip() == "%" else value
    if objective.comparator in (Comparator.LE, Comparator.LT):
        return target + step * 2 if miss else max(target - step, Decimal(0))
    return target - step * 3 if miss else target


class ObjectivesBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.sets = self.reports = self.measurements = 0
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.existing = set(
            ObjectiveSet.objects.filter(agency__in=self.agencies).values_list("agency_id", "year")
        )
        self.reported = set(
            EvaluationReport.objects.filter(agency__in=self.agencies).values_list(
                "agency_id", "year"
            )
        )

    def build(self) -> None:
        year = self.today.year
        for agency in self.agencies:
            keepers = self.ctx.keepers[agency.code.upper()]
            for each in (year - 1, year):
                if (agency.pk, each) in self.existing:
                    continue
                issued = self.year(agency, keepers, each)
                if issued is None:
                    continue
                if each == year and agency.code.upper() in TEAM_AGENCIES:
                    self.measure(agency, keepers, each, until=AMEND_DAY.replace(year=each))
                    self.amend(agency, keepers, issued)
                self.measure(agency, keepers, each)
            for each in (year - 1, year):
                if (agency.pk, each) not in self.reported:
                    self.report(agency, keepers, each)

    # --- the objectives of a year ----------------------------------------------------------

    def start_day(self, agency: Agency, year: int) -> datetime.date | None:
        earliest = keepers_appointed_on(agency) + 3 * DAY
        late = digest(f"objectives/{agency.code}/{year}/late") % 6 == 0
        window = (
            (datetime.date(year, 2, 3), datetime.date(year, 2, 13))
            if late
            else (datetime.date(year, 1, 5), datetime.date(year, 1, 16))
        )
        day = working_day_between(f"objectives/{agency.code}/{year}", *window)
        day = max(day, earliest)
        if day.year != year or day + 10 * DAY > self.today:
            return None
        return day

    def year(self, agency, keepers, year: int) -> ObjectiveSet | None:
        day = self.start_day(agency, year)
        if day is None:
            return None
        secretary, head = keepers.secretary, keepers.head
        has_last_year = (agency.pk, year - 1) in self.existing
        with clock_at(day):
            objective_set = services.objective_set_create(
                actor=secretary,
                agency=agency,
                year=year,
                start=services.START_LAST_YEAR if has_last_year else services.START_TEMPLATE,
            )
            if has_last_year:  # this year, one target raised
                first = objective_set.objectives.order_by("number").first()
                if first is not None and first.comparator == Comparator.GE and first.unit == "%":
                    raised = min(first.target + Decimal("0.5"), Decimal(100))
                    services.objective_update(
                        actor=secretary, objective=first, data={"target": raised}
                    )
        with clock_at(day + 2 * DAY):
            services.objective_set_submit(actor=secretary, objective_set=objective_set)
        with clock_at(day + 5 * DAY, hour=14):
            services.objective_set_approve(actor=head, objective_set=objective_set)
        decided = day + 7 * DAY
        with clock_at(decided, hour=15):
            objective_set = services.objective_set_issue(
                actor=head,
                objective_set=objective_set,
                number=str(2 + digest(f"objectives/{agency.code}/{year}/number") % 18),
                date=decided,
            )
        self.existing.add((agency.pk, year))
        self.sets += 1
        return objective_set

    def amend(self, agency, keepers, issued: ObjectiveSet) -> ObjectiveSet | None:
        """In July the persona teams lower one objective's target that proved out of reach:
        a second revision, issued by a new decision; the first one is kept, superseded."""
        day = AMEND_DAY.replace(year=issued.year)
        if day + 7 * DAY > self.today:
            return None
        secretary, head = keepers.secretary, keepers.head
        summary = "Điều chỉnh chỉ tiêu mục tiêu 1 cho phù hợp số lượng hồ sơ thực tế"
        with clock_at(day):
            draft = services.objective_set_amend(
                actor=secretary, objective_set=issued, change_summary=summary
            )
            first = draft.objectives.order_by("number").first()
            if first is not None and first.comparator == Comparator.GE:
                services.objective_update(
                    actor=secretary, objective=first, data={"target": first.target - 1}
                )
            services.objective_set_submit(actor=secretary, objective_set=draft)
        with clock_at(day + 3 * DAY, hour=14):
            services.objective_set_approve(actor=head, objective_set=draft)
        with clock_at(day + 6 * DAY, hour=15):
            draft = services.objective_set_issue(
                actor=head,
                objective_set=draft,
                number=str(40 + digest(f"objectives/{agency.code}/amend") % 20),
                date=day + 6 * DAY,
            )
        self.sets += 1
        return draft

    # --- measurements -------------------------------------------------------------------------

    def measure(self, agency, keepers, year: int, until: datetime.date | None = None) -> None:
        """Each period that has ended, a few days after its end, by the secretary, on the
        objectives in force (up to ``until``); one agency in four has not entered its latest
        period yet."""
        until = min(until or self.today, self.today)
        in_force = ObjectiveSet.objects.filter(
            agency=agency, year=year, status=SetStatus.ISSUED
        ).first()
        if in_force is None:
            return
        measured = set(
            Measurement.objects.filter(
                agency=agency, objective__objective_set__year=year
            ).values_list("lineage", "period_start")
        )
        first_day = max(keepers_appointed_on(agency), in_force.decision_date)
        rows = []
        for objective in in_force.objectives.order_by("number"):
            for period in objective.periods():
                day = period.end + (4 + digest(f"m/{objective.lineage}/{period.index}") % 6) * DAY
                if day >= until or day < first_day or period.start < keepers_appointed_on(agency):
                    continue
                if (objective.lineage, period.start) in measured:
                    continue
                rows.append((day, objective, period))
        rows.sort(key=lambda e: (e[0], e[1].number))
        lagging = digest(f"objectives/{agency.code}/lagging") % 4 == 0
        if lagging and until == self.today and rows:
            latest = max(day for day, _o, _p in rows)
            rows = [r for r in rows if r[0] < latest - 20 * DAY]
        for day, objective, period in rows:
            key = f"objectives/{agency.code}/{objective.lineage}/{period.start}"
            miss = digest(key) % 7 == 0
            with clock_at(day, hour=10):
                services.measurement_record(
                    actor=keepers.secretary,
                    objective=objective,
                    period=period.index,
                    value=value_for(objective, key, miss=miss),
                    note=NOTES[digest(key + "/note") % len(NOTES)],
                )
            self.measurements += 1

    # --- the evaluation report -------------------------------------------------------------

    def report(self, agency, keepers, year: int) -> None:
        """Before the internal audit (early November): the secretary's assessment of each
        objective, the causes of each missed, finalized."""
        day = working_day_between(
            f"objectives/{agency.code}/{year}/report",
            datetime.date(year, 11, 3),
            datetime.date(year, 11, 12),
        )
        if day > self.today or (agency.pk, year) not in self.existing:
            return
        with clock_at(day):
            draft = services.evaluation_save(actor=keepers.secretary, agency=agency, year=year)
            words = {}
            for row in report_rows(report=draft):
                key = f"objectives/{agency.code}/{year}/{row.number}"
                missed = row.result == Result.NOT_MET
                pool = MISSED_WORDS if missed else MET_WORDS
                words[str(row.lineage)] = {
                    "assessment": pool[digest(key) % len(pool)],
                    "causes": CAUSES[digest(key) % len(CAUSES)] if missed else "",
                }
            report = services.evaluation_save(
                actor=keepers.secretary,
                agency=agency,
                year=year,
                report_date=day,
                summary=(
                    f"Năm {year}, {agency} đã triển khai đầy đủ kế hoạch thực hiện mục tiêu chất "
                    "lượng; các mục tiêu không đạt đã được phân tích nguyên nhân để khắc phục."
                ),
                assessments=words,
            )
            services.evaluation_finalize(actor=keepers.secretary, report=report)
        self.reported.add((agency.pk, year))
        self.reports += 1


def objective_totals() -> dict[str, int]:
    in_force = with_results(QualityObjective.objects.filter(objective_set__status=SetStatus.ISSUED))
    counts = dict(in_force.values_list("result").annotate(n=Count("pk")).order_by())
    return {
        "sets": ObjectiveSet.objects.filter(status=SetStatus.ISSUED).count(),
        "objectives": sum(counts.values()),
        "met": counts.get(Result.MET, 0),
        "not_met": counts.get(Result.NOT_MET, 0),
    }


def build(ctx: DemoContext) -> StepReport:
    """Step "objectives"."""
    builder = ObjectivesBuilder(ctx)
    builder.build()
    added = ""
    if builder.sets or builder.measurements or builder.reports:
        added = _(
            "Quality objectives: issued %(sets)d years' objectives, recorded %(measurements)d "
            "measurements, finalized %(reports)d evaluation reports."
        ) % {"sets": builder.sets, "measurements": builder.measurements, "reports": builder.reports}
    totals = (
        _(
            "Quality objectives: %(sets)d years' objectives in force, %(objectives)d objectives "
            "(%(met)d met, %(not_met)d not met so far)."
        )
        % objective_totals()
    )
    return StepReport(added=added, totals=totals)
