"""The minutes of a management review (biên bản họp xem xét của lãnh đạo) in the Nghị định
30/2020/NĐ-CP layout, DOCX/PDF: time and place, who attended, the input pack (9.3.2) as it
was presented, the conclusions and the decisions (9.3.3) with owners and due dates. No HTTP
here; every string written into the file is Vietnamese data or an administrative formula."""

from __future__ import annotations

from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import DRAFT_MARK, issuing_body, place_name, superior_body
from eiso.reviews.choices import OutputKind, ReviewStatus
from eiso.reviews.models import ManagementReview

KIND = {
    OutputKind.IMPROVEMENT: "Cơ hội cải tiến",
    OutputKind.QMS_CHANGE: "Thay đổi HTQLCL",
    OutputKind.RESOURCE: "Nhu cầu nguồn lực",
}
OUTPUT_COLUMNS = ["STT", "Nội dung quyết định", "Loại", "Người thực hiện", "Thời hạn"]
OUTPUT_WIDTHS_CM = [1.1, 7.0, 2.9, 3.0, 2.0]
RECIPIENTS = ["Các thành viên dự họp;", "Các phòng, bộ phận;", "Lưu: VT, Thư ký ISO."]


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "…/…/……"


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def minutes_document(review: ManagementReview, inputs, outputs) -> OfficialDocument:
    agency = review.agency
    issued = review.status == ReviewStatus.MINUTES_ISSUED
    attendees = [line.strip() for line in review.attendees.splitlines() if line.strip()]
    articles: list = [
        Paragraph("I. THỜI GIAN, ĐỊA ĐIỂM", bold=True, indent=False),
        Paragraph(
            f"Ngày {_day(review.meeting_date)}"
            + (f", tại {review.place}" if review.place else "")
            + "."
        ),
        Paragraph("II. THÀNH PHẦN", bold=True, indent=False),
        Paragraph(f"Chủ trì: {_person(review.chair) or '…'}."),
    ]
    if attendees:
        articles.append(Paragraph("Tham dự: " + "; ".join(attendees) + "."))
    articles.append(
        Paragraph("III. NỘI DUNG XEM XÉT (ĐẦU VÀO THEO ĐIỀU 9.3.2)", bold=True, indent=False)
    )
    for section in inputs:
        articles.append(Paragraph(f"{section.clause} {section.title}", bold=True, indent=False))
        for line in section.content.splitlines():
            if line.strip():
                articles.append(Paragraph(line.strip()))
        articles.append(Paragraph(f"(Nguồn: {section.source})", italic=True))
    articles.append(Paragraph("IV. KẾT LUẬN", bold=True, indent=False))
    articles.append(Paragraph(review.conclusions or "…"))
    articles.append(
        Paragraph(
            "V. CÁC QUYẾT ĐỊNH VÀ HÀNH ĐỘNG (ĐẦU RA THEO ĐIỀU 9.3.3)", bold=True, indent=False
        )
    )
    rows = [
        [str(o.number), o.description, KIND.get(o.kind, o.kind), _person(o.owner), _day(o.due_date)]
        for o in outputs
    ]
    articles.append(
        Table(OUTPUT_COLUMNS, rows, widths_cm=OUTPUT_WIDTHS_CM) if rows else Paragraph("Không có.")
    )
    articles.append(
        Paragraph("Cuộc họp kết thúc vào cùng ngày. Biên bản đã được thông qua tại cuộc họp.")
    )
    number = (
        f"Số: {review.minutes_number}"
        if review.minutes_number
        else f"Số:      /BB-{agency_symbol(agency)}"
    )
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=number,
        place=place_name(agency),
        date=review.minutes_date if issued else None,
        doc_type="BIÊN BẢN",
        title=f"Họp xem xét của lãnh đạo về Hệ thống quản lý chất lượng năm {review.year}",
        articles=articles,
        recipients=RECIPIENTS,
        signer_title="CHỦ TRÌ",
        signer_name=_person(review.chair),
        watermark="" if issued else DRAFT_MARK,
    )


def minutes_filename(review: ManagementReview, extension: str) -> str:
    return f"Biên bản họp xem xét của lãnh đạo {review.sequence}-{review.year}.{extension}"
