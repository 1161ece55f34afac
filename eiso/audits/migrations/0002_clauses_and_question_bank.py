"""The clauses of TCVN ISO 9001:2015 (4.1 … 10.3, in the standard's Vietnamese wording) and a
first question bank for internal audits of state administrative agencies: a few questions per
clause for every process, and questions for the processes every agency runs (receiving and
returning dossiers at the one-stop desk, handling them in the departments, documents and
records). Data an administrator keeps from the question bank page; loaded again by ``load``
when a test flushed it."""

from django.db import migrations

CLAUSES = [
    ("4", "4.1", "Hiểu tổ chức và bối cảnh của tổ chức"),
    ("4", "4.2", "Hiểu nhu cầu và mong đợi của các bên quan tâm"),
    ("4", "4.3", "Xác định phạm vi của hệ thống quản lý chất lượng"),
    ("4", "4.4", "Hệ thống quản lý chất lượng và các quá trình của hệ thống"),
    ("5", "5.1", "Sự lãnh đạo và cam kết"),
    ("5", "5.2", "Chính sách"),
    ("5", "5.3", "Vai trò, trách nhiệm và quyền hạn trong tổ chức"),
    ("6", "6.1", "Hành động giải quyết rủi ro và cơ hội"),
    ("6", "6.2", "Mục tiêu chất lượng và hoạch định để đạt được mục tiêu"),
    ("6", "6.3", "Hoạch định các thay đổi"),
    ("7", "7.1", "Nguồn lực"),
    ("7", "7.2", "Năng lực"),
    ("7", "7.3", "Nhận thức"),
    ("7", "7.4", "Trao đổi thông tin"),
    ("7", "7.5", "Thông tin dạng văn bản"),
    ("8", "8.1", "Hoạch định và kiểm soát việc thực hiện"),
    ("8", "8.2", "Yêu cầu đối với sản phẩm và dịch vụ"),
    ("8", "8.3", "Thiết kế và phát triển sản phẩm và dịch vụ"),
    ("8", "8.4", "Kiểm soát quá trình, sản phẩm và dịch vụ do bên ngoài cung cấp"),
    ("8", "8.5", "Sản xuất và cung cấp dịch vụ"),
    ("8", "8.6", "Thông qua sản phẩm và dịch vụ"),
    ("8", "8.7", "Kiểm soát đầu ra không phù hợp"),
    ("9", "9.1", "Theo dõi, đo lường, phân tích và đánh giá"),
    ("9", "9.2", "Đánh giá nội bộ"),
    ("9", "9.3", "Xem xét của lãnh đạo"),
    ("10", "10.1", "Khái quát"),
    ("10", "10.2", "Sự không phù hợp và hành động khắc phục"),
    ("10", "10.3", "Cải tiến liên tục"),
]

ONE_STOP = "Tiếp nhận và trả kết quả thủ tục hành chính"
HANDLING = "Giải quyết thủ tục hành chính tại phòng chuyên môn"
DOCUMENTS = "Kiểm soát tài liệu và hồ sơ"

# (clause, process, question, evidence to look for)
QUESTIONS = [
    (
        "4.1",
        "",
        "Cơ quan đã xác định các vấn đề nội bộ và bên ngoài ảnh hưởng đến HTQLCL chưa? Có được xem xét, cập nhật trong năm không?",
        "Danh mục vấn đề bối cảnh năm; biên bản xem xét",
    ),
    (
        "4.1",
        "",
        "Các thay đổi về tổ chức bộ máy, văn bản pháp luật có được phản ánh vào bối cảnh không?",
        "Bối cảnh sau sắp xếp tổ chức bộ máy; văn bản QPPL mới",
    ),
    (
        "4.2",
        "",
        "Các bên quan tâm (người dân, doanh nghiệp, cơ quan cấp trên…) và yêu cầu của họ đã được xác định và theo dõi chưa?",
        "Danh sách bên quan tâm; cách theo dõi",
    ),
    (
        "4.3",
        "",
        "Phạm vi áp dụng HTQLCL có bao gồm đầy đủ các TTHC cơ quan đang giải quyết không? Có được công bố lại khi phạm vi thay đổi không?",
        "Quyết định công bố; danh mục TTHC; quyết định công bố lại",
    ),
    (
        "4.4",
        "",
        "Các quá trình của HTQLCL đã được xác định với đầu vào, đầu ra, trách nhiệm và chỉ số theo dõi chưa?",
        "Sơ đồ quá trình; các quy trình",
    ),
    (
        "4.4",
        "",
        "Quy trình ISO của từng TTHC có khớp với quy trình điện tử trên hệ thống một cửa không?",
        "Đối chiếu quy trình nội bộ và quy trình trên phần mềm",
    ),
    (
        "5.1",
        "",
        "Lãnh đạo cơ quan thể hiện sự cam kết với HTQLCL như thế nào (chỉ đạo, bố trí nguồn lực, chủ trì xem xét)?",
        "Văn bản chỉ đạo; biên bản họp xem xét của lãnh đạo",
    ),
    (
        "5.1",
        "",
        "Ban chỉ đạo ISO có được kiện toàn khi có thay đổi nhân sự không?",
        "Quyết định thành lập, kiện toàn Ban chỉ đạo",
    ),
    (
        "5.2",
        "",
        "Chính sách chất lượng có được ban hành, phổ biến và được công chức hiểu không?",
        "Chính sách chất lượng; phỏng vấn công chức",
    ),
    (
        "5.3",
        "",
        "Trách nhiệm, quyền hạn trong HTQLCL (thư ký ISO, đại diện lãnh đạo, trưởng bộ phận) có được phân công bằng văn bản không?",
        "Quyết định phân công; bản mô tả công việc",
    ),
    (
        "6.1",
        "",
        "Rủi ro và cơ hội của các quá trình đã được nhận diện, đánh giá và có biện pháp xử lý chưa?",
        "Sổ đăng ký rủi ro và cơ hội; kế hoạch xử lý",
    ),
    (
        "6.1",
        "",
        "Hiệu lực của các biện pháp xử lý rủi ro có được đánh giá trước đánh giá nội bộ không?",
        "Báo cáo đánh giá rủi ro và cơ hội",
    ),
    (
        "6.2",
        "",
        "Mục tiêu chất lượng năm có đo lường được, được ban hành đúng hạn và có kế hoạch thực hiện không?",
        "Quyết định ban hành mục tiêu; kế hoạch thực hiện",
    ),
    (
        "6.2",
        "",
        "Việc thực hiện mục tiêu có được theo dõi định kỳ và đánh giá không? Mục tiêu không đạt được xử lý thế nào?",
        "Kết quả đo lường theo kỳ; báo cáo đánh giá mục tiêu",
    ),
    (
        "6.3",
        "",
        "Các thay đổi của HTQLCL (sáp nhập, thay đổi phạm vi, quy trình) có được hoạch định trước khi thực hiện không?",
        "Kế hoạch thay đổi; tài liệu sửa đổi",
    ),
    (
        "7.1",
        "",
        "Cơ sở vật chất, trang thiết bị, phần mềm phục vụ giải quyết TTHC có đáp ứng yêu cầu không?",
        "Trang thiết bị tại Bộ phận Một cửa; tình trạng phần mềm",
    ),
    (
        "7.1",
        "",
        "Môi trường làm việc và nơi tiếp công dân có thuận lợi cho người dân không?",
        "Quan sát khu vực tiếp nhận",
    ),
    (
        "7.2",
        "",
        "Công chức có đủ năng lực theo yêu cầu vị trí việc làm không? Nhu cầu đào tạo có được xác định và đáp ứng không?",
        "Hồ sơ đào tạo; chứng chỉ chuyên gia đánh giá nội bộ",
    ),
    (
        "7.3",
        "",
        "Công chức có nhận thức về chính sách, mục tiêu chất lượng và đóng góp của mình không?",
        "Phỏng vấn công chức",
    ),
    (
        "7.4",
        "",
        "Việc trao đổi thông tin nội bộ và với người dân về HTQLCL được thực hiện như thế nào?",
        "Thông báo; cổng thông tin; giao ban",
    ),
    (
        "7.5",
        "",
        "Tài liệu nội bộ có được phê duyệt trước khi ban hành, có mã hiệu, lần ban hành và được cập nhật khi văn bản pháp luật thay đổi không?",
        "Danh mục tài liệu nội bộ; quyết định ban hành",
    ),
    (
        "7.5",
        "",
        "Tài liệu bên ngoài (văn bản QPPL) có được cập nhật và kiểm soát hiệu lực không?",
        "Danh mục tài liệu bên ngoài",
    ),
    (
        "7.5",
        "",
        "Hồ sơ có được lưu trữ theo quy định về nơi lưu, thời gian lưu và dễ truy xuất không?",
        "Danh mục hồ sơ; kho lưu trữ",
    ),
    (
        "8.1",
        "",
        "Các quá trình giải quyết công việc có được thực hiện theo đúng quy trình đã ban hành không?",
        "Hồ sơ thực tế so với quy trình",
    ),
    (
        "8.2",
        "",
        "Yêu cầu về thành phần hồ sơ, thời hạn, phí, lệ phí có được công khai đầy đủ cho người dân không?",
        "Niêm yết TTHC; cổng dịch vụ công",
    ),
    (
        "8.3",
        "",
        "Cơ quan có hoạt động thiết kế, phát triển dịch vụ mới không? Nếu loại trừ, lý do loại trừ có hợp lý không?",
        "Phạm vi áp dụng; lý do loại trừ",
    ),
    (
        "8.4",
        "",
        "Các dịch vụ thuê ngoài (phần mềm, bưu chính công ích, tư vấn) có được kiểm soát và đánh giá không?",
        "Hợp đồng; đánh giá nhà cung cấp",
    ),
    (
        "8.5",
        "",
        "Việc giải quyết TTHC có được kiểm soát theo các bước, thời gian của quy trình không?",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    ),
    (
        "8.5",
        "",
        "Tài sản của người dân (hồ sơ, giấy tờ gốc) có được bảo quản khi cơ quan giữ không?",
        "Sổ giao nhận hồ sơ",
    ),
    (
        "8.6",
        "",
        "Kết quả giải quyết có được kiểm tra, ký duyệt đúng thẩm quyền trước khi trả cho người dân không?",
        "Kết quả TTHC đã ký duyệt",
    ),
    (
        "8.7",
        "",
        "Kết quả giải quyết sai sót, hồ sơ trễ hạn có được nhận biết và xử lý (xin lỗi, khắc phục) không?",
        "Phiếu xin lỗi; sổ theo dõi hồ sơ trễ hạn",
    ),
    (
        "9.1",
        "",
        "Cơ quan theo dõi, đo lường những gì (tỷ lệ đúng hạn, mức độ hài lòng)? Kết quả có được phân tích và sử dụng không?",
        "Báo cáo tỷ lệ hồ sơ đúng hạn; khảo sát sự hài lòng",
    ),
    (
        "9.1",
        "",
        "Phản ánh, kiến nghị của người dân có được tiếp nhận và xử lý đúng thời hạn không?",
        "Sổ theo dõi phản ánh, kiến nghị",
    ),
    (
        "9.2",
        "",
        "Đánh giá nội bộ có được thực hiện theo chương trình, kế hoạch; chuyên gia đánh giá có khách quan (không đánh giá công việc của mình) không?",
        "Chương trình, kế hoạch, báo cáo đánh giá nội bộ",
    ),
    (
        "9.3",
        "",
        "Lãnh đạo có tổ chức xem xét HTQLCL với đầy đủ đầu vào và đầu ra theo quy định không?",
        "Biên bản họp xem xét của lãnh đạo",
    ),
    (
        "10.1",
        "",
        "Cơ quan đã xác định và thực hiện các cơ hội cải tiến nào trong năm?",
        "Sáng kiến; cải cách TTHC",
    ),
    (
        "10.2",
        "",
        "Sự không phù hợp có được phân tích nguyên nhân, có hành động khắc phục và kiểm tra hiệu lực không?",
        "Phiếu yêu cầu hành động khắc phục",
    ),
    (
        "10.2",
        "",
        "Các điểm không phù hợp của lần đánh giá trước đã được khắc phục xong chưa?",
        "Phiếu hành động khắc phục đã đóng",
    ),
    (
        "10.3",
        "",
        "Kết quả phân tích dữ liệu, xem xét của lãnh đạo có được dùng để cải tiến liên tục HTQLCL không?",
        "Kế hoạch cải tiến; đầu ra xem xét của lãnh đạo",
    ),
    # the one-stop desk
    (
        "7.1",
        ONE_STOP,
        "Bộ phận Một cửa có đủ máy tính, máy quét, máy lấy số và kết nối ổn định không?",
        "Quan sát thực tế",
    ),
    (
        "7.5",
        ONE_STOP,
        "Biểu mẫu, tờ khai đang dùng tại Bộ phận Một cửa có đúng phiên bản hiện hành không?",
        "Đối chiếu biểu mẫu với danh mục tài liệu",
    ),
    (
        "8.2",
        ONE_STOP,
        "Thủ tục hành chính có được niêm yết công khai đầy đủ, đúng quy định tại nơi tiếp nhận không?",
        "Bảng niêm yết; cổng dịch vụ công",
    ),
    (
        "8.5",
        ONE_STOP,
        "Hồ sơ có được kiểm tra thành phần, lập giấy tiếp nhận và hẹn trả kết quả đúng quy định không?",
        "Giấy tiếp nhận và hẹn trả kết quả",
    ),
    (
        "8.5",
        ONE_STOP,
        "Hồ sơ chưa đủ thành phần có được hướng dẫn bổ sung một lần bằng phiếu hướng dẫn không?",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    ),
    (
        "8.7",
        ONE_STOP,
        "Hồ sơ trả kết quả trễ hạn có phiếu xin lỗi và hẹn lại ngày trả kết quả không?",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    ),
    (
        "9.1",
        ONE_STOP,
        "Việc lấy ý kiến đánh giá sự hài lòng của người dân tại Bộ phận Một cửa được thực hiện như thế nào?",
        "Thiết bị đánh giá; kết quả khảo sát",
    ),
    # the departments that handle the dossiers
    (
        "8.1",
        HANDLING,
        "Phòng chuyên môn có giải quyết hồ sơ theo đúng các bước và thời gian trong quy trình không?",
        "Phiếu kiểm soát quá trình; nhật ký trên phần mềm",
    ),
    (
        "8.5",
        HANDLING,
        "Hồ sơ có được luân chuyển giữa Bộ phận Một cửa và phòng chuyên môn có ký nhận không?",
        "Sổ giao nhận; phần mềm một cửa",
    ),
    (
        "8.6",
        HANDLING,
        "Kết quả giải quyết có được thẩm định, trình ký đúng thẩm quyền không?",
        "Tờ trình; kết quả đã ký",
    ),
    (
        "8.7",
        HANDLING,
        "Khi phát hiện sai sót trong kết quả đã trả, phòng xử lý và báo cáo như thế nào?",
        "Văn bản đính chính; phiếu yêu cầu khắc phục",
    ),
    (
        "6.2",
        HANDLING,
        "Phòng có mục tiêu chất lượng riêng không? Kết quả thực hiện đến thời điểm đánh giá?",
        "Mục tiêu của phòng; số liệu đo lường",
    ),
    # documents and records
    (
        "7.5",
        DOCUMENTS,
        "Tài liệu hết hiệu lực có được thu hồi, đóng dấu hoặc loại bỏ khỏi nơi sử dụng không?",
        "Tài liệu tại nơi làm việc",
    ),
    (
        "7.5",
        DOCUMENTS,
        "Danh mục tài liệu nội bộ có được xem xét hằng quý và cập nhật không?",
        "Biên bản xem xét danh mục tài liệu",
    ),
    (
        "7.5",
        DOCUMENTS,
        "Hồ sơ ISO có được lập danh mục, lưu đúng nơi, đúng thời hạn quy định trong quy trình không?",
        "Danh mục hồ sơ; hồ sơ thực tế",
    ),
    (
        "7.5",
        DOCUMENTS,
        "Việc tiếp nhận, cập nhật văn bản QPPL mới vào quy trình được thực hiện trong bao lâu?",
        "Văn bản QPPL mới; quy trình sửa đổi",
    ),
]


def load(apps, schema_editor):
    IsoClause = apps.get_model("audits", "IsoClause")
    AuditQuestion = apps.get_model("audits", "AuditQuestion")
    clauses = {}
    for order, (section, code, title) in enumerate(CLAUSES, start=1):
        clause, _created = IsoClause.objects.update_or_create(
            code=code, defaults={"title": title, "section": section, "order": order}
        )
        clauses[code] = clause
    if AuditQuestion.objects.exists():
        return
    orders: dict[tuple[str, str], int] = {}
    rows = []
    for code, process, text, guidance in QUESTIONS:
        key = (code, process)
        orders[key] = orders.get(key, 0) + 1
        rows.append(
            AuditQuestion(
                clause=clauses[code],
                process=process,
                text=text,
                guidance=guidance,
                order=orders[key],
            )
        )
    AuditQuestion.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("audits", "AuditQuestion").objects.all().delete()
    apps.get_model("audits", "IsoClause").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
