"""The report on how the year's risks and opportunities were handled, in the Nghị định
30/2020/NĐ-CP layout (DOCX/PDF). No HTTP here; the words are Vietnamese data or
administrative formulas."""

from __future__ import annotations

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
from eiso.risks.choices import Level, ReportStatus, RiskKind
from eiso.risks.models import RiskReport

COLUMNS = [
    "Mã",
    "Quá trình",
    "Rủi ro / cơ hội",
    "Mức ban đầu",
    "Biện pháp xử lý",
    "Mức sau xử lý",
    "Hiệu quả",
]
WIDTHS_CM = [1.4, 3.6, 5.4, 2.0, 6.0, 2.0, 4.3]  # 24.7 cm: landscape A4
LEVEL = {Level.LOW: "thấp", Level.MEDIUM: "trung bình", Level.HIGH: "cao"}
RECIPIENTS = ["Ban chỉ đạo ISO;", "Lưu: VT, Thư ký ISO."]


def _rating(value, level) -> str:
    if value is None:
        return "—"
    return f"{value} ({LEVEL.get(level, '')})"


def report_document(report: RiskReport, rows: list[dict]) -> OfficialDocument:
    agency = report.agency
    body = agency_name(agency)
    risks = [r for r in rows if r["kind"] == RiskKind.RISK]
    chances = [r for r in rows if r["kind"] == RiskKind.OPPORTUNITY]
    lowered = sum(
        1 for r in rows if r["residual_rating"] is not None and r["residual_rating"] < r["rating"]
    )
    done = sum(r["done"] for r in rows)
    total = sum(r["total"] for r in rows)

    def table(items):
        return Table(
            COLUMNS,
            [
                [
                    r["code"],
                    r["process"],
                    r["description"],
                    _rating(r["rating"], r["level"]),
                    r["treatments"] or "—",
                    _rating(r["residual_rating"], r["residual_level"]),
                    r["effectiveness"] or "—",
                ]
                for r in items
            ],
            widths_cm=WIDTHS_CM,
        )

    articles: list = [
        Paragraph(
            f"Thực hiện Quy trình quản lý rủi ro và cơ hội của Hệ thống quản lý chất lượng theo "
            f"TCVN ISO 9001:2015, {body} báo cáo kết quả đánh giá việc giải quyết rủi ro và cơ "
            f"hội năm {report.year} như sau:"
        ),
        Paragraph("I. TÌNH HÌNH CHUNG", bold=True, indent=False),
        Paragraph(
            f"Số rủi ro đã nhận diện: {len(risks)}; số cơ hội: {len(chances)}. Số biện pháp xử "
            f"lý đã thực hiện: {done}/{total}. Số rủi ro, cơ hội có mức đánh giá giảm sau xử "
            f"lý: {lowered}."
        ),
        Paragraph("II. KẾT QUẢ XỬ LÝ RỦI RO", bold=True, indent=False),
    ]
    articles.append(table(risks) if risks else Paragraph("Không có rủi ro được nhận diện."))
    articles.append(Paragraph("III. KẾT QUẢ TẬN DỤNG CƠ HỘI", bold=True, indent=False))
    articles.append(table(chances) if chances else Paragraph("Không có cơ hội được nhận diện."))
    articles.append(Paragraph("IV. ĐÁNH GIÁ CHUNG", bold=True, indent=False))
    articles.append(Paragraph(report.summary.strip() or "—"))
    final = report.status == ReportStatus.FINAL
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số:      /BC-{agency_symbol(agency)}",
        place=place_name(agency),
        date=report.report_date if final else None,
        doc_type="BÁO CÁO",
        title=f"Đánh giá kết quả giải quyết rủi ro và cơ hội năm {report.year}",
        articles=articles,
        recipients=RECIPIENTS,
        signer_title=signer_lines(report.signer_title or agency.head_title),
        signer_name=(report.signer_name or agency.head_name).strip(),
        watermark="" if final else DRAFT_MARK,
        landscape=True,
    )


def report_filename(report: RiskReport, extension: str) -> str:
    return f"Báo cáo đánh giá rủi ro và cơ hội {report.year}.{extension}"
