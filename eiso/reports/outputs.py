"""The reports as files: the annual report and the province's summary in the official layout
(Nghị định 30/2020: DOCX and PDF through eiso.core.official), the summary as a workbook (the
table by tier, the agencies that have not reported, the annex), from the same sections the pages
show (``content``). No HTTP here."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from eiso.core.exports import write_table
from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph
from eiso.core.official import Table as OfficialTable
from eiso.documents.outputs import issuing_body, place_name, signer_lines
from eiso.documents.outputs import superior_body as superior_body_of
from eiso.reports import content

REPORT_TYPE = "BÁO CÁO"


def _blocks(sections) -> list:
    blocks: list = []
    for section in sections:
        blocks.append(Paragraph(section.heading, bold=True, indent=False))
        blocks.extend(Paragraph(line) for line in section.lines)
        if section.table is not None:
            blocks.append(
                OfficialTable(section.table.columns, section.table.rows, section.table.widths_cm)
            )
        blocks.extend(Paragraph(line) for line in section.after)
    return blocks


def _number_line(report) -> str:
    if report.number:
        return f"Số: {report.number}"
    return f"Số:      /BC-{agency_symbol(report.agency)}"


def annual_document(report) -> OfficialDocument:
    """The annual report in the official layout, addressed to the Sở KH&CN."""
    agency = report.agency
    title = content.ANNUAL_TITLE.format(year=report.year)
    period = (
        f"(Kỳ báo cáo: từ ngày {content.day(report.period_start)} "
        f"đến ngày {content.day(report.period_end)})"
    )
    return OfficialDocument(
        superior_body=superior_body_of(agency),
        issuing_body=issuing_body(agency),
        number=_number_line(report),
        place=place_name(agency),
        date=report.report_date,
        doc_type=REPORT_TYPE,
        title=f"{title}\n{period}",
        preamble=[],
        articles=[
            Paragraph("Kính gửi: Sở Khoa học và Công nghệ.", align="center", indent=False),
            *_blocks(content.annual_sections(report)),
        ],
        recipients=["Sở Khoa học và Công nghệ;", "Lưu: VT, ISO."],
        signer_title=signer_lines(report.signer_title) or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=report.signer_name,
        watermark="" if report.status in ("submitted", "received") else "DỰ THẢO",
    )


def annual_basename(report) -> str:
    suffix = f" (lần {report.version})" if report.version > 1 else ""
    return f"Báo cáo HTQLCL năm {report.year} - {report.agency.code}{suffix}"


def summary_document(report, figures) -> OfficialDocument:
    """The province's summary in the official layout (landscape), with the agencies that have
    not reported and the annex of every agency's announcement."""
    agency = report.agency
    recipients = [line.strip() for line in report.recipients.splitlines() if line.strip()]
    blocks = _blocks(content.summary_sections(report, figures))
    blocks += [
        Paragraph(
            f"DANH SÁCH CƠ QUAN, ĐƠN VỊ CHƯA GỬI BÁO CÁO NĂM {figures.year}",
            bold=True,
            align="center",
            indent=False,
        ),
        OfficialTable(
            content.NOT_REPORTED_HEADERS, content.not_reported_rows(figures), [1.0, 2.5, 16.0, 3.0]
        ),
        Paragraph(
            "PHỤ LỤC: DANH SÁCH CƠ QUAN, ĐƠN VỊ VÀ QUYẾT ĐỊNH CÔNG BỐ",
            bold=True,
            align="center",
            indent=False,
        ),
        OfficialTable(content.ANNEX_HEADERS, content.annex_rows(figures), content.ANNEX_WIDTHS),
    ]
    return OfficialDocument(
        superior_body=superior_body_of(agency),
        issuing_body=issuing_body(agency),
        number=_number_line(report),
        place=place_name(agency),
        date=report.report_date,
        doc_type=REPORT_TYPE,
        title=content.SUMMARY_TITLE.format(year=report.year)
        + f"\n(Số liệu tính đến ngày {content.day(figures.on)})",
        articles=blocks,
        recipients=recipients,
        signer_title=signer_lines(report.signer_title) or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=report.signer_name,
        watermark="" if report.status == "submitted" else "DỰ THẢO",
        landscape=True,
    )


def summary_basename(report) -> str:
    suffix = f" (lần {report.version})" if report.version > 1 else ""
    return f"Báo cáo tổng hợp HTQLCL năm {report.year}{suffix}"


def summary_xlsx(report, figures) -> bytes:
    """Three sheets: the table by tier, the agencies that have not reported, the annex."""
    workbook = Workbook(write_only=True)
    title = content.SUMMARY_TITLE.format(year=figures.year)
    notes = [f"Số liệu tính đến ngày {content.day(figures.on)}"]
    headers = content.SUMMARY_HEADERS
    write_table(
        workbook,
        title=title,
        sheet_title="Tong hop",
        notes=notes,
        columns=[(h, lambda r, i=i: r[i]) for i, h in enumerate(headers)],
        rows=[content.summary_row(r) for r in figures.rows],
    )
    write_table(
        workbook,
        title=f"Cơ quan, đơn vị chưa gửi báo cáo năm {figures.year}",
        sheet_title="Chua bao cao",
        notes=notes,
        columns=[(h, lambda r, i=i: r[i]) for i, h in enumerate(content.NOT_REPORTED_HEADERS)],
        rows=content.not_reported_rows(figures),
    )
    write_table(
        workbook,
        title="Phụ lục: danh sách cơ quan, đơn vị và quyết định công bố",
        sheet_title="Phu luc",
        notes=notes,
        columns=[(h, lambda r, i=i: r[i]) for i, h in enumerate(content.ANNEX_HEADERS)],
        rows=content.annex_rows(figures),
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
