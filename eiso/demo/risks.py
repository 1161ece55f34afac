"""Step "risks": every demo agency that keeps a QMS has this year's context issues, interested
parties and a register of 8–20 risks and opportunities (some of them of the administrative
procedures it handles), rated on the default scale in February; each risk above the
acceptance threshold has its treatments, most done on time with their result, a few overdue
(they wait in the owner's inbox); treated risks re-rated and most of their effectiveness
reviewed; the evaluation report finalized in November, before the internal audit.

Written through the risks' services on the days it happened (``clock_at``), idempotent (an
agency whose register of the year exists is left alone)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from eiso.demo.builders import keepers_appointed_on
from eiso.demo.context import DemoContext, StepReport, clock_at, digest, working_day_between
from eiso.procedures.models import HandledProcedure
from eiso.risks import services
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskReport, Treatment

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Spec:
    """A risk (or opportunity) as practice writes them, with its usual treatment and the
    rating it reaches after it. ``on_procedure``: it belongs to one of the agency's TTHC."""

    kind: str
    process: str
    description: str
    cause: str
    consequence: str
    likelihood: int
    impact: int
    treatment: str
    after: tuple[int, int]
    on_procedure: bool = False


RISKS = (
    Spec(
        "risk",
        "Tiếp nhận và trả kết quả",
        "Hồ sơ giải quyết quá hạn so với thời hạn quy định",
        "Khối lượng hồ sơ lớn; công chức kiêm nhiệm nhiều việc",
        "Phải xin lỗi người dân bằng văn bản; ảnh hưởng chỉ số hài lòng",
        4,
        4,
        "Theo dõi tiến độ hằng tuần trên phần mềm một cửa, cảnh báo hồ sơ sắp đến hạn",
        (2, 3),
        True,
    ),
    Spec(
        "risk",
        "Tiếp nhận và trả kết quả",
        "Tiếp nhận hồ sơ thiếu thành phần, phải bổ sung nhiều lần",
        "Công chức mới chưa nắm vững quy định; hướng dẫn niêm yết chưa rõ",
        "Người dân đi lại nhiều lần, phát sinh phản ánh",
        3,
        3,
        "Lập phiếu kiểm tra thành phần hồ sơ theo từng thủ tục, tập huấn công chức tiếp nhận",
        (2, 2),
        True,
    ),
    Spec(
        "risk",
        "Luân chuyển hồ sơ",
        "Thất lạc hồ sơ giấy khi chuyển giữa Bộ phận Một cửa và phòng chuyên môn",
        "Không có sổ giao nhận, bàn giao bằng miệng",
        "Trễ hạn; phải làm lại hồ sơ; khiếu nại",
        2,
        5,
        "Lập sổ giao nhận hồ sơ, ký nhận từng bước luân chuyển",
        (1, 4),
    ),
    Spec(
        "risk",
        "Giải quyết hồ sơ",
        "Thẩm định hồ sơ sai quy định do áp dụng văn bản đã hết hiệu lực",
        "Chưa cập nhật kịp thời văn bản QPPL mới",
        "Kết quả giải quyết bị hủy; trách nhiệm pháp lý",
        2,
        5,
        "Rà soát danh mục văn bản QPPL hằng quý, phổ biến văn bản mới",
        (1, 4),
        True,
    ),
    Spec(
        "risk",
        "Công nghệ thông tin",
        "Phần mềm một cửa điện tử gián đoạn, không tiếp nhận được hồ sơ trực tuyến",
        "Đường truyền không ổn định; máy chủ quá tải",
        "Hồ sơ trực tuyến bị chậm, người dân phải nộp trực tiếp",
        3,
        4,
        "Phối hợp đơn vị cung cấp phần mềm nâng cấp đường truyền, lập phương án dự phòng",
        (2, 3),
    ),
    Spec(
        "risk",
        "Công nghệ thông tin",
        "Mất dữ liệu hồ sơ điện tử do sự cố máy chủ",
        "Chưa sao lưu dữ liệu định kỳ",
        "Không truy xuất được hồ sơ lưu trữ",
        2,
        5,
        "Sao lưu dữ liệu hằng tuần ra thiết bị lưu trữ riêng",
        (1, 4),
    ),
    Spec(
        "risk",
        "Nhân sự",
        "Thiếu công chức có chuyên môn khi công chức nghỉ phép, nghỉ chế độ",
        "Biên chế hạn chế, chưa phân công người thay thế",
        "Hồ sơ tồn đọng, giải quyết chậm",
        4,
        3,
        "Phân công công chức dự phòng cho từng lĩnh vực, đào tạo kiêm nhiệm",
        (2, 2),
    ),
    Spec(
        "risk",
        "Nhân sự",
        "Công chức chưa nắm vững các quy trình ISO sau khi sắp xếp tổ chức bộ máy",
        "Luân chuyển, điều động nhiều sau hợp nhất",
        "Áp dụng sai quy trình; không phù hợp khi đánh giá",
        3,
        3,
        "Tổ chức phổ biến HTQLCL cho công chức mới tiếp nhận",
        (2, 2),
    ),
    Spec(
        "risk",
        "Kiểm soát tài liệu",
        "Sử dụng biểu mẫu cũ đã hết hiệu lực",
        "Không thu hồi bản giấy khi ban hành bản mới",
        "Hồ sơ không đúng mẫu, phải làm lại",
        3,
        2,
        'Thu hồi và đóng dấu "Hết hiệu lực" tài liệu cũ khi ban hành tài liệu mới',
        (1, 2),
    ),
    Spec(
        "risk",
        "Lưu trữ hồ sơ",
        "Hồ sơ lưu trữ không đủ thành phần, khó tra cứu",
        "Chưa lập danh mục hồ sơ; kho lưu trữ chật",
        "Không đáp ứng khi thanh tra, kiểm tra",
        3,
        3,
        "Lập danh mục hồ sơ theo năm, số hóa hồ sơ có giá trị lâu dài",
        (2, 2),
    ),
    Spec(
        "risk",
        "Tiếp công dân, phản ánh kiến nghị",
        "Phản ánh, kiến nghị của người dân không được trả lời đúng hạn",
        "Chưa có đầu mối theo dõi, chuyển xử lý chậm",
        "Phát sinh khiếu nại vượt cấp",
        3,
        4,
        "Giao Văn phòng làm đầu mối, lập sổ theo dõi phản ánh kiến nghị",
        (1, 3),
    ),
    Spec(
        "risk",
        "Tài chính",
        "Kinh phí duy trì HTQLCL không được bố trí đủ",
        "Dự toán năm chưa có mục chi riêng",
        "Không tổ chức được đánh giá nội bộ, đào tạo",
        2,
        3,
        "Đưa kinh phí duy trì ISO vào dự toán năm sau",
        (1, 3),
    ),
    Spec(
        "risk",
        "Cơ sở vật chất",
        "Bộ phận Một cửa chật hẹp, thiếu ghế chờ và máy lấy số",
        "Trụ sở cũ, chưa được đầu tư",
        "Người dân chờ lâu, giảm mức độ hài lòng",
        3,
        2,
        "Bố trí lại khu vực chờ, đề xuất trang bị máy lấy số thứ tự",
        (2, 2),
    ),
    Spec(
        "risk",
        "Giải quyết hồ sơ",
        "Lấy ý kiến cơ quan liên quan chậm làm quá hạn hồ sơ liên thông",
        "Quy chế phối hợp chưa quy định thời hạn trả lời",
        "Hồ sơ liên thông quá hạn",
        3,
        4,
        "Đề xuất quy chế phối hợp có thời hạn trả lời, nhắc việc qua hệ thống",
        (2, 3),
        True,
    ),
    Spec(
        "risk",
        "Đánh giá nội bộ",
        "Đánh giá nội bộ hình thức, không phát hiện được điểm không phù hợp",
        "Chuyên gia đánh giá chưa được đào tạo đầy đủ",
        "HTQLCL không được cải tiến",
        2,
        3,
        "Cử công chức tham gia lớp chuyên gia đánh giá nội bộ",
        (1, 3),
    ),
)
OPPORTUNITIES = (
    Spec(
        "opportunity",
        "Dịch vụ công trực tuyến",
        "Tăng tỷ lệ hồ sơ nộp trực tuyến toàn trình nhờ Cổng dịch vụ công",
        "Người dân dùng điện thoại thông minh ngày càng nhiều",
        "Giảm thời gian đi lại, giảm tải Bộ phận Một cửa",
        4,
        3,
        "Hướng dẫn người dân nộp trực tuyến tại Bộ phận Một cửa",
        (4, 4),
    ),
    Spec(
        "opportunity",
        "Thanh toán trực tuyến",
        "Thu phí, lệ phí qua thanh toán không dùng tiền mặt",
        "Ngân hàng hỗ trợ tích hợp miễn phí",
        "Minh bạch, giảm thời gian thu nộp",
        3,
        3,
        "Phối hợp ngân hàng triển khai thanh toán trực tuyến",
        (4, 3),
    ),
    Spec(
        "opportunity",
        "Số hóa hồ sơ",
        "Tái sử dụng dữ liệu hồ sơ đã số hóa, người dân không phải nộp lại giấy tờ",
        "Kho dữ liệu điện tử của tỉnh đã kết nối",
        "Rút ngắn thời gian giải quyết",
        3,
        4,
        "Số hóa kết quả giải quyết TTHC còn hiệu lực",
        (4, 4),
    ),
    Spec(
        "opportunity",
        "Đào tạo",
        "Chương trình đào tạo trực tuyến về ISO 9001:2015 của Sở KH&CN",
        "Sở KH&CN mở lớp miễn phí",
        "Nâng cao năng lực thư ký ISO, chuyên gia đánh giá",
        3,
        2,
        "Cử thư ký ISO và công chức tham gia lớp đào tạo",
        (4, 2),
    ),
    Spec(
        "opportunity",
        "Cải cách hành chính",
        "Cắt giảm thời gian giải quyết một số thủ tục theo kế hoạch của tỉnh",
        "Kế hoạch cải cách hành chính năm của UBND tỉnh",
        "Nâng chỉ số cải cách hành chính",
        3,
        3,
        "Rà soát quy trình nội bộ, đề xuất cắt giảm thời gian từng bước",
        (4, 3),
        True,
    ),
)
ISSUES = (
    (
        "external",
        "legal",
        "Văn bản quy phạm pháp luật về thủ tục hành chính thay đổi thường xuyên",
        "Quy trình ISO phải sửa đổi kịp thời",
        "Rà soát văn bản QPPL hằng quý",
    ),
    (
        "external",
        "organisation",
        "Sắp xếp tổ chức bộ máy và chính quyền địa phương hai cấp từ 01/07/2025",
        "Phạm vi áp dụng HTQLCL thay đổi, phải công bố lại",
        "Cập nhật phạm vi, công bố lại HTQLCL",
    ),
    (
        "external",
        "technology",
        "Tỉnh triển khai Hệ thống thông tin giải quyết TTHC dùng chung",
        "Quy trình phải khớp với quy trình điện tử trên hệ thống",
        "Đối chiếu quy trình ISO với quy trình điện tử",
    ),
    (
        "external",
        "society",
        "Người dân yêu cầu ngày càng cao về thời gian và thái độ phục vụ",
        "Mục tiêu chất lượng phải nâng dần",
        "Khảo sát sự hài lòng 6 tháng một lần",
    ),
    (
        "internal",
        "people",
        "Công chức luân chuyển, kiêm nhiệm nhiều việc",
        "Thiếu người am hiểu HTQLCL",
        "Đào tạo lại, phân công người dự phòng",
    ),
    (
        "internal",
        "facilities",
        "Trang thiết bị Bộ phận Một cửa đã cũ",
        "Ảnh hưởng tiến độ số hóa hồ sơ",
        "Đề xuất kinh phí mua sắm",
    ),
    (
        "internal",
        "budget",
        "Kinh phí duy trì HTQLCL hạn chế",
        "Khó tổ chức đánh giá nội bộ, đào tạo",
        "Lồng ghép vào dự toán chi thường xuyên",
    ),
)
PARTIES = (
    (
        "citizens",
        "Người dân",
        "Giải quyết đúng hạn, thủ tục đơn giản, thái độ phục vụ tận tình",
        "Khảo sát sự hài lòng; tiếp nhận phản ánh kiến nghị",
    ),
    (
        "businesses",
        "Doanh nghiệp, tổ chức",
        "Thủ tục minh bạch, giải quyết nhanh, nộp hồ sơ trực tuyến",
        "Đối thoại doanh nghiệp hằng năm",
    ),
    (
        "superior",
        "UBND tỉnh, các bộ, ngành trung ương",
        "Thực hiện đúng quy định, báo cáo đầy đủ, đúng hạn",
        "Báo cáo định kỳ; kết quả kiểm tra",
    ),
    (
        "agencies",
        "Sở Khoa học và Công nghệ",
        "Duy trì, cải tiến HTQLCL; báo cáo tình hình áp dụng trước 15/12",
        "Báo cáo năm; kiểm tra của Sở KH&CN",
    ),
    (
        "staff",
        "Cán bộ, công chức",
        "Môi trường làm việc thuận lợi, được đào tạo, quy trình rõ ràng",
        "Họp giao ban; xem xét của lãnh đạo",
    ),
    (
        "agencies",
        "Các cơ quan phối hợp giải quyết hồ sơ liên thông",
        "Hồ sơ chuyển đúng, đủ, đúng thời hạn",
        "Quy chế phối hợp",
    ),
)
EFFECTIVE = (
    "Biện pháp có hiệu quả: không còn phát sinh trường hợp tương tự trong các tháng sau.",
    "Có hiệu quả, mức rủi ro giảm; tiếp tục theo dõi trong năm sau.",
    "Hiệu quả một phần; duy trì biện pháp và đưa vào kế hoạch năm sau.",
)


def register_size(code: str) -> int:
    return 8 + digest(f"risks/{code}/size") % 13  # 8–20


class RisksBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.today = ctx.today
        self.year = ctx.today.year
        self.risks = self.treatments = self.done = self.reports = 0
        self.agencies = [
            a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.kept = set(
            Risk.objects.filter(agency__in=self.agencies, year=self.year).values_list(
                "agency_id", flat=True
            )
        )
        self.procedures: dict[int, list] = {}
        for handled in (
            HandledProcedure.objects.filter(agency__in=self.agencies, is_active=True)
            .select_related("procedure")
            .order_by("procedure__code")
        ):
            self.procedures.setdefault(handled.agency_id, []).append(handled.procedure)

    def build(self) -> None:
        for agency in self.agencies:
            if agency.pk in self.kept:
                continue
            start = max(
                working_day_between(
                    f"risks/{agency.code}",
                    datetime.date(self.year, 2, 2),
                    datetime.date(self.year, 2, 20),
                ),
                keepers_appointed_on(agency) + 5 * DAY,
            )
            if start.year != self.year or start > self.today:
                continue
            self.agency(agency, self.ctx.keepers[agency.code.upper()], start)

    def chosen(self, agency) -> list[Spec]:
        size = register_size(agency.code)
        opportunities = 2 + digest(f"risks/{agency.code}/opp") % 3
        ranked = sorted(RISKS, key=lambda s: digest(f"risks/{agency.code}/{s.description}"))
        ranked_opp = sorted(
            OPPORTUNITIES, key=lambda s: digest(f"risks/{agency.code}/{s.description}")
        )
        return ranked[: size - opportunities] + ranked_opp[:opportunities]

    def agency(self, agency, keepers, start: datetime.date) -> None:
        secretary, head = keepers.secretary, keepers.head
        year = self.year
        with clock_at(start):
            for kind, category, description, effect, response in ISSUES:
                services.issue_create(
                    actor=secretary,
                    agency=agency,
                    year=year,
                    data={
                        "kind": kind,
                        "category": category,
                        "description": description,
                        "effect": effect,
                        "response": response,
                    },
                )
            for kind, name, requirements, monitoring in PARTIES:
                services.party_create(
                    actor=secretary,
                    agency=agency,
                    year=year,
                    data={
                        "kind": kind,
                        "name": name,
                        "requirements": requirements,
                        "monitoring": monitoring,
                    },
                )
        procedures = self.procedures.get(agency.pk, [])
        plans = []
        with clock_at(start + 2 * DAY):
            for spec in self.chosen(agency):
                data = {
                    "kind": spec.kind,
                    "process_kind": "internal",
                    "process": spec.process,
                    "description": spec.description,
                    "cause": spec.cause,
                    "consequence": spec.consequence,
                    "likelihood": spec.likelihood,
                    "impact": spec.impact,
                    "owner": secretary,
                }
                if spec.on_procedure and procedures:
                    procedure = procedures[
                        digest(f"risks/{agency.code}/{spec.description}") % len(procedures)
                    ]
                    data.update(process_kind="procedure", procedure=procedure, process="")
                risk = services.risk_create(actor=secretary, agency=agency, year=year, data=data)
                self.risks += 1
                if spec.kind == "opportunity" or risk.needs_treatment:
                    month = 3 + digest(f"risks/{agency.code}/{spec.description}/due") % 8  # Mar–Oct
                    due = datetime.date(year, month, 28)
                    owner = (
                        head
                        if digest(f"risks/{agency.code}/{spec.description}/owner") % 4 == 0
                        else secretary
                    )
                    treatment = services.treatment_create(
                        actor=secretary,
                        risk=risk,
                        data={"action": spec.treatment, "owner": owner, "due_date": due},
                    )
                    self.treatments += 1
                    plans.append((risk, spec, treatment))
                else:
                    plans.append((risk, spec, None))
        # treatments done on time, but a few left overdue (they wait in their owner's inbox)
        for risk, spec, treatment in plans:
            key = f"risks/{agency.code}/{spec.description}"
            if treatment is not None:
                overdue = digest(key + "/overdue") % 5 == 0
                done_on = treatment.due_date - (3 + digest(key + "/done") % 20) * DAY
                if overdue or done_on > self.today:
                    continue
                with clock_at(done_on, hour=16):
                    services.treatment_complete(
                        actor=treatment.owner or secretary,
                        treatment=treatment,
                        done_on=done_on,
                        result="Đã thực hiện theo kế hoạch",
                    )
                self.done += 1
                rerate_on = done_on + 7 * DAY
            else:
                rerate_on = start + 60 * DAY
            if rerate_on > self.today or rerate_on > datetime.date(year, 11, 1):
                continue
            with clock_at(rerate_on):
                risk = services.risk_rerate(
                    actor=secretary, risk=risk, likelihood=spec.after[0], impact=spec.after[1]
                )
                if digest(key + "/review") % 3:
                    services.risk_review(
                        actor=secretary,
                        risk=risk,
                        effectiveness=EFFECTIVE[digest(key + "/words") % len(EFFECTIVE)],
                        reviewed_on=rerate_on,
                    )
        report_day = working_day_between(
            f"risks/{agency.code}/report", datetime.date(year, 11, 3), datetime.date(year, 11, 12)
        )
        if report_day <= self.today:
            with clock_at(report_day):
                report = services.report_save(
                    actor=secretary,
                    agency=agency,
                    year=year,
                    report_date=report_day,
                    summary=(
                        "Các rủi ro trọng yếu đã có biện pháp xử lý; phần lớn biện pháp được thực "
                        "hiện đúng hạn và có hiệu quả. Một số biện pháp chậm tiến độ được chuyển "
                        "theo dõi trong năm sau."
                    ),
                )
                services.report_finalize(actor=secretary, report=report)
            self.reports += 1


def risk_totals(today: datetime.date) -> dict[str, int]:
    counts = Risk.objects.aggregate(
        risks=Count("pk", filter=Q(kind="risk")),
        opportunities=Count("pk", filter=Q(kind="opportunity")),
    )
    counts["overdue"] = Treatment.objects.filter(done_on__isnull=True, due_date__lt=today).count()
    counts["issues"] = ContextIssue.objects.count()
    counts["parties"] = InterestedParty.objects.count()
    counts["reports"] = RiskReport.objects.filter(status="final").count()
    return counts


def build(ctx: DemoContext) -> StepReport:
    """Step "risks"."""
    builder = RisksBuilder(ctx)
    builder.build()
    added = ""
    if builder.risks:
        added = _(
            "Risks: registered %(risks)d risks and opportunities with %(treatments)d "
            "treatments (%(done)d done); finalized %(reports)d evaluation reports."
        ) % {
            "risks": builder.risks,
            "treatments": builder.treatments,
            "done": builder.done,
            "reports": builder.reports,
        }
    totals = _(
        "Risks: %(risks)d risks and %(opportunities)d opportunities, %(overdue)d treatments "
        "overdue; %(issues)d context issues, %(parties)d interested parties; %(reports)d "
        "evaluation reports."
    ) % risk_totals(ctx.today)
    return StepReport(added=added, totals=totals)
