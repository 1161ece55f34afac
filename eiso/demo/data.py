"""Static data of the demo province "tỉnh Phú An" (fictional): its agencies, the name lists the
communes and people are generated from, and the demo users. Data only; builders.py builds it.

Everything generated from these lists is deterministic (picks are made from a SHA-256 of a fixed
key, never from ``random``), so every run produces the same province."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from eiso.core.roles import Role

PROVINCE = "Phú An"
AREA_CODE = "0297"
EMAIL_DOMAIN = "phuan.example"  # a reserved TLD: demo mail can never reach anyone

DEMO_PASSWORD = "Demo@2026"
ADMIN_USERNAME = "admin"
ADMIN_FULL_NAME = "Quản trị hệ thống"
ADMIN_POSITION = "Quản trị hệ thống e-ISO"
OVERSEER_USERNAME = "giamsat"

# The two-tier local government (no districts, merged communes) since 01/07/2025.
DISTRICTS_ABOLISHED_ON = datetime.date(2025, 6, 30)
COMMUNES_ACTIVE_FROM = datetime.date(2025, 7, 1)
# The departments merged in the 2025 reorganisation of the provincial apparatus.
MERGED_DEPARTMENTS_FROM = datetime.date(2025, 3, 1)

# The ISO secretaries and heads of the agencies older than the province's first ISO campaign
# (2019) took their roles in the summer of 2018.
KEEPERS_FROM = datetime.date(2018, 6, 1)
KEEPERS_TO = datetime.date(2018, 9, 28)

# ``seed_demo --quick`` (and the demo's tests) build the records each agency keeps itself (its
# QMS documents, …) for the personas' agencies and these only, a few of every tier; without it,
# for every agency.
QUICK_AGENCIES = frozenset(
    {
        "UBND-T",  # the provincial People's Committee
        "SCT",  # a long-standing department, revised three times since 2022
        "SNV",  # a department merged in 2025, revised twice
        "CCATVSTP",  # a sub-department revising since 2023, one document three times
        "TTPVHCC",  # a public service unit
        "TK-T",  # a vertical-branch agency still building its QMS (issued in 2026)
        "PHUONG-DONG-PHU",  # a ward that revised twice
        "XA-THUAN-LOC",  # a commune that revised twice
        "XA-TAN-PHONG",  # a commune that never revised
    }
)

# Agency kinds (rows of organizations.AgencyKind, loaded by its migration 0002).
UBND_TINH = "ubnd_tinh"
SO_NGANH = "so_nganh"
CHI_CUC = "chi_cuc"
UBND_HUYEN = "ubnd_huyen"
PHONG_HUYEN = "phong_huyen"
UBND_XA = "ubnd_xa"
DON_VI_SU_NGHIEP = "don_vi_su_nghiep"


class AgencySpec(NamedTuple):
    code: str
    name: str
    short_name: str
    kind: str
    head_title: str
    departments: tuple[str, ...]
    children: tuple[AgencySpec, ...] = ()
    active_from: datetime.date | None = None


def _p(text: str) -> str:
    return text.replace("{p}", PROVINCE)


# --- the provincial People's Committee --------------------------------------------------------

ROOT_CODE = "UBND-T"
ROOT = AgencySpec(
    code=ROOT_CODE,
    name=_p("Ủy ban nhân dân tỉnh {p}"),
    short_name=_p("UBND tỉnh {p}"),
    kind=UBND_TINH,
    head_title="Chủ tịch",
    departments=(
        "Lãnh đạo Ủy ban nhân dân tỉnh",
        "Ban Tiếp công dân tỉnh",
        "Bộ phận Thư ký - Tổng hợp",
    ),
)
ROOT_ADDRESS = _p("Số 01 đường Trần Hưng Đạo, phường {p}, tỉnh {p}")

# --- departments (sở, ban, ngành) and what is under them --------------------------------------

SO_BASE = ("Văn phòng", "Phòng Kế hoạch - Tài chính", "Thanh tra")
CHI_CUC_BASE = ("Phòng Hành chính - Tổng hợp",)


def _so(code, name, short_name, specialised, *, head_title="Giám đốc", children=(), merged=False):
    return AgencySpec(
        code=code,
        name=_p(name),
        short_name=short_name,
        kind=SO_NGANH,
        head_title=head_title,
        departments=(*SO_BASE, *specialised),
        children=tuple(children),
        active_from=MERGED_DEPARTMENTS_FROM if merged else None,
    )


def _sub(code, name, short_name, kind, head_title, specialised):
    return AgencySpec(
        code=code,
        name=_p(name),
        short_name=short_name,
        kind=kind,
        head_title=head_title,
        departments=(*CHI_CUC_BASE, *specialised),
    )


def _branch(code, name, short_name, departments, *, head_title):
    return AgencySpec(
        code=code,
        name=_p(name),
        short_name=short_name,
        kind=SO_NGANH,
        head_title=head_title,
        departments=tuple(departments),
    )


DEPARTMENTS = (
    AgencySpec(
        code="VP-UBND",
        name=_p("Văn phòng Ủy ban nhân dân tỉnh {p}"),
        short_name="Văn phòng UBND tỉnh",
        kind=SO_NGANH,
        head_title="Chánh Văn phòng",
        departments=(
            "Phòng Hành chính - Tổ chức",
            "Phòng Tổng hợp",
            "Phòng Kinh tế",
            "Phòng Khoa giáo - Văn xã",
            "Phòng Kiểm soát thủ tục hành chính",
        ),
        children=(
            _sub(
                "TTPVHCC",
                "Trung tâm Phục vụ hành chính công tỉnh {p}",
                "Trung tâm PVHCC tỉnh",
                DON_VI_SU_NGHIEP,
                "Giám đốc",
                ("Bộ phận Tiếp nhận và Trả kết quả", "Phòng Công nghệ thông tin"),
            ),
        ),
    ),
    _so(
        "SNV",
        "Sở Nội vụ tỉnh {p}",
        "Sở Nội vụ",
        ("Phòng Tổ chức, biên chế", "Phòng Xây dựng chính quyền", "Phòng Lao động - Việc làm"),
        merged=True,
        children=(
            _sub(
                "BTDKT",
                "Ban Thi đua - Khen thưởng tỉnh {p}",
                "Ban Thi đua - Khen thưởng",
                CHI_CUC,
                "Trưởng ban",
                ("Phòng Nghiệp vụ Thi đua", "Phòng Nghiệp vụ Khen thưởng"),
            ),
        ),
    ),
    _so(
        "STP",
        "Sở Tư pháp tỉnh {p}",
        "Sở Tư pháp",
        (
            "Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật",
            "Phòng Hành chính tư pháp",
            "Phòng Bổ trợ tư pháp",
        ),
        children=(
            _sub(
                "TTTGPL",
                "Trung tâm Trợ giúp pháp lý nhà nước tỉnh {p}",
                "Trung tâm Trợ giúp pháp lý",
                DON_VI_SU_NGHIEP,
                "Giám đốc",
                ("Phòng Nghiệp vụ",),
            ),
        ),
    ),
    _so(
        "STC",
        "Sở Tài chính tỉnh {p}",
        "Sở Tài chính",
        (
            "Phòng Quản lý ngân sách",
            "Phòng Đầu tư",
            "Phòng Doanh nghiệp, kinh tế tập thể và tư nhân",
        ),
        merged=True,
    ),
    _so(
        "SCT",
        "Sở Công Thương tỉnh {p}",
        "Sở Công Thương",
        ("Phòng Quản lý công nghiệp", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng"),
    ),
    _so(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường tỉnh {p}",
        "Sở Nông nghiệp và Môi trường",
        ("Phòng Quản lý đất đai", "Phòng Môi trường", "Phòng Tài nguyên nước và khoáng sản"),
        merged=True,
        children=(
            _sub(
                "CCKL",
                "Chi cục Kiểm lâm tỉnh {p}",
                "Chi cục Kiểm lâm",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Quản lý bảo vệ rừng và bảo tồn thiên nhiên", "Phòng Thanh tra - Pháp chế"),
            ),
            _sub(
                "CCTTBVTV",
                "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh {p}",
                "Chi cục Trồng trọt và BVTV",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Trồng trọt", "Phòng Bảo vệ thực vật"),
            ),
            _sub(
                "CCCNTY",
                "Chi cục Chăn nuôi và Thú y tỉnh {p}",
                "Chi cục Chăn nuôi và Thú y",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Chăn nuôi", "Phòng Dịch tễ thú y"),
            ),
        ),
    ),
    _so(
        "SXD",
        "Sở Xây dựng tỉnh {p}",
        "Sở Xây dựng",
        (
            "Phòng Quản lý xây dựng",
            "Phòng Quy hoạch - Kiến trúc",
            "Phòng Quản lý vận tải, phương tiện và người lái",
        ),
        merged=True,
    ),
    _so(
        "SKHCN",
        "Sở Khoa học và Công nghệ tỉnh {p}",
        "Sở Khoa học và Công nghệ",
        (
            "Phòng Quản lý khoa học và đổi mới sáng tạo",
            "Phòng Bưu chính, viễn thông và chuyển đổi số",
        ),
        merged=True,
        children=(
            _sub(
                "CCTDC",
                "Chi cục Tiêu chuẩn Đo lường Chất lượng tỉnh {p}",
                "Chi cục Tiêu chuẩn Đo lường Chất lượng",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Quản lý Tiêu chuẩn Chất lượng", "Phòng Quản lý Đo lường"),
            ),
        ),
    ),
    _so(
        "SGDDT",
        "Sở Giáo dục và Đào tạo tỉnh {p}",
        "Sở Giáo dục và Đào tạo",
        ("Phòng Giáo dục mầm non", "Phòng Giáo dục phổ thông", "Phòng Quản lý chất lượng"),
    ),
    _so(
        "SYT",
        "Sở Y tế tỉnh {p}",
        "Sở Y tế",
        ("Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Phòng Bảo trợ xã hội"),
        children=(
            _sub(
                "CCATVSTP",
                "Chi cục An toàn vệ sinh thực phẩm tỉnh {p}",
                "Chi cục An toàn vệ sinh thực phẩm",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Nghiệp vụ",),
            ),
            _sub(
                "CCDS",
                "Chi cục Dân số tỉnh {p}",
                "Chi cục Dân số",
                CHI_CUC,
                "Chi cục trưởng",
                ("Phòng Dân số - Kế hoạch hóa gia đình",),
            ),
            _sub(
                "CDC",
                "Trung tâm Kiểm soát bệnh tật tỉnh {p}",
                "Trung tâm Kiểm soát bệnh tật",
                DON_VI_SU_NGHIEP,
                "Giám đốc",
                ("Khoa Phòng, chống bệnh truyền nhiễm", "Khoa Xét nghiệm"),
            ),
        ),
    ),
    _so(
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh {p}",
        "Sở Văn hóa, Thể thao và Du lịch",
        (
            "Phòng Quản lý văn hóa và gia đình",
            "Phòng Quản lý thể dục thể thao",
            "Phòng Quản lý du lịch",
        ),
    ),
    _so(
        "SDTTG",
        "Sở Dân tộc và Tôn giáo tỉnh {p}",
        "Sở Dân tộc và Tôn giáo",
        ("Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo"),
        merged=True,
    ),
    _so(
        "SNGV",
        "Sở Ngoại vụ tỉnh {p}",
        "Sở Ngoại vụ",
        ("Phòng Hợp tác quốc tế", "Phòng Lãnh sự và Người Việt Nam ở nước ngoài"),
    ),
    _branch(
        "TTR-T",
        "Thanh tra tỉnh {p}",
        "Thanh tra tỉnh",
        (
            "Văn phòng",
            "Phòng Tiếp công dân và Xử lý đơn",
            "Phòng Nghiệp vụ 1",
            "Phòng Nghiệp vụ 2",
            "Phòng Phòng, chống tham nhũng",
        ),
        head_title="Chánh Thanh tra",
    ),
    _branch(
        "BQL-KCN",
        "Ban Quản lý các khu công nghiệp tỉnh {p}",
        "Ban Quản lý các KCN",
        (
            "Văn phòng",
            "Phòng Quản lý đầu tư",
            "Phòng Quản lý lao động và doanh nghiệp",
            "Phòng Quy hoạch, xây dựng và môi trường",
        ),
        head_title="Trưởng ban",
    ),
    _branch(
        "VP-DDBQH-HDND",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh {p}",
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        (
            "Phòng Công tác Quốc hội",
            "Phòng Công tác Hội đồng nhân dân",
            "Phòng Hành chính - Tổ chức - Quản trị",
        ),
        head_title="Chánh Văn phòng",
    ),
    # Agencies of the vertical branches located in the province: the province's ISO reports
    # list them too (QĐ 19/2014, Điều 2: "cơ quan được tổ chức theo hệ thống ngành dọc").
    _branch(
        "THUE-T",
        "Thuế tỉnh {p}",
        "Thuế tỉnh",
        (
            "Văn phòng",
            "Phòng Tổng hợp - Nghiệp vụ - Dự toán",
            "Phòng Quản lý hộ kinh doanh, cá nhân và thu khác",
        ),
        head_title="Trưởng Thuế tỉnh",
    ),
    _branch(
        "BHXH-T",
        "Bảo hiểm xã hội tỉnh {p}",
        "Bảo hiểm xã hội tỉnh",
        ("Văn phòng", "Phòng Quản lý thu - Sổ, thẻ", "Phòng Chế độ bảo hiểm xã hội"),
        head_title="Giám đốc",
    ),
    _branch(
        "TK-T",
        "Thống kê tỉnh {p}",
        "Thống kê tỉnh",
        ("Phòng Hành chính - Tổng hợp", "Phòng Thống kê kinh tế", "Phòng Thống kê xã hội"),
        head_title="Trưởng Thống kê tỉnh",
    ),
    _branch(
        "CA-T",
        "Công an tỉnh {p}",
        "Công an tỉnh",
        (
            "Phòng Tham mưu",
            "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
            "Phòng Cảnh sát giao thông",
        ),
        head_title="Giám đốc",
    ),
)

# --- the district level, abolished on 01/07/2025 ----------------------------------------------


class DistrictSpec(NamedTuple):
    code: str
    name: str  # "huyện Tân Lập": the unit, without "Ủy ban nhân dân"
    offices: tuple[str, ...]


DISTRICT_DEPARTMENTS = ("Bộ phận Tiếp nhận và Trả kết quả",)
DISTRICTS = (
    DistrictSpec(
        "UBND-TP-PHUAN",
        _p("thành phố {p}"),
        ("Phòng Tư pháp", "Phòng Tài chính - Kế hoạch", "Phòng Quản lý đô thị"),
    ),
    DistrictSpec(
        "UBND-TX-BINHSON", "thị xã Bình Sơn", ("Phòng Nội vụ", "Phòng Tài nguyên và Môi trường")
    ),
    DistrictSpec(
        "UBND-H-TANLAP",
        "huyện Tân Lập",
        ("Phòng Tư pháp", "Phòng Nông nghiệp và Phát triển nông thôn"),
    ),
    DistrictSpec(
        "UBND-H-VINHPHUOC",
        "huyện Vĩnh Phước",
        ("Phòng Văn hóa và Thông tin", "Phòng Lao động - Thương binh và Xã hội"),
    ),
    DistrictSpec(
        "UBND-H-SONTHUY",
        "huyện Sơn Thủy",
        ("Phòng Tài chính - Kế hoạch", "Phòng Kinh tế và Hạ tầng"),
    ),
)

# --- communes and wards (two-tier local government since 01/07/2025) ---------------------------

WARD_COUNT = 12
COMMUNE_COUNT = 48
# Named first because demo users work there; the rest are generated from the syllables below.
FEATURED_WARDS = (PROVINCE, "Thạnh Mỹ")
FEATURED_COMMUNES = ("An Phú",)
PLACE_FIRST = (
    "An",
    "Bình",
    "Tân",
    "Phú",
    "Long",
    "Hòa",
    "Thạnh",
    "Mỹ",
    "Vĩnh",
    "Phước",
    "Hưng",
    "Xuân",
    "Đông",
    "Tây",
    "Thuận",
    "Hiệp",
    "Đại",
    "Trung",
)
PLACE_SECOND = (
    "Phú",
    "Hòa",
    "Thạnh",
    "Lợi",
    "Lộc",
    "Mỹ",
    "Hưng",
    "Thuận",
    "An",
    "Bình",
    "Tiến",
    "Xuân",
    "Điền",
    "Hải",
    "Sơn",
    "Thành",
    "Lâm",
    "Khánh",
    "Phong",
    "Đức",
)
# Real province names, and names too close to the districts above, are not generated.
PLACE_EXCLUDED = frozenset({"Long An", "Bình Thuận", "Hòa Bình", "Bình Sơn", "Tân Lập"})

WARD_DEPARTMENTS = (
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
)
COMMUNE_DEPARTMENTS = (
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
)

STREETS = (
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Hùng Vương",
    "Nguyễn Huệ",
    "Quang Trung",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Nguyễn Trãi",
    "Phan Bội Châu",
    "Lê Duẩn",
    "Trần Phú",
    "Võ Thị Sáu",
    "Nguyễn Thị Minh Khai",
    "Điện Biên Phủ",
    "30 Tháng 4",
)

# --- people --------------------------------------------------------------------------------

SURNAMES = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
)
MIDDLE_NAMES_MALE = ("Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Công", "Xuân", "Quang")
MIDDLE_NAMES_FEMALE = ("Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Bích")
GIVEN_NAMES_MALE = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Nam",
    "Phong",
    "Long",
    "Hải",
    "Sơn",
    "Thắng",
    "Khoa",
    "Bảo",
    "Tài",
    "Trung",
    "Hiếu",
    "Quân",
    "Thành",
    "Phúc",
    "Cường",
    "Vinh",
    "Huy",
    "Tâm",
    "Đạt",
)
GIVEN_NAMES_FEMALE = (
    "Lan",
    "Hương",
    "Mai",
    "Hoa",
    "Trang",
    "Linh",
    "Hà",
    "Thảo",
    "Nhung",
    "Yến",
    "Oanh",
    "Vân",
    "Hạnh",
    "Dung",
    "Loan",
    "Phượng",
    "Trinh",
    "Ngân",
    "Nga",
    "Thủy",
)

# --- demo users ----------------------------------------------------------------------------

WARD_THANH_MY = "PHUONG-THANH-MY"
COMMUNE_AN_PHU = "XA-AN-PHU"


class DemoRole(NamedTuple):
    agency: str  # agency code
    role: str
    department: str | None = None
    title: str = ""
    started_on: datetime.date | None = None


class DemoUser(NamedTuple):
    username: str
    full_name: str
    position: str
    roles: tuple[DemoRole, ...]


def _team(slug: str, agency: str, people, since: datetime.date | None = None):
    """Secretary, head, staff and internal auditor of one agency.
    ``people``: ((full name, position, department, title), …) in that order of roles."""
    roles = (Role.ISO_SECRETARY, Role.HEAD, Role.STAFF, Role.AUDITOR)
    prefixes = ("thuky", "thutruong", "canbo", "dgnb")
    return tuple(
        DemoUser(
            username=f"{prefix}.{slug}",
            full_name=full_name,
            position=position,
            roles=(DemoRole(agency, role, department, title, since),),
        )
        for prefix, role, (full_name, position, department, title) in zip(
            prefixes, roles, people, strict=True
        )
    )


_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        ADMIN_USERNAME,
        ADMIN_FULL_NAME,
        ADMIN_POSITION,
        (DemoRole(ROOT_CODE, Role.ADMIN, None, "Quản trị hệ thống"),),
    ),
    # The Sở KH&CN's officer who follows ISO in the whole province: overseer of the root, and
    # staff of the Chi cục TĐC where she works.
    DemoUser(
        OVERSEER_USERNAME,
        "Nguyễn Thị Thanh Hà",
        "Trưởng phòng Quản lý Tiêu chuẩn Chất lượng, Chi cục TĐC",
        (
            DemoRole(ROOT_CODE, Role.OVERSEER, None, "Theo dõi, đôn đốc áp dụng ISO toàn tỉnh"),
            DemoRole("CCTDC", Role.STAFF, "Phòng Quản lý Tiêu chuẩn Chất lượng", "Trưởng phòng"),
        ),
    ),
    DemoUser(
        "kiemtra",
        "Trần Quốc Bảo",
        "Thanh tra viên, Sở Khoa học và Công nghệ",
        (DemoRole("SKHCN", Role.INSPECTOR, "Thanh tra", "Thành viên đoàn kiểm tra ISO"),),
    ),
    *_team(
        "stp",
        "STP",
        (
            ("Lê Thị Mỹ Linh", "Chuyên viên Văn phòng Sở", "Văn phòng", "Thư ký ISO"),
            ("Phạm Văn Hùng", "Giám đốc Sở Tư pháp", None, "Giám đốc Sở"),
            (
                "Nguyễn Văn Tùng",
                "Chuyên viên Phòng Hành chính tư pháp",
                "Phòng Hành chính tư pháp",
                "Chuyên viên",
            ),
            (
                "Võ Thị Kim Oanh",
                "Phó Trưởng phòng Bổ trợ tư pháp",
                "Phòng Bổ trợ tư pháp",
                "Chuyên gia đánh giá nội bộ",
            ),
        ),
    ),
    *_team(
        "syt",
        "SYT",
        (
            ("Đặng Thị Thu Trang", "Chuyên viên Văn phòng Sở", "Văn phòng", "Thư ký ISO"),
            ("Hoàng Minh Quang", "Giám đốc Sở Y tế", None, "Giám đốc Sở"),
            (
                "Bùi Thị Ngọc Hân",
                "Chuyên viên Phòng Nghiệp vụ Dược",
                "Phòng Nghiệp vụ Dược",
                "Chuyên viên",
            ),
            (
                "Huỳnh Đức Thịnh",
                "Trưởng phòng Nghiệp vụ Y",
                "Phòng Nghiệp vụ Y",
                "Chuyên gia đánh giá nội bộ",
            ),
        ),
    ),
    *_team(
        "thanhmy",
        WARD_THANH_MY,
        (
            (
                "Trương Thị Bích Ngọc",
                "Công chức Văn phòng HĐND và UBND phường",
                "Văn phòng HĐND và UBND",
                "Thư ký ISO",
            ),
            ("Đỗ Quang Vinh", "Chủ tịch UBND phường Thạnh Mỹ", None, "Chủ tịch UBND phường"),
            (
                "Ngô Thị Hồng Nhung",
                "Công chức Phòng Kinh tế, Hạ tầng và Đô thị",
                "Phòng Kinh tế, Hạ tầng và Đô thị",
                "Công chức",
            ),
            (
                "Dương Văn Lợi",
                "Phó Trưởng phòng Văn hóa - Xã hội",
                "Phòng Văn hóa - Xã hội",
                "Chuyên gia đánh giá nội bộ",
            ),
        ),
        since=COMMUNES_ACTIVE_FROM,
    ),
    *_team(
        "anphu",
        COMMUNE_AN_PHU,
        (
            (
                "Phan Thị Thùy Dung",
                "Công chức Văn phòng HĐND và UBND xã",
                "Văn phòng HĐND và UBND",
                "Thư ký ISO",
            ),
            ("Lý Văn Sang", "Chủ tịch UBND xã An Phú", None, "Chủ tịch UBND xã"),
            (
                "Đinh Thị Mai",
                "Công chức Trung tâm Phục vụ hành chính công xã",
                "Trung tâm Phục vụ hành chính công",
                "Công chức một cửa",
            ),
            (
                "Hồ Quốc Toàn",
                "Trưởng phòng Kinh tế xã",
                "Phòng Kinh tế",
                "Chuyên gia đánh giá nội bộ",
            ),
        ),
        since=COMMUNES_ACTIVE_FROM,
    ),
)

# Staff rotate: a civil servant of the Sở Tư pháp seconded to the commune of An Phú after the
# 2025 reorganisation keeps his role at the Sở and takes one at the commune.
SECONDMENTS = {
    "canbo.stp": DemoRole(
        COMMUNE_AN_PHU,
        Role.STAFF,
        "Văn phòng HĐND và UBND",
        "Công chức biệt phái từ Sở Tư pháp (tư pháp - hộ tịch)",
        COMMUNES_ACTIVE_FROM,
    ),
}
DEMO_USERS: tuple[DemoUser, ...] = tuple(
    user._replace(roles=(*user.roles, SECONDMENTS[user.username]))
    if user.username in SECONDMENTS
    else user
    for user in _USERS
)


def _team_agencies() -> tuple[str, ...]:
    roles: dict[str, set[str]] = {}
    for user in DEMO_USERS:
        for role in user.roles:
            roles.setdefault(role.agency, set()).add(role.role)
    return tuple(code for code, held in roles.items() if {Role.ISO_SECRETARY, Role.HEAD} <= held)


# The agencies where a persona team (ISO secretary, head, staff, auditor) works: their records
# tell the full story of each capability and are always built.
TEAM_AGENCIES = _team_agencies()
