"""The words of the reports, built once from their figures and shown alike on the page and in
the DOCX, PDF and XLSX (so the files always say what the page says). Vietnamese whatever the
interface language: the body of an official document (Nghị định 30/2020), like the other
official outputs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

NO_DATA = "không có dữ liệu trong hệ thống"
TIER_VI = {"provincial": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã", "": "Tổng cộng"}
STATE_VI = {
    "not_yet_due": "Chưa đến hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "met_on_time": "Đúng hạn",
    "met_late": "Trễ hạn",
}
RESULT_VI = {"met": "Đạt", "not_met": "Không đạt", "not_measured": "Chưa đánh giá"}
STATUS_VI = {
    "not_started": "Chưa triển khai",
    "building": "Đang xây dựng",
    "applied": "Đã áp dụng",
    "announced": "Đã công bố",
    "suspended": "Tạm dừng",
}
ANNUAL_TITLE = (
    "Tình hình áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng "
    "theo Tiêu chuẩn quốc gia TCVN ISO 9001 năm {year}"
)
SUMMARY_TITLE = (
    "Kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng "
    "theo Tiêu chuẩn quốc gia TCVN ISO 9001 năm {year}"
)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    table: Table | None = None
    after: list[str] = field(default_factory=list)


def day(text: str | datetime.date | None) -> str:
    if not text:
        return ""
    value = datetime.date.fromisoformat(text) if isinstance(text, str) else text
    return f"{value:%d/%m/%Y}"


def number(value) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def percent(value) -> str:
    return f"{number(value)}%" if value is not None else NO_DATA


def money(value) -> str:
    return f"{value:,}".replace(",", ".") + " đồng" if value else ""


# --- the agency's annual report ----------------------------------------------------------------


def annual_sections(report) -> list[Section]:
    """The report's sections (I–V) from its figures and narrative."""
    data = report.data or {}
    if not data:
        return []
    who = data.get("identity", {})
    sections = [
        Section(
            "I. THÔNG TIN CHUNG",
            [
                f"1. Tên cơ quan: {who.get('agency', '')}."
                + (
                    f" Người đứng đầu: {who['head_name']} ({who.get('head_title', '')})."
                    if who.get("head_name")
                    else ""
                ),
                f"2. Phạm vi áp dụng: {who.get('procedures', 0)} thủ tục hành chính và "
                f"{who.get('internal_processes', 0)} quy trình nội bộ; tiêu chuẩn áp dụng: "
                f"{who.get('standard_version') or NO_DATA}; tình trạng: "
                f"{who.get('qms_status') or NO_DATA}.",
                "3. Công bố, công bố lại: " + _announcements(data.get("announcements", [])),
                "4. Tư vấn: "
                + (
                    f"{who['consultant']}"
                    + (
                        f", kinh phí {money(who['consultant_cost'])}"
                        if who.get("consultant_cost")
                        else ""
                    )
                    + "."
                    if who.get("consultant")
                    else "không thuê tổ chức tư vấn."
                ),
            ],
        ),
        _maintenance(data),
        Section("III. ĐÁNH GIÁ CHUNG", _paragraphs(report.assessment)),
        Section("IV. KHÓ KHĂN, VƯỚNG MẮC", _paragraphs(report.difficulties)),
        Section("V. KIẾN NGHỊ, ĐỀ XUẤT", _paragraphs(report.recommendations)),
    ]
    return sections


def _paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines or ["(Không có)"]


def _announcements(rows: list[dict]) -> str:
    if not rows:
        return "chưa công bố."
    parts = []
    for row in rows:
        kind = "công bố lại" if row["kind"] == "re" else "công bố"
        text = f"Quyết định {kind} số {row['number']} ngày {day(row['date'])}"
        if row.get("received_on"):
            text += f" (Sở KH&CN tiếp nhận ngày {day(row['received_on'])})"
        parts.append(text)
    return "; ".join(parts) + "."


def _maintenance(data: dict) -> Section:
    legal = data.get("legal_updates", {})
    objectives = data.get("objectives", {})
    audit = data.get("audit", {})
    review = data.get("review", {})
    corrective = data.get("corrective", {})
    risks = data.get("risks", {})
    training = data.get("training")
    obligations = data.get("obligations", {})
    lines = [
        f"1. Cập nhật văn bản pháp luật: {legal.get('started', 0)} văn bản thay đổi phải cập "
        f"nhật; đã sửa đổi {legal.get('done', 0)} tài liệu; còn {legal.get('open', 0)} "
        f"tài liệu chưa sửa đổi ({legal.get('overdue', 0)} quá hạn).",
    ]
    if objectives.get("issued_on"):
        text = (
            f"2. Mục tiêu chất lượng: ban hành theo Quyết định số "
            f"{objectives.get('decision_number', '')} ngày {day(objectives['issued_on'])}, "
            f"gồm {objectives.get('total', 0)} mục tiêu"
        )
        if objectives.get("report_date"):
            text += (
                f"; kết quả đánh giá ngày {day(objectives['report_date'])}: đạt "
                f"{objectives.get('met', 0)}, không đạt {objectives.get('not_met', 0)}, chưa "
                f"đánh giá {objectives.get('not_measured', 0)}."
            )
        else:
            text += "; chưa có báo cáo đánh giá."
        lines.append(text)
    else:
        lines.append("2. Mục tiêu chất lượng: chưa ban hành mục tiêu chất lượng của năm.")
    if audit.get("count"):
        dates = ", ".join(
            f"{day(d['start'])}–{day(d['end'])} (báo cáo ngày {day(d['report'])})"
            for d in audit.get("dates", [])
        )
        f = audit.get("findings", {})
        lines.append(
            f"3. Đánh giá nội bộ: {audit['count']} đợt ({dates}); phát hiện "
            f"{f.get('major', 0)} điểm không phù hợp lớn, {f.get('minor', 0)} điểm không phù hợp "
            f"nhỏ, {f.get('observation', 0)} khuyến nghị, {f.get('improvement', 0)} cơ hội cải "
            "tiến."
        )
    else:
        lines.append("3. Đánh giá nội bộ: chưa thực hiện trong kỳ.")
    if review.get("count"):
        lines.append(
            f"4. Xem xét của lãnh đạo: họp ngày {', '.join(day(d) for d in review['dates'])}; "
            f"{review.get('decisions', 0)} quyết định, đã thực hiện "
            f"{review.get('decisions_done', 0)}."
        )
    else:
        lines.append("4. Xem xét của lãnh đạo: chưa thực hiện trong kỳ.")
    lines.append(
        f"5. Hành động khắc phục: phát sinh {corrective.get('raised', 0)} điểm không phù hợp; "
        f"đã khắc phục {corrective.get('closed', 0)}; còn {corrective.get('open', 0)} đang xử "
        f"lý ({corrective.get('overdue', 0)} quá hạn)."
    )
    lines.append(
        f"6. Rủi ro và cơ hội: {risks.get('risks', 0)} rủi ro, {risks.get('opportunities', 0)} "
        f"cơ hội; {risks.get('treatments', 0)} biện pháp xử lý, đã thực hiện "
        f"{risks.get('treatments_done', 0)}"
        + (
            f"; báo cáo đánh giá ngày {day(risks['report_date'])}."
            if risks.get("report_date")
            else "; chưa có báo cáo đánh giá."
        )
    )
    lines.append(
        "7. Ý kiến phản ánh và mức độ hài lòng của người dân: tỷ lệ hài lòng "
        + percent(data.get("satisfaction"))
        + "."
    )
    lines.append(
        "8. Hồ sơ thủ tục hành chính giải quyết đúng hạn: "
        + percent(data.get("on_time_rate"))
        + "."
    )
    if training:
        lines.append(
            f"9. Đào tạo: {training.get('sessions', 0)} lớp, {training.get('attended', 0)} lượt "
            f"người tham dự; {training.get('certificates', 0)} chứng chỉ được cấp."
        )
    else:
        lines.append(f"9. Đào tạo: {NO_DATA}.")
    lines.append(
        f"10. Thực hiện các nghĩa vụ trong năm (đến ngày {day(data.get('period', {}).get('end'))}"
        f"): {obligations.get('met_on_time', 0)} đúng hạn, {obligations.get('met_late', 0)} trễ "
        f"hạn, {obligations.get('overdue', 0)} quá hạn chưa thực hiện."
    )
    table = None
    items = objectives.get("items") or []
    if items:
        table = Table(
            ["STT", "Mục tiêu chất lượng", "Chỉ tiêu", "Kết quả đo", "Đánh giá"],
            [
                [
                    str(i),
                    item["statement"],
                    item["target"],
                    item.get("values", ""),
                    RESULT_VI.get(item["result"], ""),
                ]
                for i, item in enumerate(items, start=1)
            ],
            [1.0, 7.0, 3.0, 3.5, 2.5],
        )
    return Section("II. TÌNH HÌNH DUY TRÌ, CẢI TIẾN HỆ THỐNG TRONG KỲ", lines, table)


# --- the province's summary report ---------------------------------------------------------------

SUMMARY_HEADERS = [
    "Cấp",
    "Số cơ quan",
    "Phải áp dụng",
    "Đã xây dựng",
    "Đã áp dụng",
    "Đã công bố",
    "Đã công bố lại",
    "Đã báo cáo năm",
    "Đã đánh giá nội bộ",
    "Đã xem xét của lãnh đạo",
    "Đã được kiểm tra",
    "Mục tiêu đạt",
    "Hồ sơ đúng hạn",
]
SUMMARY_WIDTHS = [2.3, 1.7, 1.7, 1.8, 1.8, 1.8, 1.8, 2.1, 2.1, 2.1, 1.8, 1.9, 1.8]  # 24.7 cm
NOT_REPORTED_HEADERS = ["STT", "Mã", "Tên cơ quan", "Cấp"]
ANNEX_HEADERS = [
    "STT",
    "Mã",
    "Tên cơ quan",
    "Cấp",
    "Phải áp dụng",
    "Tình trạng HTQLCL",
    "Số quyết định công bố",
    "Ngày công bố",
    "Công bố lần đầu/lại",
    "Ngày tiếp nhận",
]
ANNEX_WIDTHS = [1.0, 2.0, 7.0, 2.0, 1.6, 2.6, 3.0, 2.2, 1.8, 2.2]


def summary_row(row: dict) -> list[str]:
    """One row of the table by tier, as text."""
    objectives = (
        f"{row['objectives_met']}/{row['objectives_assessed']}"
        if row["objectives_assessed"]
        else "—"
    )
    return [
        TIER_VI.get(row["tier"], row["tier"]),
        str(row["agencies"]),
        str(row["must_apply"]),
        str(row["built"]),
        str(row["applied"]),
        str(row["announced"]),
        str(row["re_announced"]),
        f"{row['reported']}/{row['concerned']}",
        str(row["audited"]),
        str(row["reviewed"]),
        str(row["inspected"]) if "inspected" in row else "—",  # kept before it was counted
        objectives,
        f"{number(row['on_time_rate'])}%" if row.get("on_time_rate") is not None else "—",
    ]


def not_reported_rows(figures) -> list[list[str]]:
    return [
        [str(i), a["code"], a["name"], TIER_VI.get(a["tier"], a["tier"])]
        for i, a in enumerate(figures.not_reported, start=1)
    ]


def annex_rows(figures) -> list[list[str]]:
    return [
        [
            str(i),
            a["code"],
            a["name"],
            TIER_VI.get(a["tier"], a["tier"]),
            "x" if a["must_apply"] else "",
            STATUS_VI.get(a["qms_status"], a["qms_status"]),
            a["number"],
            day(a["date"]),
            {"first": "Lần đầu", "re": "Công bố lại"}.get(a["kind"], ""),
            day(a["received_on"]),
        ]
        for i, a in enumerate(figures.annex, start=1)
    ]


def summary_sections(report, figures) -> list[Section]:
    total = figures.total
    scope = figures.root.name if figures.root else "toàn bộ phạm vi quản lý"
    if total:
        overview = (
            f"Tính đến ngày {day(figures.on)}, trong phạm vi {scope} có {total['agencies']} cơ "
            f"quan, đơn vị, trong đó {total['must_apply']} thuộc đối tượng phải áp dụng; "
            f"{total['announced']} đã công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO "
            f"9001 ({total['re_announced']} đã công bố lại); {total['reported']}/"
            f"{total['concerned']} cơ quan, đơn vị đã gửi báo cáo năm {figures.year}; "
            f"{total['audited']} đã đánh giá nội bộ, {total['reviewed']} đã họp xem xét của "
            "lãnh đạo"
            + (
                f"; {total['inspected']} cơ quan, đơn vị đã được Sở Khoa học và Công nghệ kiểm "
                f"tra trong năm {figures.year}."
                if "inspected" in total
                else "."
            )
        )
    else:
        overview = f"Tính đến ngày {day(figures.on)}, không có cơ quan, đơn vị nào trong phạm vi."
    results = [overview, *_paragraphs(report.results)] if report.results.strip() else [overview]
    if not figures.dossier_known:
        results.append("Tỷ lệ hồ sơ giải quyết đúng hạn: " + NO_DATA + ".")
    return [
        Section("I. TÌNH HÌNH CHỈ ĐẠO, TRIỂN KHAI", _paragraphs(report.direction)),
        Section(
            "II. KẾT QUẢ",
            results,
            Table(SUMMARY_HEADERS, [summary_row(r) for r in figures.rows], SUMMARY_WIDTHS),
            [
                f"Cơ quan, đơn vị chưa gửi báo cáo năm {figures.year}: "
                f"{len(figures.not_reported)} (danh sách kèm theo)."
            ],
        ),
        Section("III. HẠN CHẾ, NGUYÊN NHÂN", _paragraphs(report.limits)),
        Section("IV. ĐỀ XUẤT, KIẾN NGHỊ", _paragraphs(report.proposals)),
    ]
