"""Step "reviews": every demo agency that keeps a QMS held last year's management review in
December — its input pack assembled from that year's objectives, risks, audit and
nonconformities, its decisions (an improvement, a change to the QMS, a resource need) carried out
this year, one of them late — and this year's after its internal audit: held with its minutes
issued in most agencies, still to come (the pack assembled, editable) in the others.

Written through the reviews' services on the days it happened (``clock_at``), idempotent (an
agency whose review of the year exists is left alone)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.reviews import services
from eiso.reviews.choices import ReviewStatus
from eiso.reviews.models import ManagementReview, ReviewOutput

DAY = datetime.timedelta(days=1)
DECISIONS = (
    ("improvement", "Triển khai khảo sát sự hài lòng trực tuyến bằng mã QR tại Bộ phận Một cửa"),
    ("qms_change", "Sửa đổi quy trình QT-02 Đánh giá nội bộ theo hướng đánh giá dựa trên rủi ro"),
    (
        "resource",
        "Đề nghị bổ sung 01 máy quét tài liệu và nâng cấp đường truyền cho Bộ phận Một cửa",
    ),
    ("improvement", "Số hóa sổ theo dõi hồ sơ, nhắc việc tự động khi hồ sơ sắp đến hạn"),
    ("qms_change", "Cập nhật phạm vi áp dụng HTQLCL theo danh mục TTHC mới được công bố"),
    ("resource", "Cử 02 công chức tham gia lớp đào tạo chuyên gia đánh giá nội bộ"),
)
CONCLUSIONS = (
    "Hệ thống quản lý chất lượng của cơ quan tiếp tục phù hợp, thỏa đáng và có hiệu lực; mục "
    "tiêu chất lượng cơ bản đạt; các sự không phù hợp được khắc phục kịp thời. Giao Thư ký ISO "
    "theo dõi các quyết định của cuộc họp.",
    "HTQLCL được duy trì có hiệu lực. Cần quan tâm các mục tiêu chưa đạt và hoàn thành dứt điểm "
    "các hành động khắc phục còn mở trước quý I năm sau.",
)


class ReviewsBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.reviews = self.decisions = 0
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.existing = set(
            ManagementReview.objects.filter(agency__in=self.agencies).values_list(
                "agency_id", "year"
            )
        )

    def build(self) -> None:
        for agency in self.agencies:
            for year in (self.today.year - 1, self.today.year):
                if (agency.pk, year) in self.existing:
                    continue
                if keepers_appointed_on(agency) > datetime.date(year, 8, 1):
                    continue
                self.year(agency, year)

    def meeting_day(self, agency, year: int) -> datetime.date:
        key = f"reviews/{agency.code}/{year}"
        if year < self.today.year:
            return working_day_between(key, datetime.date(year, 12, 3), datetime.date(year, 12, 16))
        return working_day_between(key, datetime.date(year, 11, 23), datetime.date(year, 12, 18))

    def year(self, agency, year: int) -> None:
        keepers = self.ctx.keepers[agency.code.upper()]
        secretary, head = keepers.secretary, keepers.head
        meeting = self.meeting_day(agency, year)
        planned_on = meeting - 12 * DAY
        if planned_on > self.today:
            return
        with clock_at(planned_on):
            review = services.review_create(
                actor=secretary,
                agency=agency,
                data={
                    "meeting_date": meeting,
                    "place": "Phòng họp cơ quan",
                    "chair": head,
                    "attendees": "Lãnh đạo cơ quan\nBan chỉ đạo ISO\nTrưởng các phòng, bộ phận\n"
                    "Thư ký ISO",
                },
            )
        self.reviews += 1
        if meeting > self.today:
            return
        key = f"reviews/{agency.code}/{year}"
        with clock_at(meeting, hour=14):
            services.review_hold(actor=secretary, review=review)
            start = digest(key) % len(DECISIONS)
            outputs = []
            for n in range(3):
                kind, text = DECISIONS[(start + n) % len(DECISIONS)]
                due = datetime.date(year + 1, 2 + 2 * n, 28 if n else 15)
                outputs.append(
                    services.output_create(
                        actor=secretary,
                        review=review,
                        data={
                            "kind": kind,
                            "description": text,
                            "owner": secretary if n != 1 else head,
                            "due_date": due,
                        },
                    )
                )
                self.decisions += 1
        minutes_day = meeting + 2 * DAY
        if minutes_day > self.today:
            return
        with clock_at(minutes_day):
            services.minutes_issue(
                actor=secretary,
                review=review,
                data={
                    "conclusions": CONCLUSIONS[digest(key + "/c") % len(CONCLUSIONS)],
                    "minutes_number": str(10 + digest(key + "/n") % 80),
                    "minutes_date": minutes_day,
                },
            )
        for n, output in enumerate(outputs):
            late = n == 2 and digest(key + "/late") % 2 == 0
            done = output.due_date - (5 + digest(f"{key}/{n}") % 20) * DAY
            if late or done > self.today:
                continue
            with clock_at(done, hour=15):
                services.output_complete(
                    actor=output.owner,
                    output=output,
                    done_on=done,
                    result="Đã thực hiện; có văn bản, hồ sơ kèm theo.",
                )


def totals(today: datetime.date) -> dict[str, int]:
    counts = ManagementReview.objects.aggregate(
        total=Count("pk"),
        issued=Count("pk", filter=Q(status=ReviewStatus.MINUTES_ISSUED)),
        planned=Count("pk", filter=Q(status=ReviewStatus.PLANNED)),
    )
    counts["overdue"] = ReviewOutput.objects.filter(
        done_on__isnull=True, due_date__lt=today
    ).count()
    return counts


def build(ctx: DemoContext) -> StepReport:
    """Step "reviews"."""
    builder = ReviewsBuilder(ctx)
    builder.build()
    added = ""
    if builder.reviews:
        added = _(
            "Management reviews: %(reviews)d meetings with %(decisions)d decisions to follow up."
        ) % {"reviews": builder.reviews, "decisions": builder.decisions}
    summary = _(
        "Management reviews: %(total)d (%(issued)d with their minutes, %(planned)d to come); "
        "%(overdue)d decisions overdue."
    ) % totals(ctx.today)
    return StepReport(added=added, totals=summary)
