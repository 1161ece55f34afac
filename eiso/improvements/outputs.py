"""The corrective-action request form of the framework model (phiếu yêu cầu hành động khắc
phục) in the Nghị định 30/2020/NĐ-CP layout, DOCX/PDF: the nonconformity, the correction,
the cause, the actions of every round and every effectiveness check. No HTTP here; every
string written into the file is Vietnamese data or an administrative formula."""

from __future__ import annotations

from eiso.core.numbers import agency_symbol
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import issuing_body, place_name, signer_lines, superior_body
from eiso.improvements.choices import CauseCategory, Grade, NcSource, NcStatus
from eiso.improvements.models import Nonconformity

SOURCE = {
    NcSource.INTERNAL_AUDIT: "Đánh giá nội bộ",
    NcSource.INSPECTION: "Kiểm tra của Sở Khoa học và Công nghệ",
    NcSource.COMPLAINT: "Phản ánh, kiến nghị",
    NcSource.OBJECTIVE: "Mục tiêu chất lượng không đạt",
    NcSource.PROCESS: "Theo dõi quá trình (hồ sơ trễ hạn)",
    NcSource.STAFF: "Cán bộ, công chức phát hiện",
}
GRADE = {Grade.MAJOR: "Không phù hợp nặng", Grade.MINOR: "Không phù hợp nhẹ"}
CAUSE = {
    CauseCategory.PEOPLE: "Con người",
    CauseCategory.METHOD: "Phương pháp, quy trình",
    CauseCategory.EQUIPMENT: "Trang thiết bị, phần mềm",
    CauseCategory.DOCUMENTS: "Tài liệu, hồ sơ đầu vào",
    CauseCategory.ENVIRONMENT: "Môi trường làm việc, phối hợp",
    CauseCategory.MEASUREMENT: "Theo dõi, đo lường",
}
ACTION_COLUMNS = ["STT", "Hành động khắc phục", "Người thực hiện", "Thời hạn", "Kết quả"]
ACTION_WIDTHS_CM = [1.1, 6.0, 3.2, 2.2, 3.5]  # 16 cm: portrait A4
CHECK_COLUMNS = ["Ngày", "Người kiểm tra", "Nội dung kiểm tra", "Kết luận"]
CHECK_WIDTHS_CM = [2.2, 3.5, 7.3, 3.0]
RECIPIENTS = ["Đơn vị, cá nhân có liên quan;", "Lưu: VT, Thư ký ISO."]


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "…/…/……"


def _person(user) -> str:
    return (user.full_name or user.username) if user is not None else "…"


def form_document(nc: Nonconformity, actions, checks) -> OfficialDocument:
    agency = nc.agency
    whys = [w for w in nc.whys if w]
    articles: list = [
        Paragraph("1. THÔNG TIN CHUNG", bold=True, indent=False),
        Paragraph(
            f"Nguồn phát hiện: {SOURCE.get(nc.source, nc.source)}"
            + (f" ({nc.source_ref})" if nc.source_ref else "")
            + "."
        ),
        Paragraph(
            f"Bộ phận liên quan: {nc.department.name if nc.department_id else '…'}. "
            f"Người chịu trách nhiệm: {_person(nc.owner)}."
        ),
        Paragraph(
            f"Người phát hiện: {_person(nc.raised_by)}; ngày phát hiện: {_day(nc.raised_on)}"
            + (f"; thời hạn khắc phục: {_day(nc.due_date)}" if nc.due_date else "")
            + "."
        ),
        Paragraph("2. MÔ TẢ SỰ KHÔNG PHÙ HỢP", bold=True, indent=False),
        Paragraph(nc.title + (f" — {GRADE[nc.grade]}" if nc.grade in GRADE else "") + "."),
        Paragraph(nc.description),
    ]
    if nc.evidence_text or nc.evidence_name:
        articles.append(
            Paragraph(
                "Bằng chứng: " + "; ".join(x for x in (nc.evidence_text, nc.evidence_name) if x)
            )
        )
    articles += [
        Paragraph("3. KHẮC PHỤC TỨC THỜI", bold=True, indent=False),
        Paragraph(
            (nc.correction or "…")
            + (f" (ngày {_day(nc.correction_on)})" if nc.correction_on else "")
        ),
        Paragraph("4. NGUYÊN NHÂN", bold=True, indent=False),
    ]
    if nc.cause_category in CAUSE:
        articles.append(Paragraph(f"Nhóm nguyên nhân: {CAUSE[nc.cause_category]}."))
    for n, why in enumerate(whys, start=1):
        articles.append(Paragraph(f"Tại sao ({n}): {why}", indent=False))
    articles.append(Paragraph(f"Nguyên nhân gốc rễ: {nc.root_cause or '…'}"))
    articles.append(Paragraph("5. HÀNH ĐỘNG KHẮC PHỤC", bold=True, indent=False))
    rows = []
    for a in actions:
        prefix = f"(Lần {a.round}) " if nc.round > 1 else ""
        result = (
            f"Đã thực hiện {_day(a.done_on)}" + (f": {a.result}" if a.result else "")
            if a.done_on
            else "Chưa thực hiện"
        )
        rows.append([str(a.number), prefix + a.action, _person(a.owner), _day(a.due_date), result])
    articles.append(
        Table(ACTION_COLUMNS, rows, widths_cm=ACTION_WIDTHS_CM)
        if rows
        else Paragraph("Chưa lập kế hoạch.")
    )
    approval = (
        f"Kế hoạch được {_person(nc.plan_approved_by)} phê duyệt ngày {_day(nc.plan_approved_on)}."
        if nc.plan_approved_on
        else "Kế hoạch chưa được phê duyệt."
    )
    articles.append(Paragraph(approval))
    articles.append(
        Paragraph("6. KIỂM TRA HIỆU LỰC CỦA HÀNH ĐỘNG KHẮC PHỤC", bold=True, indent=False)
    )
    check_rows = [
        [
            _day(c.checked_on),
            _person(c.checked_by),
            c.note,
            "Có hiệu lực" if c.effective else "Chưa có hiệu lực",
        ]
        for c in checks
    ]
    articles.append(
        Table(CHECK_COLUMNS, check_rows, widths_cm=CHECK_WIDTHS_CM)
        if check_rows
        else Paragraph("Chưa kiểm tra.")
    )
    closed = nc.status == NcStatus.CLOSED
    articles.append(
        Paragraph(
            f"Kết luận: đã đóng phiếu ngày {_day(nc.closed_on)}."
            if closed
            else "Kết luận: phiếu chưa đóng."
        )
    )
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số: {nc.number:02d}/PKP-{agency_symbol(agency)}",
        place=place_name(agency),
        date=nc.raised_on,
        doc_type="PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC",
        title=f"Sự không phù hợp số {nc.code}",
        articles=articles,
        recipients=RECIPIENTS,
        signer_title=signer_lines("Thư ký ISO" if not closed else "Người kiểm tra xác nhận"),
        signer_name=_person(nc.raised_by) if not closed else _last_checker(checks),
    )


def _last_checker(checks) -> str:
    effective = [c for c in checks if c.effective]
    return _person(effective[-1].checked_by) if effective else ""


def form_filename(nc: Nonconformity, extension: str) -> str:
    return f"Phiếu yêu cầu hành động khắc phục {nc.number:02d}-{nc.year}.{extension}"
