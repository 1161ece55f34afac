"""The framework model's typical quality objectives per agency kind, with their plan (data,
editable by an admin). Sources named here ("records.on_time_rate", "feedback.satisfaction")
are used once the module providing them registers them; until then the objective is typed in.
"""

from decimal import Decimal

from django.db import migrations

BASIS = (
    "Mô hình khung HTQLCL theo TCVN ISO 9001:2015 (Bộ Khoa học và Công nghệ, 2019), "
    "mục tiêu chất lượng điển hình (mặc định)"
)
ON_TIME = "records.on_time_rate"
SATISFIED = "feedback.satisfaction"


def action(what, responsible, month, resources="", evaluation=""):
    return {
        "what": what,
        "responsible": responsible,
        "month": month,
        "resources": resources,
        "evaluation": evaluation,
    }


def on_time(target, responsible):
    return (
        "Giải quyết hồ sơ thủ tục hành chính đúng quy định, đúng hoặc trước thời hạn",
        "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hoặc trước hạn",
        "ge",
        target,
        "%",
        "quarter",
        ON_TIME,
        [
            action(
                "Theo dõi hằng tuần tiến độ giải quyết hồ sơ trên Hệ thống thông tin giải quyết "
                "thủ tục hành chính của tỉnh; nhắc việc hồ sơ sắp đến hạn",
                responsible,
                12,
                "Hệ thống một cửa điện tử",
                "Báo cáo tình hình giải quyết TTHC hằng quý",
            ),
            action(
                "Rà soát quy trình nội bộ của các thủ tục có hồ sơ trễ hạn, đề xuất cắt giảm "
                "thời gian các bước",
                "Thư ký ISO; các bộ phận chuyên môn",
                6,
                "",
                "Quy trình được sửa đổi, ban hành",
            ),
        ],
    )


def satisfaction(target, responsible):
    return (
        "Nâng cao sự hài lòng của người dân, tổ chức khi giải quyết thủ tục hành chính",
        "Tỷ lệ người dân, tổ chức hài lòng với việc giải quyết thủ tục hành chính",
        "ge",
        target,
        "%",
        "half_year",
        SATISFIED,
        [
            action(
                "Khảo sát mức độ hài lòng tại Bộ phận Một cửa bằng phiếu và mã QR",
                responsible,
                6,
                "Phiếu khảo sát; mã QR",
                "Tổng hợp kết quả khảo sát 6 tháng",
            ),
            action(
                "Khảo sát mức độ hài lòng 6 tháng cuối năm, phân tích ý kiến chưa hài lòng",
                responsible,
                12,
                "Phiếu khảo sát; mã QR",
                "Báo cáo kết quả khảo sát năm",
            ),
        ],
    )


def complaints(responsible):
    return (
        "Tiếp nhận, xử lý phản ánh, kiến nghị của người dân, tổ chức kịp thời",
        "Tỷ lệ phản ánh, kiến nghị được xem xét, trả lời đúng thời hạn",
        "eq",
        100,
        "%",
        "quarter",
        "manual",
        [
            action(
                "Công khai địa chỉ, số điện thoại tiếp nhận phản ánh, kiến nghị tại nơi giải "
                "quyết thủ tục hành chính",
                responsible,
                3,
                "",
                "Biên bản kiểm tra việc niêm yết",
            ),
            action(
                "Lập sổ theo dõi, tổng hợp phản ánh, kiến nghị và kết quả xử lý hằng quý",
                responsible,
                12,
                "Sổ theo dõi",
                "Báo cáo quý",
            ),
        ],
    )


def legal_updates():
    return (
        "Cập nhật kịp thời tài liệu của Hệ thống quản lý chất lượng khi văn bản pháp luật thay đổi",
        "Tỷ lệ quy trình được sửa đổi trong 3 tháng kể từ khi văn bản pháp luật liên quan có "
        "hiệu lực",
        "eq",
        100,
        "%",
        "year",
        "manual",
        [
            action(
                "Rà soát danh mục văn bản pháp luật hằng quý, lập danh sách quy trình cần sửa đổi",
                "Thư ký ISO",
                12,
                "",
                "Biên bản xem xét danh mục tài liệu hằng quý",
            ),
        ],
    )


def online(target, responsible):
    return (
        "Đẩy mạnh cung cấp dịch vụ công trực tuyến",
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến toàn trình",
        "ge",
        target,
        "%",
        "quarter",
        "manual",
        [
            action(
                "Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa; bố trí máy tính, "
                "người hỗ trợ",
                responsible,
                9,
                "Máy tính, máy quét tại Bộ phận Một cửa",
                "Số hồ sơ trực tuyến trên Cổng dịch vụ công",
            ),
        ],
    )


def training(target):
    return (
        "Cán bộ, công chức nắm vững và áp dụng đúng Hệ thống quản lý chất lượng",
        "Tỷ lệ cán bộ, công chức được phổ biến, đào tạo về TCVN ISO 9001:2015 trong năm",
        "ge",
        target,
        "%",
        "year",
        "manual",
        [
            action(
                "Tổ chức lớp phổ biến TCVN ISO 9001:2015 và các quy trình mới ban hành",
                "Thư ký ISO; Văn phòng",
                8,
                "Kinh phí đào tạo trong dự toán năm",
                "Danh sách tham dự; bài kiểm tra",
            ),
        ],
    )


def same_day(indicator, statement, target, responsible):
    return (
        statement,
        indicator,
        "ge",
        target,
        "%",
        "quarter",
        "manual",
        [
            action(
                "Bố trí công chức tư pháp - hộ tịch trực tại Bộ phận Một cửa trong giờ làm việc",
                responsible,
                12,
                "Bộ phận Một cửa",
                "Sổ theo dõi hồ sơ",
            ),
        ],
    )


TEMPLATES = {
    "ubnd_tinh": [
        on_time(98, "Văn phòng UBND tỉnh; Trung tâm Phục vụ hành chính công"),
        satisfaction(95, "Trung tâm Phục vụ hành chính công"),
        online(60, "Trung tâm Phục vụ hành chính công"),
        complaints("Văn phòng UBND tỉnh"),
        legal_updates(),
    ],
    "so_nganh": [
        on_time(98, "Văn phòng Sở; các phòng chuyên môn"),
        satisfaction(95, "Văn phòng Sở"),
        complaints("Văn phòng Sở; Thanh tra Sở"),
        online(50, "Văn phòng Sở"),
        legal_updates(),
        training(90),
    ],
    "chi_cuc": [
        on_time(98, "Phòng Hành chính - Tổng hợp"),
        satisfaction(95, "Phòng Hành chính - Tổng hợp"),
        complaints("Phòng Hành chính - Tổng hợp"),
        legal_updates(),
    ],
    "ubnd_huyen": [
        on_time(97, "Văn phòng HĐND và UBND huyện"),
        satisfaction(90, "Bộ phận Một cửa huyện"),
        complaints("Văn phòng HĐND và UBND huyện"),
        legal_updates(),
    ],
    "phong_huyen": [
        on_time(97, "Lãnh đạo phòng; công chức chuyên môn"),
        complaints("Lãnh đạo phòng"),
        legal_updates(),
    ],
    "ubnd_xa": [
        on_time(95, "Công chức Bộ phận Một cửa"),
        satisfaction(90, "Văn phòng UBND xã"),
        same_day(
            "Tỷ lệ yêu cầu chứng thực bản sao từ bản chính được trả kết quả trong ngày",
            "Chứng thực bản sao từ bản chính nhanh chóng, thuận tiện cho người dân",
            95,
            "Công chức Tư pháp - Hộ tịch",
        ),
        same_day(
            "Tỷ lệ hồ sơ đăng ký khai sinh được giải quyết trong ngày",
            "Đăng ký khai sinh kịp thời cho trẻ em trên địa bàn",
            95,
            "Công chức Tư pháp - Hộ tịch",
        ),
        complaints("Văn phòng UBND xã"),
    ],
    "don_vi_su_nghiep": [
        (
            "Cung cấp dịch vụ sự nghiệp công đúng hẹn",
            "Tỷ lệ hồ sơ dịch vụ được trả kết quả đúng hẹn",
            "ge",
            95,
            "%",
            "quarter",
            "manual",
            [
                action(
                    "Theo dõi sổ giao nhận hồ sơ, nhắc hẹn trả kết quả",
                    "Bộ phận tiếp nhận và trả kết quả",
                    12,
                    "Sổ theo dõi",
                    "Báo cáo quý",
                )
            ],
        ),
        satisfaction(90, "Phòng Hành chính - Tổng hợp"),
        legal_updates(),
    ],
}


def load(apps, schema_editor):
    AgencyKind = apps.get_model("organizations", "AgencyKind")
    ObjectiveTemplate = apps.get_model("objectives", "ObjectiveTemplate")
    kinds = {k.code: k for k in AgencyKind.objects.filter(code__in=list(TEMPLATES))}
    for code, rows in TEMPLATES.items():
        kind = kinds.get(code)
        if kind is None:
            continue
        for number, row in enumerate(rows, start=1):
            statement, indicator, comparator, target, unit, frequency, source, actions = row
            ObjectiveTemplate.objects.update_or_create(
                kind=kind,
                number=number,
                defaults={
                    "statement": statement,
                    "indicator": indicator,
                    "comparator": comparator,
                    "target": Decimal(target),
                    "unit": unit,
                    "frequency": frequency,
                    "source": source,
                    "actions": actions,
                    "basis": BASIS,
                },
            )


def unload(apps, schema_editor):
    apps.get_model("objectives", "ObjectiveTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("objectives", "0001_initial"),
        ("organizations", "0002_agency_kinds"),
    ]
    operations = [migrations.RunPython(load, unload)]
