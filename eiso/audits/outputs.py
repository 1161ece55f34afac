"""The audit plan (kế hoạch đánh giá nội bộ) and the audit report (báo cáo đánh giá nội bộ) in
the Nghị định 30/2020/NĐ-CP layout, DOCX/PDF. No HTTP here; every string written into the
files is Vietnamese data or an administrative formula."""

from __future__ import annotations

from eiso.audits.choices import AuditStatus, FindingGrade, TeamRole
from eiso.audits.models import InternalAudit
from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import (
    DRAFT_MARK,
    agency_name,
    issuing_body,
    place_name,
    signer_lines,
    superior_body,
)

GRADE = {
    FindingGrade.MAJOR: "Không phù hợp nặng",
    FindingGrade.MINOR: "Không phù hợp nhẹ",
    FindingGrade.OBSERVATION: "Khuyến nghị",
    FindingGrade.IMPROVEMENT: "Cơ hội cải tiến",
}
ROLE = {TeamRole.LEAD: "Trưởng đoàn", TeamRole.MEMBER: "Thành viên"}
TEAM_COLUMNS = ["STT", "Họ và tên", "Chức vụ", "Nhiệm vụ"]
TEAM_WIDTHS_CM = [1.1, 5.4, 6.0, 3.5]
SCHEDULE_COLUMNS = [
    "Thời gian",
    "Bộ phận được đánh giá",
    "Quá trình, nội dung",
    "Điều khoản",
    "Chuyên gia",
]
SCHEDULE_WIDTHS_CM = [3.0, 3.6, 4.4, 2.2, 2.8]
FINDING_COLUMNS = ["STT", "Phân loại", "Điều khoản", "Bộ phận", "Nội dung phát hiện", "Phiếu KPH"]
FINDING_WIDTHS_CM = [1.0, 2.6, 1.8, 2.8, 5.8, 2.0]
PLAN_RECIPIENTS = ["Các phòng, bộ phận;", "Đoàn đánh giá;", "Lưu: VT, Thư ký ISO."]
REPORT_RECIPIENTS = ["Lãnh đạo cơ quan;", "Ban chỉ đạo ISO;", "Lưu: VT, Thư ký ISO."]


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "…/…/……"


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _title_line(audit: InternalAudit) -> str:
    return f"Đánh giá nội bộ Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 năm {audit.year} (đợt {audit.sequence})"


def _team_table(team) -> Table:
    return Table(
        TEAM_COLUMNS,
        [
            [str(n), _person(m.user), m.user.position or "", ROLE.get(m.role, "")]
            for n, m in enumerate(team, start=1)
        ],
        widths_cm=TEAM_WIDTHS_CM,
    )


def _number(text: str, kind: str, agency) -> str:
    return f"Số: {text}" if text else f"Số:      /{kind}-{agency_symbol(agency)}"


def plan_document(audit: InternalAudit, team, sessions) -> OfficialDocument:
    agency = audit.agency
    approved = audit.status != AuditStatus.DRAFT
    rows = []
    for s in sessions:
        clauses = ", ".join(c.code for c in s.clauses.all())
        rows.append(
            [
                f"{_day(s.date)} {s.start_time:%H:%M}–{s.end_time:%H:%M}",
                s.department.name if s.department_id else "",
                s.process,
                clauses,
                _person(s.auditor),
            ]
        )
    articles: list = [
        Paragraph("1. MỤC ĐÍCH", bold=True, indent=False),
        Paragraph(
            audit.purpose
            or "Xác định mức độ phù hợp và hiệu lực của Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015; phát hiện sự không phù hợp và cơ hội cải tiến."
        ),
        Paragraph("2. PHẠM VI ĐÁNH GIÁ", bold=True, indent=False),
        Paragraph(audit.scope),
        Paragraph("3. CHUẨN MỰC ĐÁNH GIÁ", bold=True, indent=False),
        Paragraph(audit.criteria),
        Paragraph("4. THỜI GIAN", bold=True, indent=False),
        Paragraph(f"Từ ngày {_day(audit.start_date)} đến ngày {_day(audit.end_date)}."),
        Paragraph("5. ĐOÀN ĐÁNH GIÁ", bold=True, indent=False),
        _team_table(team) if team else Paragraph("Chưa phân công."),
        Paragraph("6. LỊCH ĐÁNH GIÁ", bold=True, indent=False),
        Table(SCHEDULE_COLUMNS, rows, widths_cm=SCHEDULE_WIDTHS_CM)
        if rows
        else Paragraph("Chưa lập lịch."),
        Paragraph("7. TỔ CHỨC THỰC HIỆN", bold=True, indent=False),
        Paragraph(
            "Các phòng, bộ phận được đánh giá bố trí người làm việc với đoàn theo lịch; chuyên gia đánh giá không đánh giá công việc của chính mình; Thư ký ISO tổng hợp kết quả, trình lãnh đạo."
        ),
    ]
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=_number(audit.plan_number, "KH", agency),
        place=place_name(agency),
        date=audit.plan_date if approved else None,
        doc_type="KẾ HOẠCH",
        title=_title_line(audit),
        articles=articles,
        recipients=PLAN_RECIPIENTS,
        signer_title=signer_lines(agency.head_title or "Thủ trưởng cơ quan"),
        signer_name=_person(audit.approved_by)
        if approved and audit.approved_by_id
        else (agency.head_name or ""),
        watermark="" if approved else DRAFT_MARK,
    )


def report_document(
    audit: InternalAudit, team, findings, *, questions: int, answered: int
) -> OfficialDocument:
    agency = audit.agency
    issued = audit.status in (AuditStatus.REPORTED, AuditStatus.CLOSED)
    counts = {grade: 0 for grade in GRADE}
    for f in findings:
        counts[f.grade] = counts.get(f.grade, 0) + 1
    rows = [
        [
            str(n),
            GRADE.get(f.grade, f.grade),
            f.clause.code,
            f.department.name if f.department_id else "",
            f.description + (f" (Bằng chứng: {f.evidence})" if f.evidence else ""),
            f.nonconformity.code if f.nonconformity_id else "",
        ]
        for n, f in enumerate(findings, start=1)
    ]
    lead = next((m for m in team if m.role == TeamRole.LEAD), None)
    articles: list = [
        Paragraph(
            f"Thực hiện Kế hoạch {audit.plan_number or '…'} ngày {_day(audit.plan_date)} của {agency_name(agency)}, "
            f"đoàn đánh giá nội bộ đã tiến hành đánh giá từ ngày {_day(audit.start_date)} đến ngày "
            f"{_day(audit.end_date)}. Đoàn báo cáo kết quả như sau:"
        ),
        Paragraph("1. PHẠM VI VÀ CHUẨN MỰC", bold=True, indent=False),
        Paragraph(audit.scope),
        Paragraph(audit.criteria),
        Paragraph("2. ĐOÀN ĐÁNH GIÁ", bold=True, indent=False),
        _team_table(team) if team else Paragraph("—"),
        Paragraph("3. KẾT QUẢ ĐÁNH GIÁ", bold=True, indent=False),
        Paragraph(
            f"Số câu hỏi trong bảng kiểm tra: {questions}, đã đánh giá: {answered}. "
            f"Số điểm không phù hợp nặng: {counts[FindingGrade.MAJOR]}; không phù hợp nhẹ: "
            f"{counts[FindingGrade.MINOR]}; khuyến nghị: {counts[FindingGrade.OBSERVATION]}; "
            f"cơ hội cải tiến: {counts[FindingGrade.IMPROVEMENT]}."
        ),
        Table(FINDING_COLUMNS, rows, widths_cm=FINDING_WIDTHS_CM)
        if rows
        else Paragraph("Không phát hiện điểm không phù hợp."),
        Paragraph("4. ĐIỂM MẠNH", bold=True, indent=False),
        Paragraph(audit.strengths or "—"),
        Paragraph("5. KẾT LUẬN", bold=True, indent=False),
        Paragraph(audit.conclusion or "—"),
        Paragraph("6. KIẾN NGHỊ", bold=True, indent=False),
        Paragraph(audit.recommendations or "—"),
    ]
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=_number(audit.report_number, "BC", agency),
        place=place_name(agency),
        date=audit.report_date if issued else None,
        doc_type="BÁO CÁO",
        title=f"Kết quả {_title_line(audit)[0].lower()}{_title_line(audit)[1:]}",
        articles=articles,
        recipients=REPORT_RECIPIENTS,
        signer_title="TRƯỞNG ĐOÀN ĐÁNH GIÁ",
        signer_name=_person(lead.user) if lead else "",
        watermark="" if issued else DRAFT_MARK,
    )


def plan_filename(audit: InternalAudit, extension: str) -> str:
    return f"Kế hoạch đánh giá nội bộ {audit.sequence}-{audit.year}.{extension}"


def report_filename(audit: InternalAudit, extension: str) -> str:
    return f"Báo cáo đánh giá nội bộ {audit.sequence}-{audit.year}.{extension}"
