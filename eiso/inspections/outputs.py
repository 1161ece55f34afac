"""The inspection record (biên bản kiểm tra) and the plan's summary (báo cáo kết quả kiểm tra)
in the Nghị định 30/2020/NĐ-CP layout, DOCX/PDF, and the summary as XLSX. No HTTP here; every
string written into the files is Vietnamese data or an administrative formula."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from eiso.core.exports import write_table
from eiso.core.official import OfficialDocument, Paragraph, Table
from eiso.documents.outputs import DRAFT_MARK, agency_name, issuing_body, place_name
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result, TeamRole

ROLE = {
    TeamRole.LEADER: "Trưởng đoàn",
    TeamRole.DEPUTY: "Phó Trưởng đoàn",
    TeamRole.MEMBER: "Thành viên",
    TeamRole.SECRETARY: "Thư ký",
}
RESULT = {Result.PASS: "Đạt", Result.FAIL: "Không đạt", Result.NOT_APPLICABLE: "Không áp dụng"}
MODE = {Mode.ON_SITE: "kiểm tra tại chỗ", Mode.RECORDS: "kiểm tra qua hồ sơ, báo cáo"}
TEAM_COLUMNS = ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Nhiệm vụ"]
TEAM_WIDTHS_CM = [1.1, 4.6, 7.2, 3.1]
ITEM_COLUMNS = ["STT", "Nội dung kiểm tra", "Dữ liệu trên hệ thống", "Kết quả", "Ghi chú"]
ITEM_WIDTHS_CM = [1.0, 5.6, 4.6, 1.9, 2.9]
FINDING_COLUMNS = ["Mã", "Nội dung phát hiện", "Yêu cầu", "Thời hạn khắc phục", "Phiếu KPH"]
FINDING_WIDTHS_CM = [1.4, 5.6, 4.0, 2.2, 2.8]
TIER_COLUMNS = [
    "Cấp",
    "Số đơn vị trong kế hoạch",
    "Kiểm tra tại chỗ",
    "Kiểm tra qua hồ sơ",
    "Đã áp dụng",
    "Đã công bố",
    "Đã lập biên bản",
    "Có nội dung không đạt",
]
TIER_WIDTHS_CM = [3.2, 2.0, 1.7, 1.7, 1.7, 1.7, 1.7, 2.0]
RECORD_RECIPIENTS = ["Cơ quan được kiểm tra;", "Sở Khoa học và Công nghệ;", "Lưu: Đoàn kiểm tra."]
SUMMARY_RECIPIENTS = [
    "UBND tỉnh (để báo cáo);",
    "Bộ Khoa học và Công nghệ (để báo cáo);",
    "Các cơ quan được kiểm tra;",
    "Lưu: VT, Chi cục TĐC.",
]


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "…/…/……"


def _header(plan) -> str:
    return issuing_body(plan.agency)


def _team_table(team) -> Table:
    rows = []
    for n, m in enumerate(team, start=1):
        where = ", ".join(p for p in (m.position, m.organisation) if p)
        rows.append([str(n), m.name, where, ROLE.get(m.role, "")])
    return Table(TEAM_COLUMNS, rows, widths_cm=TEAM_WIDTHS_CM)


def _basis(plan) -> list[str]:
    lines = []
    if plan.decision_number:
        lines.append(
            f"Căn cứ Quyết định số {plan.decision_number} ngày {_day(plan.decision_date)} "
            f"phê duyệt {plan.title[0].lower()}{plan.title[1:]};"
        )
    if plan.team_decision_number:
        lines.append(
            f"Căn cứ Quyết định số {plan.team_decision_number} ngày "
            f"{_day(plan.team_decision_date)} thành lập Đoàn kiểm tra;"
        )
    return lines


def record_document(inspection, team, answers, findings) -> OfficialDocument:
    """The inspection record of one agency (biên bản kiểm tra)."""
    plan, agency = inspection.plan, inspection.agency
    made = inspection.status in (
        InspectionStatus.CONCLUDED,
        InspectionStatus.REMEDIATION_REPORTED,
        InspectionStatus.CLOSED,
    )
    items = []
    section = None
    for a in answers:
        if a.section != section:
            section = a.section
            items.append(["", f"{a.section}. {a.section_title}", "", "", ""])
        note = a.note + (" (điều chỉnh so với dữ liệu hệ thống)" if a.corrected else "")
        items.append([a.number, a.text, a.platform_text, RESULT.get(a.result, ""), note.strip()])
    finding_rows = [
        [
            f.code,
            f.description,
            f.requirement,
            _day(f.due_date),
            f.nonconformity.code if f.nonconformity_id else "",
        ]
        for f in findings
    ]
    leader = next((m for m in team if m.role == TeamRole.LEADER), None)
    day = inspection.record_date or inspection.date
    where = inspection.place or agency_name(agency)
    articles: list = [
        *[Paragraph(line, italic=True) for line in _basis(plan)],
        Paragraph(
            f"Hôm nay, ngày {_day(day)}, tại {where}, Đoàn kiểm tra tiến hành "
            f"{MODE.get(inspection.mode, '')} việc áp dụng, duy trì và cải tiến Hệ thống quản lý "
            f"chất lượng theo TCVN ISO 9001:2015 tại {agency_name(agency)}."
        ),
        Paragraph("I. THÀNH PHẦN", bold=True, indent=False),
        Paragraph("1. Đoàn kiểm tra:", indent=False),
        _team_table(team) if team else Paragraph("Chưa có quyết định thành lập đoàn."),
        Paragraph(f"2. Đại diện {agency_name(agency)}:", indent=False),
        Paragraph(
            f"{agency.head_name or '……………………'} – {agency.head_title or 'Thủ trưởng cơ quan'}."
        ),
        Paragraph("II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA", bold=True, indent=False),
        Paragraph(f"Nội dung kiểm tra: {plan.checklist_version.title}.", italic=True),
        Table(ITEM_COLUMNS, items, widths_cm=ITEM_WIDTHS_CM)
        if items
        else Paragraph("Chưa kiểm tra."),
        Paragraph("III. CÁC NỘI DUNG YÊU CẦU KHẮC PHỤC", bold=True, indent=False),
        Table(FINDING_COLUMNS, finding_rows, widths_cm=FINDING_WIDTHS_CM)
        if finding_rows
        else Paragraph("Không có nội dung yêu cầu khắc phục."),
        Paragraph("IV. KẾT LUẬN", bold=True, indent=False),
        Paragraph(inspection.conclusion or "—"),
        Paragraph("V. KIẾN NGHỊ", bold=True, indent=False),
        Paragraph(inspection.recommendations or "—"),
        Paragraph(
            "Biên bản được lập thành 02 bản có giá trị như nhau, cơ quan được kiểm tra giữ 01 "
            "bản, Đoàn kiểm tra giữ 01 bản; đã đọc lại cho các thành phần cùng nghe và thống "
            "nhất ký tên."
        ),
        Paragraph(
            f"ĐẠI DIỆN {agency_name(agency).upper()}: {agency.head_name or '……………………'}",
            bold=True,
            indent=False,
        ),
    ]
    return OfficialDocument(
        superior_body=_header(plan),
        issuing_body="ĐOÀN KIỂM TRA",
        number="Số:      /BB-ĐKT",
        place=place_name(agency),
        date=inspection.record_date if made else None,
        doc_type="BIÊN BẢN",
        title=f"Kiểm tra việc áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo "
        f"TCVN ISO 9001:2015 tại {agency_name(agency)}",
        articles=articles,
        recipients=RECORD_RECIPIENTS,
        signer_title="TRƯỞNG ĐOÀN KIỂM TRA",
        signer_name=leader.name if leader else "",
        watermark="" if made else DRAFT_MARK,
    )


def record_filename(inspection) -> str:
    return f"Biên bản kiểm tra {inspection.agency.code} {inspection.plan.year}"


def _tier_table(summary) -> Table:
    def cells(row, label):
        return [
            label,
            str(row.in_plan),
            str(row.on_site),
            str(row.records),
            str(row.applied),
            str(row.announced),
            str(row.recorded),
            str(row.with_failures),
        ]

    rows = [cells(r, r.label) for r in summary.rows]
    rows.append(cells(summary.total, "Tổng cộng"))
    return Table(TIER_COLUMNS, rows, widths_cm=TIER_WIDTHS_CM)


def summary_document(plan, summary, team, recommendations) -> OfficialDocument:
    """The report of the plan's results (báo cáo kết quả kiểm tra)."""
    done = plan.status == PlanStatus.COMPLETED or plan.summary_date is not None
    total = summary.total
    leader = next((m for m in team if m.role == TeamRole.LEADER), None)
    common = [f"- {c.number} {c.text} ({c.agencies} đơn vị)." for c in summary.common]
    articles: list = [
        *[Paragraph(line, italic=True) for line in _basis(plan)],
        Paragraph("I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH", bold=True, indent=False),
        Paragraph(
            f"Kế hoạch kiểm tra {total.in_plan} đơn vị, trong đó kiểm tra tại chỗ "
            f"{total.on_site} đơn vị, kiểm tra qua hồ sơ, báo cáo {total.records} đơn vị; đã lập "
            f"biên bản {total.recorded}/{total.in_plan} đơn vị."
        ),
        Paragraph(
            f"Đến ngày kiểm tra, {total.applied}/{total.in_plan} đơn vị đã áp dụng và "
            f"{summary.announced_line} đơn vị đã công bố Hệ thống quản lý chất lượng phù hợp "
            "TCVN ISO 9001:2015 (theo các quyết định công bố trên hệ thống)."
        ),
        _tier_table(summary),
        Paragraph("II. ĐÁNH GIÁ CHUNG", bold=True, indent=False),
        Paragraph(plan.summary_conclusion or "—"),
        Paragraph(
            f"Số đơn vị đạt toàn bộ nội dung kiểm tra: {total.all_met}; số đơn vị có nội dung "
            f"không đạt: {total.with_failures}; số nội dung yêu cầu khắc phục: {total.findings} "
            f"(đã khắc phục xong {summary.nonconformities_closed}, đang khắc phục "
            f"{summary.nonconformities_open})."
        ),
        Paragraph("III. NHỮNG TỒN TẠI, HẠN CHẾ PHỔ BIẾN", bold=True, indent=False),
        *([Paragraph(line, indent=False) for line in common] or [Paragraph("—")]),
        Paragraph(plan.summary_common_findings or ""),
        Paragraph("IV. KIẾN NGHỊ, ĐỀ XUẤT", bold=True, indent=False),
        Paragraph(plan.summary_recommendations or "—"),
        *[Paragraph(f"- {name}: {text}", indent=False) for name, text in recommendations],
    ]
    return OfficialDocument(
        superior_body=_header(plan),
        issuing_body="ĐOÀN KIỂM TRA",
        number=f"Số: {plan.summary_number}" if plan.summary_number else "Số:      /BC-ĐKT",
        place=place_name(plan.agency),
        date=plan.summary_date if done else None,
        doc_type="BÁO CÁO",
        title=f"Kết quả {plan.title[0].lower()}{plan.title[1:]}",
        articles=[a for a in articles if not (isinstance(a, Paragraph) and not a.text)],
        recipients=SUMMARY_RECIPIENTS,
        signer_title="TRƯỞNG ĐOÀN KIỂM TRA",
        signer_name=leader.name if leader else "",
        watermark="" if done else DRAFT_MARK,
    )


def summary_filename(plan) -> str:
    return f"Báo cáo kết quả kiểm tra ISO năm {plan.year}"


def summary_xlsx(plan, summary, rows) -> bytes:
    """Two sheets: the counts by tier, and every agency of the plan."""
    workbook = Workbook(write_only=True)
    by_tier = [*summary.rows, summary.total]
    write_table(
        workbook,
        title=f"Kết quả kiểm tra năm {plan.year}: tổng hợp theo cấp",
        sheet_title="Theo cấp",
        columns=[
            ("Cấp", lambda r: r.label or "Tổng cộng"),
            ("Số đơn vị trong kế hoạch", lambda r: r.in_plan),
            ("Kiểm tra tại chỗ", lambda r: r.on_site),
            ("Kiểm tra qua hồ sơ", lambda r: r.records),
            ("Đã áp dụng", lambda r: r.applied),
            ("Đã công bố đến ngày kiểm tra", lambda r: r.announced),
            ("Đã lập biên bản", lambda r: r.recorded),
            ("Đạt toàn bộ nội dung", lambda r: r.all_met),
            ("Có nội dung không đạt", lambda r: r.with_failures),
            ("Số nội dung yêu cầu khắc phục", lambda r: r.findings),
        ],
        rows=by_tier,
        notes=[plan.title, f"Đã công bố: {summary.announced_line} đơn vị"],
    )
    write_table(
        workbook,
        title=f"Kết quả kiểm tra năm {plan.year}: từng đơn vị",
        sheet_title="Từng đơn vị",
        columns=[
            ("Mã", lambda i: i.agency.code),
            ("Đơn vị", lambda i: i.agency.name),
            ("Cấp", lambda i: i.agency.get_tier_display()),
            ("Hình thức", lambda i: MODE.get(i.mode, "")),
            ("Ngày kiểm tra", lambda i: i.date),
            ("Địa điểm", lambda i: i.place),
            ("Đã công bố đến ngày kiểm tra", lambda i: "Có" if i.announced else "Chưa"),
            ("Số quyết định công bố", lambda i: i.announcement_number or ""),
            ("Ngày công bố", lambda i: i.announcement_date),
            ("Trạng thái", lambda i: i.get_status_display()),
            ("Số nội dung không đạt", lambda i: i.fail_count),
            ("Số nội dung yêu cầu khắc phục", lambda i: i.finding_count),
            ("Ngày lập biên bản", lambda i: i.record_date),
            ("Kết luận", lambda i: i.conclusion),
            ("Kiến nghị", lambda i: i.recommendations),
        ],
        rows=rows,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
