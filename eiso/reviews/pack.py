"""The input pack of a management review (ISO 9001 clause 9.3.2), assembled from the other
modules' selectors as the data stood on a day: each section says where it came from and, when
the system holds nothing, says so rather than being left out. The words are Vietnamese data (the
pack is the body of the minutes), like the official documents'."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from eiso.core import measures

DOSSIER_SOURCE = "dossiers.on_time_rate"
SATISFACTION_SOURCE = "feedback.satisfaction"
NO_DATA = "Không có dữ liệu trong hệ thống đến ngày {day}. Bổ sung trước cuộc họp nếu có."


@dataclass(frozen=True)
class Section:
    key: str
    clause: str
    title: str
    source: str
    content: str
    has_data: bool


@dataclass(frozen=True)
class Period:
    """What the pack covers: from the day after the previous review (or 1 January) to ``on``."""

    start: datetime.date
    on: datetime.date
    year: int

    @property
    def label(self) -> str:
        return f"từ {_day(self.start)} đến {_day(self.on)}"


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _no_data(period: Period, extra: str = "") -> str:
    return (extra + " " if extra else "") + NO_DATA.format(day=_day(period.on))


def _number(value) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- a) actions from previous reviews ---------------------------------------------------------


def previous_actions(user, review, period: Period) -> Section:
    from eiso.reviews.models import ReviewOutput

    outputs = list(
        ReviewOutput.objects.visible_to(user)
        .filter(agency=review.agency, review__meeting_date__lt=review.meeting_date)
        .exclude(review=review)
        .select_related("review", "owner")
        .order_by("review__meeting_date", "number")[:40]
    )
    source = "Đầu ra của các cuộc họp xem xét của lãnh đạo trước đó (phân hệ Xem xét của lãnh đạo)"
    if not outputs:
        return Section(
            "previous_actions",
            "9.3.2 a)",
            TITLES["previous_actions"],
            source,
            _no_data(period, "Chưa có cuộc họp xem xét nào trước đó."),
            False,
        )
    done = [o for o in outputs if o.done_on and o.done_on <= period.on]
    lines = [f"Đã hoàn thành {len(done)}/{len(outputs)} hành động."]
    for o in outputs:
        if o.done_on and o.done_on <= period.on:
            state = f"đã hoàn thành ngày {_day(o.done_on)}" + (f": {o.result}" if o.result else "")
        elif o.due_date < period.on:
            state = f"quá hạn (hạn {_day(o.due_date)})"
        else:
            state = f"đang thực hiện (hạn {_day(o.due_date)})"
        owner = f" — {o.owner.full_name or o.owner.username}" if o.owner_id else ""
        lines.append(f"- {o.description}{owner}: {state}.")
    return Section(
        "previous_actions", "9.3.2 a)", TITLES["previous_actions"], source, "\n".join(lines), True
    )


# --- b) changes in context --------------------------------------------------------------------


def context_changes(user, review, period: Period) -> Section:
    source = f"Bối cảnh năm {period.year} (phân hệ Bối cảnh, rủi ro và cơ hội)"
    if not apps.is_installed("eiso.risks"):
        return Section("context", "9.3.2 b)", TITLES["context"], source, _no_data(period), False)
    from eiso.risks import selectors as risks

    issues = list(risks.issue_list(user=user, agency=review.agency, year=period.year))
    if not issues:
        return Section("context", "9.3.2 b)", TITLES["context"], source, _no_data(period), False)
    from eiso.risks.choices import IssueKind

    internal = [i for i in issues if i.kind == IssueKind.INTERNAL]
    external = [i for i in issues if i.kind == IssueKind.EXTERNAL]
    lines = [f"Vấn đề bên ngoài: {len(external)}; vấn đề nội bộ: {len(internal)}."]
    for label, group in (("Bên ngoài", external), ("Nội bộ", internal)):
        for i in group:
            response = f" Cách giải quyết: {i.response}" if i.response else ""
            lines.append(f"- ({label}) {i.description}.{response}")
    return Section("context", "9.3.2 b)", TITLES["context"], source, "\n".join(lines), True)


# --- c) 1 satisfaction and feedback ------------------------------------------------------------


def satisfaction(user, review, period: Period) -> Section:
    source = "Khảo sát sự hài lòng và phản ánh, kiến nghị (phân hệ Phản hồi của người dân)"
    found = measures.get(SATISFACTION_SOURCE)
    if found is None:
        return Section(
            "satisfaction",
            "9.3.2 c) 1)",
            TITLES["satisfaction"],
            source + " — chưa triển khai",
            _no_data(period, "Hệ thống chưa có phân hệ khảo sát sự hài lòng."),
            False,
        )
    value = measures.compute(SATISFACTION_SOURCE, review.agency, period.start, period.on)
    if value is None:
        return Section(
            "satisfaction", "9.3.2 c) 1)", TITLES["satisfaction"], source, _no_data(period), False
        )
    content = (
        f"Tỷ lệ người dân hài lòng {period.label}: {_number(value)} {found.unit}".strip() + "."
    )
    return Section("satisfaction", "9.3.2 c) 1)", TITLES["satisfaction"], source, content, True)


# --- c) 2 objectives ----------------------------------------------------------------------------


def objectives(user, review, period: Period) -> Section:
    source = f"Mục tiêu chất lượng năm {period.year} và kết quả đo lường đến ngày {_day(period.on)} (phân hệ Mục tiêu chất lượng)"
    if not apps.is_installed("eiso.objectives"):
        return Section(
            "objectives", "9.3.2 c) 2)", TITLES["objectives"], source, _no_data(period), False
        )
    from eiso.objectives import selectors as objective_selectors

    found = objective_selectors.attach_measurements(
        user=user,
        objectives=objective_selectors.objective_list(
            user=user, agency=review.agency, year=period.year
        ),
    )
    if not found:
        return Section(
            "objectives", "9.3.2 c) 2)", TITLES["objectives"], source, _no_data(period), False
        )
    met = not_met = unmeasured = 0
    lines = []
    for o in found:
        known = [m for m in o.lineage_measurements if m.period_end <= period.on]
        missed = [m for m in known if not m.met]
        if missed:
            not_met += 1
            state = (
                "Không đạt ("
                + ", ".join(
                    f"{_day(m.period_end)}: {m.value_text} {o.unit}".strip() for m in missed[:4]
                )
                + ")"
            )
        elif known:
            met += 1
            state = f"Đạt (lần đo gần nhất {known[-1].value_text} {o.unit})".replace("  ", " ")
        else:
            unmeasured += 1
            state = "Chưa đo lường"
        lines.append(f"- {o.number}. {o.statement} — chỉ tiêu {o.target_text}: {state}.")
    head = (
        f"Số mục tiêu: {len(found)}; đạt: {met}; không đạt: {not_met}; chưa đo lường: {unmeasured}."
    )
    return Section(
        "objectives", "9.3.2 c) 2)", TITLES["objectives"], source, "\n".join([head, *lines]), True
    )


# --- c) 3 process performance: dossiers on time ----------------------------------------------


def process_performance(user, review, period: Period) -> Section:
    source = f"Tỷ lệ hồ sơ một cửa giải quyết đúng hạn {period.label} (phân hệ Hồ sơ, nguồn {DOSSIER_SOURCE})"
    found = measures.get(DOSSIER_SOURCE)
    if found is None:
        return Section(
            "process",
            "9.3.2 c) 3)",
            TITLES["process"],
            source + " — chưa triển khai",
            _no_data(period, "Hệ thống chưa có dữ liệu hồ sơ một cửa."),
            False,
        )
    value = measures.compute(DOSSIER_SOURCE, review.agency, period.start, period.on)
    if value is None:
        return Section("process", "9.3.2 c) 3)", TITLES["process"], source, _no_data(period), False)
    content = (
        f"Tỷ lệ hồ sơ giải quyết đúng hạn {period.label}: {_number(value)} {found.unit}".strip()
        + "."
    )
    return Section("process", "9.3.2 c) 3)", TITLES["process"], source, content, True)


# --- c) 4 nonconformities -------------------------------------------------------------------------


def nonconformities(user, review, period: Period) -> Section:
    source = f"Sự không phù hợp và hành động khắc phục {period.label} (phân hệ Hành động khắc phục)"
    from eiso.improvements import selectors as improvements
    from eiso.improvements.outputs import SOURCE

    s = improvements.summary_for(user=user, agency=review.agency, start=period.start, on=period.on)
    if s.empty:
        return Section(
            "nonconformities",
            "9.3.2 c) 4)",
            TITLES["nonconformities"],
            source,
            _no_data(period),
            False,
        )
    lines = [
        f"Phát sinh trong kỳ: {s.raised}; đã đóng trong kỳ: {s.closed}; còn mở đến ngày {_day(s.on)}: {s.open} (quá hạn: {s.overdue}).",
        f"Hành động khắc phục: đã hoàn thành {s.actions_done}/{s.actions_total}."
        + (
            f" Thời gian đóng trung bình: {_number(s.average_days)} ngày."
            if s.average_days is not None
            else ""
        ),
    ]
    if s.by_source:
        lines.append(
            "Theo nguồn: "
            + "; ".join(f"{SOURCE.get(k, k)}: {n}" for k, n in sorted(s.by_source.items()))
            + "."
        )
    if s.open_records:
        lines.append("Các sự không phù hợp còn mở:")
        lines += [
            f"- {n.code} {n.title}" + (f" ({n.department.name})" if n.department_id else "")
            for n in s.open_records
        ]
    return Section(
        "nonconformities", "9.3.2 c) 4)", TITLES["nonconformities"], source, "\n".join(lines), True
    )


# --- c) 5 monitoring and measurement ---------------------------------------------------------------


def monitoring(user, review, period: Period) -> Section:
    source = f"Kết quả đo lường các chỉ số của mục tiêu chất lượng {period.label} (phân hệ Mục tiêu chất lượng)"
    if not apps.is_installed("eiso.objectives"):
        return Section(
            "monitoring", "9.3.2 c) 5)", TITLES["monitoring"], source, _no_data(period), False
        )
    from eiso.objectives import selectors as objective_selectors

    found = objective_selectors.attach_measurements(
        user=user,
        objectives=objective_selectors.objective_list(
            user=user, agency=review.agency, year=period.year
        ),
    )
    taken = [
        m
        for o in found
        for m in o.lineage_measurements
        if period.start <= m.period_end <= period.on
    ]
    if not taken:
        return Section(
            "monitoring", "9.3.2 c) 5)", TITLES["monitoring"], source, _no_data(period), False
        )
    computed = sum(1 for m in taken if m.source != measures.MANUAL)
    met = sum(1 for m in taken if m.met)
    content = (
        f"Số lần đo lường trong kỳ: {len(taken)} (tự động từ dữ liệu: {computed}; nhập tay có bằng chứng: "
        f"{len(taken) - computed}); đạt chỉ tiêu: {met}; không đạt: {len(taken) - met}."
    )
    return Section("monitoring", "9.3.2 c) 5)", TITLES["monitoring"], source, content, True)


# --- c) 6 audits -----------------------------------------------------------------------------------


def audit_results(user, review, period: Period) -> Section:
    source = f"Báo cáo đánh giá nội bộ ban hành {period.label} (phân hệ Đánh giá nội bộ)"
    from eiso.audits import selectors as audits
    from eiso.audits.outputs import GRADE

    s = audits.summary_for(user=user, agency=review.agency, start=period.start, on=period.on)
    if s.empty:
        return Section(
            "audits",
            "9.3.2 c) 6)",
            TITLES["audits"],
            source,
            _no_data(period, "Chưa có báo cáo đánh giá nội bộ trong kỳ."),
            False,
        )
    lines = []
    for a in s.audits:
        lines.append(
            f"{a.title}, báo cáo {a.report_number} ngày {_day(a.report_date)}: {a.finding_count} phát hiện. Kết luận: {a.conclusion}"
        )
    lines.append(
        "Phân loại: " + "; ".join(f"{GRADE[g]}: {s.by_grade.get(g, 0)}" for g in GRADE) + "."
    )
    for f in s.findings:
        where = f" ({f.department.name})" if f.department_id else ""
        lines.append(
            f"- {GRADE.get(f.grade, f.grade)}, điều {f.clause.code}{where}: {f.description}"
        )
    return Section("audits", "9.3.2 c) 6)", TITLES["audits"], source, "\n".join(lines), True)


# --- c) 7 external providers, d) resources ---------------------------------------------------------


def providers(user, review, period: Period) -> Section:
    return Section(
        "providers",
        "9.3.2 c) 7)",
        TITLES["providers"],
        "Không có phân hệ theo dõi nhà cung cấp bên ngoài",
        _no_data(
            period,
            "Nêu các dịch vụ thuê ngoài (phần mềm, bưu chính công ích, tư vấn) và đánh giá của cơ quan.",
        ),
        False,
    )


def resources(user, review, period: Period) -> Section:
    return Section(
        "resources",
        "9.3.2 d)",
        TITLES["resources"],
        "Không có phân hệ theo dõi nguồn lực",
        _no_data(period, "Nêu nhân lực, cơ sở vật chất, kinh phí cho HTQLCL và nhu cầu bổ sung."),
        False,
    )


# --- e) risks ----------------------------------------------------------------------------------------


def risks(user, review, period: Period) -> Section:
    source = f"Sổ đăng ký rủi ro và cơ hội năm {period.year} (phân hệ Bối cảnh, rủi ro và cơ hội)"
    if not apps.is_installed("eiso.risks"):
        return Section("risks", "9.3.2 e)", TITLES["risks"], source, _no_data(period), False)
    from eiso.risks import selectors as risk_selectors

    found = list(risk_selectors.risk_list(user=user, agency=review.agency, year=period.year))
    if not found:
        return Section("risks", "9.3.2 e)", TITLES["risks"], source, _no_data(period), False)
    from eiso.risks.choices import RiskKind

    risks_only = [r for r in found if r.kind == RiskKind.RISK]
    reviewed = [r for r in found if r.reviewed_on and r.reviewed_on <= period.on]
    lowered = [r for r in found if r.residual_rating is not None and r.residual_rating < r.rating]
    treatments = sum(r.treatment_count for r in found)
    open_treatments = sum(r.treatments_open for r in found)
    lines = [
        f"Rủi ro: {len(risks_only)}; cơ hội: {len(found) - len(risks_only)}. Biện pháp xử lý: {treatments} (chưa hoàn thành: {open_treatments}).",
        f"Số rủi ro, cơ hội có mức giảm sau xử lý: {len(lowered)}; đã xem xét hiệu lực: {len(reviewed)}.",
    ]
    for r in reviewed[:15]:
        lines.append(f"- {r.code} {r.description}: {r.effectiveness}")
    return Section("risks", "9.3.2 e)", TITLES["risks"], source, "\n".join(lines), True)


# --- f) opportunities for improvement --------------------------------------------------------------


def improvement(user, review, period: Period) -> Section:
    source = f"Cơ hội cải tiến từ đánh giá nội bộ {period.label} và cơ hội trong sổ đăng ký năm {period.year}"
    from eiso.audits import selectors as audits

    findings = audits.improvement_findings(
        user=user, agency=review.agency, start=period.start, on=period.on
    )
    chances = []
    if apps.is_installed("eiso.risks"):
        from eiso.risks import selectors as risk_selectors

        chances = list(
            risk_selectors.risk_list(
                user=user, agency=review.agency, year=period.year, kind="opportunity"
            )[:15]
        )
    if not findings and not chances:
        return Section(
            "improvement", "9.3.2 f)", TITLES["improvement"], source, _no_data(period), False
        )
    lines = [f"- (Đánh giá nội bộ, điều {f.clause.code}) {f.description}" for f in findings]
    lines += [f"- (Cơ hội {c.code}) {c.description}" for c in chances]
    return Section("improvement", "9.3.2 f)", TITLES["improvement"], source, "\n".join(lines), True)


TITLES = {
    "previous_actions": "Tình trạng của các hành động từ các cuộc xem xét của lãnh đạo trước đó",
    "context": "Những thay đổi về các vấn đề bên ngoài và nội bộ liên quan đến hệ thống quản lý chất lượng",
    "satisfaction": "Sự thỏa mãn của khách hàng và phản hồi từ các bên quan tâm",
    "objectives": "Mức độ đạt được các mục tiêu chất lượng",
    "process": "Kết quả thực hiện quá trình và sự phù hợp của sản phẩm, dịch vụ",
    "nonconformities": "Sự không phù hợp và hành động khắc phục",
    "monitoring": "Kết quả theo dõi và đo lường",
    "audits": "Kết quả đánh giá",
    "providers": "Kết quả thực hiện của các nhà cung cấp bên ngoài",
    "resources": "Sự thỏa đáng của các nguồn lực",
    "risks": "Hiệu lực của các hành động được thực hiện để giải quyết rủi ro và cơ hội",
    "improvement": "Các cơ hội cải tiến",
}
BUILDERS: list[Callable] = [
    previous_actions,
    context_changes,
    satisfaction,
    objectives,
    process_performance,
    nonconformities,
    monitoring,
    audit_results,
    providers,
    resources,
    risks,
    improvement,
]


def period_of(review, *, today: datetime.date, previous_date: datetime.date | None) -> Period:
    on = min(review.meeting_date, today)
    start = datetime.date(review.meeting_date.year, 1, 1)
    if previous_date is not None and previous_date.year == review.meeting_date.year:
        start = previous_date + datetime.timedelta(days=1)
    return Period(start=min(start, on), on=on, year=review.meeting_date.year)


def assemble(user, review, period: Period) -> list[Section]:
    """Every section of 9.3.2, in order, as the data stood on ``period.on``."""
    return [build(user, review, period) for build in BUILDERS]
