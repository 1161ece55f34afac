"""Generate benchmark data of a stated size, fast.

The rows are written with ``bulk_create`` straight into the tables, NOT through the services:
a benchmark needs volume (a whole country's agencies in minutes), whereas the services — their
permission checks, workflow rules and audit events — are exercised by the tests. The rows are
shaped like the services leave them all the same:

* agencies carry the materialized ``path`` of ``eiso.organizations.services._path_for``
  (seven digits of the pk per level, ``"0000001/0000007/"``) and their ``depth``;
* every ``search_text`` is folded with ``eiso.core.text.search_text_of`` from the same fields
  the services use (agency: code, name, short name, address; user: user name, full name,
  e-mail, position; document: code, title, change summary of its latest revision; external
  document: number, title, issuer);
* a document has 1–3 revisions: the earlier ones superseded, the last one issued (it is the
  document's ``current_revision``) or in preparation (at most one, per the constraint), each
  issued revision in a signed issuing decision of its agency;
* timestamps are spread over the last six years (``auto_now``/``auto_now_add`` are switched off
  while generating, only in this process), so "newest first" lists sort real dates.

Everything is drawn from a seeded ``random.Random``: the same size gives the same data.

Used by the runner (bench/run.py), which builds a throwaway database first; import it only
after ``django.setup()``.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from eiso.accounts.models import Membership, User
from eiso.core.models import AuditEvent, Notification
from eiso.core.roles import Role
from eiso.core.text import ranked_search_text, search_text_of
from eiso.demo.data import PLACE_FIRST, PLACE_SECOND  # the demo's syllables, not a copy
from eiso.documents.choices import (
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    ExternalKind,
    RevisionAction,
    RevisionStatus,
    TaskReason,
    TaskStatus,
)
from eiso.documents.models import (
    Acknowledgement,
    Document,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionEvent,
    RevisionTask,
)
from eiso.organizations.choices import DepartmentKind, Tier
from eiso.organizations.models import PATH_STEP, Agency, AgencyKind, Department

BATCH = 2000  # rows per INSERT (SQLite gets Django's own, smaller, batches)


@dataclass(frozen=True)
class Size:
    """How much data to generate. Per province: 1 provincial People's Committee, ``so`` sở,
    one chi cục under every ``chi_cuc_every``-th sở, ``communes`` communes and wards
    (1 + 25 + 9 + 215 = 250 agencies by default).

    The first province always gets ``documents_per_agency`` documents and
    ``acknowledged_documents_per_agency`` documents to read per agency; the other provinces
    get the ``other_…`` numbers (fewer, to keep a country feasible). So the personas that
    work in the first province (its secretary, its overseer) see the same data at every size
    and only the rest of the country grows around them."""

    provinces: int = 1
    so: int = 25
    chi_cuc_every: int = 3
    communes: int = 215
    users_per_agency: int = 20
    documents_per_agency: int = 200
    shared_texts_per_province: int = 100
    own_texts_per_agency: int = 3
    acknowledged_documents_per_agency: int = 3
    other_documents_per_agency: int = 30
    other_acknowledged_documents_per_agency: int = 1
    reviews_per_agency: int = 4
    seed: int = 2026

    @property
    def label(self) -> str:
        return "province" if self.provinces == 1 else f"{self.provinces}-provinces"

    @property
    def chi_cuc(self) -> int:
        return math.ceil(self.so / self.chi_cuc_every) if self.chi_cuc_every else 0

    @property
    def agencies_per_province(self) -> int:
        return 1 + self.so + self.chi_cuc + self.communes

    @property
    def agencies(self) -> int:
        return self.provinces * self.agencies_per_province + (1 if self.provinces > 1 else 0)


# --- names ----------------------------------------------------------------------------------

PROVINCES = (
    "Phú An",
    "Bình Giang",
    "Hải Đông",
    "Sơn Lâm",
    "Thanh Hà",
    "Long Thạnh",
    "Mỹ Xuân",
    "Tân Hưng",
    "Đông Phước",
    "Vĩnh Hòa",
    "Quảng Điền",
    "Hà Khánh",
    "Bắc Sơn",
    "Nam Thành",
    "Tây Lộc",
    "Trung Hiệp",
    "Đại Phong",
    "Xuân Lợi",
    "Hưng Thuận",
    "Phước Lâm",
)
SO_NAMES = (
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Sở Giao thông vận tải",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Thông tin và Truyền thông",
    "Sở Tài nguyên và Môi trường",
    "Ban Dân tộc",
    "Đài Phát thanh và Truyền hình",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Quỹ Đầu tư phát triển",
    "Sở Kế hoạch và Đầu tư",
)
CHI_CUC_NAMES = (
    "Chi cục Kiểm lâm",
    "Chi cục Thủy lợi",
    "Chi cục Văn thư - Lưu trữ",
    "Chi cục Quản lý đất đai",
    "Chi cục Bảo vệ môi trường",
    "Chi cục Thú y",
    "Chi cục Trồng trọt",
    "Chi cục Dân số",
    "Chi cục An toàn vệ sinh thực phẩm",
)

STREETS = ("Trần Hưng Đạo", "Lê Lợi", "Hùng Vương", "Nguyễn Huệ", "Quang Trung", "Trần Phú")
SURNAMES = ("Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng")
MIDDLES = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu", "Quốc", "Kim")
GIVENS = ("Hùng", "Lan", "Dũng", "Hương", "Tuấn", "Mai", "Nam", "Hà", "Phong", "Linh", "Sơn")
DEPARTMENTS = {
    "commune": (
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế",
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công",
    ),
    "other": ("Văn phòng", "Phòng Kế hoạch - Tài chính", "Thanh tra", "Phòng Chuyên môn"),
}
PROCEDURES = (
    "đăng ký khai sinh",
    "đăng ký kết hôn",
    "đăng ký khai tử",
    "chứng thực bản sao từ bản chính",
    "cấp giấy phép xây dựng",
    "đăng ký hộ kinh doanh",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "đăng ký thường trú",
    "xác nhận tình trạng hôn nhân",
    "cấp phiếu lý lịch tư pháp",
    "giải quyết khiếu nại lần đầu",
    "tiếp công dân",
    "hỗ trợ hộ nghèo",
    "cấp giấy phép kinh doanh rượu",
    "trợ cấp xã hội hằng tháng",
    "đăng ký giám hộ",
    "thay đổi, cải chính hộ tịch",
    "cấp bản sao trích lục hộ tịch",
    "đăng ký nhận cha, mẹ, con",
    "cấp giấy phép khai thác nước",
    "thẩm định báo cáo đánh giá tác động môi trường",
    "công nhận gia đình văn hóa",
    "cấp thẻ bảo hiểm y tế cho trẻ em",
    "hòa giải tranh chấp đất đai",
    "cấp giấy phép tổ chức lễ hội",
    "đăng ký biến động đất đai",
    "cấp lại giấy chứng nhận quyền sử dụng đất",
    "xét tặng danh hiệu lao động tiên tiến",
    "đăng ký tạm trú",
    "chuyển trường cho học sinh",
    "cấp giấy phép hoạt động y tế",
    "đăng ký phương tiện thủy nội địa",
    "hỗ trợ nhà ở cho người có công",
    "cấp giấy xác nhận nguồn gốc gỗ",
    "đăng ký khai thác thủy sản",
    "giải quyết tố cáo",
    "cấp giấy phép lao động",
    "thành lập nhóm trẻ tư thục",
    "đăng ký lại khai sinh",
    "cấp giấy phép quảng cáo",
)
SYSTEM_PROCEDURES = (
    "Quy trình kiểm soát tài liệu",
    "Quy trình kiểm soát hồ sơ",
    "Quy trình đánh giá nội bộ",
    "Quy trình kiểm soát đầu ra không phù hợp",
    "Quy trình hành động khắc phục",
    "Quy trình xem xét của lãnh đạo",
)
INTERNAL_WORK = (
    "quản lý văn bản đi, đến",
    "quản lý tài sản công",
    "tiếp nhận và xử lý phản ánh, kiến nghị",
    "lập kế hoạch công tác năm",
    "thi đua, khen thưởng",
)
OPEN = (
    RevisionStatus.DRAFT,
    RevisionStatus.IN_REVIEW,
    RevisionStatus.RETURNED,
    RevisionStatus.APPROVED,
)


def place_names(count: int) -> list[str]:
    names = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    random.Random(7).shuffle(names)
    return [
        names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
        for i in range(count)
    ]


def province_name(index: int) -> str:
    base = PROVINCES[index % len(PROVINCES)]
    return base if index < len(PROVINCES) else f"{base} {index // len(PROVINCES) + 1}"


def path_for(parent_path: str | None, pk: int) -> str:
    """The same path as eiso.organizations.services._path_for."""
    step = f"{pk:0{PATH_STEP}d}/"
    return f"{parent_path}{step}" if parent_path else step


# --- writing --------------------------------------------------------------------------------


@contextlib.contextmanager
def own_timestamps(*model_classes):
    """Let the generator write ``created_at``/``updated_at`` itself (this process only)."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class Writer:
    """Buffers rows per model and writes them with bulk_create; hands out primary keys for
    the models whose rows others point at (so paths and links are known before inserting)."""

    def __init__(self, id_models):
        self.buffers: dict[type, list] = {}
        self.counts: Counter = Counter()
        self.next_id = {m: (m.objects.aggregate(n=Max("pk"))["n"] or 0) + 1 for m in id_models}

    def new_id(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    def add(self, obj) -> None:
        model = type(obj)
        buffer = self.buffers.setdefault(model, [])
        buffer.append(obj)
        if len(buffer) >= BATCH * 5:
            self.flush(model)

    def flush(self, model=None) -> None:
        for m in [model] if model else list(self.buffers):
            rows = self.buffers.get(m) or []
            if rows:
                m.objects.bulk_create(rows, batch_size=BATCH)
                self.counts[m._meta.label] += len(rows)
                rows.clear()


def reset_sequences(model_classes) -> None:
    """After explicit primary keys, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_classes)):
            cursor.execute(sql)


# --- the generator --------------------------------------------------------------------------


@dataclass
class Personas:
    secretary: str = ""
    overseer: str = ""
    province_overseer: str = ""
    admin: str = ""
    commune_id: int = 0
    commune_name: str = ""
    document_id: int = 0


@dataclass
class Result:
    size: dict
    counts: dict
    personas: Personas
    seconds: float
    rows: int = field(default=0)


class Generator:
    def __init__(self, size: Size):
        self.size = size
        self.rng = random.Random(size.seed)
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.password = make_password(None)  # unusable: benchmarks sign in with force_login
        self.kinds = {k.code: k for k in AgencyKind.objects.all()}
        self.communes = place_names(size.communes)
        self.personas = Personas()
        self.w = Writer(
            [Agency, Department, User, Membership, ExternalDocument, IssuingDecision]
            + [Document, Revision]
        )
        self.admin_id = 0

    # helpers

    def when(self, start_days_ago: int, end_days_ago: int = 0) -> datetime.datetime:
        seconds = self.rng.randint(end_days_ago * 86400, start_days_ago * 86400)
        return self.now - datetime.timedelta(seconds=seconds)

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLES)} {r.choice(GIVENS)}"

    def audit(self, *, actor_id, actor_name, agency_id, action, obj_type, obj_id, repr_, at):
        self.w.add(
            AuditEvent(
                created_at=at,
                actor_id=actor_id,
                actor_name=actor_name,
                agency_id=agency_id,
                action=action,
                object_type=obj_type,
                object_id=str(obj_id),
                object_repr=repr_[:300],
                changes={"generated": True},
                remote_addr=f"10.0.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}",
            )
        )

    # agencies

    def agency(self, *, code, name, short_name, kind, parent, address) -> Agency:
        pk = self.w.new_id(Agency)
        kind_row = self.kinds[kind]
        created = self.when(2200, 1500)
        agency = Agency(
            id=pk,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind_row,
            tier=kind_row.default_tier,
            must_apply=kind_row.must_apply,
            parent_id=parent.pk if parent else None,
            path=path_for(parent.path if parent else None, pk),
            depth=(parent.depth + 1) if parent else 0,
            address=address,
            head_name=self.person(),
            head_title="Chủ tịch" if kind in ("ubnd_tinh", "ubnd_xa") else "Giám đốc",
            phone=f"0297 {self.rng.randint(3800000, 3999999)}",
            email=f"{code.lower()}@bench.example",
            active_from=created.date(),
            is_active=True,
            created_at=created,
            updated_at=created,
        )
        agency.search_text = ranked_search_text(code, [name, short_name], [address])
        self.w.add(agency)
        self.audit(
            actor_id=self.admin_id,
            actor_name="Quản trị hệ thống",
            agency_id=pk,
            action="agency.create",
            obj_type="organizations.agency",
            obj_id=pk,
            repr_=short_name or name,
            at=created,
        )
        return agency

    def national_kind(self) -> str:
        kind, _ = AgencyKind.objects.get_or_create(
            code="bench_trung_uong",
            defaults={
                "name": "Cơ quan trung ương (dữ liệu benchmark)",
                "default_tier": Tier.PROVINCIAL,
                "must_apply": True,
                "sort_order": 5,
            },
        )
        self.kinds[kind.code] = kind
        return kind.code

    def people(self, agency: Agency, departments: list[Department], *, province_root: bool):
        """``users_per_agency`` people: a head, an ISO secretary, an auditor, staff (and an
        overseer in a province's People's Committee). Returns (pk, name) by role."""
        staff = {}
        for k in range(self.size.users_per_agency):
            role = {0: Role.HEAD, 1: Role.ISO_SECRETARY, 2: Role.AUDITOR}.get(k, Role.STAFF)
            if k == 3 and province_root:
                role = Role.OVERSEER
            user = self.user(f"{agency.code.lower()}-{k:02d}", agency.pk)
            self.membership(user, agency, role, departments[k % len(departments)])
            staff.setdefault(role, (user.pk, user.full_name))
            staff.setdefault("all", []).append(user.pk)
        return staff

    def user(self, username: str, agency_id, *, superuser=False, full_name="") -> User:
        pk = self.w.new_id(User)
        full_name = full_name or self.person()
        joined = self.when(1500, 30)
        user = User(
            id=pk,
            username=username,
            password=self.password,
            email=f"{username}@bench.example",
            full_name=full_name,
            position="Chuyên viên",
            phone=f"091{self.rng.randint(1000000, 9999999)}",
            is_superuser=superuser,
            is_staff=superuser,
            is_active=True,
            date_joined=joined,
        )
        user.search_text = search_text_of(username, full_name, user.email, user.position)
        self.w.add(user)
        self.audit(
            actor_id=self.admin_id or None,
            actor_name="Quản trị hệ thống",
            agency_id=agency_id,
            action="user.create",
            obj_type="accounts.user",
            obj_id=pk,
            repr_=full_name,
            at=joined,
        )
        return user

    def membership(self, user, agency, role, department=None) -> None:
        at = user.date_joined
        self.w.add(
            Membership(
                id=self.w.new_id(Membership),
                user_id=user.pk,
                agency_id=agency.pk,
                role=role,
                department_id=department.pk if department else None,
                title="",
                is_active=True,
                started_on=at.date(),
                created_at=at,
                updated_at=at,
            )
        )

    def departments(self, agency: Agency, commune: bool) -> list[Department]:
        rows = []
        for name in DEPARTMENTS["commune" if commune else "other"]:
            rows.append(
                Department(
                    id=self.w.new_id(Department),
                    agency_id=agency.pk,
                    name=name,
                    kind=DepartmentKind.UNIT if name.startswith("Trung tâm") else "office",
                    is_active=True,
                    created_at=agency.created_at,
                    updated_at=agency.created_at,
                )
            )
            self.w.add(rows[-1])
        return rows

    # external documents

    def externals(self, agency: Agency, count: int, *, shared: bool) -> list[ExternalDocument]:
        rows = []
        for n in range(1, count + 1):
            year = self.rng.randint(2015, 2026)
            effective = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            procedure = self.rng.choice(PROCEDURES)
            if shared:
                number, issuer = f"{n}/{year}/NĐ-CP", "Chính phủ"
                title = f"Nghị định quy định chi tiết về {procedure}"
                kind = ExternalKind.LEGAL
            else:
                number, issuer = f"{n}/QĐ-{agency.code}", agency.short_name or agency.name
                title = f"Quyết định công bố thủ tục {procedure}"
                kind = ExternalKind.GUIDANCE
            external = ExternalDocument(
                id=self.w.new_id(ExternalDocument),
                agency_id=agency.pk,
                is_shared=shared,
                kind=kind,
                number=number,
                title=title,
                issuer=issuer,
                issue_date=effective - datetime.timedelta(days=45),
                effective_date=effective,
                created_at=self.when(1500, 10),
            )
            external.updated_at = external.created_at
            external.search_text = search_text_of(external.number, external.title, issuer)
            rows.append(external)
        for old, new in zip(rows[::10], rows[5::10], strict=False):  # a tenth were replaced
            old.replaced_by_id = new.pk
        for external in rows:
            self.w.add(external)
        return rows

    # documents

    def plan(self, i: int, offset: int) -> tuple[str, str, str]:
        """(kind, code, title) of an agency's i-th document (``offset`` varies the
        procedures between agencies)."""
        if i == 0:
            return DocumentKind.QUALITY_POLICY, "CS-01", "Chính sách chất lượng"
        if i == 1:
            return DocumentKind.QUALITY_OBJECTIVES, "MT-01", "Mục tiêu chất lượng năm 2026"
        if i == 2:
            return DocumentKind.QMS_DESCRIPTION, "STCL-01", "Sổ tay chất lượng"
        if i < 3 + len(SYSTEM_PROCEDURES):
            return DocumentKind.SYSTEM_PROCEDURE, f"QT-HT-{i - 2:02d}", SYSTEM_PROCEDURES[i - 3]
        procedure = PROCEDURES[(i + offset) % len(PROCEDURES)]
        slot = i % 20
        if slot < 12:
            return (
                DocumentKind.TTHC_PROCEDURE,
                f"QT-TTHC-{i:03d}",
                f"Quy trình giải quyết thủ tục {procedure}",
            )
        if slot < 14:
            work = INTERNAL_WORK[i % len(INTERNAL_WORK)]
            return DocumentKind.INTERNAL_PROCEDURE, f"QT-NB-{i:03d}", f"Quy trình {work}"
        if slot < 15:
            return DocumentKind.INSTRUCTION, f"HD-{i:03d}", f"Hướng dẫn thực hiện {procedure}"
        return DocumentKind.FORM, f"BM-{i:03d}", f"Biểu mẫu tờ khai {procedure}"

    def documents(self, agency, departments, people, texts, shared_texts) -> None:
        r = self.rng
        head_id, head_name = people[Role.HEAD]
        secretary_id, secretary_name = people[Role.ISO_SECRETARY]
        issued = []  # (revision, document) of every issued or superseded revision
        current = []  # (document, revision) in use
        forms, procedures = [], []
        built = []  # (document, its revisions), written once the decisions are known
        has_three = False
        for i in range(self.documents_per_agency):
            kind, code, title = self.plan(i, agency.pk)
            created = self.when(2000, 200)
            document = Document(
                id=self.w.new_id(Document),
                agency_id=agency.pk,
                code=code,
                title=title,
                kind=kind,
                department_id=departments[i % len(departments)].pk,
                status=DocumentStatus.ACTIVE,
                created_by_id=secretary_id,
                created_at=created,
                updated_at=created,
            )
            count = r.choices((1, 2, 3), weights=(40, 35, 25))[0]
            fate = r.random()
            last_open = 0.03 <= fate < 0.10 or i >= self.documents_per_agency - 2
            step = (self.now - created) / (count + 0.5)
            revisions = []
            for number in range(1, count + 1):
                at = created + step * (number - 1)
                is_last = number == count
                if is_last and last_open:
                    status = r.choice(OPEN)
                elif is_last:
                    status = RevisionStatus.ISSUED
                else:  # issued, then replaced by a later one (in force until its successor's date)
                    status = RevisionStatus.ISSUED
                revision = Revision(
                    id=self.w.new_id(Revision),
                    agency_id=agency.pk,
                    document_id=document.pk,
                    number=number,
                    status=status,
                    change_summary="Ban hành lần đầu"
                    if number == 1
                    else "Cập nhật theo văn bản mới",
                    content=f"{title}. Phạm vi áp dụng, trách nhiệm, trình tự thực hiện, hồ sơ lưu. "
                    * 3,
                    drafted_by_id=secretary_id,
                    created_at=at,
                    updated_at=at,
                )
                if status not in (RevisionStatus.DRAFT, RevisionStatus.RETURNED):
                    revision.reviewed_by_id = revision.approved_by_id = head_id
                if status == RevisionStatus.ISSUED:
                    revision.issued_at = min(at + datetime.timedelta(days=20), self.now)
                    revision.effective_date = timezone.localdate(revision.issued_at)
                    issued.append((revision, document))
                revisions.append(revision)
            current_revision = next(
                (x for x in reversed(revisions) if x.status == RevisionStatus.ISSUED), None
            )
            if current_revision:
                current.append((document, current_revision))
                if fate < 0.03 and i >= 9 and not last_open:
                    document.status = DocumentStatus.WITHDRAWN
                    document.withdrawn_on = self.today - datetime.timedelta(days=r.randint(1, 300))
                    document.withdrawn_reason = "Không còn áp dụng"
            document.search_text = search_text_of(code, title, revisions[-1].change_summary)
            built.append((document, revisions))
            (forms if kind == DocumentKind.FORM else procedures).append((document, kind))
            if (
                agency.pk == self.personas.commune_id
                and current_revision is not None
                and document.status == DocumentStatus.ACTIVE
                and (not self.personas.document_id or (count == 3 and not has_three))
            ):
                # The measured document: the commune's first with three revisions (or, in a
                # tiny size, with a current one).
                self.personas.document_id = document.pk
                has_three = count == 3
        # The decisions first: they set the revisions' decision before these are written.
        self.decisions(agency, issued, head_name, secretary_id)
        for document, revisions in built:
            self.w.add(document)
            self.audit(
                actor_id=secretary_id,
                actor_name=secretary_name,
                agency_id=agency.pk,
                action="document.create",
                obj_type="documents.document",
                obj_id=document.pk,
                repr_=f"{document.code} {document.title}",
                at=document.created_at,
            )
            for revision in revisions:
                self.w.add(revision)
                # One workflow event per revision: its issue, or its drafting while open.
                if revision.issued_at:
                    self.revision_event(revision, RevisionAction.ISSUE, head_id, revision.issued_at)
                else:
                    self.revision_event(
                        revision, RevisionAction.CREATE, secretary_id, revision.created_at
                    )
                if revision.number > 1:
                    self.audit(
                        actor_id=secretary_id,
                        actor_name=secretary_name,
                        agency_id=agency.pk,
                        action="revision.create",
                        obj_type="documents.revision",
                        obj_id=revision.pk,
                        repr_=f"{document.code} — lần ban hành {revision.number:02d}",
                        at=revision.created_at,
                    )
        self.links(agency, procedures, forms, texts, shared_texts, current)
        self.acknowledgements(agency, current, people["all"])
        self.reviews(agency, secretary_id)

    def revision_event(self, revision, action, actor_id, at) -> None:
        self.w.add(
            RevisionEvent(
                agency_id=revision.agency_id,
                revision_id=revision.pk,
                action=action,
                actor_id=actor_id,
                created_at=at,
                updated_at=at,
            )
        )

    def decisions(self, agency, issued, signer_name, secretary_id) -> None:
        """Issued revisions in signed decisions of up to ten, numbered per year."""
        issued.sort(key=lambda pair: pair[0].issued_at)
        per_year: Counter = Counter()
        for start in range(0, len(issued), 10):
            group = issued[start : start + 10]
            day = group[0][0].issued_at
            per_year[day.year] += 1
            decision = IssuingDecision(
                id=self.w.new_id(IssuingDecision),
                agency_id=agency.pk,
                number=f"{per_year[day.year]}/QĐ-{agency.code}",
                date=day.date(),
                subject="Ban hành tài liệu hệ thống quản lý chất lượng",
                signer_name=signer_name,
                signer_title="CHỦ TỊCH",
                status=DecisionStatus.SIGNED,
                created_by_id=secretary_id,
                signed_at=day,
                created_at=day,
                updated_at=day,
            )
            self.w.add(decision)
            for revision, _document in group:
                revision.decision_id = decision.pk
            self.audit(
                actor_id=secretary_id,
                actor_name=signer_name,
                agency_id=agency.pk,
                action="decision.sign",
                obj_type="documents.issuingdecision",
                obj_id=decision.pk,
                repr_=decision.number,
                at=day,
            )

    def links(self, agency, procedures, forms, texts, shared_texts, current) -> None:
        r = self.rng
        legal = Document.legal_bases.through
        form_link = Document.forms.through
        current_of = {d.pk: rev for d, rev in current}
        for n, (document, kind) in enumerate(procedures):
            if kind not in (DocumentKind.TTHC_PROCEDURE, DocumentKind.INTERNAL_PROCEDURE):
                continue
            bases = r.sample(shared_texts, k=min(2, len(shared_texts)))
            bases += r.sample(texts, k=min(1, len(texts)))
            for external in bases[: r.randint(1, 3)]:
                self.w.add(
                    legal(
                        document_id=document.pk,
                        externaldocument_id=external.pk,
                        agency_id=document.agency_id,
                    )
                )
            if forms:
                form = forms[n % len(forms)][0]
                self.w.add(form_link(from_document_id=document.pk, to_document_id=form.pk))
            if n % 20 == 0 and document.status == DocumentStatus.ACTIVE:  # a revision task
                self.task(agency, document, bases[0], current_of.get(document.pk), n)

    def task(self, agency, document, external, revision, n) -> None:
        done = n % 40 == 0 and revision is not None
        overdue = n % 60 == 20
        due = self.today + datetime.timedelta(days=-30 if overdue else 60)
        created = self.when(300, 10)
        self.w.add(
            RevisionTask(
                agency_id=agency.pk,
                document_id=document.pk,
                external_document_id=external.pk,
                reason=TaskReason.NEW_TEXT,
                due_date=due,
                status=TaskStatus.DONE if done else TaskStatus.OPEN,
                closed_at=self.now if done else None,
                closed_by_revision_id=revision.pk if done else None,
                created_at=created,
                updated_at=created,
            )
        )

    def acknowledgements(self, agency, current, readers) -> None:
        """The first documents in use are to be read by the whole agency (with their
        notification); four in five people have read them."""
        for document, revision in current[: self.acknowledged_documents_per_agency]:
            for user_id in readers:
                read = self.rng.random() < 0.8
                read_at = revision.issued_at + datetime.timedelta(days=3) if read else None
                self.w.add(
                    Acknowledgement(
                        agency_id=agency.pk,
                        revision_id=revision.pk,
                        user_id=user_id,
                        acknowledged_at=read_at,
                        created_at=revision.issued_at,
                        updated_at=revision.issued_at,
                    )
                )
                self.w.add(
                    Notification(
                        agency_id=agency.pk,
                        user_id=user_id,
                        message=f"Tài liệu mới ban hành: {document.code} {document.title}",
                        url=f"/documents/{document.pk}/",
                        read_at=read_at,
                        created_at=revision.issued_at,
                        updated_at=revision.issued_at,
                    )
                )

    def reviews(self, agency, secretary_id) -> None:
        year, quarter = self.today.year, (self.today.month - 1) // 3 + 1
        for _ in range(self.size.reviews_per_agency):
            quarter -= 1
            if quarter == 0:
                year, quarter = year - 1, 4
            day = datetime.date(year, quarter * 3, 25)
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
            self.w.add(
                MasterListReview(
                    agency_id=agency.pk,
                    year=year,
                    quarter=quarter,
                    reviewed_on=day,
                    reviewed_by_id=secretary_id,
                    result=MasterListReview.Result.UP_TO_DATE,
                    created_at=at,
                    updated_at=at,
                )
            )

    # the whole tree

    def province(self, index: int, parent: Agency | None) -> Agency:
        first = index == 0
        self.documents_per_agency = (
            self.size.documents_per_agency if first else self.size.other_documents_per_agency
        )
        self.acknowledged_documents_per_agency = (
            self.size.acknowledged_documents_per_agency
            if first
            else self.size.other_acknowledged_documents_per_agency
        )
        name = province_name(index)
        prefix = f"P{index + 1:02d}"
        root = self.agency(
            code=f"{prefix}-UBND",
            name=f"Ủy ban nhân dân tỉnh {name}",
            short_name=f"UBND tỉnh {name}",
            kind="ubnd_tinh",
            parent=parent,
            address=f"Số 01 đường Trần Hưng Đạo, tỉnh {name}",
        )
        shared = self.externals(root, self.size.shared_texts_per_province, shared=True)
        shared += self.national_texts
        units = [(root, False)]
        for i in range(self.size.so):
            so_name = SO_NAMES[i % len(SO_NAMES)] + ("" if i < len(SO_NAMES) else f" {i + 1}")
            so = self.agency(
                code=f"{prefix}-S{i + 1:02d}",
                name=f"{so_name} tỉnh {name}",
                short_name=so_name,
                kind="so_nganh",
                parent=root,
                address=f"Số {i + 2} đường {STREETS[i % len(STREETS)]}, tỉnh {name}",
            )
            units.append((so, False))
            if self.size.chi_cuc_every and i % self.size.chi_cuc_every == 0:
                cc_name = CHI_CUC_NAMES[(i // self.size.chi_cuc_every) % len(CHI_CUC_NAMES)]
                units.append(
                    (
                        self.agency(
                            code=f"{prefix}-S{i + 1:02d}-CC",
                            name=f"{cc_name} tỉnh {name}",
                            short_name=cc_name,
                            kind="chi_cuc",
                            parent=so,
                            address=f"Số {i + 40} đường {STREETS[i % len(STREETS)]}, tỉnh {name}",
                        ),
                        False,
                    )
                )
        for j, place in enumerate(self.communes):
            unit = "Phường" if j < 15 else "Xã"
            commune = self.agency(
                code=f"{prefix}-X{j + 1:03d}",
                name=f"Ủy ban nhân dân {unit.lower()} {place}",
                short_name=f"UBND {unit.lower()} {place}",
                kind="ubnd_xa",
                parent=root,
                address=f"{unit} {place}, tỉnh {name}",
            )
            units.append((commune, True))
            if index == 0 and j == 15:  # the secretary persona's commune: the first xã
                self.personas.commune_id = commune.pk
                self.personas.commune_name = place
        for agency, is_commune in units:
            departments = self.departments(agency, is_commune)
            people = self.people(agency, departments, province_root=agency is root)
            if agency.pk == self.personas.commune_id:
                self.personas.secretary = f"{agency.code.lower()}-01"
            own = self.externals(agency, self.size.own_texts_per_agency, shared=False)
            self.documents(agency, departments, people, own, shared)
        return root

    def run(self) -> Result:
        started = time.monotonic()
        id_models = [Agency, Department, User, Membership, ExternalDocument, IssuingDecision]
        id_models += [Document, Revision]
        timestamped = [*id_models, AuditEvent, Notification, RevisionEvent, Acknowledgement]
        timestamped += [RevisionTask, MasterListReview]
        with own_timestamps(*timestamped):
            with transaction.atomic():
                admin = self.user(
                    "bench-admin", None, superuser=True, full_name="Quản trị hệ thống"
                )
                self.admin_id = admin.pk
                self.personas.admin = admin.username
                national = None
                self.national_texts = []
                if self.size.provinces > 1:
                    national = self.agency(
                        code="TW",
                        name="Cơ quan trung ương (gốc toàn quốc)",
                        short_name="Trung ương",
                        kind=self.national_kind(),
                        parent=None,
                        address="Hà Nội",
                    )
                    self.national_texts = self.externals(national, 50, shared=True)
                self.w.flush()
            roots = []
            for index in range(self.size.provinces):
                with transaction.atomic():
                    roots.append(self.province(index, national))
                    self.w.flush()
            with transaction.atomic():
                top = national or roots[0]
                overseer = self.user("bench-overseer", top.pk, full_name="Giám sát toàn bộ")
                self.membership(overseer, top, Role.OVERSEER)
                self.personas.overseer = overseer.username
                if national is not None:
                    province = self.user(
                        "bench-overseer-p01", roots[0].pk, full_name="Giám sát tỉnh"
                    )
                    self.membership(province, roots[0], Role.OVERSEER)
                    self.personas.province_overseer = province.username
                self.w.flush()
        reset_sequences(id_models)
        counts = dict(sorted(self.w.counts.items()))
        return Result(
            size=asdict(self.size),
            counts=counts,
            personas=self.personas,
            seconds=time.monotonic() - started,
            rows=sum(counts.values()),
        )


def generate(size: Size) -> Result:
    return Generator(size).run()
