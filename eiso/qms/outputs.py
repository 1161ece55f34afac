"""The announcement of conformity (quyết định công bố / công bố lại) as an
:class:`~eiso.core.official.OfficialDocument` in the Nghị định 30/2020/NĐ-CP layout: the draft
to print and sign (marked "DỰ THẢO", blanks for the number and the day) or the signed text.
No HTTP here.

The header, the place, the authority line and the signer come from the helpers of
:mod:`eiso.documents.outputs`. Every string written into the file is Vietnamese data or a
legal formula (fixed literals, not UI strings).
"""

from __future__ import annotations

from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table, date_line
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
from eiso.qms import selectors
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, StandardVersion
from eiso.qms.models import Announcement

__all__ = ["announcement_document", "announcement_filename", "announcement_subject"]

SCOPE_COLUMNS = ["STT", "Mã thủ tục", "Tên thủ tục hành chính"]
SCOPE_WIDTHS_CM = [1.2, 4.6, 10.2]  # 16 cm: the text width of a portrait A4
SCIENCE_DEPARTMENT = "Sở Khoa học và Công nghệ (để báo cáo);"


def _standard(announcement: Announcement) -> str:
    version = announcement.standard_version or StandardVersion.V2015
    return f"Tiêu chuẩn quốc gia {StandardVersion(version).label}"


def announcement_subject(announcement: Announcement) -> str:
    """The decision's subject line ("Về việc công bố …"), exactly as the DOCX/PDF prints it:
    the pages show this same text."""
    verb = "công bố lại" if announcement.kind == AnnouncementKind.RE else "công bố"
    return f"Về việc {verb} Hệ thống quản lý chất lượng phù hợp {_standard(announcement)}"


def _superior_recipient(agency) -> str:
    parent = agency.parent if agency.parent_id else None
    if parent is None:
        return ""
    return f"{(parent.short_name or parent.name).strip()} (để báo cáo);"


def _activities(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def announcement_document(announcement: Announcement) -> OfficialDocument:
    """The decision announcing (or announcing again) that the agency's QMS conforms to the
    standard, for the scope recorded in the announcement: the procedures (with their names
    from the catalogue) and the internal activities."""
    agency = announcement.agency
    draft = announcement.status == AnnouncementStatus.DRAFT
    again = announcement.kind == AnnouncementKind.RE
    body = agency_name(agency)
    number = announcement.number.strip()
    codes = announcement.procedure_codes
    names = selectors.procedure_names(codes=codes)
    activities = _activities(announcement.scope_snapshot.get("internal_activities", ""))
    verb = "Công bố lại" if again else "Công bố"

    articles: list = [
        Paragraph(
            f"{verb} Hệ thống quản lý chất lượng của {body} phù hợp {_standard(announcement)} "
            "đối với các hoạt động liên quan đến việc giải quyết các thủ tục hành chính và các "
            "hoạt động nội bộ sau:",
            lead="Điều 1.",
        )
    ]
    if codes:
        articles.append(Paragraph("1. Các thủ tục hành chính:", indent=True))
        articles.append(
            Table(
                SCOPE_COLUMNS,
                [[str(i), code, names.get(code, "")] for i, code in enumerate(codes, start=1)],
                widths_cm=SCOPE_WIDTHS_CM,
            )
        )
    if activities:
        articles.append(Paragraph(f"{2 if codes else 1}. Các hoạt động nội bộ:"))
        articles.extend(Paragraph(f"- {line}") for line in activities)
    if again and announcement.reason.strip():
        articles.append(Paragraph(f"Lý do công bố lại: {announcement.reason.strip().rstrip('.')}."))

    effect = "Quyết định này có hiệu lực kể từ ngày ký."
    if again:
        previous = selectors.previous_announcement(announcement=announcement)
        if previous is not None and previous.number:
            dated = date_line("", previous.date).removeprefix("ngày ") if previous.date else ""
            effect += (
                f" Quyết định này thay thế Quyết định số {previous.number}"
                + (f" ngày {dated}" if dated else "")
                + f" của {agency_name(agency)} về việc công bố Hệ thống quản lý chất lượng."
            )
    articles.append(Paragraph(effect, lead="Điều 2."))
    articles.append(
        Paragraph(
            f"Thư ký ISO, Thủ trưởng các phòng, bộ phận thuộc {body} và các cá nhân có liên quan "
            "chịu trách nhiệm thi hành Quyết định này./.",
            lead="Điều 3.",
        )
    )
    recipients = ["Như Điều 3;", SCIENCE_DEPARTMENT]
    superior = _superior_recipient(agency)
    if superior:
        recipients.append(superior)
    recipients.append("Lưu: VT, Thư ký ISO.")

    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số: {number}" if number else f"Số:      /QĐ-{agency_symbol(agency)}",
        place=place_name(agency),
        date=announcement.date,
        doc_type="QUYẾT ĐỊNH",
        title=announcement_subject(announcement),
        preamble=[authority_line(announcement), *DECISION_BASES],
        decision_heading="QUYẾT ĐỊNH:",
        articles=articles,
        recipients=recipients,
        signer_title=signer_lines(announcement.signer_title),
        signer_name=announcement.signer_name.strip(),
        watermark=DRAFT_MARK if draft else "",
    )


def announcement_filename(announcement: Announcement, extension: str) -> str:
    """ "Dự thảo quyết định công bố.pdf" for a draft, "Quyết định công bố 25-QĐ-STP.pdf" once
    signed."""
    number = announcement.number.strip().replace("/", "-")
    verb = "công bố lại" if announcement.kind == AnnouncementKind.RE else "công bố"
    stem = f"Quyết định {verb}"
    if announcement.status == AnnouncementStatus.DRAFT:
        stem = f"Dự thảo quyết định {verb}"
    return f"{stem} {number}.{extension}" if number else f"{stem}.{extension}"
