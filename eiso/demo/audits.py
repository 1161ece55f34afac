"""Step "audits": every demo agency that keeps a QMS has last year's internal audit, done and
closed, and this year's: its programme approved in January, the plan (team led by the agency's
internal auditor, or its ISO secretary, never auditing their own department; a schedule of two
or three departments) approved by the head in October, the checklist copied from the question
bank and filled, the findings graded — a minor nonconformity opening its corrective-action
record, an observation, an opportunity for improvement — the report issued; this year some
audits are still in progress, a few are planned late, in December.

Written through the audits' services on the days it happened (``clock_at``), idempotent (an
agency whose audit of the year exists is left alone)."""

from __future__ import annotations

import datetime
import importlib

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eiso.audits import services
from eiso.audits.choices import AuditStatus
from eiso.audits.models import ChecklistItem, Finding, InternalAudit, IsoClause
from eiso.demo import improvements as nc_story
from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.demo.data import TEAM_AGENCIES
from eiso.organizations.models import Department

DAY = datetime.timedelta(days=1)
ROUNDS = ("8.5", "7.5", "9.1", "6.2", "8.7", "7.2", "10.2", "6.1", "9.3", "4.4", "7.1", "8.2")
STAGES = ("closed", "reported", "reported", "in_progress", "late")
MINOR = (
    "Một số hồ sơ trả kết quả quá hạn không có phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "Sổ theo dõi giao nhận hồ sơ không ghi đầy đủ ngày, giờ và người nhận",
    "Biểu mẫu tờ khai đang sử dụng là phiên bản cũ, đã hết hiệu lực",
    "Kết quả đo lường mục tiêu chất lượng quý III chưa được cập nhật",
)
OBSERVATIONS = (
    "Nên niêm yết thêm hướng dẫn nộp hồ sơ trực tuyến tại khu vực chờ",
    "Nên sắp xếp lại hồ sơ lưu trữ theo danh mục để tra cứu nhanh hơn",
)
IMPROVEMENTS = (
    "Số hóa sổ theo dõi hồ sơ để nhắc việc tự động khi sắp đến hạn",
    "Tổ chức khảo sát sự hài lòng trực tuyến qua mã QR tại Bộ phận Một cửa",
)
CONCLUSIONS = (
    "Hệ thống quản lý chất lượng của cơ quan phù hợp với TCVN ISO 9001:2015 và được áp dụng, "
    "duy trì có hiệu lực; các điểm không phù hợp nhẹ cần được khắc phục theo kế hoạch.",
    "HTQLCL cơ bản được duy trì; cần tăng cường cập nhật tài liệu và theo dõi đo lường mục tiêu.",
)
STRENGTHS = (
    "Lãnh đạo quan tâm chỉ đạo; công chức nắm vững quy trình; tỷ lệ hồ sơ đúng hạn cao.",
    "Tài liệu được cập nhật kịp thời theo văn bản pháp luật mới; hồ sơ lưu trữ ngăn nắp.",
)


def load_bank() -> None:
    """The clauses and questions (a data migration): loaded again when a test flushed them."""
    from django.apps import apps

    if not IsoClause.objects.exists():
        importlib.import_module("eiso.audits.migrations.0002_clauses_and_question_bank").load(
            apps, None
        )


class AuditsBuilder:
    def __init__(self, ctx: DemoContext):
        load_bank()
        self.ctx = ctx
        self.today = ctx.today
        self.audits = self.answers = self.findings = self.nonconformities = 0
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.existing = set(
            InternalAudit.objects.filter(agency__in=self.agencies).values_list("agency_id", "year")
        )
        self.clauses = {c.code: c for c in IsoClause.objects.all()}
        self.departments: dict[int, list[Department]] = {}
        for d in Department.objects.filter(agency__in=self.agencies, is_active=True).order_by(
            "name"
        ):
            self.departments.setdefault(d.agency_id, []).append(d)
        self.staff, self.auditors = nc_story.people_of(self.agencies)
        self.member_departments = self.departments_of_people()

    def departments_of_people(self) -> dict:
        from eiso.accounts.models import Membership

        found: dict = {}
        for agency_id, user_id, department_id in Membership.objects.filter(
            agency__in=self.agencies, is_active=True
        ).values_list("agency_id", "user_id", "department_id"):
            found.setdefault((agency_id, user_id), set()).add(department_id)
        return found

    def build(self) -> None:
        for agency in self.agencies:
            for year in (self.today.year - 1, self.today.year):
                if (agency.pk, year) in self.existing:
                    continue
                if keepers_appointed_on(agency) > datetime.date(year, 8, 1):
                    continue
                if len(self.departments.get(agency.pk, [])) < 2:
                    continue
                self.year(agency, year)

    # --- one agency, one year ----------------------------------------------------------------

    def stage(self, agency, year: int) -> str:
        if year < self.today.year:
            return "closed"
        if agency.code.upper() in TEAM_AGENCIES:
            return "reported"
        return STAGES[digest(f"audits/{agency.code}/{year}/stage") % len(STAGES)]

    def dates(self, agency, year: int, stage: str) -> tuple[datetime.date, datetime.date]:
        start = working_day_between(
            f"audits/{agency.code}/{year}", datetime.date(year, 10, 19), datetime.date(year, 11, 10)
        )
        if year == self.today.year and stage in ("in_progress", "late"):
            moved = self.today - DAY if stage == "in_progress" else self.today + 8 * DAY
            while moved.weekday() >= 5:
                moved -= DAY
            if moved.year == year and moved.month >= 10:
                start = moved
        return start, start + 2 * DAY

    def team(self, agency, secretary):
        """The lead auditor (the agency's internal auditor, else its ISO secretary) and a
        second auditor when there is one."""
        auditors = [user for user, _department in self.auditors.get(agency.pk, [])]
        lead = auditors[0] if auditors else secretary
        members = [u for u in [*auditors[1:], secretary] if u.pk != lead.pk]
        return lead, members[:1]

    def year(self, agency, year: int) -> None:
        keepers = self.ctx.keepers[agency.code.upper()]
        secretary, head = keepers.secretary, keepers.head
        stage = self.stage(agency, year)
        start, end = self.dates(agency, year, stage)
        drafted = start - 25 * DAY
        if drafted > self.today:
            return
        key = f"audits/{agency.code}/{year}"
        programme_day = max(
            working_day_between(
                key + "/programme", datetime.date(year, 1, 12), datetime.date(year, 1, 23)
            ),
            keepers_appointed_on(agency) + 7 * DAY,
        )
        departments = self.departments[agency.pk]
        chosen = sorted(departments, key=lambda d: digest(f"{key}/{d.name}"))[:3]
        lead, others = self.team(agency, secretary)
        with clock_at(programme_day):
            programme = services.programme_create(
                actor=secretary,
                agency=agency,
                year=year,
                data={
                    "objectives": "Đánh giá sự phù hợp và hiệu lực của HTQLCL tại tất cả các "
                    "phòng, bộ phận trong phạm vi áp dụng ít nhất một lần trong năm.",
                    "basis": "Tần suất theo mức độ quan trọng, rủi ro của quá trình và kết quả "
                    "đánh giá năm trước.",
                },
            )
            for n, department in enumerate(chosen):
                services.programme_item_add(
                    actor=secretary,
                    programme=programme,
                    data={
                        "department": department,
                        "month": start.month,
                        "times": 2 if n == 0 else 1,
                        "basis": "Rủi ro cao; năm trước có điểm không phù hợp"
                        if n == 0
                        else "Rủi ro trung bình",
                    },
                )
            services.programme_approve(actor=head, programme=programme)
        with clock_at(drafted):
            audit = services.audit_create(
                actor=secretary,
                agency=agency,
                data={
                    "programme": programme,
                    "purpose": "Đánh giá sự phù hợp của HTQLCL với TCVN ISO 9001:2015, các quy "
                    "định của cơ quan và hiệu lực của việc áp dụng.",
                    "scope": "Các phòng, bộ phận: "
                    + ", ".join(d.name for d in chosen)
                    + "; các TTHC thuộc phạm vi áp dụng HTQLCL.",
                    "start_date": start,
                    "end_date": end,
                },
            )
            services.team_add(actor=secretary, audit=audit, user=lead, role="lead")
            for member in others:
                services.team_add(actor=secretary, audit=audit, user=member, role="member")
            team = [lead, *others]
            sessions = []
            for n, department in enumerate(chosen):
                auditor = next(
                    (
                        u
                        for u in team
                        if department.pk
                        not in self.member_departments.get((agency.pk, u.pk), set())
                    ),
                    None,
                )
                if auditor is None:
                    continue
                first = ROUNDS[digest(f"{key}/{department.name}/c") % len(ROUNDS)]
                second = ROUNDS[(ROUNDS.index(first) + 3) % len(ROUNDS)]
                clauses = [self.clauses[first], self.clauses[second]]
                session = services.session_add(
                    actor=secretary,
                    audit=audit,
                    data={
                        "department": department,
                        "process": "Giải quyết TTHC, kiểm soát tài liệu và hồ sơ",
                        "date": start + (n // 2) * DAY,
                        "start_time": datetime.time(8 if n % 2 == 0 else 14, 0),
                        "end_time": datetime.time(11 if n % 2 == 0 else 16, 30),
                        "auditor": auditor,
                        "auditee": "Trưởng phòng",
                    },
                    clauses=clauses,
                )
                services.checklist_copy(
                    actor=secretary, audit=audit, session=session, clauses=clauses
                )
                sessions.append(session)
        self.audits += 1
        if not sessions:
            return
        approved_on = start - 15 * DAY
        if approved_on > self.today:
            return
        with clock_at(approved_on):
            services.audit_approve(
                actor=head, audit=audit, number=str(20 + digest(key) % 60), date=approved_on
            )
        if start > self.today:
            return
        people = {u.pk: u for u in team}  # one object per person: their scope is cached on it
        self.fill(agency, audit, sessions, stage, key, secretary, head, people)

    def fill(self, agency, audit, sessions, stage, key, secretary, head, people) -> None:
        items = list(
            ChecklistItem.objects.filter(audit=audit)
            .select_related("session", "clause")
            .order_by("session__date", "session_id", "number")
        )
        half = stage == "in_progress"
        wrong = items[digest(key + "/nc") % len(items)] if items else None
        for n, item in enumerate(items):
            if half and n >= len(items) // 2:
                break
            session = item.session
            day = session.date if session.date <= self.today else self.today
            with clock_at(day, hour=session.start_time.hour + 1):
                note = (
                    MINOR[digest(key + "/minor") % len(MINOR)]
                    if item == wrong
                    else "Đã kiểm tra hồ sơ, tài liệu thực tế: phù hợp."
                )
                services.checklist_answer(
                    actor=people.get(session.auditor_id, session.auditor),
                    item=item,
                    answer="nonconform" if item == wrong else "conform",
                    note=note,
                )
            self.answers += 1
        if wrong is None or (half and items.index(wrong) >= len(items) // 2):
            return
        session = wrong.session
        seen = MINOR[digest(key + "/minor") % len(MINOR)]
        owners = self.staff.get(agency.pk, {}).get(session.department_id) or [secretary]
        auditor = people.get(session.auditor_id, session.auditor)
        with clock_at(session.date if session.date <= self.today else self.today, hour=16):
            nc_finding = services.finding_record(
                actor=auditor,
                audit=audit,
                data={
                    "item": wrong,
                    "grade": "minor",
                    "clause": wrong.clause,
                    "department": session.department,
                    "description": seen,
                    "evidence": f"Kiểm tra tại {session.department.name} ngày "
                    f"{session.date:%d/%m/%Y}",
                    "owner": owners[0],
                    "due_date": audit.end_date + 45 * DAY,
                },
            )
            services.finding_record(
                actor=auditor,
                audit=audit,
                data={
                    "grade": "observation",
                    "clause": self.clauses["8.5"],
                    "department": sessions[0].department,
                    "description": OBSERVATIONS[digest(key + "/obs") % len(OBSERVATIONS)],
                },
            )
            ofi = services.finding_record(
                actor=auditor,
                audit=audit,
                data={
                    "grade": "improvement",
                    "clause": self.clauses["10.3"],
                    "description": IMPROVEMENTS[digest(key + "/ofi") % len(IMPROVEMENTS)],
                },
            )
        self.findings += 3
        self.nonconformities += 1
        target = {
            "closed": nc_story.CLOSED,
            "reported": (nc_story.IN_PROGRESS, nc_story.APPROVED, nc_story.OVERDUE)[
                digest(key + "/target") % 3
            ],
        }.get(stage, nc_story.OPEN)
        nc_story.advance(
            nc_finding.nonconformity,
            target=target,
            today=self.today,
            secretary=secretary,
            head=head,
            verifier=people[audit.team.get(role="lead").user_id],
            key=key + "/finding",
        )
        if half:
            return
        report_day = audit.end_date + 3 * DAY
        if report_day > self.today:
            return
        with clock_at(report_day):
            services.audit_report(
                actor=people[audit.team.get(role="lead").user_id],
                audit=audit,
                data={
                    "report_number": str(40 + digest(key + "/report") % 50),
                    "report_date": report_day,
                    "strengths": STRENGTHS[digest(key + "/s") % len(STRENGTHS)],
                    "conclusion": CONCLUSIONS[digest(key + "/c") % len(CONCLUSIONS)],
                    "recommendations": "Các phòng khắc phục điểm không phù hợp trong 45 ngày; "
                    "Thư ký ISO theo dõi và báo cáo lãnh đạo.",
                },
            )
        reply_day = report_day + 4 * DAY
        if reply_day > self.today:
            return
        with clock_at(reply_day):
            for finding in Finding.objects.filter(audit=audit, nonconformity__isnull=True):
                services.finding_reply(
                    actor=secretary,
                    finding=finding,
                    reply="Tiếp thu; giao Văn phòng thực hiện trong quý tới."
                    if finding.pk != ofi.pk
                    else "Đưa vào kế hoạch cải tiến năm sau.",
                )
        close_day = report_day + 60 * DAY
        if stage == "closed" and close_day <= self.today:
            with clock_at(close_day):
                services.audit_close(actor=secretary, audit=audit)


def totals() -> dict[str, int]:
    counts = InternalAudit.objects.aggregate(
        total=Count("pk"),
        reported=Count("pk", filter=Q(status=AuditStatus.REPORTED)),
        closed=Count("pk", filter=Q(status=AuditStatus.CLOSED)),
        running=Count("pk", filter=Q(status__in=(AuditStatus.APPROVED, AuditStatus.IN_PROGRESS))),
    )
    counts["findings"] = Finding.objects.count()
    return counts


def build(ctx: DemoContext) -> StepReport:
    """Step "audits"."""
    builder = AuditsBuilder(ctx)
    builder.build()
    added = ""
    if builder.audits:
        added = _(
            "Internal audits: planned %(audits)d, answered %(answers)d questions, recorded "
            "%(findings)d findings (%(nc)d nonconformities)."
        ) % {
            "audits": builder.audits,
            "answers": builder.answers,
            "findings": builder.findings,
            "nc": builder.nonconformities,
        }
    summary = (
        _(
            "Internal audits: %(total)d (%(running)d approved or in progress, %(reported)d "
            "reported, %(closed)d closed); %(findings)d findings."
        )
        % totals()
    )
    return StepReport(added=added, totals=summary)
