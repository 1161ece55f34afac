"""The QMS records of the demo province (issue 4), built after the administrative procedures
(procedures.py), only through eiso.qms: the onboarding import and the services.

The history is replayed in date order with the clock of documents.py:

- 15/09/2025: the overseer (``giamsat``, Sở KH&CN) onboards the province's paper records — an
  XLSX of every agency's QMS status and its historic announcements 2019–2025 (first
  announcements; re-announcements after the 2025 reorganisation: merged departments, the
  two-tier list of procedures, merged communes "do sáp nhập đơn vị hành chính"), imported with
  the real importer (``import_file(kind="announcements")``);
- the four demo agencies set up their steering committee (head as Trưởng ban, secretary as Thư
  ký, the others as members), then announce (or announce again) through the services: draft,
  signed with a PDF scan of the decision, sent, received by the overseer;
- in 2026 the Sở Tư pháp adds procedures to its scope (its re-announcement becomes due), the
  overseer sends one round of reminders to the agencies that must apply and have not
  announced, and the xã An Phú starts drafting its first announcement.

The Sở Tư pháp's committee is flagged: its decision recorded the internal auditor as a
specialist, she has been promoted since.

Idempotent: the import carries only the rows not recorded yet (an announcement by agency,
number and year; a status row when the agency has no QMS record), a committee decision is made
when its number is missing, an announcement is created when its number is missing and carried
forward (sent, received) from where it stands, procedures are added only when the agency never
had a row for them, the reminders are sent once, the draft is started only when the agency has
no announcement. A second run writes nothing."""

from __future__ import annotations

import copy
import datetime
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from eiso.accounts.models import Membership, User
from eiso.core.imports import import_file
from eiso.core.numbers import agency_symbol
from eiso.core.roles import Role
from eiso.demo import data
from eiso.demo import data_procedures as tthc
from eiso.demo.context import DemoContext, DemoDataError, StepReport, clock_at, working_day_between
from eiso.demo.context import digest as _digest
from eiso.demo.scans import scan_pdf
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.oversight import selectors as oversight_selectors
from eiso.oversight.services import reminders_send
from eiso.procedures import services as procedure_services
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
from eiso.qms import selectors, services
from eiso.qms.choices import AnnouncementStatus, CommitteeRole, QmsStatus, ReminderKind
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem, Reminder
from eiso.qms.outputs import announcement_document

D = datetime.date
PREFIXES = ("thuky", "thutruong", "canbo", "dgnb")
# Head as Trưởng ban, secretary as Thư ký, everyone else as a member.
COMMITTEE_RANKS = {Role.HEAD: 0, Role.ISO_SECRETARY: 1}


class QmsPlanError(DemoDataError):
    """The QMS data does not fit the demo province (a refused import, a missing user)."""


# --- the plan -----------------------------------------------------------------------------------

ONBOARDED_ON = D(2025, 9, 15)
ONBOARDING_FILENAME = "hien-trang-iso-tinh-phu-an-2025.xlsx"
# The two-tier list of procedures was entered on 15–18/07/2025 (data_procedures.py): an agency
# that handles procedures re-announced its QMS after that, for its new scope.
SCOPE_REVISED_FROM = D(2025, 7, 21)

VERSION = "TCVN ISO 9001:2015"
STATUS_WORDS = {
    QmsStatus.NOT_STARTED: "Chưa xây dựng",
    QmsStatus.BUILDING: "Đang xây dựng",
    QmsStatus.APPLIED: "Đã áp dụng",
    QmsStatus.ANNOUNCED: "Đã công bố",
}
FIRST = "Công bố lần đầu"
AGAIN = "Công bố lại"
MERGED_COMMUNE = (
    "Công bố lại do sáp nhập đơn vị hành chính cấp xã (Nghị quyết của Ủy ban Thường vụ Quốc hội "
    "về sắp xếp đơn vị hành chính cấp xã của tỉnh {p} năm 2025), hiệu lực từ 01/07/2025"
).replace("{p}", data.PROVINCE)
MERGED_DEPARTMENT = (
    "Công bố lại do hợp nhất, tổ chức lại cơ quan chuyên môn thuộc UBND tỉnh từ 01/03/2025"
)
NEW_LIST = (
    "Công bố lại do điều chỉnh phạm vi áp dụng theo danh mục thủ tục hành chính của chính quyền "
    "địa phương hai cấp (từ 01/07/2025)"
)
UPDATED = "Công bố lại do cập nhật danh mục thủ tục hành chính được công bố mới, sửa đổi"

HEADINGS = (
    "Mã cơ quan",
    "Phiên bản tiêu chuẩn",
    "Trạng thái",
    "Số quyết định",
    "Ngày quyết định",
    "Hình thức",
    "Lý do công bố lại",
    "Ngày tiếp nhận",
)


@dataclass(frozen=True)
class ImportRow:
    agency: str
    status: str
    number: str = ""
    date: datetime.date | None = None
    kind: str = ""
    reason: str = ""
    received_on: datetime.date | None = None

    @property
    def cells(self) -> list[str]:
        return [
            self.agency,
            VERSION,
            STATUS_WORDS[self.status],
            self.number,
            _dmy(self.date),
            self.kind,
            self.reason,
            _dmy(self.received_on),
        ]


def _dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


_day_between = working_day_between


def _number(key: str, suffix: str, low: int = 12, high: int = 380) -> str:
    return f"{low + _digest(key) % (high - low)}/QĐ-{suffix}"


def _received(key: str, date: datetime.date) -> datetime.date | None:
    """The overseer's receipt, for most: 2 to 9 days after the decision (before onboarding)."""
    if _digest(f"{key}/received") % 100 < 12:
        return None
    return min(date + datetime.timedelta(days=2 + _digest(f"{key}/delay") % 8), ONBOARDED_ON)


# The demo agencies: their teams, who sign, their committee and announcement numbers and days.
@dataclass(frozen=True)
class DemoQms:
    agency: str
    team: str
    committee_number: str
    committee_on: datetime.date
    internal_activities: str
    announcement: tuple[str, datetime.date, datetime.date] | None  # number, signed, received
    reason: str = ""
    # a member whose position the committee decision recorded before a promotion
    promoted: tuple[str, str] | None = None


DEMO_QMS: tuple[DemoQms, ...] = (
    DemoQms(
        "STP",
        "stp",
        "87/QĐ-STP",
        D(2025, 7, 24),
        "Quản lý văn bản đi, đến\nQuản lý hồ sơ, tài liệu lưu trữ\nĐánh giá nội bộ, xem xét "
        "của lãnh đạo",
        ("142/QĐ-STP", D(2025, 9, 26), D(2025, 9, 30)),
        NEW_LIST,
        promoted=("dgnb.stp", "Chuyên viên Phòng Bổ trợ tư pháp"),
    ),
    DemoQms(
        "SYT",
        "syt",
        "312/QĐ-SYT",
        D(2025, 7, 28),
        "Quản lý văn bản đi, đến\nQuản lý nhân sự, đào tạo\nĐánh giá nội bộ",
        ("498/QĐ-SYT", D(2025, 10, 7), D(2025, 10, 10)),
        NEW_LIST,
    ),
    DemoQms(
        data.WARD_THANH_MY,
        "thanhmy",
        "15/QĐ-UBND",
        D(2025, 8, 11),
        "Quản lý văn bản đi, đến\nTiếp công dân, xử lý đơn thư",
        ("64/QĐ-UBND", D(2025, 10, 20), D(2025, 10, 23)),
    ),
    DemoQms(
        data.COMMUNE_AN_PHU,
        "anphu",
        "22/QĐ-UBND",
        D(2025, 8, 12),
        "Quản lý văn bản đi, đến",
        None,  # a draft of its first announcement, started after the reminder
    ),
)
DEMO_CODES = {plan.agency for plan in DEMO_QMS}
# Historic first announcements of the two departments, on paper (imported).
DEMO_HISTORY = {
    "STP": ("118/QĐ-STP", D(2019, 6, 14), D(2019, 6, 20)),
    "SYT": ("275/QĐ-SYT", D(2021, 4, 9), D(2021, 4, 14)),
}

SCOPE_ADDED = ("STP", D(2026, 4, 13))  # the Sở Tư pháp takes on more procedures
REMINDED_ON = D(2026, 5, 11)
DRAFT = (data.COMMUNE_AN_PHU, D(2026, 6, 2))
SCOPE_ADDED_FIELD = tthc.TRO_GIUP  # the field whose procedures it adds


# --- the import file ----------------------------------------------------------------------------


def onboarding_rows(agencies: list[Agency], handling: set[int]) -> list[ImportRow]:
    """One or two rows per agency of the province (the demo agencies aside, but for the two
    departments' paper history): its status, and its announcements."""
    rows: list[ImportRow] = []
    for code, (number, day, received) in DEMO_HISTORY.items():
        rows.append(ImportRow(code, QmsStatus.ANNOUNCED, number, day, FIRST, "", received))
    for agency in agencies:
        if agency.code in DEMO_CODES or agency.tier not in (Tier.PROVINCIAL, Tier.COMMUNE):
            continue
        rows.extend(agency_rows(agency, agency.pk in handling))
    return rows


def planned_status(agency: Agency) -> str | None:
    """The QMS status the province's paper records give an agency outside the personas' four
    (None: no record at all). The same roll every run: the onboarding imports it, and the other
    steps read it (an agency that has not started has no keepers and no documents)."""
    if agency.tier not in (Tier.PROVINCIAL, Tier.COMMUNE):
        return None
    roll = _digest(f"qms/{agency.code}") % 100
    commune = agency.tier == Tier.COMMUNE
    announced, applied, building, recorded = (64, 80, 90, 96) if commune else (72, 84, 93, 100)
    if roll >= recorded:
        return None
    if roll < announced:
        return QmsStatus.ANNOUNCED
    if roll < applied:
        return QmsStatus.APPLIED
    return QmsStatus.BUILDING if roll < building else QmsStatus.NOT_STARTED


def qms_started(agency: Agency) -> bool:
    """Has the agency built its QMS, or started to (its documents are issued)?"""
    return planned_status(agency) in (QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED)


def is_long_standing(agency: Agency) -> bool:
    """A provincial agency older than the 2025 reorganisation: it announced first in
    2019–2022 (first_announced_on)."""
    return agency.tier == Tier.PROVINCIAL and not (
        agency.active_from and agency.active_from > D(2019, 1, 1)
    )


def first_announced_on(agency: Agency) -> datetime.date:
    """The day of a long-standing agency's first announcement (when planned_status says it
    announced)."""
    return _day_between(f"qms/{agency.code}/day", D(2019, 3, 1), D(2022, 12, 15))


def agency_rows(agency: Agency, handles: bool) -> list[ImportRow]:
    code = agency.code
    status = planned_status(agency)
    if status is None:
        return []  # no record at all yet
    if status != QmsStatus.ANNOUNCED:
        return [ImportRow(code, status)]
    commune = agency.tier == Tier.COMMUNE
    suffix = agency_symbol(agency)
    if commune:
        # New communes since 01/07/2025: those merged from several announce again.
        day = _day_between(f"qms/{code}/day", SCOPE_REVISED_FROM, D(2025, 9, 10))
        merged = _digest(f"qms/{code}/merged") % 100 < 60
        kind, reason = (AGAIN, MERGED_COMMUNE) if merged else (FIRST, "")
        number = _number(f"qms/{code}/number", suffix, 10, 95)
        received = _received(f"qms/{code}", day)
        return [ImportRow(code, QmsStatus.ANNOUNCED, number, day, kind, reason, received)]
    if agency.active_from and agency.active_from > D(2019, 1, 1):
        # A department merged in 2025 announces again for the merged agency.
        start = SCOPE_REVISED_FROM if handles else agency.active_from + datetime.timedelta(30)
        end = D(2025, 9, 10) if handles else D(2025, 6, 30)
        day = _day_between(f"qms/{code}/day", start, end)
        number = _number(f"qms/{code}/number", suffix)
        received = _received(f"qms/{code}", day)
        return [
            ImportRow(code, QmsStatus.ANNOUNCED, number, day, AGAIN, MERGED_DEPARTMENT, received)
        ]
    first_day = first_announced_on(agency)
    first_number = _number(f"qms/{code}/number", suffix)
    rows = [
        ImportRow(
            code,
            QmsStatus.ANNOUNCED,
            first_number,
            first_day,
            FIRST,
            "",
            _received(f"qms/{code}", first_day),
        )
    ]
    again = None
    if handles:
        again = (_day_between(f"qms/{code}/again", SCOPE_REVISED_FROM, D(2025, 9, 10)), NEW_LIST)
    elif _digest(f"qms/{code}/again") % 100 < 35:
        again = (_day_between(f"qms/{code}/again", D(2024, 2, 1), D(2025, 6, 20)), UPDATED)
    if again is not None:
        day, reason = again
        number = _number(f"qms/{code}/again-number", suffix)
        if number == first_number:
            number = f"1{number}"
        rows.append(
            ImportRow(
                code, QmsStatus.ANNOUNCED, number, day, AGAIN, reason, _received(f"{code}/2", day)
            )
        )
    return rows


def onboarding_xlsx(rows: list[ImportRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hiện trạng ISO"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row.cells)
    for letter, width in zip("ABCDEFGH", (22, 22, 16, 18, 16, 18, 60, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the scan of a signed decision --------------------------------------------------------------


def signed_scan(announcement: Announcement, number: str, day: datetime.date) -> SimpleUploadedFile:
    """The decision as signed (its number and day filled in), scanned: an image-only PDF."""
    signed = copy.copy(announcement)
    signed.number, signed.date, signed.status = number, day, AnnouncementStatus.SIGNED
    content = scan_pdf(announcement_document(signed))
    name = f"QD-cong-bo-ISO-{number.replace('/', '-')}.pdf"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- counting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QmsCounts:
    """What the province's QMS data holds (as the overseer sees it today)."""

    records: int = 0
    announced: int = 0  # active agencies with a signed announcement
    due: int = 0  # of them, re-announcement due
    received: int = 0  # announcements received by the overseer
    announcements: int = 0
    drafts: int = 0
    committees: int = 0
    flagged: int = 0  # demo committees that need updating
    reminders: int = 0


def qms_counts(overseer: User | None = None) -> QmsCounts:
    overseer = overseer or User.objects.filter(username=data.OVERSEER_USERNAME).first()
    if overseer is None:
        return QmsCounts()
    table = oversight_selectors.registry_table(user=overseer)
    agencies = Agency.objects.filter(code__in=list(DEMO_CODES))
    return QmsCounts(
        records=QualitySystem.objects.count(),
        announced=table.filter(last_kind__isnull=False).count(),
        due=oversight_selectors.registry_table(user=overseer, due="yes").count(),
        received=Announcement.objects.filter(status=AnnouncementStatus.RECEIVED).count(),
        announcements=Announcement.objects.exclude(status=AnnouncementStatus.DRAFT).count(),
        drafts=Announcement.objects.filter(status=AnnouncementStatus.DRAFT).count(),
        committees=CommitteeDecision.objects.count(),
        flagged=sum(
            selectors.committee_state(user=overseer, agency=agency).needs_update
            for agency in agencies
            if CommitteeDecision.objects.filter(agency=agency).exists()
        ),
        reminders=Reminder.objects.count(),
    )


@dataclass
class QmsAdded:
    """What one run wrote."""

    imported: int = 0  # rows of the onboarding import
    committees: int = 0
    announcements: int = 0  # created through the services
    steps: int = 0  # announcements signed, sent or received through the services
    scope: int = 0  # procedures added to a scope
    reminders: int = 0

    @property
    def nothing(self) -> bool:
        return not (
            self.imported
            or self.committees
            or self.announcements
            or self.steps
            or self.scope
            or self.reminders
        )


# --- building -----------------------------------------------------------------------------------


class QmsBuilder:
    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.added = QmsAdded()
        self.overseer = User.objects.filter(username=data.OVERSEER_USERNAME).first()
        self.agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[f"{p}.{plan.team}" for plan in DEMO_QMS for p in PREFIXES]
            )
        }

    def build(self) -> QmsAdded:
        if self.overseer is None:
            return self.added
        events: dict[tuple[datetime.date, int], list[Callable[[], None]]] = defaultdict(list)

        def at(day: datetime.date, hour: int, action: Callable[[], None]) -> None:
            if day <= self.today:
                events[(day, hour)].append(action)

        at(ONBOARDED_ON, 9, self.onboard)
        for plan in DEMO_QMS:
            at(plan.committee_on, 10, lambda p=plan: self.committee(p))
            if plan.announcement:
                number, signed, received = plan.announcement
                at(signed - datetime.timedelta(days=3), 14, lambda p=plan: self.draft(p))
                at(signed, 15, lambda p=plan: self.sign_and_send(p))
                at(received, 9, lambda p=plan: self.receive(p))
        at(SCOPE_ADDED[1], 10, self.add_scope)
        at(REMINDED_ON, 8, self.remind)
        at(DRAFT[1], 14, self.start_draft)
        for day, hour in sorted(events):
            with clock_at(day, hour=hour):
                for action in events[(day, hour)]:
                    action()
        return self.added

    # onboarding

    def onboard(self) -> None:
        handling = set(
            HandledProcedure.objects.filter(is_active=True).values_list("agency_id", flat=True)
        )
        agencies = sorted(self.agencies.values(), key=lambda a: a.path)
        rows = onboarding_rows(agencies, handling)
        recorded = {
            (code.casefold(), day.year, number.casefold())
            for code, day, number in Announcement.objects.filter(imported=True).values_list(
                "agency__code", "date", "number"
            )
        }
        with_record = {
            code.casefold() for code in QualitySystem.objects.values_list("agency__code", flat=True)
        }
        missing = [
            row
            for row in rows
            if (
                (row.agency.casefold(), row.date.year, row.number.casefold()) not in recorded
                if row.number
                else row.agency.casefold() not in with_record
            )
        ]
        if not missing:
            return
        report = import_file(
            actor=self.overseer,
            agency=None,
            kind="announcements",
            filename=ONBOARDING_FILENAME,
            content=onboarding_xlsx(missing),
        )
        if not report.ok:
            problems = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors)
            raise QmsPlanError(f"{ONBOARDING_FILENAME} was refused: {problems}")
        self.added.imported += len(missing)

    # the demo agencies

    def team(self, plan: DemoQms) -> dict[str, User] | None:
        people = {p: self.users.get(f"{p}.{plan.team}") for p in PREFIXES}
        if plan.agency not in self.agencies or people["thuky"] is None:
            return None
        return people

    def committee(self, plan: DemoQms) -> None:
        team = self.team(plan)
        if team is None:
            return
        agency = self.agencies[plan.agency]
        if CommitteeDecision.objects.filter(agency=agency, number=plan.committee_number).exists():
            return
        secretary = team["thuky"]
        # Everyone working in the agency: head as Trưởng ban, secretary as Thư ký, the others
        # (staff, auditors, a civil servant seconded there) as members.
        memberships = (
            Membership.objects.filter(agency=agency, is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        best: dict[int, tuple[int, User]] = {}
        for membership in memberships:
            rank = COMMITTEE_RANKS.get(membership.role, 2)
            held = best.get(membership.user_id)
            if held is None or rank < held[0]:
                best[membership.user_id] = (rank, membership.user)
        ranked = sorted(best.values(), key=lambda item: (item[0], item[1].username))
        members = []
        for rank, user in ranked:
            role = (CommitteeRole.HEAD, CommitteeRole.SECRETARY, CommitteeRole.MEMBER)[rank]
            position = user.position
            if plan.promoted and user.username == plan.promoted[0]:
                position = plan.promoted[1]
            members.append({"user": user, "position": position, "committee_role": role})
        if not members or not any(m["committee_role"] == CommitteeRole.HEAD for m in members):
            return
        services.committee_decision_create(
            actor=secretary,
            agency=agency,
            number=plan.committee_number,
            date=plan.committee_on,
            members=members,
            notes=f"Kiện toàn Ban chỉ đạo ISO của {agency.short_name or agency.name} theo "
            "TCVN ISO 9001:2015.",
        )
        self.added.committees += 1

    def prepare(self, plan: DemoQms, secretary: User, agency: Agency) -> None:
        """The QMS record as the secretary keeps it: version, status, internal activities and
        the quality policy (when documents.py built one)."""
        qms = QualitySystem.objects.filter(agency=agency).first()
        wanted = {"standard_version": "2015", "internal_activities": plan.internal_activities}
        if qms is None or qms.status in (QmsStatus.NOT_STARTED, QmsStatus.BUILDING):
            wanted["status"] = QmsStatus.APPLIED
        if qms is None or not qms.quality_policy_id:
            policy = Document.objects.filter(
                agency=agency, kind=DocumentKind.QUALITY_POLICY
            ).first()
            if policy is not None:
                wanted["quality_policy"] = policy
        if qms is not None:
            wanted = {
                k: v
                for k, v in wanted.items()
                if k == "status" or k == "quality_policy" or getattr(qms, k) != v
            }
            if qms.internal_activities:  # kept as the agency wrote it
                wanted.pop("internal_activities", None)
        if wanted:
            services.qms_update(actor=secretary, agency=agency, data=wanted)

    def announcement(self, plan: DemoQms) -> Announcement | None:
        agency = self.agencies.get(plan.agency)
        if agency is None or plan.announcement is None:
            return None
        return Announcement.objects.filter(agency=agency, number=plan.announcement[0]).first()

    def draft(self, plan: DemoQms) -> None:
        team = self.team(plan)
        if team is None or self.announcement(plan) is not None:
            return
        agency = self.agencies[plan.agency]
        if Announcement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).exists():
            return  # one in preparation in the app: left alone
        self.prepare(plan, team["thuky"], agency)
        head = team["thutruong"] or team["thuky"]
        services.announcement_create(
            actor=team["thuky"],
            agency=agency,
            signer_name=head.full_name,
            signer_title=agency.head_title or head.position,
            reason=plan.reason,
        )
        self.added.announcements += 1

    def sign_and_send(self, plan: DemoQms) -> None:
        team = self.team(plan)
        if team is None or self.announcement(plan) is not None:
            return
        agency = self.agencies[plan.agency]
        draft = Announcement.objects.filter(
            agency=agency, status=AnnouncementStatus.DRAFT, created_by=team["thuky"]
        ).first()
        if draft is None:
            return
        number, day, _received = plan.announcement
        signed = services.announcement_sign(
            actor=team["thuky"],
            announcement=draft,
            number=number,
            date=day,
            signed_scan=signed_scan(draft, number, day),
        )
        services.announcement_send(actor=team["thuky"], announcement=signed)
        self.added.steps += 2

    def receive(self, plan: DemoQms) -> None:
        announcement = self.announcement(plan)
        if announcement is None or announcement.status != AnnouncementStatus.SENT:
            return
        services.announcement_receive(
            actor=self.overseer, announcement=announcement, on=plan.announcement[2]
        )
        self.added.steps += 1

    # 2026

    def add_scope(self) -> None:
        """The Sở Tư pháp takes on the legal-aid procedures of the provincial list that are
        the department's own: its scope changes, a re-announcement is due."""
        code, day = SCOPE_ADDED
        agency = self.agencies.get(code)
        secretary = self.users.get(f"thuky.{next(p.team for p in DEMO_QMS if p.agency == code)}")
        if agency is None or secretary is None:
            return
        if not Announcement.objects.filter(
            agency=agency, status=AnnouncementStatus.RECEIVED, imported=False
        ).exists():
            return
        added = plan_scope_added(agency)
        if not added:
            return
        self.added.scope += procedure_services.handled_assign(
            actor=secretary, agency=agency, procedures=added, since=day
        )

    def remind(self) -> None:
        root = self.agencies.get(data.ROOT_CODE)
        if root is None:
            return
        if Reminder.objects.filter(sent_by=self.overseer, kind=ReminderKind.NOT_ANNOUNCED).exists():
            return
        self.added.reminders += reminders_send(
            actor=self.overseer,
            root=root,
            kind=ReminderKind.NOT_ANNOUNCED,
            message="Sở Khoa học và Công nghệ đề nghị các cơ quan, đơn vị chưa công bố Hệ thống "
            "quản lý chất lượng phù hợp TCVN ISO 9001:2015 khẩn trương hoàn thành việc xây "
            "dựng, áp dụng và công bố, gửi quyết định công bố về Sở trước ngày 30/06/2026.",
        ).count

    def start_draft(self) -> None:
        code, _day = DRAFT
        plan = next(p for p in DEMO_QMS if p.agency == code)
        team = self.team(plan)
        if team is None:
            return
        agency = self.agencies[code]
        if Announcement.objects.filter(agency=agency).exists():
            return
        if not HandledProcedure.objects.filter(agency=agency, is_active=True).exists():
            return
        self.prepare(plan, team["thuky"], agency)
        head = team["thutruong"] or team["thuky"]
        services.announcement_create(
            actor=team["thuky"],
            agency=agency,
            signer_name=head.full_name,
            signer_title=agency.head_title or head.position,
        )
        self.added.announcements += 1


def plan_scope_added(agency: Agency) -> list[AdministrativeProcedure]:
    """The Sở Tư pháp's additions: the active provincial legal-aid procedures (until then
    handled by its Trung tâm only) it never had a row for — even one removed since."""
    had = HandledProcedure.objects.filter(agency=agency).values("procedure_id")
    return list(
        AdministrativeProcedure.objects.filter(
            is_active=True, level=Tier.PROVINCIAL, field=SCOPE_ADDED_FIELD
        )
        .exclude(pk__in=had)
        .order_by("code")
    )


def build_qms(today: datetime.date | None = None) -> QmsAdded:
    """Build (or complete) the QMS records of the demo province; what this run wrote."""
    return QmsBuilder(today).build()


def build(ctx: DemoContext) -> StepReport:
    """Step "qms"."""
    added = build_qms(ctx.today)
    return StepReport(added=format_added(added), totals=format_qms(qms_counts()))


def format_added(added: QmsAdded) -> str:
    if added.nothing:
        return ""
    return _(
        "QMS: imported %(imported)d rows of paper records; %(committees)d steering "
        "committee decisions, %(announcements)d announcements created and %(steps)d "
        "signed, sent or received; %(scope)d procedures added to a scope; %(reminders)d "
        "agencies reminded."
    ) % {
        "imported": added.imported,
        "committees": added.committees,
        "announcements": added.announcements,
        "steps": added.steps,
        "scope": added.scope,
        "reminders": added.reminders,
    }


def format_qms(totals: QmsCounts) -> str:
    """What the province's QMS records now hold, as the overseer's registry shows them."""
    return _(
        "QMS: %(records)d records; %(announced)d agencies announced, %(due)d of them with a "
        "re-announcement due; %(announcements)d announcements, %(received)d received by the "
        "overseer, %(drafts)d in preparation; %(committees)d steering committee decisions "
        "(%(flagged)d committees to update); %(reminders)d reminders sent."
    ) % {
        "records": totals.records,
        "announced": totals.announced,
        "due": totals.due,
        "announcements": totals.announcements,
        "received": totals.received,
        "drafts": totals.drafts,
        "committees": totals.committees,
        "flagged": totals.flagged,
        "reminders": totals.reminders,
    }
