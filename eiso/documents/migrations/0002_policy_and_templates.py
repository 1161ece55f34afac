"""Document-control rules and the framework-model templates, as data (editable by an admin)."""

import datetime

from django.db import migrations

BASIS = "Quyết định 19/2014/QĐ-TTg; Công văn 3003/BKHCN-TĐC (2018); mô hình khung (2019)"

TEMPLATES = [
    (
        "CSCL",
        "Chính sách chất lượng",
        "quality_policy",
        0,
        "Lãnh đạo và toàn thể cán bộ, công chức cam kết xây dựng, áp dụng, duy trì và cải tiến "
        "Hệ thống quản lý chất lượng phù hợp tiêu chuẩn TCVN ISO 9001:2015; giải quyết thủ tục "
        "hành chính công khai, minh bạch, đúng quy định, đúng hạn; lấy sự hài lòng của người dân, "
        "tổ chức làm thước đo chất lượng phục vụ.",
    ),
    (
        "QT-01",
        "Quy trình kiểm soát thông tin dạng văn bản",
        "system_procedure",
        10,
        "1. Mục đích: thống nhất cách soạn thảo, xem xét, phê duyệt, ban hành, phân phối, sửa đổi "
        "và lưu giữ tài liệu, hồ sơ của Hệ thống quản lý chất lượng.\n2. Phạm vi: mọi tài liệu nội "
        "bộ, tài liệu bên ngoài và hồ sơ thuộc phạm vi áp dụng.\n3. Tài liệu viện dẫn: TCVN ISO "
        "9001:2015, điều 7.5.\n4. Nội dung: soạn thảo → xem xét → phê duyệt → ban hành bằng quyết "
        "định → phân phối → định kỳ rà soát danh mục tài liệu hằng quý.",
    ),
    (
        "QT-02",
        "Quy trình đánh giá nội bộ",
        "system_procedure",
        20,
        "1. Mục đích: đánh giá mức độ phù hợp và hiệu lực của Hệ thống quản lý chất lượng.\n"
        "2. Nội dung: lập chương trình đánh giá năm, kế hoạch đánh giá, thực hiện, báo cáo kết quả, "
        "theo dõi hành động khắc phục (TCVN ISO 9001:2015, điều 9.2).",
    ),
    (
        "QT-03",
        "Quy trình xem xét của lãnh đạo",
        "system_procedure",
        30,
        "1. Mục đích: lãnh đạo định kỳ xem xét Hệ thống quản lý chất lượng để bảo đảm luôn phù hợp, "
        "thỏa đáng và có hiệu lực.\n2. Nội dung: đầu vào theo điều 9.3.2, đầu ra theo điều 9.3.3, "
        "biên bản họp xem xét.",
    ),
    (
        "QT-04",
        "Quy trình kiểm soát sự không phù hợp và hành động khắc phục",
        "system_procedure",
        40,
        "1. Mục đích: nhận biết, xử lý sự không phù hợp, tìm nguyên nhân và thực hiện hành động "
        "khắc phục (TCVN ISO 9001:2015, điều 10.2).\n2. Nội dung: mô tả, khắc phục tức thời, "
        "nguyên nhân, kế hoạch hành động, kiểm tra hiệu lực.",
    ),
    (
        "QT-05",
        "Quy trình quản lý rủi ro và cơ hội",
        "system_procedure",
        50,
        "1. Mục đích: xác định, đánh giá và xử lý rủi ro, cơ hội của các quá trình (điều 6.1).\n"
        "2. Nội dung: nhận diện, đánh giá khả năng × mức độ ảnh hưởng, biện pháp xử lý, theo dõi.",
    ),
    (
        "QT-06",
        "Quy trình giải quyết phản ánh, kiến nghị và đo lường sự hài lòng",
        "system_procedure",
        60,
        "1. Mục đích: tiếp nhận, giải quyết phản ánh, kiến nghị và đo lường sự hài lòng của người "
        "dân, tổ chức (điều 9.1.2).\n2. Nội dung: kênh tiếp nhận, thời hạn xử lý, tổng hợp định kỳ.",
    ),
]


def load(apps, schema_editor):
    Policy = apps.get_model("documents", "DocumentControlPolicy")
    Template = apps.get_model("documents", "DocumentTemplate")
    if not Policy.objects.exists():
        Policy.objects.create(
            effective_from=datetime.date(2014, 7, 1),
            revision_window_months=3,
            legal_basis="Quyết định 19/2014/QĐ-TTg; Thông tư 26/2014/TT-BKHCN (mặc định 3 tháng)",
        )
    for code, title, kind, order, content in TEMPLATES:
        Template.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "kind": kind,
                "sort_order": order,
                "content": content,
                "legal_basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
