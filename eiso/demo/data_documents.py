"""Static data of the demo province's document control: the provincial catalogue of legal
texts, and for each demo agency (one with an ISO secretary and a head among the demo users) its
procedures, forms and the decisions that issued them. Data only; documents.py builds it.

Decision numbers restart every year, as an agency's do; dates are those of the province's
history (the reorganisation of 2025, the two-tier local government from 01/07/2025, the new
one-stop decree 118/2025/NĐ-CP replacing 61/2018/NĐ-CP). Everything dated relative to today
(the text not yet in force, the revisions being prepared) is given as a number of days."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from eiso.demo.data import COMMUNE_AN_PHU, PROVINCE, WARD_THANH_MY

D = datetime.date

# --- legal texts and external documents ------------------------------------------------------


class TextSpec(NamedTuple):
    key: str
    number: str
    title: str
    issuer: str
    issue_date: datetime.date
    effective_date: datetime.date
    kind: str = "legal"
    recorded_on: datetime.date | None = None  # None: with the first catalogue
    replaces: str | None = None  # key of the text this one replaces
    notes: str = ""


# The overseer entered the province's catalogue at the start of 2025.
CATALOGUE_RECORDED_ON = D(2025, 1, 6)

SHARED_TEXTS: tuple[TextSpec, ...] = (
    TextSpec(
        "qd19",
        "19/2014/QĐ-TTg",
        "Áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào "
        "hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
        "Thủ tướng Chính phủ",
        D(2014, 3, 5),
        D(2014, 4, 20),
    ),
    TextSpec(
        "tt26",
        "26/2014/TT-BKHCN",
        "Quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của "
        "Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc "
        "gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành "
        "chính nhà nước",
        "Bộ Khoa học và Công nghệ",
        D(2014, 10, 10),
        D(2014, 12, 1),
    ),
    TextSpec(
        "nd61",
        "61/2018/NĐ-CP",
        "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
        "Chính phủ",
        D(2018, 4, 23),
        D(2018, 6, 21),
    ),
    TextSpec(
        "nd23",
        "23/2015/NĐ-CP",
        "Về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng "
        "thực hợp đồng, giao dịch",
        "Chính phủ",
        D(2015, 2, 16),
        D(2015, 4, 10),
    ),
    TextSpec(
        "tt01",
        "01/2020/TT-BTP",
        "Quy định chi tiết một số điều và biện pháp thi hành Nghị định số 23/2015/NĐ-CP ngày 16 "
        "tháng 02 năm 2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản "
        "chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
        "Bộ Tư pháp",
        D(2020, 3, 3),
        D(2020, 4, 20),
    ),
    TextSpec("lht", "60/2014/QH13", "Luật Hộ tịch", "Quốc hội", D(2014, 11, 20), D(2016, 1, 1)),
    TextSpec(
        "nd123",
        "123/2015/NĐ-CP",
        "Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
        "Chính phủ",
        D(2015, 11, 15),
        D(2016, 1, 1),
    ),
    TextSpec(
        "lltp", "28/2009/QH12", "Luật Lý lịch tư pháp", "Quốc hội", D(2009, 6, 17), D(2010, 7, 1)
    ),
    TextSpec(
        "lcc2014", "53/2014/QH13", "Luật Công chứng", "Quốc hội", D(2014, 6, 20), D(2015, 1, 1)
    ),
    TextSpec(
        "lkbcb",
        "15/2023/QH15",
        "Luật Khám bệnh, chữa bệnh",
        "Quốc hội",
        D(2023, 1, 9),
        D(2024, 1, 1),
    ),
    TextSpec(
        "nd96",
        "96/2023/NĐ-CP",
        "Quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh",
        "Chính phủ",
        D(2023, 12, 30),
        D(2024, 1, 1),
    ),
    TextSpec("lduoc", "105/2016/QH13", "Luật Dược", "Quốc hội", D(2016, 4, 6), D(2017, 1, 1)),
    TextSpec(
        "nd54",
        "54/2017/NĐ-CP",
        "Quy định chi tiết một số điều và biện pháp thi hành Luật Dược",
        "Chính phủ",
        D(2017, 5, 8),
        D(2017, 7, 1),
    ),
    # The province's own list of the communes' administrative procedures, published when the
    # communes took over from the districts.
    TextSpec(
        "qd1520",
        "1520/QĐ-UBND",
        f"Công bố danh mục thủ tục hành chính được chuẩn hóa thuộc thẩm quyền giải quyết của Ủy "
        f"ban nhân dân cấp xã trên địa bàn tỉnh {PROVINCE}",
        f"Ủy ban nhân dân tỉnh {PROVINCE}",
        D(2025, 7, 10),
        D(2025, 7, 10),
        kind="guidance",
        recorded_on=D(2025, 7, 11),
    ),
    # The new law on notaries, entered a fortnight before it took effect.
    TextSpec(
        "lcc",
        "46/2024/QH15",
        "Luật Công chứng",
        "Quốc hội",
        D(2024, 11, 26),
        D(2025, 7, 1),
        recorded_on=D(2025, 6, 16),
        replaces="lcc2014",
    ),
    # Entered a month after it took effect: by then every procedure resting on 61/2018 was
    # already late, and the tasks it raised fell due on 04/11/2025.
    TextSpec(
        "nd118",
        "118/2025/NĐ-CP",
        "Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận "
        "Một cửa và Cổng Dịch vụ công quốc gia",
        "Chính phủ",
        D(2025, 6, 9),
        D(2025, 7, 1),
        recorded_on=D(2025, 8, 4),
        replaces="nd61",
    ),
)


class FutureTextSpec(NamedTuple):
    """A text already signed but not yet in force, dated relative to today."""

    key: str
    number: str  # "{year}" is the year of its issue date
    title: str
    issuer: str
    issued_days_ago: int
    recorded_days_ago: int
    effective_in_days: int
    linked_days_ago: int  # when the agencies linked their procedures to it


FUTURE_TEXT = FutureTextSpec(
    "tt-chung-thuc",
    "15/{year}/TT-BTP",
    "Sửa đổi, bổ sung một số điều của Thông tư số 01/2020/TT-BTP quy định chi tiết một số điều "
    "và biện pháp thi hành Nghị định số 23/2015/NĐ-CP về chứng thực (chứng thực điện tử)",
    "Bộ Tư pháp",
    issued_days_ago=20,
    recorded_days_ago=14,
    effective_in_days=45,
    linked_days_ago=10,
)

# Every demo agency keeps these in its own list of external documents.
AGENCY_STANDARDS: tuple[TextSpec, ...] = (
    TextSpec(
        "iso9001",
        "TCVN ISO 9001:2015",
        "Hệ thống quản lý chất lượng – Các yêu cầu",
        "Bộ Khoa học và Công nghệ công bố",
        D(2016, 12, 30),
        D(2016, 12, 30),
        kind="standard",
    ),
    TextSpec(
        "iso9000",
        "TCVN ISO 9000:2015",
        "Hệ thống quản lý chất lượng – Cơ sở và từ vựng",
        "Bộ Khoa học và Công nghệ công bố",
        D(2016, 12, 30),
        D(2016, 12, 30),
        kind="standard",
    ),
)

# --- documents -----------------------------------------------------------------------------

# The framework model (DocumentTemplate rows loaded by documents' migration 0002).
POLICY_CODE = "CSCL"
SYSTEM_CODES = ("QT-01", "QT-02", "QT-03", "QT-04", "QT-05", "QT-06")
TEMPLATE_CODES = (POLICY_CODE, *SYSTEM_CODES)
FIRST_ISSUE = "Ban hành lần đầu"
ADOPTED = "Ban hành lần đầu, xây dựng trên cơ sở mô hình khung áp dụng TCVN ISO 9001:2015"
ONE_STOP_118 = "Cập nhật theo Nghị định 118/2025/NĐ-CP về một cửa"


# The heading of each kind of document in its file.
KIND_HEADINGS = {
    "quality_policy": "CHÍNH SÁCH CHẤT LƯỢNG",
    "system_procedure": "QUY TRÌNH HỆ THỐNG",
    "tthc_procedure": "QUY TRÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "internal_procedure": "QUY TRÌNH NỘI BỘ",
    "form": "BIỂU MẪU",
}


class FormSpec(NamedTuple):
    code: str
    title: str


class ProcedureSpec(NamedTuple):
    """The procedure (quy trình) of one administrative procedure."""

    code: str
    title: str
    department: str
    bases: tuple[str, ...]  # keys of SHARED_TEXTS
    time_limit: str
    forms: tuple[FormSpec, ...] = ()


class InternalSpec(NamedTuple):
    code: str
    title: str
    department: str
    purpose: str


class DecisionSpec(NamedTuple):
    number: str
    date: datetime.date
    subject: str
    # (document code, change summary); the revision is the document's next one
    items: tuple[tuple[str, str], ...]


class PendingSpec(NamedTuple):
    """A revision in preparation at the end of the story: ``state`` is draft, in_review,
    returned or approved (then with a draft decision not yet signed)."""

    code: str
    number: int
    state: str
    change_summary: str
    days_ago: int
    comment: str = ""


class AgencyPlan(NamedTuple):
    agency: str  # agency code
    team: str  # slug of the demo team: thuky.<team>, thutruong.<team>, …
    signer_title: str  # as printed above the signature
    office: str  # the department that keeps the QMS (system procedures)
    procedures: tuple[ProcedureSpec, ...]
    internal: tuple[InternalSpec, ...]
    decisions: tuple[DecisionSpec, ...]
    pending: tuple[PendingSpec, ...]
    future_links: tuple[str, ...]  # procedure codes linked to the text not yet in force
    reviews: str  # "all": every past quarter; "current": also this one; "first": one only


SYSTEM_SUBJECT = (
    "Ban hành Chính sách chất lượng và các quy trình hệ thống của Hệ thống quản lý chất lượng "
    "theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
)
TTHC_SUBJECT = (
    "Ban hành các quy trình giải quyết thủ tục hành chính và biểu mẫu áp dụng Hệ thống quản lý "
    "chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
)
AMEND_SUBJECT = (
    "Sửa đổi, bổ sung một số quy trình thuộc Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc "
    "gia TCVN ISO 9001:2015"
)


def _first(*codes: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, "") for code in codes)


def _system_and(*codes: str) -> tuple[tuple[str, str], ...]:
    return _first(*TEMPLATE_CODES, *codes)


def _with_forms(procedures: tuple[ProcedureSpec, ...]) -> tuple[tuple[str, str], ...]:
    """The first issue of procedures, each preceded by its forms."""
    return _first(*(code for p in procedures for code in (*(f.code for f in p.forms), p.code)))


FORM_CONTROL_SLIP = "Phiếu kiểm soát quá trình giải quyết hồ sơ"

# Sở Tư pháp ----------------------------------------------------------------------------------

_HCTP = "Phòng Hành chính tư pháp"
_BTTP = "Phòng Bổ trợ tư pháp"
STP_PROCEDURES = (
    ProcedureSpec(
        "QT-TTHC-01",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại "
        "Việt Nam",
        _HCTP,
        ("lltp", "nd61"),
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        (
            FormSpec("BM-TTHC-01-01", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"),
            FormSpec("BM-TTHC-01-02", FORM_CONTROL_SLIP),
        ),
    ),
    ProcedureSpec(
        "QT-TTHC-02",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        _HCTP,
        ("lht", "nd123", "nd61"),
        "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        (FormSpec("BM-TTHC-02-01", "Tờ khai đăng ký khai sinh"),),
    ),
    ProcedureSpec(
        "QT-TTHC-03",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
        "của nước ngoài cấp hoặc chứng nhận",
        _HCTP,
        ("nd23", "tt01", "nd61"),
        "Trong ngày làm việc; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    ),
    ProcedureSpec(
        "QT-TTHC-04",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        _HCTP,
        ("lht", "nd123", "nd61"),
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        (FormSpec("BM-TTHC-04-01", "Tờ khai đăng ký kết hôn"),),
    ),
    ProcedureSpec(
        "QT-TTHC-05",
        "Cấp Thẻ công chứng viên",
        _BTTP,
        ("lcc2014", "nd61"),
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    ),
    ProcedureSpec(
        "QT-TTHC-06",
        "Đăng ký hoạt động Văn phòng công chứng",
        _BTTP,
        ("lcc2014", "nd61"),
        "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
        (FormSpec("BM-TTHC-06-01", "Đơn đề nghị đăng ký hoạt động Văn phòng công chứng"),),
    ),
)
STP = AgencyPlan(
    agency="STP",
    team="stp",
    signer_title="GIÁM ĐỐC",
    office="Văn phòng",
    procedures=STP_PROCEDURES,
    internal=(
        InternalSpec(
            "QT-NB-01",
            "Quy trình quản lý văn bản đi, văn bản đến",
            "Văn phòng",
            "Thống nhất việc tiếp nhận, đăng ký, xử lý, phát hành và lưu trữ văn bản đi, đến.",
        ),
        InternalSpec(
            "QT-NB-02",
            "Quy trình tiếp công dân, xử lý đơn khiếu nại, tố cáo, kiến nghị, phản ánh",
            "Thanh tra",
            "Bảo đảm tiếp công dân và xử lý đơn đúng trình tự, thời hạn theo quy định.",
        ),
    ),
    decisions=(
        DecisionSpec(
            "12/QĐ-STP", D(2025, 2, 10), SYSTEM_SUBJECT, _system_and("QT-NB-01", "QT-NB-02")
        ),
        DecisionSpec("31/QĐ-STP", D(2025, 3, 24), TTHC_SUBJECT, _with_forms(STP_PROCEDURES)),
        DecisionSpec(
            "168/QĐ-STP",
            D(2025, 9, 22),
            AMEND_SUBJECT,
            (
                (
                    "BM-TTHC-01-02",
                    "Cập nhật mẫu Phiếu kiểm soát quá trình giải quyết hồ sơ theo "
                    "Nghị định 118/2025/NĐ-CP",
                ),
                (
                    "QT-TTHC-01",
                    f"{ONE_STOP_118}: tiếp nhận, số hóa hồ sơ và trả kết quả qua "
                    "Trung tâm Phục vụ hành chính công tỉnh",
                ),
                ("QT-TTHC-02", ONE_STOP_118),
                ("QT-TTHC-03", f"{ONE_STOP_118}; bổ sung bước số hóa kết quả giải quyết"),
                ("QT-TTHC-04", ONE_STOP_118),
            ),
        ),
        DecisionSpec(
            "15/QĐ-STP",
            D(2026, 3, 16),
            AMEND_SUBJECT,
            (
                (
                    "QT-NB-01",
                    "Chuyển sang xử lý văn bản điện tử trên Hệ thống quản lý văn bản và "
                    "điều hành của tỉnh; bỏ sổ đăng ký văn bản giấy",
                ),
                (
                    "QT-TTHC-01",
                    "Bổ sung tiếp nhận hồ sơ trực tuyến toàn trình qua Cổng Dịch vụ công "
                    "quốc gia và ứng dụng VNeID; rút ngắn thời hạn giải quyết từ 10 xuống "
                    "07 ngày làm việc theo quyết định công bố thủ tục hành chính của Chủ "
                    "tịch UBND tỉnh",
                ),
            ),
        ),
    ),
    pending=(
        PendingSpec(
            "QT-TTHC-05",
            2,
            "in_review",
            f"{ONE_STOP_118} và Luật Công chứng 46/2024/QH15 (hồ sơ đề nghị cấp Thẻ công chứng "
            "viên nộp trực tuyến)",
            days_ago=3,
        ),
    ),
    future_links=("QT-TTHC-03",),
    reviews="all",
)

# Sở Y tế ------------------------------------------------------------------------------------

_NVY = "Phòng Nghiệp vụ Y"
_NVD = "Phòng Nghiệp vụ Dược"
SYT_PROCEDURES = (
    ProcedureSpec(
        "QT-TTHC-01",
        "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
        _NVY,
        ("lkbcb", "nd96", "nd61"),
        "30 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
        (FormSpec("BM-TTHC-01-01", "Đơn đề nghị cấp chứng chỉ hành nghề khám bệnh, chữa bệnh"),),
    ),
    ProcedureSpec(
        "QT-TTHC-02",
        "Cấp giấy phép hoạt động đối với phòng khám",
        _NVY,
        ("lkbcb", "nd96", "nd61"),
        "60 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
        (
            FormSpec("BM-TTHC-02-01", "Đơn đề nghị cấp giấy phép hoạt động"),
            FormSpec("BM-TTHC-02-02", "Biên bản thẩm định cơ sở khám bệnh, chữa bệnh"),
        ),
    ),
    ProcedureSpec(
        "QT-TTHC-03",
        "Cấp Chứng chỉ hành nghề dược",
        _NVD,
        ("lduoc", "nd54", "nd61"),
        "20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
        (FormSpec("BM-TTHC-03-01", "Đơn đề nghị cấp Chứng chỉ hành nghề dược"),),
    ),
    ProcedureSpec(
        "QT-TTHC-04",
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với cơ sở bán lẻ thuốc",
        _NVD,
        ("lduoc", "nd54", "nd61"),
        "20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
    ),
    ProcedureSpec(
        "QT-TTHC-05",
        "Cấp lại chứng chỉ hành nghề khám bệnh, chữa bệnh do bị mất hoặc hư hỏng",
        _NVY,
        ("lkbcb", "nd96", "nd61"),
        "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    ),
)
SYT = AgencyPlan(
    agency="SYT",
    team="syt",
    signer_title="GIÁM ĐỐC",
    office="Văn phòng",
    procedures=SYT_PROCEDURES,
    internal=(
        InternalSpec(
            "QT-NB-01",
            "Quy trình quản lý văn bản đi, văn bản đến",
            "Văn phòng",
            "Thống nhất việc tiếp nhận, đăng ký, xử lý, phát hành và lưu trữ văn bản đi, đến.",
        ),
    ),
    decisions=(
        DecisionSpec("09/QĐ-SYT", D(2025, 2, 17), SYSTEM_SUBJECT, _system_and("QT-NB-01")),
        DecisionSpec("45/QĐ-SYT", D(2025, 4, 7), TTHC_SUBJECT, _with_forms(SYT_PROCEDURES)),
        DecisionSpec(
            "212/QĐ-SYT",
            D(2025, 10, 13),
            AMEND_SUBJECT,
            (
                (
                    "BM-TTHC-02-02",
                    "Bổ sung nội dung thẩm định điều kiện cơ sở vật chất, thiết bị "
                    "y tế theo Nghị định 96/2023/NĐ-CP",
                ),
                ("QT-TTHC-01", ONE_STOP_118),
                (
                    "QT-TTHC-02",
                    f"{ONE_STOP_118}; thẩm định tại cơ sở do Đoàn thẩm định của Sở "
                    "thực hiện trong 30 ngày",
                ),
            ),
        ),
        DecisionSpec(
            "37/QĐ-SYT",
            D(2026, 5, 11),
            AMEND_SUBJECT,
            (
                (
                    "QT-TTHC-01",
                    "Cập nhật thành phần hồ sơ theo Luật Khám bệnh, chữa bệnh 2023 (giấy "
                    "phép hành nghề thay cho chứng chỉ hành nghề); kết nối Cơ sở dữ liệu "
                    "quốc gia về dân cư, bỏ yêu cầu nộp bản sao giấy tờ tùy thân",
                ),
            ),
        ),
    ),
    pending=(
        PendingSpec(
            "QT-TTHC-03",
            2,
            "returned",
            f"{ONE_STOP_118}; rút ngắn thời hạn thẩm định hồ sơ",
            days_ago=6,
            comment="Đề nghị bổ sung bước kiểm tra văn bằng chuyên môn tại bước 2 và rà soát lại "
            "thời hạn giải quyết cho khớp với quy trình nội bộ đã cấu hình trên Hệ thống thông "
            "tin giải quyết thủ tục hành chính của tỉnh.",
        ),
    ),
    future_links=(),
    reviews="current",
)

# UBND phường Thạnh Mỹ and UBND xã An Phú --------------------------------------------------------

_VP_XA = "Văn phòng HĐND và UBND"
_HO_TICH = ("lht", "nd123", "nd61", "qd1520")
_CHUNG_THUC = ("nd23", "tt01", "nd61", "qd1520")
_SAME_DAY = "Ngay trong ngày tiếp nhận hồ sơ; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo"
_KHAI_SINH = ProcedureSpec(
    "QT-TTHC-01",
    "Đăng ký khai sinh",
    _VP_XA,
    _HO_TICH,
    _SAME_DAY,
    (FormSpec("BM-TTHC-01-01", "Tờ khai đăng ký khai sinh"),),
)
_KET_HON = ProcedureSpec(
    "QT-TTHC-02",
    "Đăng ký kết hôn",
    _VP_XA,
    _HO_TICH,
    _SAME_DAY,
    (FormSpec("BM-TTHC-02-01", "Tờ khai đăng ký kết hôn"),),
)
_CHU_KY = ProcedureSpec(
    "QT-TTHC-03",
    "Chứng thực chữ ký trong các giấy tờ, văn bản",
    _VP_XA,
    _CHUNG_THUC,
    "Trong ngày làm việc; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
)
_TINH_TRANG_HON_NHAN = ProcedureSpec(
    "QT-TTHC-04",
    "Cấp Giấy xác nhận tình trạng hôn nhân",
    _VP_XA,
    _HO_TICH,
    "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    (FormSpec("BM-TTHC-04-01", "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),),
)
THANH_MY_PROCEDURES = (
    _KHAI_SINH,
    _KET_HON,
    _CHU_KY,
    _TINH_TRANG_HON_NHAN,
    ProcedureSpec(
        "QT-TTHC-05",
        "Đăng ký khai tử",
        _VP_XA,
        _HO_TICH,
        _SAME_DAY,
        (FormSpec("BM-TTHC-05-01", "Tờ khai đăng ký khai tử"),),
    ),
    ProcedureSpec(
        "QT-TTHC-06",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
        "của Việt Nam cấp hoặc chứng nhận",
        _VP_XA,
        _CHUNG_THUC,
        "Trong ngày làm việc; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    ),
)
_DOCUMENTS_IN_OUT = InternalSpec(
    "QT-NB-01",
    "Quy trình quản lý văn bản đi, văn bản đến",
    _VP_XA,
    "Thống nhất việc tiếp nhận, đăng ký, xử lý, phát hành và lưu trữ văn bản đi, đến.",
)
THANH_MY = AgencyPlan(
    agency=WARD_THANH_MY,
    team="thanhmy",
    signer_title="CHỦ TỊCH",
    office=_VP_XA,
    procedures=THANH_MY_PROCEDURES,
    internal=(
        _DOCUMENTS_IN_OUT,
        InternalSpec(
            "QT-NB-02",
            "Quy trình lập hồ sơ và nộp lưu hồ sơ, tài liệu vào Lưu trữ cơ quan",
            _VP_XA,
            "Bảo đảm hồ sơ công việc được lập đầy đủ và nộp lưu đúng thời hạn.",
        ),
    ),
    decisions=(
        DecisionSpec(
            "25/QĐ-UBND", D(2025, 7, 21), SYSTEM_SUBJECT, _system_and("QT-NB-01", "QT-NB-02")
        ),
        DecisionSpec("38/QĐ-UBND", D(2025, 7, 30), TTHC_SUBJECT, _with_forms(THANH_MY_PROCEDURES)),
        DecisionSpec(
            "112/QĐ-UBND",
            D(2025, 10, 27),
            AMEND_SUBJECT,
            tuple(
                (code, ONE_STOP_118)
                for code in ("QT-TTHC-01", "QT-TTHC-02", "QT-TTHC-03", "QT-TTHC-04", "QT-TTHC-05")
            ),
        ),
        DecisionSpec(
            "09/QĐ-UBND",
            D(2026, 2, 9),
            AMEND_SUBJECT,
            (
                (
                    "QT-TTHC-01",
                    "Bổ sung quy trình liên thông đăng ký khai sinh – đăng ký thường trú "
                    "– cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi trên Cổng Dịch vụ công "
                    "quốc gia",
                ),
                (
                    "QT-TTHC-04",
                    "Rút ngắn thời hạn giải quyết từ 03 xuống 02 ngày làm việc theo "
                    "phương án đơn giản hóa thủ tục hành chính của UBND tỉnh",
                ),
            ),
        ),
    ),
    pending=(
        PendingSpec(
            "QT-TTHC-02",
            3,
            "approved",
            "Bổ sung tiếp nhận hồ sơ đăng ký kết hôn trực tuyến; cập nhật mẫu Giấy chứng nhận "
            "kết hôn",
            days_ago=2,
        ),
    ),
    future_links=("QT-TTHC-03", "QT-TTHC-06"),
    reviews="all",
)

AN_PHU_PROCEDURES = (
    _KHAI_SINH,
    _KET_HON,
    _CHU_KY,
    _TINH_TRANG_HON_NHAN._replace(forms=()),
    ProcedureSpec(
        "QT-TTHC-05",
        "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        _VP_XA,
        _HO_TICH,
        "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ (liên thông)",
    ),
)
AN_PHU = AgencyPlan(
    agency=COMMUNE_AN_PHU,
    team="anphu",
    signer_title="CHỦ TỊCH",
    office=_VP_XA,
    procedures=AN_PHU_PROCEDURES,
    internal=(_DOCUMENTS_IN_OUT,),
    decisions=(
        DecisionSpec("31/QĐ-UBND", D(2025, 7, 24), SYSTEM_SUBJECT, _system_and("QT-NB-01")),
        DecisionSpec("40/QĐ-UBND", D(2025, 7, 31), TTHC_SUBJECT, _with_forms(AN_PHU_PROCEDURES)),
        DecisionSpec(
            "07/QĐ-UBND",
            D(2026, 1, 12),
            AMEND_SUBJECT,
            (("QT-TTHC-01", ONE_STOP_118),),
        ),
    ),
    pending=(PendingSpec("QT-TTHC-02", 2, "draft", ONE_STOP_118, days_ago=12),),
    future_links=("QT-TTHC-03",),
    reviews="first",  # the commune stopped reviewing its master list: overdue
)

PLANS: tuple[AgencyPlan, ...] = (STP, SYT, THANH_MY, AN_PHU)

# --- master-list reviews -----------------------------------------------------------------------

REVIEW_DAY = 26  # of the last month of the quarter
REVIEW_OK = "Đã rà soát danh mục tài liệu nội bộ và tài liệu bên ngoài: đầy đủ, đúng lần ban hành."
REVIEW_LATE = (
    "Còn {count} quy trình chưa được sửa đổi theo văn bản mới ({texts}); đã giao phòng chủ trì "
    "soạn thảo, trình lãnh đạo trong quý."
)

# --- the QMS documents of every other agency (system_documents.py) -----------------------------

SYSTEM_REVISED_SUBJECT = (
    "Sửa đổi, bổ sung một số tài liệu hệ thống của Hệ thống quản lý chất lượng theo Tiêu chuẩn "
    "quốc gia TCVN ISO 9001:2015"
)


class Occasion(NamedTuple):
    """A reason the agencies of the province revised their system documents, in a window of
    dates: what each document changed (by code), and who it concerns."""

    start: datetime.date
    end: datetime.date
    changes: dict[str, str]
    long_standing_only: bool = False  # e.g. the 2025 reorganisation of the older departments


OCCASIONS: tuple[Occasion, ...] = (
    Occasion(
        D(2020, 9, 1),
        D(2021, 6, 30),
        {
            "QT-01": "Cập nhật thể thức, kỹ thuật trình bày văn bản theo Nghị định số "
            "30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
            "QT-02": "Chương trình đánh giá nội bộ hằng năm bao trùm toàn bộ phạm vi áp dụng; "
            "chuyên gia đánh giá phải có chứng nhận đào tạo về đánh giá nội bộ",
            "QT-06": "Bổ sung tiếp nhận phản ánh, kiến nghị qua Hệ thống thông tin giải quyết "
            "thủ tục hành chính của tỉnh; khảo sát sự hài lòng bằng phiếu điện tử",
            "QT-04": "Bổ sung phiếu theo dõi sự không phù hợp và hành động khắc phục; Thư ký ISO "
            "tổng hợp hằng quý",
        },
    ),
    Occasion(
        D(2022, 8, 1),
        D(2023, 12, 15),
        {
            "QT-06": "Đo lường sự hài lòng theo Bộ chỉ số phục vụ người dân, doanh nghiệp "
            "(Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ)",
            "QT-04": "Bổ sung xử lý hồ sơ giải quyết quá hạn: văn bản xin lỗi tổ chức, cá nhân "
            "và hẹn lại ngày trả kết quả",
            "QT-03": "Bổ sung đầu vào của cuộc họp xem xét: tỷ lệ hồ sơ giải quyết đúng hạn và "
            "kết quả đo lường sự hài lòng",
            "QT-05": "Đánh giá lại rủi ro và cơ hội hằng năm; bổ sung sổ theo dõi biện pháp xử lý "
            "rủi ro",
            "QT-01": "Bổ sung quy định số hóa, lưu giữ điện tử tài liệu của Hệ thống quản lý chất "
            "lượng",
        },
    ),
    Occasion(
        D(2025, 3, 10),
        D(2025, 6, 20),
        {
            "CSCL": "Cập nhật Chính sách chất lượng theo chức năng, nhiệm vụ và cơ cấu tổ chức "
            "mới sau sắp xếp tổ chức bộ máy năm 2025",
            "QT-05": "Xác định lại bối cảnh, rủi ro và cơ hội theo cơ cấu tổ chức mới sau sắp xếp "
            "tổ chức bộ máy",
            "QT-02": "Phân công lại chuyên gia đánh giá nội bộ theo các phòng sau sắp xếp",
            "QT-03": "Điều chỉnh thành phần cuộc họp xem xét của lãnh đạo theo cơ cấu tổ chức mới",
        },
        long_standing_only=True,
    ),
    Occasion(
        D(2025, 9, 22),
        D(2025, 12, 19),
        {
            "QT-01": "Ban hành, phân phối và lưu giữ tài liệu trên Hệ thống e-ISO của tỉnh; bỏ sổ "
            "theo dõi tài liệu giấy",
            "QT-06": "Tiếp nhận, xử lý phản ánh, kiến nghị trên Cổng Dịch vụ công quốc gia theo "
            "Nghị định số 118/2025/NĐ-CP",
            "QT-02": "Lập chương trình, kế hoạch và báo cáo đánh giá nội bộ trên Hệ thống e-ISO "
            "của tỉnh",
            "QT-04": "Ghi nhận sự không phù hợp phát hiện qua Cổng Dịch vụ công quốc gia và Hệ "
            "thống thông tin giải quyết thủ tục hành chính của tỉnh",
        },
    ),
    Occasion(
        D(2026, 2, 23),
        D(2026, 10, 30),
        {
            "CSCL": "Bổ sung cam kết đẩy mạnh chuyển đổi số, giải quyết thủ tục hành chính trực "
            "tuyến toàn trình",
            "QT-03": "Lồng ghép xem xét của lãnh đạo vào hội nghị sơ kết 6 tháng và tổng kết năm "
            "của cơ quan",
            "QT-04": "Theo dõi sự không phù hợp và hành động khắc phục trên Hệ thống e-ISO; phân "
            "tích nguyên nhân gốc trước khi đề ra hành động",
            "QT-05": "Bổ sung rủi ro về an toàn thông tin và bảo vệ dữ liệu cá nhân khi giải "
            "quyết thủ tục hành chính trực tuyến",
            "QT-01": "Rà soát danh mục tài liệu khi văn bản quy phạm pháp luật được sửa đổi, thay "
            "thế; cập nhật trong 03 tháng",
        },
    ),
)
# An agency revises its system documents on one to three occasions with this probability (in
# percent), unless it is still building its QMS.
REVISING_PERCENT = 45
