"""The agency's list of records to keep (danh mục hồ sơ) in the Nghị định 30/2020/NĐ-CP
layout, and as an Excel extract. No HTTP here; the words written in the files are Vietnamese
data or administrative formulas (fixed literals, not UI strings)."""

from __future__ import annotations

import datetime

from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import issuing_body, place_name, signer_lines, superior_body
from eiso.records.selectors import KeepList, KeepRow

KEEP_TYPE = "DANH MỤC HỒ SƠ"
KEEP_SYSTEM = "Hồ sơ cần lưu giữ theo Hệ thống quản lý chất lượng TCVN ISO 9001:2015"
KEEP_COLUMNS = [
    "STT",
    "Tên hồ sơ",
    "Mã biểu mẫu",
    "Quy trình",
    "Đơn vị, người lưu",
    "Nơi lưu",
    "Thời hạn lưu",
    "Phương pháp hủy",
]
KEEP_WIDTHS_CM = [1.1, 5.6, 2.6, 3.4, 3.4, 2.6, 2.1, 3.9]  # 24.7 cm: landscape A4
LOCATION = {
    "paper": "Lưu trữ giấy",
    "one_stop": "Hệ thống một cửa",
    "e_office": "Hệ thống văn phòng điện tử",
    "other": "Nơi khác",
}
DISPOSAL = {
    "destroy": "Hủy theo quy định (có biên bản)",
    "archive": "Nộp lưu trữ lịch sử",
    "review": "Đánh giá lại giá trị",
}
RECIPIENTS = ["Các phòng, bộ phận;", "Lưu: VT, Thư ký ISO."]


def _retention(row: KeepRow) -> str:
    record_type = row.record_type
    if record_type is None:
        return ""
    return "Vĩnh viễn" if record_type.permanent else f"{record_type.retention_years} năm"


def keep_rows(keep_list: KeepList) -> list[list[str]]:
    """The lines of the list: the record types kept (those the procedure in force still names,
    and those of the QMS as a whole)."""
    rows = []
    for row in keep_list.kept:
        if row.state != "kept":
            continue
        record_type = row.record_type
        rows.append(
            [
                str(len(rows) + 1),
                row.name,
                row.form_code,
                row.document.code if row.document else "Chung",
                record_type.keeper,
                LOCATION.get(record_type.location, record_type.location),
                _retention(row),
                DISPOSAL.get(record_type.disposal, record_type.disposal),
            ]
        )
    return rows


def keep_document(keep_list: KeepList) -> OfficialDocument:
    agency = keep_list.agency
    rows = keep_rows(keep_list)
    day = keep_list.on
    notes = []
    if keep_list.missing:
        notes.append(
            f"Còn {len(keep_list.missing)} biểu mẫu, kết quả do quy trình đang hiệu lực quy "
            "định chưa được xác định cách lưu giữ."
        )
    summary = (
        f"Danh mục gồm {len(rows)} loại hồ sơ, lập theo các quy trình đang hiệu lực ngày "
        f"{day:%d/%m/%Y}."
        if rows
        else "Chưa có loại hồ sơ nào được xác định."
    )
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number="",
        place=place_name(agency),
        date=day,
        doc_type=KEEP_TYPE,
        title=f"{KEEP_SYSTEM}\n(Cập nhật đến ngày {day:%d/%m/%Y})",
        articles=[
            Table(KEEP_COLUMNS, rows, widths_cm=KEEP_WIDTHS_CM),
            Paragraph(" ".join([summary, *notes]), italic=True),
        ],
        recipients=list(RECIPIENTS),
        signer_title=signer_lines(agency.head_title) or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=agency.head_name.strip(),
        landscape=True,
    )


def keep_file_stem(agency, day: datetime.date) -> str:
    return f"Danh mục hồ sơ {agency.code} {day:%d-%m-%Y}"
