"""Official documents of quality objectives in the Nghị định 30/2020/NĐ-CP layout: the decision
issuing the year's objectives with the objectives and their plan as its annex, and the report
on how far they were met. No HTTP here; every string written into the files is Vietnamese data
or an administrative formula (fixed literals, not UI strings)."""

from __future__ import annotations

from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import (
    DECISION_BASES,
    DRAFT_MARK,
    agency_name,
    authority_line,
    issuing_body,
    place_name,
    signer_lines,
    superior_body,
)
from eiso.objectives.choices import ISSUED_SET_STATUSES, ReportStatus, Result
from eiso.objectives.models import EvaluationReport, ObjectiveSet
from eiso.objectives.selectors import ReportRow

OBJECTIVE_COLUMNS = [
    "STT",
    "Mục tiêu chất lượng",
    "Chỉ số đo lường",
    "Chỉ tiêu",
    "Tần suất",
    "Đơn vị thực hiện",
]
OBJECTIVE_WIDTHS_CM = [1.1, 7.0, 6.0, 2.6, 2.4, 5.6]  # 24.7 cm: landscape A4
PLAN_COLUMNS = [
    "STT",
    "Nội dung công việc",
    "Nguồn lực",
    "Người/bộ phận thực hiện",
    "Thời hạn",
    "Cách đánh giá kết quả",
]
PLAN_WIDTHS_CM = [1.3, 7.6, 3.6, 4.6, 2.4, 5.2]
REPORT_COLUMNS = [
    "STT",
    "Mục tiêu chất lượng",
    "Chỉ tiêu",
    "Kết quả đo lường",
    "Đánh giá",
    "Nguyên nhân (nếu không đạt)",
]
REPORT_WIDTHS_CM = [1.1, 6.0, 2.6, 6.0, 2.6, 6.4]
FREQUENCY = {"month": "Hằng tháng", "quarter": "Hằng quý", "half_year": "6 tháng", "year": "Năm"}
RESULT = {Result.MET: "Đạt", Result.NOT_MET: "Không đạt", Result.NOT_MEASURED: "Chưa đo lường"}
RECIPIENTS = ["Như Điều 3;", "Lưu: VT, Thư ký ISO."]
REPORT_RECIPIENTS = ["Ban chỉ đạo ISO;", "Lưu: VT, Thư ký ISO."]


def _unit_of(objective) -> str:
    if objective.department_id:
        return objective.department.name
    return agency_name(objective.agency) if objective.agency_id else ""


def _day(date) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


def decision_document(objective_set: ObjectiveSet, objectives: list) -> OfficialDocument:
    """The decision issuing the objectives of the year (a draft until issued: marked, blanks
    for the number and the day), the objectives and their plan in its annex."""
    agency = objective_set.agency
    body = agency_name(agency)
    year = objective_set.year
    issued = objective_set.status in ISSUED_SET_STATUSES
    number = objective_set.decision_number.strip() if issued else ""
    title = f"Về việc ban hành Mục tiêu chất lượng năm {year} và Kế hoạch thực hiện"
    if objective_set.revision > 1:
        title = f"Về việc sửa đổi Mục tiêu chất lượng năm {year} và Kế hoạch thực hiện"
    articles: list = [
        Paragraph(
            f"Ban hành kèm theo Quyết định này Mục tiêu chất lượng năm {year} và Kế hoạch "
            f"thực hiện Mục tiêu chất lượng của {body} (chi tiết tại Phụ lục kèm theo).",
            lead="Điều 1.",
        ),
    ]
    effect = "Quyết định này có hiệu lực kể từ ngày ký."
    if objective_set.revision > 1 and objective_set.change_summary.strip():
        effect += f" Nội dung sửa đổi: {objective_set.change_summary.strip().rstrip('.')}."
    articles.append(Paragraph(effect, lead="Điều 2."))
    articles.append(
        Paragraph(
            f"Thư ký ISO, Thủ trưởng các phòng, bộ phận thuộc {body} và cán bộ, công chức có "
            "liên quan chịu trách nhiệm thi hành Quyết định này./.",
            lead="Điều 3.",
        )
    )
    annex_title = (
        f"PHỤ LỤC\nMỤC TIÊU CHẤT LƯỢNG NĂM {year} VÀ KẾ HOẠCH THỰC HIỆN\n"
        f"(Kèm theo Quyết định số {number or '      '} của {body})"
    )
    articles.append(Paragraph(annex_title, bold=True, align="center", indent=False))
    articles.append(Paragraph("I. MỤC TIÊU CHẤT LƯỢNG", bold=True, indent=False))
    articles.append(
        Table(
            OBJECTIVE_COLUMNS,
            [
                [
                    str(o.number),
                    o.statement,
                    o.indicator,
                    o.target_text,
                    FREQUENCY.get(o.frequency, o.frequency),
                    _unit_of(o),
                ]
                for o in objectives
            ],
            widths_cm=OBJECTIVE_WIDTHS_CM,
        )
    )
    articles.append(
        Paragraph("II. KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG", bold=True, indent=False)
    )
    for o in objectives:
        articles.append(Paragraph(f"Mục tiêu {o.number}: {o.statement}", bold=True, indent=False))
        articles.append(
            Table(
                PLAN_COLUMNS,
                [
                    [
                        f"{o.number}.{a.number}",
                        a.what,
                        a.resources,
                        a.responsible,
                        _day(a.due_date),
                        a.evaluation,
                    ]
                    for a in o.actions.all()
                ],
                widths_cm=PLAN_WIDTHS_CM,
            )
        )
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số: {number}" if number else f"Số:      /QĐ-{agency_symbol(agency)}",
        place=place_name(agency),
        date=objective_set.decision_date if issued else None,
        doc_type="QUYẾT ĐỊNH",
        title=title,
        preamble=[authority_line(objective_set), *DECISION_BASES],
        decision_heading="QUYẾT ĐỊNH:",
        articles=articles,
        recipients=RECIPIENTS,
        signer_title=signer_lines(objective_set.signer_title or agency.head_title),
        signer_name=(objective_set.signer_name or agency.head_name).strip(),
        watermark="" if issued else DRAFT_MARK,
        landscape=True,
    )


def decision_filename(objective_set: ObjectiveSet, extension: str) -> str:
    stem = f"Quyết định ban hành mục tiêu chất lượng {objective_set.year}"
    if objective_set.status not in ISSUED_SET_STATUSES:
        stem = f"Dự thảo quyết định mục tiêu chất lượng {objective_set.year}"
    if objective_set.revision > 1:
        stem += f" lần {objective_set.revision}"
    return f"{stem}.{extension}"


def report_document(report: EvaluationReport, rows: list[ReportRow]) -> OfficialDocument:
    """The report on how far the objectives of the year were met: the table of objectives with
    their values and result ("Không đạt" for each one missed, with its causes), then each
    objective's assessment and the general assessment."""
    agency = report.agency
    body = agency_name(agency)
    met = sum(1 for r in rows if r.result == Result.MET)
    missed = sum(1 for r in rows if r.result == Result.NOT_MET)
    articles: list = [
        Paragraph(
            f"Thực hiện Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015, {body} báo cáo "
            f"kết quả thực hiện Mục tiêu chất lượng năm {report.year} như sau:"
        ),
        Paragraph("I. KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG", bold=True, indent=False),
        Paragraph(
            f"Tổng số mục tiêu: {len(rows)}; đạt: {met}; không đạt: {missed}; "
            f"chưa đo lường: {len(rows) - met - missed}."
        ),
        Table(
            REPORT_COLUMNS,
            [
                [
                    str(r.number),
                    r.objective.statement,
                    r.objective.target_text,
                    r.values_text,
                    RESULT.get(r.result, ""),
                    r.causes if r.result == Result.NOT_MET else "",
                ]
                for r in rows
            ],
            widths_cm=REPORT_WIDTHS_CM,
        ),
        Paragraph("II. ĐÁNH GIÁ CỤ THỂ", bold=True, indent=False),
    ]
    for r in rows:
        words = r.assessment.strip() or "—"
        articles.append(
            Paragraph(f"{words}", lead=f"Mục tiêu {r.number} ({RESULT.get(r.result, '')}):")
        )
        if r.result == Result.NOT_MET and r.causes.strip():
            articles.append(Paragraph(f"Nguyên nhân không đạt: {r.causes.strip()}"))
    articles.append(Paragraph("III. ĐÁNH GIÁ CHUNG", bold=True, indent=False))
    articles.append(Paragraph(report.summary.strip() or "—"))
    final = report.status == ReportStatus.FINAL
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số:      /BC-{agency_symbol(agency)}",
        place=place_name(agency),
        date=report.report_date if final else None,
        doc_type="BÁO CÁO",
        title=f"Đánh giá kết quả thực hiện Mục tiêu chất lượng năm {report.year}",
        articles=articles,
        recipients=REPORT_RECIPIENTS,
        signer_title=signer_lines(report.signer_title or agency.head_title),
        signer_name=(report.signer_name or agency.head_name).strip(),
        watermark="" if final else DRAFT_MARK,
        landscape=True,
    )


def report_filename(report: EvaluationReport, extension: str) -> str:
    return f"Báo cáo đánh giá mục tiêu chất lượng {report.year}.{extension}"
