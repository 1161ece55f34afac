"""Step "inspections": the Sở KH&CN's inspections of the province's ISO work.

Last year's plan is completed: approved by the People's Committee in April, its team formed by
a second decision (leader: the Director of the Sở KH&CN; deputy: the head of the Chi cục TĐC;
members: the Sở's inspector and an officer of the Sở Tư pháp; secretary: the Chi cục's officer
who follows ISO), a few dozen agencies inspected from May to November — a third on site, the
rest through their records and reports — each checklist filled from what the platform knew,
the findings sent back as nonconformities and remedied (the agency's report, the team closing
the loop), the signed records attached, the summary written in December.

This year's plan is in progress: approved in March, its team formed, the visits spread from
April to December — those past made (some agencies remedying their findings, some closed), the
latest still being filled in, the rest to come.

Written through the inspections' services on the days it happened (``clock_at``), never after
``ctx.today``; idempotent (a year whose plan exists is left alone); deterministic (``digest``)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from eiso.core.scoping import forget_scope
from eiso.demo import improvements
from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.demo.data import OVERSEER_USERNAME
from eiso.demo.scans import scan_pdf
from eiso.inspections import outputs, selectors, services
from eiso.inspections.choices import InspectionStatus, Mode, Result, TeamRole
from eiso.inspections.models import Finding, Inspection, InspectionPlan

DAY = datetime.timedelta(days=1)
INSPECTOR_USERNAME = "kiemtra"
JUSTICE_MEMBER = ("dgnb.stp", "STP")  # an officer of the Sở Tư pháp on the team
SCIENCE = ("SKHCN", "CCTDC")  # the inspecting side: never inspected by its own plan
LAST_YEAR_AGENCIES = 32
THIS_YEAR_AGENCIES = 24
ON_SITE_SHARE = 3  # one agency in three on site
SIGNER = "Lê Văn Phước"
SIGNER_TITLE = "Phó Chủ tịch UBND tỉnh"
# The persona agencies are in this year's plan: their people see the inspection.
PERSONA_AGENCIES = ("SYT", "PHUONG-THANH-MY", "XA-AN-PHU")

# What the team writes about an item not met (the finding), by the fact it was pre-filled from.
FINDINGS = {
    "documents.in_force": (
        "Một số quy trình giải quyết công việc chưa được cập nhật theo thủ tục hành chính mới "
        "công bố; bản tại nơi làm việc chưa phải bản hiện hành.",
        "Mục 7.5 TCVN ISO 9001:2015 — kiểm soát thông tin dạng văn bản.",
    ),
    "procedures.coverage": (
        "Phạm vi áp dụng HTQLCL chưa bao quát hết các thủ tục hành chính thuộc thẩm quyền giải "
        "quyết của cơ quan.",
        "Khoản 2 Điều 4 Quyết định 19/2014/QĐ-TTg, sửa đổi bởi Quyết định 101/2025/QĐ-TTg.",
    ),
    "qms.announced": (
        "Chưa ban hành quyết định công bố HTQLCL phù hợp TCVN ISO 9001:2015 và chưa thông báo "
        "cho Sở Khoa học và Công nghệ.",
        "Điều 5 Quyết định 19/2014/QĐ-TTg — công bố HTQLCL.",
    ),
    "documents.legal_updates": (
        "Chưa cập nhật kịp thời các văn bản quy phạm pháp luật mới vào hệ thống tài liệu.",
        "Mục 4.4 và 7.5.3 TCVN ISO 9001:2015.",
    ),
    "objectives.issued": (
        "Chưa ban hành mục tiêu chất lượng năm và kế hoạch thực hiện mục tiêu.",
        "Mục 6.2 TCVN ISO 9001:2015 — mục tiêu chất lượng và hoạch định để đạt được mục tiêu.",
    ),
    "audits.report": (
        "Chưa thực hiện đánh giá nội bộ trong năm theo chương trình đã ban hành.",
        "Mục 9.2 TCVN ISO 9001:2015 — đánh giá nội bộ.",
    ),
    "reviews.held": (
        "Chưa tổ chức họp xem xét của lãnh đạo trong năm.",
        "Mục 9.3 TCVN ISO 9001:2015 — xem xét của lãnh đạo.",
    ),
    "improvements.overdue": (
        "Còn hành động khắc phục quá hạn chưa được thực hiện và đánh giá hiệu lực.",
        "Mục 10.2 TCVN ISO 9001:2015 — sự không phù hợp và hành động khắc phục.",
    ),
    "risks.evaluation_report": (
        "Chưa đánh giá hiệu lực của các hành động giải quyết rủi ro và cơ hội.",
        "Mục 6.1 và 9.1.3 TCVN ISO 9001:2015.",
    ),
    "reports.annual_report": (
        "Chưa gửi báo cáo tình hình áp dụng, duy trì và cải tiến HTQLCL đúng hạn.",
        "Điều 4 Thông tư 26/2014/TT-BKHCN — chế độ báo cáo.",
    ),
}
GENERIC_FINDING = (
    "Hồ sơ lưu trữ chưa đầy đủ theo quy định của quy trình.",
    "Mục 7.5.3 TCVN ISO 9001:2015.",
)
NOTES_CONFIRMED = (
    "Đã đối chiếu hồ sơ tại cơ quan, phù hợp với dữ liệu trên hệ thống.",
    "Kiểm tra trực tiếp hồ sơ, kết quả như hệ thống ghi nhận.",
)
NOTE_CORRECTED = (
    "Cơ quan xuất trình hồ sơ giấy đầy đủ, đã ký ban hành nhưng chưa cập nhật lên hệ thống; "
    "đề nghị cập nhật."
)
CONCLUSION_CLEAN = (
    "Cơ quan đã xây dựng, áp dụng, duy trì và cải tiến HTQLCL theo TCVN ISO 9001:2015 đúng "
    "quy định; hồ sơ đầy đủ, cập nhật kịp thời trên hệ thống e-ISO."
)
CONCLUSION_FINDINGS = (
    "Cơ quan đã áp dụng HTQLCL theo TCVN ISO 9001:2015; tuy nhiên còn một số tồn tại nêu tại "
    "phần phát hiện. Đề nghị cơ quan khắc phục và báo cáo kết quả về Đoàn kiểm tra đúng hạn."
)
RECOMMENDATIONS = (
    "Thường xuyên rà soát, cập nhật quy trình khi thủ tục hành chính thay đổi; phân công "
    "công chức theo dõi việc cập nhật văn bản pháp luật."
)
REMEDIATION = (
    "Cơ quan đã tổ chức họp rút kinh nghiệm, giao Thư ký ISO chủ trì khắc phục: đã cập nhật, "
    "ban hành lại các tài liệu liên quan và cập nhật đầy đủ trên hệ thống e-ISO (kèm theo "
    "quyết định ban hành và danh mục tài liệu đã sửa đổi)."
)
SUMMARY = {
    "summary_conclusion": (
        "Nhìn chung các cơ quan, đơn vị được kiểm tra đã quan tâm xây dựng, áp dụng, duy trì và "
        "cải tiến HTQLCL theo TCVN ISO 9001:2015; phần lớn đã công bố HTQLCL đúng quy định và "
        "cập nhật hồ sơ trên hệ thống e-ISO. Một số đơn vị cấp xã mới sắp xếp còn chậm cập nhật "
        "quy trình theo thủ tục hành chính mới."
    ),
    "summary_common_findings": (
        "Chưa cập nhật kịp thời quy trình khi thủ tục hành chính thay đổi; phạm vi áp dụng chưa "
        "bao quát hết thủ tục hành chính; một số đơn vị chưa đánh giá nội bộ, chưa họp xem xét "
        "của lãnh đạo đúng hạn."
    ),
    "summary_recommendations": (
        "Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị khắc phục dứt điểm các tồn tại trước "
        "ngày 31/3; giao Sở Khoa học và Công nghệ tiếp tục hướng dẫn, đôn đốc và tổng hợp kết "
        "quả khắc phục."
    ),
}


class YearCalendar:
    """The days of one year's plan."""

    def __init__(self, year: int, current: bool):
        self.year = year
        if current:
            self.drafted = datetime.date(year, 2, 24)
            self.approved = datetime.date(year, 3, 18)
            self.team = datetime.date(year, 3, 25)
            self.start, self.end = datetime.date(year, 4, 6), datetime.date(year, 12, 18)
        else:
            self.drafted = datetime.date(year, 3, 10)
            self.approved = datetime.date(year, 4, 14)
            self.team = datetime.date(year, 4, 22)
            self.start, self.end = datetime.date(year, 5, 4), datetime.date(year, 11, 27)
        self.decision = "38" if current else "42"
        self.team_decision = "45" if current else "51"
        self.summary_on = datetime.date(year, 12, 11)


class InspectionsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.plans = self.inspections = self.findings = self.closed = 0
        self.overseer = ctx.users.get(OVERSEER_USERNAME)
        self.inspector = ctx.users.get(INSPECTOR_USERNAME)
        self.justice = ctx.users.get(JUSTICE_MEMBER[0])
        science = [ctx.keepers.get(code) for code in SCIENCE]
        self.leader = science[0].head if science[0] else None
        self.deputy = science[1].head if science[1] else None
        self.existing = set(
            InspectionPlan.objects.filter(agency=ctx.province).values_list("year", flat=True)
        )

    def ready(self) -> bool:
        return None not in (
            self.ctx.province,
            self.overseer,
            self.inspector,
            self.justice,
            self.leader,
            self.deputy,
        )

    def build(self) -> None:
        if not self.ready():
            return
        for year, current in ((self.today.year - 1, False), (self.today.year, True)):
            calendar = YearCalendar(year, current)
            if year in self.existing or calendar.drafted > self.today:
                continue
            self.plan(calendar, current)

    # --- the plan ----------------------------------------------------------------------------

    def eligible(self, calendar: YearCalendar) -> list:
        """Agencies that keep a QMS, set up before the plan, outside the inspecting side and
        the team's own agencies; the ones this run builds."""
        excluded = {*SCIENCE, JUSTICE_MEMBER[1], self.ctx.province.code.upper()}
        science_paths = [
            self.ctx.agencies[code].path for code in SCIENCE if code in self.ctx.agencies
        ]
        found = []
        for agency in self.ctx.active_agencies():
            code = agency.code.upper()
            if code in excluded or code not in self.ctx.keepers or not self.ctx.builds(agency):
                continue
            if any(agency.path.startswith(path) for path in science_paths):
                continue
            if keepers_appointed_on(agency) > calendar.start - 30 * DAY:
                continue
            found.append(agency)
        return found

    def chosen(self, calendar: YearCalendar, current: bool) -> list:
        agencies = self.eligible(calendar)
        first = [a for a in agencies if current and a.code.upper() in PERSONA_AGENCIES]
        rest = sorted(
            (a for a in agencies if a not in first),
            key=lambda a: digest(f"inspections/{calendar.year}/{a.code}"),
        )
        size = THIS_YEAR_AGENCIES if current else LAST_YEAR_AGENCIES
        return sorted([*first, *rest][:size], key=lambda a: a.path)

    def visit_day(self, calendar: YearCalendar, agency) -> datetime.date:
        return working_day_between(
            f"inspections/{calendar.year}/{agency.code}/day", calendar.start, calendar.end - DAY
        )

    def plan(self, calendar: YearCalendar, current: bool) -> None:
        agencies = self.chosen(calendar, current)
        if not agencies:
            return
        with clock_at(calendar.drafted):
            plan = services.plan_create(
                actor=self.overseer,
                agency=self.ctx.province,
                data={
                    "year": calendar.year,
                    "period_start": calendar.start,
                    "period_end": calendar.end,
                },
            )
            rows = []
            for agency in agencies:
                on_site = digest(f"inspections/{calendar.year}/{agency.code}/mode") % 3 == 0
                on_site = on_site or agency.code.upper() == "SYT"
                rows.append(
                    {
                        "agency": agency,
                        "mode": Mode.ON_SITE if on_site else Mode.RECORDS,
                        "date": self.visit_day(calendar, agency),
                        "place": f"Trụ sở {agency.name}" if on_site else "",
                    }
                )
            services.plan_agencies_add(actor=self.overseer, plan=plan, rows=rows)
        self.plans += 1
        if calendar.approved > self.today:
            return
        with clock_at(calendar.approved, 15):
            plan = services.plan_approve(
                actor=self.overseer,
                plan=plan,
                number=calendar.decision,
                date=calendar.approved,
                signer=SIGNER,
                signer_title=SIGNER_TITLE,
            )
        if calendar.team > self.today:
            return
        members = (
            (TeamRole.LEADER, self.leader, "Giám đốc Sở Khoa học và Công nghệ"),
            (TeamRole.DEPUTY, self.deputy, "Chi cục trưởng Chi cục TĐC"),
            (TeamRole.MEMBER, self.inspector, ""),
            (TeamRole.MEMBER, self.justice, ""),
            (TeamRole.SECRETARY, self.overseer, ""),
        )
        with clock_at(calendar.team, 10):
            for role, user, position in members:
                services.team_add(
                    actor=self.overseer, plan=plan, role=role, user=user, position=position
                )
            plan = services.plan_team_decision(
                actor=self.overseer,
                plan=plan,
                number=calendar.team_decision,
                date=calendar.team,
                signer=SIGNER,
            )
        for _role, user, _position in members:
            forget_scope(user)
        for inspection in plan.inspections.select_related("agency", "plan").order_by("date", "pk"):
            self.inspection(plan, inspection, current)
        if not current and calendar.summary_on <= self.today:
            self.complete(plan, calendar)

    # --- one agency ----------------------------------------------------------------------------

    def inspection(self, plan, inspection: Inspection, current: bool) -> None:
        day = inspection.date
        if day is None or day > self.today:
            return  # to come
        key = f"inspections/{plan.year}/{inspection.agency.code}"
        team = self.inspector if digest(f"{key}/who") % 2 else self.justice
        self.inspections += 1
        with clock_at(day, 8):
            services.inspection_start(actor=team, inspection=inspection)
            answers = list(inspection.answers.order_by("order", "pk"))
            recent = current and (self.today - day).days < 10
            # the latest visits are still being filled in
            given = answers[: len(answers) // 2] if recent else answers
            failed = []
            for n, answer in enumerate(given):
                result, note = self.judge(answer, key, n)
                services.answer_give(actor=team, answer=answer, result=result, note=note)
                if result == Result.FAIL:
                    failed.append(answer)
            for answer in failed[:2]:
                description, requirement = FINDINGS.get(answer.fact, GENERIC_FINDING)
                services.finding_record(
                    actor=team,
                    inspection=inspection,
                    description=description,
                    requirement=requirement,
                    due_date=day + 45 * DAY,
                    answer=answer,
                )
                self.findings += 1
            if recent:
                return
            services.inspection_conclude(
                actor=team,
                inspection=inspection,
                record_date=day,
                conclusion=CONCLUSION_FINDINGS if failed else CONCLUSION_CLEAN,
                recommendations=RECOMMENDATIONS if failed else "",
            )
        signed_on = day + 3 * DAY
        if signed_on > self.today:
            return
        with clock_at(signed_on, 14):
            services.record_attach(
                actor=team, inspection=inspection, file=self.signed_record(inspection)
            )
        if failed:
            self.remedy(plan, inspection, team, key, current)
        else:
            with clock_at(signed_on, 15):
                services.inspection_close(actor=team, inspection=inspection)
            self.closed += 1

    def judge(self, answer, key: str, n: int) -> tuple[str, str]:
        """The team's result: what the platform suggests, confirmed — now and then corrected
        with what the agency showed on paper; an item without data is met."""
        suggested = answer.platform_result
        if suggested == Result.FAIL and digest(f"{key}/{answer.number}/paper") % 3 == 0:
            return Result.PASS, NOTE_CORRECTED
        if suggested == Result.FAIL:
            description, _requirement = FINDINGS.get(answer.fact, GENERIC_FINDING)
            return Result.FAIL, description
        if not suggested and answer.fact == "qms.consultant":
            return Result.NOT_APPLICABLE, "Cơ quan tự xây dựng HTQLCL, không thuê tư vấn."
        return suggested or Result.PASS, NOTES_CONFIRMED[n % len(NOTES_CONFIRMED)]

    def remedy(self, plan, inspection, team, key: str, current: bool) -> None:
        """The agency remedies its findings (the nonconformities carried through their life)
        and reports it; the team closes the loop — this year, not everywhere yet."""
        keepers = self.ctx.keepers[inspection.agency.code.upper()]
        reported_on = inspection.date + 30 * DAY
        stage = digest(f"{key}/remedy") % 3 if current else 2
        target = improvements.CLOSED if stage else improvements.IN_PROGRESS
        for finding in Finding.objects.filter(inspection=inspection).select_related(
            "nonconformity"
        ):
            if finding.nonconformity is not None:
                improvements.advance(
                    finding.nonconformity,
                    target=target,
                    today=min(self.today, reported_on - DAY),
                    secretary=keepers.secretary,
                    head=keepers.head,
                    key=f"{key}/{finding.number}",
                )
        if stage == 0 or reported_on > self.today:
            return
        with clock_at(reported_on, 10):
            services.remediation_report(
                actor=keepers.secretary, inspection=inspection, report=REMEDIATION
            )
        closed_on = reported_on + 7 * DAY
        if stage == 1 or closed_on > self.today:
            return
        with clock_at(closed_on, 16):
            services.inspection_close(
                actor=team,
                inspection=inspection,
                note="Đoàn kiểm tra đã xem xét báo cáo, các tồn tại đã được khắc phục.",
            )
        self.closed += 1

    def signed_record(self, inspection) -> SimpleUploadedFile:
        inspection.refresh_from_db()
        document = outputs.record_document(
            inspection,
            selectors.team_of(plan=inspection.plan),
            selectors.answers_of(inspection=inspection),
            selectors.findings_of(inspection=inspection),
        )
        name = f"{outputs.record_filename(inspection)}-da-ky.pdf"
        return SimpleUploadedFile(name, scan_pdf(document), content_type="application/pdf")

    def complete(self, plan, calendar: YearCalendar) -> None:
        if plan.inspections.filter(status__in=selectors.OPEN).exists():
            return
        with clock_at(calendar.summary_on, 10):
            plan = services.plan_summary_save(
                actor=self.overseer,
                plan=plan,
                data={
                    **SUMMARY,
                    "summary_number": "215/BC-SKHCN",
                    "summary_date": calendar.summary_on,
                },
            )
            services.plan_complete(actor=self.overseer, plan=plan)


def build(ctx: DemoContext) -> StepReport:
    builder = InspectionsBuilder(ctx)
    builder.build()
    added = ""
    if builder.plans or builder.inspections:
        added = _(
            "Inspections: %(plans)s plan(s), %(inspections)s agency(ies) inspected, "
            "%(findings)s finding(s) sent back as nonconformities."
        ) % {
            "plans": builder.plans,
            "inspections": builder.inspections,
            "findings": builder.findings,
        }
    plans = InspectionPlan.objects.filter(agency=ctx.province) if ctx.province else None
    totals = ""
    if plans is not None and plans.exists():
        inspections = Inspection.objects.filter(plan__in=plans)
        totals = _(
            "Inspections: %(plans)s plan(s) of the Department of Science and Technology, "
            "%(agencies)s agency(ies) in them, %(recorded)s inspection record(s) made, "
            "%(closed)s closed."
        ) % {
            "plans": plans.count(),
            "agencies": inspections.count(),
            "recorded": inspections.filter(status__in=selectors.RECORDED).count(),
            "closed": inspections.filter(status=InspectionStatus.CLOSED).count(),
        }
    return StepReport(added=added, totals=totals)
