"""The legal inspection content, as data (DOMAIN.md "Inspection content", *default*): the items
the Sở KH&CN checks at every agency, each naming what the platform knows about it (the fact the
checklist is pre-filled from, ``eiso.inspections.facts``). A new circular is a new version;
plans keep the version they were approved with."""

import datetime

from django.db import migrations

CODE = "TT26-2014"
TITLE = "Nội dung kiểm tra việc áp dụng, duy trì và cải tiến HTQLCL theo TCVN ISO 9001:2015"
BASIS = (
    "Mặc định: Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ (sửa đổi, bổ "
    "sung bởi Quyết định số 101/2018/QĐ-TTg); Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ "
    "Khoa học và Công nghệ (Điều 12–13: nội dung kiểm tra); đối chiếu văn bản hiện hành."
)
S1 = "Việc xây dựng và áp dụng HTQLCL"
S2 = "Việc công bố HTQLCL phù hợp TCVN ISO 9001:2015"
S3 = "Việc duy trì và cải tiến HTQLCL"
S4 = "Việc thực hiện chế độ báo cáo"
S5 = "Việc sử dụng tổ chức tư vấn"
QUESTIONS = [
    # section, title, number, text, guidance, fact
    (
        1,
        S1,
        "1.1",
        "Hệ thống tài liệu đầy đủ, phù hợp với tiêu chuẩn: chính sách chất lượng, mục tiêu "
        "chất lượng, các quy trình bắt buộc và quy trình giải quyết công việc.",
        "Danh mục tài liệu nội bộ, quyết định ban hành, tài liệu hiện hành tại nơi làm việc.",
        "documents.in_force",
    ),
    (
        1,
        S1,
        "1.2",
        "Phạm vi áp dụng bao quát toàn bộ thủ tục hành chính thuộc thẩm quyền giải quyết của "
        "cơ quan.",
        "Đối chiếu danh mục TTHC cơ quan giải quyết với các quy trình ISO đã ban hành.",
        "procedures.coverage",
    ),
    (
        2,
        S2,
        "2.1",
        "Đã công bố (hoặc công bố lại khi điều chỉnh phạm vi) HTQLCL phù hợp TCVN ISO "
        "9001:2015, gửi Sở Khoa học và Công nghệ và niêm yết công khai.",
        "Quyết định công bố, văn bản gửi, nơi niêm yết.",
        "qms.announced",
    ),
    (
        3,
        S3,
        "3.1",
        "Cập nhật kịp thời các văn bản quy phạm pháp luật mới, sửa đổi vào tài liệu của hệ thống.",
        "Danh mục tài liệu bên ngoài, các lần ban hành sau khi văn bản thay đổi.",
        "documents.legal_updates",
    ),
    (
        3,
        S3,
        "3.2",
        "Xây dựng, ban hành mục tiêu chất lượng và kế hoạch thực hiện; theo dõi, đo lường kết "
        "quả thực hiện.",
        "Quyết định ban hành mục tiêu năm, báo cáo đánh giá mục tiêu.",
        "objectives.issued",
    ),
    (
        3,
        S3,
        "3.3",
        "Thực hiện đánh giá nội bộ theo kế hoạch.",
        "Chương trình, kế hoạch, báo cáo đánh giá nội bộ.",
        "audits.report",
    ),
    (
        3,
        S3,
        "3.4",
        "Thực hiện xem xét của lãnh đạo.",
        "Biên bản họp xem xét của lãnh đạo và việc thực hiện các quyết định.",
        "reviews.held",
    ),
    (
        3,
        S3,
        "3.5",
        "Kiểm soát sự không phù hợp, thực hiện hành động khắc phục.",
        "Phiếu yêu cầu hành động khắc phục, bằng chứng thực hiện và xác nhận hiệu lực.",
        "improvements.overdue",
    ),
    (
        3,
        S3,
        "3.6",
        "Xác định rủi ro, cơ hội và thực hiện biện pháp xử lý.",
        "Sổ đăng ký rủi ro, cơ hội; báo cáo đánh giá việc xử lý.",
        "risks.evaluation_report",
    ),
    (
        4,
        S4,
        "4.1",
        "Báo cáo định kỳ tình hình xây dựng, áp dụng, duy trì và cải tiến HTQLCL đúng thời hạn.",
        "Báo cáo năm gửi Sở Khoa học và Công nghệ (kỳ báo cáo 15/12 năm trước – 14/12).",
        "reports.annual_report",
    ),
    (
        5,
        S5,
        "5.1",
        "Tổ chức tư vấn (nếu có thuê) đáp ứng điều kiện theo quy định.",
        "Hợp đồng tư vấn; tổ chức tư vấn có tên trong danh sách đủ điều kiện.",
        "qms.consultant",
    ),
]


def load(apps, schema_editor):
    version_model = apps.get_model("inspections", "ChecklistVersion")
    question_model = apps.get_model("inspections", "ChecklistQuestion")
    version, created = version_model.objects.get_or_create(
        code=CODE,
        defaults={
            "title": TITLE,
            "legal_basis": BASIS,
            "effective_from": datetime.date(2014, 10, 10),
        },
    )
    for order, (section, title, number, text, guidance, fact) in enumerate(QUESTIONS, start=1):
        question_model.objects.get_or_create(
            version=version,
            number=number,
            defaults={
                "section": section,
                "section_title": title,
                "order": order,
                "text": text,
                "guidance": guidance,
                "fact": fact,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
