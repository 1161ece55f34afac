"""The deployment's default set of annual obligations (DOMAIN.md, "The annual cycle"), adopted
for every agency from 2015. Each date is a *default* with its basis recorded beside it: a
province adopts its own set (copied from this one) where its letter says otherwise."""

import datetime

from django.db import migrations

SET_NAME = "Nghĩa vụ hằng năm về HTQLCL (bộ mặc định)"
SET_BASIS = (
    "Quyết định 19/2014/QĐ-TTg; Thông tư 26/2014/TT-BKHCN; Công văn 3003/BKHCN-TĐC năm 2018; "
    "văn bản hướng dẫn hằng năm của Sở Khoa học và Công nghệ (mặc định: đối chiếu văn bản "
    "của tỉnh trước khi áp dụng)"
)
QD19 = "Quyết định 19/2014/QĐ-TTg"
TT26 = "Thông tư 26/2014/TT-BKHCN"
TCVN = "TCVN ISO 9001:2015"

RULES = [
    {
        "code": "plan",
        "title": "Kế hoạch duy trì, cải tiến HTQLCL của năm",
        "description": "Ban hành kế hoạch áp dụng, duy trì và cải tiến HTQLCL của năm "
        "(tài liệu có tiêu đề “Kế hoạch …”).",
        "legal_basis": f"{TT26}; hướng dẫn hằng năm của Sở KH&CN (mặc định)",
        "due_kind": "fixed",
        "due_month": 1,
        "due_day": 31,
        "opens_month": 12,
        "opens_day": 1,
        "opens_previous_year": True,
        "evidence_key": "documents.year_plan",
    },
    {
        "code": "committee",
        "title": "Kiện toàn Ban chỉ đạo ISO đầu năm",
        "description": "Quyết định thành lập hoặc kiện toàn Ban chỉ đạo ISO cho năm mới.",
        "legal_basis": f"{QD19}; hướng dẫn hằng năm của Sở KH&CN (mặc định)",
        "due_kind": "fixed",
        "due_month": 1,
        "due_day": 31,
        "opens_month": 12,
        "opens_day": 1,
        "opens_previous_year": True,
        "evidence_key": "qms.committee_decision",
    },
    {
        "code": "objectives",
        "title": "Mục tiêu chất lượng và kế hoạch thực hiện của năm",
        "description": "Ban hành mục tiêu chất lượng của cơ quan và các bộ phận cùng kế hoạch "
        "thực hiện.",
        "legal_basis": f"{TCVN}, điều 6.2; {TT26} (mặc định: trước 31/01)",
        "due_kind": "fixed",
        "due_month": 1,
        "due_day": 31,
        "opens_month": 12,
        "opens_day": 1,
        "opens_previous_year": True,
        "evidence_key": "objectives.issued",
    },
    {
        "code": "master_list",
        "title": "Xem xét danh mục tài liệu hằng quý",
        "description": "Xem xét danh mục tài liệu nội bộ và bên ngoài trong mỗi quý.",
        "legal_basis": f"{TCVN}, điều 7.5; thủ tục kiểm soát thông tin dạng văn bản (mặc định)",
        "due_kind": "quarterly",
        "evidence_key": "documents.master_list_review",
        "remind_before_days": 10,
    },
    {
        "code": "legal_update",
        "title": "Cập nhật tài liệu khi văn bản pháp luật thay đổi",
        "description": "Sửa đổi quy trình có căn cứ là văn bản pháp luật mới có hiệu lực, bị "
        "thay thế hoặc sửa đổi.",
        "legal_basis": f"{TT26}; {QD19}, Điều 4 (mặc định: trong 3 tháng)",
        "due_kind": "event",
        "trigger_key": "documents.legal_change",
        "within_months": 3,
        "evidence_key": "documents.legal_update",
    },
    {
        "code": "objectives_report",
        "title": "Báo cáo đánh giá thực hiện mục tiêu chất lượng",
        "description": "Trước đợt đánh giá nội bộ (trước 31/10 khi chưa có kế hoạch đánh giá).",
        "legal_basis": f"{TCVN}, điều 6.2, 9.1.3 (mặc định)",
        "due_kind": "relative",
        "due_month": 10,
        "due_day": 31,
        "anchor_key": "audits.scheduled",
        "offset_days": -1,
        "evidence_key": "objectives.evaluation_report",
    },
    {
        "code": "risks_report",
        "title": "Báo cáo đánh giá rủi ro và cơ hội",
        "description": "Trước đợt đánh giá nội bộ (trước 31/10 khi chưa có kế hoạch đánh giá).",
        "legal_basis": f"{TCVN}, điều 6.1, 9.1.3 (mặc định)",
        "due_kind": "relative",
        "due_month": 10,
        "due_day": 31,
        "anchor_key": "audits.scheduled",
        "offset_days": -1,
        "evidence_key": "risks.evaluation_report",
    },
    {
        "code": "internal_audit",
        "title": "Đánh giá nội bộ",
        "description": "Hoàn thành đợt đánh giá nội bộ của năm (tháng 10–11), có báo cáo.",
        "legal_basis": f"{TCVN}, điều 9.2; {TT26} (mặc định: trước 30/11)",
        "due_kind": "fixed",
        "due_month": 11,
        "due_day": 30,
        "evidence_key": "audits.report",
        "remind_before_days": 30,
    },
    {
        "code": "management_review",
        "title": "Xem xét của lãnh đạo",
        "description": "Họp xem xét của lãnh đạo trong năm (tháng 10–11).",
        "legal_basis": f"{TCVN}, điều 9.3; {TT26} (mặc định: trước 30/11)",
        "due_kind": "fixed",
        "due_month": 11,
        "due_day": 30,
        "evidence_key": "reviews.held",
        "remind_before_days": 30,
    },
    {
        "code": "annual_report",
        "title": "Báo cáo tình hình áp dụng, duy trì, cải tiến HTQLCL gửi Sở KH&CN",
        "description": "Báo cáo năm (kỳ báo cáo từ 15/12 năm trước đến 14/12) gửi Sở Khoa học "
        "và Công nghệ.",
        "legal_basis": f"{QD19}, Điều 8; {TT26} (mặc định: trước 15/12)",
        "due_kind": "fixed",
        "due_month": 12,
        "due_day": 15,
        "evidence_key": "reports.annual_report",
        "remind_before_days": 30,
    },
    {
        "code": "reannouncement",
        "title": "Công bố lại khi điều chỉnh phạm vi áp dụng",
        "description": "Công bố lại HTQLCL phù hợp TCVN ISO 9001 khi mở rộng, thu hẹp hoặc "
        "điều chỉnh phạm vi áp dụng.",
        "legal_basis": f"{QD19}, Điều 4 khoản 3 (thời hạn mặc định: 3 tháng)",
        "due_kind": "event",
        "trigger_key": "qms.scope_change",
        "within_months": 3,
        "evidence_key": "qms.reannouncement",
    },
    {
        "code": "committee_change",
        "title": "Kiện toàn Ban chỉ đạo ISO khi thay đổi nhân sự",
        "description": "Quyết định kiện toàn Ban chỉ đạo khi thủ trưởng hoặc thư ký ISO thay đổi.",
        "legal_basis": f"{QD19} (thời hạn mặc định: 1 tháng)",
        "due_kind": "event",
        "trigger_key": "qms.staff_change",
        "within_months": 1,
        "evidence_key": "qms.committee_decision",
    },
]


def load(apps, schema_editor):
    """Create the default set once (idempotent: also called by the tests after a flush)."""
    RuleSet = apps.get_model("cycle", "RuleSet")
    Rule = apps.get_model("cycle", "Rule")
    if RuleSet.objects.filter(name=SET_NAME, scope__isnull=True).exists():
        return
    rule_set = RuleSet.objects.create(
        name=SET_NAME,
        legal_basis=SET_BASIS,
        effective_from=datetime.date(2015, 1, 1),
        status="adopted",
        report_from_month=12,
        report_from_day=15,
        report_to_month=12,
        report_to_day=14,
    )
    for order, data in enumerate(RULES, start=1):
        Rule.objects.create(rule_set=rule_set, order=order * 10, **data)


def unload(apps, schema_editor):
    RuleSet = apps.get_model("cycle", "RuleSet")
    for rule_set in RuleSet.objects.filter(name=SET_NAME, scope__isnull=True):
        rule_set.rules.all().delete()
        rule_set.delete()


class Migration(migrations.Migration):
    dependencies = [("cycle", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
