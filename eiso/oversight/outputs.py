"""The provincial summary as files: a two-sheet workbook (the summary by tier, the annex of
every agency with its announcement) and a report in the official layout (Nghị định 30/2020).
No HTTP here.

Strings written into the files are the Vietnamese wording of the provincial reports (fixed
literals, not UI strings), tiers and statuses included, whatever the UI language."""

from __future__ import annotations

import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from eiso.core.exports import safe_row, styled_cell
from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import issuing_body, place_name, superior_body
from eiso.oversight import selectors
from eiso.oversight.selectors import SUMMARY_COLUMNS
from eiso.oversight.summary import PERCENT_COLUMNS, SummaryReport
from eiso.qms.choices import AnnouncementKind, QmsStatus

SUMMARY_HEADERS_VI = {
    "tier": "Cấp",
    "agencies": "Số cơ quan",
    "must_apply": "Phải áp dụng",
    "built": "Đã xây dựng",
    "applied": "Đã áp dụng",
    "announced": "Đã công bố",
    "re_announced": "Đã công bố lại",
    "announced_this_year": "Công bố trong năm",
    "not_announced": "Chưa công bố",
}
ANNEX_HEADERS_VI = [
    "STT",
    "Mã",
    "Tên cơ quan",
    "Cấp",
    "Phải áp dụng",
    "Tình trạng HTQLCL",
    "Phiên bản",
    "Số quyết định công bố",
    "Ngày công bố",
    "Công bố lần đầu/lại",
    "Ngày tiếp nhận",
]
SUMMARY_WIDTHS_CM = [4.3, 2.2, 2.4, 2.4, 2.4, 2.4, 2.5, 2.6, 3.5]  # 24.7 cm: landscape A4
ANNEX_WIDTHS_CM = [1.0, 2.0, 6.2, 1.8, 1.6, 2.4, 1.6, 2.9, 2.0, 1.6, 1.6]
REPORT_TYPE = "BÁO CÁO"
REPORT_TITLE = (
    "Tổng hợp tình hình áp dụng, công bố Hệ thống quản lý chất lượng "
    "theo Tiêu chuẩn quốc gia TCVN ISO 9001"
)
RECIPIENTS = ["Bộ Khoa học và Công nghệ;", "Sở Khoa học và Công nghệ;", "Lưu: VT."]


def _day(date: datetime.date | None) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",") + "%"


# The report's own wording (Vietnamese whatever the UI language, and whatever the catalogue
# holds: these are the terms of the provincial reports, not UI strings).
TIER_VI = {"provincial": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
STATUS_VI = {
    QmsStatus.NOT_STARTED: "Chưa triển khai",
    QmsStatus.BUILDING: "Đang xây dựng",
    QmsStatus.APPLIED: "Đã áp dụng",
    QmsStatus.ANNOUNCED: "Đã công bố",
    QmsStatus.SUSPENDED: "Tạm dừng",
}
KIND_VI = {AnnouncementKind.FIRST: "Lần đầu", AnnouncementKind.RE: "Công bố lại"}


def _tier_vi(row: dict) -> str:
    if not row["tier"]:
        return "Tổng cộng"
    return TIER_VI.get(row["tier"], row["tier"])


def annex_cells(report: SummaryReport) -> list[list]:
    """The annex (``selectors.registry``) as cells (Vietnamese labels, dates dd/mm/yyyy), read
    as plain rows (``selectors.annex_rows``): no model instance per agency nor the subqueries
    the files do not show."""
    return [
        [
            i,
            a["code"],
            a["name"],
            TIER_VI.get(a["tier"], a["tier"]),
            "x" if a["must_apply"] else "",
            STATUS_VI.get(a["qms_status"] or QmsStatus.NOT_STARTED, ""),
            f"{a['qms_version']}" if a["qms_version"] else "",
            a["last_number"] or "",
            _day(a["last_date"]),
            KIND_VI.get(a["last_kind"], ""),
            _day(a["last_received"]),
        ]
        for i, a in enumerate(selectors.annex_rows(report.annex, user=report.user), start=1)
    ]


def summary_cells(row: dict) -> list[str]:
    """One summary row as text: counts with their percentage ("12 (80,0%)")."""
    cells = [_tier_vi(row), str(row["agencies"]), str(row["must_apply"])]
    for column in PERCENT_COLUMNS:
        pct = _pct(row.get(f"pct_{column}"))
        cells.append(f"{row[column]} ({pct})" if pct else str(row[column]))
    return cells


def summary_xlsx(report: SummaryReport) -> bytes:
    """Sheet "Tong hop": the summary by tier with counts and percentages; sheet "Phu luc":
    every agency with its latest announcement. Written streaming (openpyxl's write-only mode:
    the country's 5,001 annex rows without a cell object each)."""
    rows, on = report.rows, report.on
    bold = Font(bold=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tong hop")
    sheet.column_dimensions["A"].width = 16
    sheet.append([styled_cell(sheet, f"{REPORT_TITLE} (đến ngày {_day(on)})", font=bold)])
    header = [SUMMARY_HEADERS_VI["tier"], SUMMARY_HEADERS_VI["agencies"]]
    header.append(SUMMARY_HEADERS_VI["must_apply"])
    for column in PERCENT_COLUMNS:
        header += [SUMMARY_HEADERS_VI[column], "Trong đó thuộc diện phải áp dụng", "Tỷ lệ (%)"]
    wrap = Alignment(wrap_text=True, vertical="center")
    sheet.append([styled_cell(sheet, text, font=bold, alignment=wrap) for text in header])
    for row in rows:
        values = [_tier_vi(row), row["agencies"], row["must_apply"]]
        for column in PERCENT_COLUMNS:
            values += [row[column], row["required"][column], row[f"pct_{column}"]]
        sheet.append(safe_row(values))
    annex_sheet = workbook.create_sheet("Phu luc")
    for letter, width in (("B", 14), ("C", 50), ("H", 18)):
        annex_sheet.column_dimensions[letter].width = width
    annex_sheet.append([styled_cell(annex_sheet, text, font=bold) for text in ANNEX_HEADERS_VI])
    for values in annex_cells(report):
        annex_sheet.append(safe_row(values))  # names typed by users: never a formula
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sentences(kinds: list[dict]) -> list[str]:
    return [
        f"{k['announced_required']}/{k['must_apply']} {k['label']} đã công bố."
        for k in kinds
        if k["must_apply"]
    ]


def summary_document(report: SummaryReport, *, issuer) -> OfficialDocument:
    """The report in the official layout (landscape): the summary table by tier, a sentence
    per kind of agency, then the annex listing every agency with its announcement, issued by
    ``issuer`` (the overseer's agency)."""
    root, rows, kinds, on = report.root, report.rows, report.kinds, report.on
    total = report.total
    scope = root.name if root is not None else "toàn tỉnh"
    if total:
        overview = (
            f"Tính đến ngày {_day(on)}, trong phạm vi {scope} có {total['agencies']} cơ quan, "
            f"đơn vị, trong đó {total['must_apply']} cơ quan, đơn vị thuộc đối tượng phải áp "
            f"dụng; {total['announced']} cơ quan, đơn vị đã công bố Hệ thống quản lý chất lượng "
            f"phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001 ({total['re_announced']} đã công bố lại); "
            f"{total['required']['not_announced']} cơ quan, đơn vị phải áp dụng chưa công bố."
        )
    else:
        overview = f"Tính đến ngày {_day(on)}, không có cơ quan, đơn vị nào trong phạm vi."
    columns = [SUMMARY_HEADERS_VI["tier"], SUMMARY_HEADERS_VI["agencies"]]
    columns += [SUMMARY_HEADERS_VI[c] for c in SUMMARY_COLUMNS[1:]]
    articles: list = [
        Paragraph("I. KẾT QUẢ ÁP DỤNG, CÔNG BỐ", bold=True, indent=False),
        Paragraph(overview),
        Table(columns, [summary_cells(r) for r in rows], widths_cm=SUMMARY_WIDTHS_CM),
        Paragraph(
            "Tỷ lệ (%) = số cơ quan, đơn vị thuộc diện phải áp dụng đã xây dựng, áp dụng, công "
            "bố… / số cơ quan, đơn vị phải áp dụng.",
            italic=True,
            indent=False,
        ),
        *[Paragraph(text) for text in _sentences(kinds)],
        Paragraph(
            "PHỤ LỤC: DANH SÁCH CƠ QUAN, ĐƠN VỊ VÀ QUYẾT ĐỊNH CÔNG BỐ",
            bold=True,
            align="center",
            indent=False,
        ),
        Table(
            ANNEX_HEADERS_VI, [[str(c) for c in r] for r in annex_cells(report)], ANNEX_WIDTHS_CM
        ),
    ]
    return OfficialDocument(
        superior_body=superior_body(issuer),
        issuing_body=issuing_body(issuer),
        number=f"Số:      /BC-{agency_symbol(issuer)}",
        place=place_name(issuer),
        date=None,
        doc_type=REPORT_TYPE,
        title=f"{REPORT_TITLE}\n(Tính đến ngày {_day(on)})",
        articles=articles,
        recipients=list(RECIPIENTS),
        signer_title="\n".join(
            line.strip().upper() for line in issuer.head_title.splitlines() if line.strip()
        )
        or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=issuer.head_name.strip(),
        landscape=True,
    )


def summary_basename(on: datetime.date) -> str:
    """The files' name without extension: "Báo cáo tổng hợp ISO 31-12-2025"."""
    return f"Báo cáo tổng hợp ISO {on:%d-%m-%Y}"
