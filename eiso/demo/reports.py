"""Step "reports": the annual reports of every demo agency that keeps a QMS and the province's
summary, as the Sở KH&CN's letter asks for them.

Last year: each agency's report generated in early December from the period's records, its
assessment, difficulties and recommendations written by the ISO secretary, approved by the
head, submitted with the signed scan (a few after the 15/12 deadline), received by the
overseer; one returned for correction and sent again as version 2. The province's summary of
last year sent to the People's Committee and the Ministry at the end of December. This year
(from 1 December): most agencies have submitted, some are waiting for the head's approval, a few
still drafting.

Written through the reports' services on the days it happened (``clock_at``), idempotent (an
agency whose report of the year exists is left alone)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, pick, working_day_between
from eiso.demo.data import OVERSEER_USERNAME
from eiso.demo.scans import scan_pdf
from eiso.reports import outputs, selectors, services
from eiso.reports.choices import ReportStatus
from eiso.reports.models import AnnualReport, ProvincialReport

DAY = datetime.timedelta(days=1)
ASSESSMENTS = (
    "Hệ thống quản lý chất lượng của cơ quan được duy trì, cập nhật kịp thời khi có thay đổi "
    "văn bản quy phạm pháp luật; các thủ tục hành chính được giải quyết đúng quy trình, tỷ lệ hồ "
    "sơ đúng hạn tăng so với năm trước.",
    "Việc áp dụng HTQLCL đã góp phần chuẩn hóa quy trình giải quyết công việc, nâng cao trách "
    "nhiệm của cán bộ, công chức; hoạt động đánh giá nội bộ và xem xét của lãnh đạo được thực "
    "hiện đầy đủ theo kế hoạch.",
    "HTQLCL tiếp tục được áp dụng có hiệu lực; một số mục tiêu chất lượng chưa đạt đã được phân "
    "tích nguyên nhân và đề ra hành động khắc phục.",
)
DIFFICULTIES = (
    "Cán bộ, công chức thường xuyên luân chuyển nên việc cập nhật kiến thức về TCVN ISO "
    "9001:2015 chưa kịp thời.",
    "Nhiều thủ tục hành chính thay đổi trong năm, việc sửa đổi quy trình còn chậm so với ngày "
    "văn bản có hiệu lực.",
    "Kinh phí duy trì HTQLCL còn hạn chế; trang thiết bị tại Bộ phận Một cửa chưa đồng bộ.",
)
RECOMMENDATIONS = (
    "Đề nghị Sở Khoa học và Công nghệ tổ chức lớp tập huấn chuyên gia đánh giá nội bộ.",
    "Đề nghị UBND tỉnh bố trí kinh phí duy trì, cải tiến HTQLCL hằng năm.",
    "Đề nghị Sở KH&CN ban hành bộ quy trình mẫu cho các thủ tục hành chính mới.",
)
RETURN_REASON = (
    "Báo cáo chưa nêu kết quả thực hiện mục tiêu chất lượng và chưa có số liệu đánh giá nội bộ; "
    "đề nghị bổ sung và gửi lại."
)


def _scan(document, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, scan_pdf(document), content_type="application/pdf")


class ReportsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.overseer = ctx.users.get(OVERSEER_USERNAME)
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.existing = set(
            AnnualReport.objects.filter(agency__in=self.agencies).values_list("agency_id", "year")
        )
        self.made = self.returned = self.summaries = 0

    def build(self) -> None:
        last = self.today.year - 1
        returned_one = AnnualReport.objects.filter(version__gt=1).exists()
        for agency in self.agencies:
            for year in (last, self.today.year):
                if (agency.pk, year) in self.existing:
                    continue
                if keepers_appointed_on(agency) > datetime.date(year, 6, 1):
                    continue
                back = year == last and not returned_one and agency.tier != "commune"
                if self.year(agency, year, return_it=back):
                    returned_one = returned_one or back
        self.summary(last)

    def year(self, agency, year: int, *, return_it: bool) -> bool:
        key = f"reports/{agency.code}/{year}"
        generated = working_day_between(key, datetime.date(year, 12, 1), datetime.date(year, 12, 5))
        if generated > self.today:
            return False
        keepers = self.ctx.keepers[agency.code.upper()]
        with clock_at(generated):
            report = services.annual_report_start(actor=keepers.secretary, agency=agency, year=year)
            services.annual_report_update(
                actor=keepers.secretary,
                report=report,
                data={
                    "assessment": pick(f"{key}/a", ASSESSMENTS),
                    "difficulties": pick(f"{key}/d", DIFFICULTIES),
                    "recommendations": pick(f"{key}/r", RECOMMENDATIONS),
                    "signer_name": keepers.head.full_name,
                    "signer_title": "THỦ TRƯỞNG CƠ QUAN",
                },
            )
        self.made += 1
        # This year some stay a draft or wait for the head: the deadline is still ahead.
        stage = digest(f"{key}/stage") % 10
        if year == self.today.year and stage == 0:
            return True
        approved = generated + DAY * (1 + digest(f"{key}/approve") % 3)
        if approved > self.today:
            return True
        with clock_at(approved, 14):
            report = services.annual_report_approve(actor=keepers.head, report=report)
        if year == self.today.year and stage == 1:
            return True
        # Most before 15/12, about one in eight a few days late.
        late = digest(f"{key}/late") % 8 == 0
        window = (
            (datetime.date(year, 12, 16), datetime.date(year, 12, 22))
            if late
            else (
                approved + DAY,
                datetime.date(year, 12, 14),
            )
        )
        submitted = working_day_between(f"{key}/submit", *window)
        if submitted > self.today or submitted < approved:
            return True
        with clock_at(submitted, 10):
            report = services.annual_report_submit(
                actor=keepers.secretary,
                report=report,
                number=str(100 + digest(f"{key}/number") % 200),
                report_date=submitted,
                upload=_scan(outputs.annual_document(report), "bao-cao-htqlcl.pdf"),
            )
        if self.overseer is None:
            return True
        answered = submitted + DAY * (2 + digest(f"{key}/receive") % 5)
        if answered > self.today:
            return True
        if return_it:
            with clock_at(answered, 15):
                services.annual_report_return(
                    actor=self.overseer, report=report, reason=RETURN_REASON
                )
                corrected = services.annual_report_correct(actor=keepers.secretary, report=report)
            self.returned += 1
            again = answered + 2 * DAY
            if again > self.today:
                return True
            with clock_at(again, 9):
                services.annual_report_update(
                    actor=keepers.secretary,
                    report=corrected,
                    data={
                        "assessment": pick(f"{key}/a", ASSESSMENTS)
                        + " Kết quả thực hiện mục tiêu chất lượng và đánh giá nội bộ được nêu "
                        "tại mục II."
                    },
                )
                corrected = services.annual_report_approve(actor=keepers.head, report=corrected)
                corrected = services.annual_report_submit(
                    actor=keepers.secretary,
                    report=corrected,
                    number=str(300 + digest(f"{key}/number") % 200),
                    report_date=again,
                    upload=_scan(outputs.annual_document(corrected), "bao-cao-bo-sung.pdf"),
                )
            report, answered = corrected, again + 2 * DAY
            if answered > self.today:
                return True
        with clock_at(answered, 15):
            services.annual_report_receive(actor=self.overseer, report=report)
        return True

    def summary(self, year: int) -> None:
        root = self.ctx.province
        if self.overseer is None or root is None:
            return
        if ProvincialReport.objects.filter(agency=root, year=year).exists():
            return
        day = working_day_between(
            f"summary/{year}", datetime.date(year, 12, 24), datetime.date(year, 12, 30)
        )
        if day > self.today:
            return
        with clock_at(day):
            report = services.provincial_report_start(
                actor=self.overseer, agency=root, year=year, as_of=day
            )
            services.provincial_report_update(
                actor=self.overseer,
                report=report,
                data={
                    "direction": "UBND tỉnh ban hành Kế hoạch duy trì, áp dụng HTQLCL năm "
                    f"{year}; Sở KH&CN hướng dẫn, kiểm tra việc áp dụng tại các cơ quan.",
                    "results": "Các cơ quan thuộc đối tượng đã xây dựng, áp dụng và công bố "
                    "HTQLCL; phần lớn gửi báo cáo đúng hạn.",
                    "limits": "Một số cơ quan gửi báo cáo chậm; việc cập nhật quy trình khi "
                    "thủ tục hành chính thay đổi chưa kịp thời.",
                    "proposals": "Đề nghị Bộ KH&CN tiếp tục tổ chức đào tạo chuyên gia đánh giá.",
                    "recipients": "UBND tỉnh; Bộ Khoa học và Công nghệ; Lưu: VT, TĐC.",
                    "signer_name": self.overseer.full_name,
                    "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                },
            )
            figures = selectors.figures_of(user=self.overseer, report=report)
            services.provincial_report_submit(
                actor=self.overseer,
                report=report,
                number=str(200 + digest(f"summary/{year}") % 100),
                report_date=day,
                upload=_scan(outputs.summary_document(report, figures), "bao-cao-tong-hop.pdf"),
            )
        self.summaries += 1


def totals(today: datetime.date) -> dict:
    this = AnnualReport.objects.filter(year=today.year)
    return {
        "year": today.year,
        "submitted": this.filter(
            status__in=(ReportStatus.SUBMITTED, ReportStatus.RECEIVED)
        ).count(),
        "drafts": this.filter(status__in=(ReportStatus.DRAFT, ReportStatus.APPROVED)).count(),
        "last": AnnualReport.objects.filter(year=today.year - 1, version=1).count(),
        "late": AnnualReport.objects.filter(late=True).count(),
    }


def build(ctx: DemoContext) -> StepReport:
    """Step "reports"."""
    builder = ReportsBuilder(ctx)
    builder.build()
    added = ""
    if builder.made or builder.summaries:
        added = _(
            "Annual reports: %(reports)d written (%(returned)d returned and corrected), "
            "%(summaries)d province summary sent."
        ) % {
            "reports": builder.made,
            "returned": builder.returned,
            "summaries": builder.summaries,
        }
    summary = _(
        "Annual reports: %(last)d of last year; %(year)d: %(submitted)d submitted, "
        "%(drafts)d in preparation; %(late)d late."
    ) % totals(ctx.today)
    return StepReport(added=added, totals=summary)
