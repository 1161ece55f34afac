"""Builds the demo province of ``data.py`` through the services, so its audit trail is the one a
real province would have. Idempotent: what already exists (an agency by code, a department by
name within its agency, a user by user name, a role by user, agency and role) is left alone, so a
second run creates nothing and takes a few queries. The document control of the demo agencies is
built next, from documents.py, and the administrative procedures last, from procedures.py."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership, User
from eiso.accounts.services import USER_FIELDS, membership_grant, user_create
from eiso.core.audit import audit_record, snapshot
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import search_text_of, vn_fold
from eiso.demo import data
from eiso.demo.data import AgencySpec, DistrictSpec
from eiso.demo.documents import DocumentCounts, DocumentPlanError, build_documents, document_counts
from eiso.demo.procedures import (
    ProcedureAdded,
    ProcedureCounts,
    ProcedurePlanError,
    build_procedures,
    procedure_counts,
)
from eiso.demo.qms import QmsAdded, QmsCounts, QmsPlanError, build_qms, qms_counts
from eiso.organizations.choices import DepartmentKind
from eiso.organizations.models import Agency, AgencyKind, Department
from eiso.organizations.services import agency_create, agency_deactivate, department_create


class DemoDataError(Exception):
    """The database cannot take the demo (e.g. a missing agency kind)."""


# --- deterministic generation -----------------------------------------------------------------


def _digest(key: str) -> int:
    """A stable number for ``key`` (unlike ``hash()``, the same in every process)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def pick(key: str, options: Sequence[str]) -> str:
    return options[_digest(key) % len(options)]


def person_name(key: str) -> str:
    """A plausible Vietnamese full name, always the same for the same key."""
    female = _digest(key) % 2 == 1
    middles = data.MIDDLE_NAMES_FEMALE if female else data.MIDDLE_NAMES_MALE
    givens = data.GIVEN_NAMES_FEMALE if female else data.GIVEN_NAMES_MALE
    return " ".join(
        (
            pick(f"{key}/surname", data.SURNAMES),
            pick(f"{key}/middle", middles),
            pick(f"{key}/given", givens),
        )
    )


def code_slug(text: str) -> str:
    """``"An Phú"`` → ``"AN-PHU"``."""
    return "-".join(vn_fold(text).upper().split())


def initials(name: str) -> str:
    """``"Phòng Kế hoạch - Tài chính"`` → ``"PKHTC"``."""
    words = (word.strip(",.-–") for word in vn_fold(name).split())
    return "".join(word[0] for word in words if word and word != "va").upper()


def department_kind(name: str) -> str:
    if name.startswith("Ban "):
        return DepartmentKind.BOARD
    if name.startswith(("Bộ phận", "Trung tâm", "Khoa ")):
        return DepartmentKind.UNIT
    return DepartmentKind.OFFICE


def phone(key: str) -> str:
    number = 3_800_000 + _digest(f"{key}/phone") % 200_000
    return f"{data.AREA_CODE} {number // 1000:04d} {number % 1000:03d}"


def mobile(key: str) -> str:
    number = _digest(f"{key}/mobile") % 10_000_000
    return f"091{number // 1_000_000} {number // 1000 % 1000:03d} {number % 1000:03d}"


def street_address(key: str, locality: str) -> str:
    number = 1 + _digest(f"{key}/number") % 250
    street = pick(f"{key}/street", data.STREETS)
    return f"Số {number} đường {street}, {locality}, tỉnh {data.PROVINCE}"


def email(local_part: str) -> str:
    return f"{local_part.lower()}@{data.EMAIL_DOMAIN}"


def place_names() -> tuple[list[str], list[str]]:
    """The names of the wards and of the communes: the featured ones first, then generated ones
    in a fixed pseudo-random order (sorted by a digest of the name)."""
    featured = [*data.FEATURED_WARDS, *data.FEATURED_COMMUNES]
    taken = {vn_fold(name) for name in [*featured, *data.PLACE_EXCLUDED]}
    candidates = []
    for first in data.PLACE_FIRST:
        for second in data.PLACE_SECOND:
            name = f"{first} {second}"
            if first != second and vn_fold(name) not in taken:
                taken.add(vn_fold(name))
                candidates.append(name)
    candidates.sort(key=lambda name: _digest(f"place/{name}"))
    ward_extra = data.WARD_COUNT - len(data.FEATURED_WARDS)
    commune_extra = data.COMMUNE_COUNT - len(data.FEATURED_COMMUNES)
    wards = [*data.FEATURED_WARDS, *candidates[:ward_extra]]
    communes = [*data.FEATURED_COMMUNES, *candidates[ward_extra : ward_extra + commune_extra]]
    return wards, communes


def commune_specs() -> list[tuple[AgencySpec, str]]:
    """Every ward and commune as (spec, address)."""
    wards, communes = place_names()
    specs = []
    for unit, names, departments in (
        ("phường", wards, data.WARD_DEPARTMENTS),
        ("xã", communes, data.COMMUNE_DEPARTMENTS),
    ):
        prefix = "PHUONG" if unit == "phường" else "XA"
        for name in names:
            code = f"{prefix}-{code_slug(name)}"
            locality = f"{unit} {name}"
            if unit == "phường":
                address = street_address(code, locality)
            else:
                address = f"Thôn {1 + _digest(code) % 9}, {locality}, tỉnh {data.PROVINCE}"
            spec = AgencySpec(
                code=code,
                name=f"Ủy ban nhân dân {locality}",
                short_name=f"UBND {locality}",
                kind=data.UBND_XA,
                head_title="Chủ tịch",
                departments=departments,
                active_from=data.COMMUNES_ACTIVE_FROM,
            )
            specs.append((spec, address))
    return specs


# --- building ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one run created."""

    agencies: int = 0
    departments: int = 0
    deactivated: int = 0
    users: int = 0
    roles: int = 0
    documents: DocumentCounts = field(default_factory=DocumentCounts)
    procedures: ProcedureAdded = field(default_factory=ProcedureAdded)
    qms: QmsAdded = field(default_factory=QmsAdded)

    @property
    def nothing(self) -> bool:
        added = self.documents
        return (
            self.procedures.nothing
            and self.qms.nothing
            and not (
                self.agencies
                or self.departments
                or self.deactivated
                or self.users
                or self.roles
                or added.documents
                or added.revisions
                or added.decisions
                or added.externals
            )
        )


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    agency: str


@dataclass
class DemoResult:
    tally: Tally
    logins: list[DemoLogin] = field(default_factory=list)
    totals: DocumentCounts = field(default_factory=DocumentCounts)
    procedures: ProcedureCounts = field(default_factory=ProcedureCounts)
    qms: QmsCounts = field(default_factory=QmsCounts)


def ensure_admin() -> tuple[User, bool]:
    """The superuser ``admin`` who acts for every service call of the build."""
    user = User.objects.filter(username__iexact=data.ADMIN_USERNAME).first()
    if user is not None:
        if not user_scope(user, Action.MANAGE_AGENCIES).everything:
            raise DemoDataError(
                _("The user %(username)s exists but is not a system administrator.")
                % {"username": user.username}
            )
        return user, False
    user = User.objects.create_superuser(
        username=data.ADMIN_USERNAME,
        email=email(data.ADMIN_USERNAME),
        password=data.DEMO_PASSWORD,
        full_name=data.ADMIN_FULL_NAME,
        position=data.ADMIN_POSITION,
        search_text=search_text_of(data.ADMIN_USERNAME, data.ADMIN_FULL_NAME),
    )
    audit_record(actor=None, action="user.create", obj=user, changes=snapshot(user, USER_FIELDS))
    return user, True


class ProvinceBuilder:
    """Creates what is missing of the province, through the services, as ``actor``."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.tally = Tally()
        self.kinds = {kind.code: kind for kind in AgencyKind.objects.all()}
        self.agencies = {agency.code.upper(): agency for agency in Agency.objects.all()}
        self.departments = {
            (department.agency_id, department.name.lower()): department
            for department in Department.objects.all()
        }
        # The head of an agency where a demo user is head is that user.
        self.head_names = {
            role.agency: user.full_name
            for user in data.DEMO_USERS
            for role in user.roles
            if role.role == Role.HEAD
        }

    # agencies and departments

    def kind(self, code: str) -> AgencyKind:
        try:
            return self.kinds[code]
        except KeyError:
            raise DemoDataError(
                _("The agency kind %(code)s is missing; run the migrations first.") % {"code": code}
            ) from None

    def agency(self, spec: AgencySpec, parent: Agency | None, *, address: str) -> Agency | None:
        """The agency of ``spec``, created if missing (``None`` when it is missing and can no
        longer be placed, e.g. an office under a district already closed)."""
        agency = self.agencies.get(spec.code.upper())
        if agency is None:
            if parent is not None and not parent.is_active:
                return None
            agency = agency_create(
                actor=self.actor,
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                kind=self.kind(spec.kind),
                parent=parent,
                address=address,
                head_name=self.head_names.get(spec.code) or person_name(f"head/{spec.code}"),
                head_title=spec.head_title,
                phone=phone(spec.code),
                email=email(spec.code),
                active_from=spec.active_from,
            )
            self.agencies[spec.code.upper()] = agency
            self.tally.agencies += 1
        for name in spec.departments:
            self.department(agency, name)
        return agency

    def department(self, agency: Agency, name: str) -> Department:
        key = (agency.pk, name.lower())
        department = self.departments.get(key)
        if department is None:
            department = department_create(
                actor=self.actor,
                agency=agency,
                name=name,
                code=initials(name),
                kind=department_kind(name),
            )
            self.departments[key] = department
            self.tally.departments += 1
        return department

    def close(self, agency: Agency | None) -> None:
        if agency is None or not agency.is_active:
            return
        closed = agency_deactivate(
            actor=self.actor,
            agency=agency,
            on=data.DISTRICTS_ABOLISHED_ON,
            reason="Kết thúc hoạt động của chính quyền địa phương cấp huyện từ ngày 01/07/2025 "
            "(tổ chức chính quyền địa phương hai cấp).",
        )
        self.agencies[closed.code.upper()] = closed
        self.tally.deactivated += 1

    def build_province(self) -> Agency:
        root = self.agency(data.ROOT, None, address=data.ROOT_ADDRESS)
        for spec in data.DEPARTMENTS:
            self.provincial(spec, root)
        for district in data.DISTRICTS:
            self.district(district, root)
        for spec, address in commune_specs():
            self.agency(spec, root, address=address)
        return root

    def provincial(self, spec: AgencySpec, parent: Agency | None) -> None:
        ward = pick(f"{spec.code}/ward", data.FEATURED_WARDS)
        agency = self.agency(spec, parent, address=street_address(spec.code, f"phường {ward}"))
        for child in spec.children:
            self.provincial(child, agency)

    def district(self, district: DistrictSpec, root: Agency) -> None:
        """A district and its offices as they were, then closed on 30/06/2025 (offices first:
        an agency with active sub-agencies cannot be closed)."""
        spec = AgencySpec(
            code=district.code,
            name=f"Ủy ban nhân dân {district.name}",
            short_name=f"UBND {district.name}",
            kind=data.UBND_HUYEN,
            head_title="Chủ tịch",
            departments=data.DISTRICT_DEPARTMENTS,
        )
        agency = self.agency(spec, root, address=street_address(district.code, district.name))
        offices = [
            self.agency(
                AgencySpec(
                    code=f"{district.code}-{initials(office)}",
                    name=f"{office} {district.name}",
                    short_name=office,
                    kind=data.PHONG_HUYEN,
                    head_title="Trưởng phòng",
                    departments=(),
                ),
                agency,
                address=street_address(f"{district.code}/{office}", district.name),
            )
            for office in district.offices
        ]
        for office in offices:
            self.close(office)
        self.close(agency)

    # people

    def build_users(self) -> None:
        usernames = [user.username for user in data.DEMO_USERS]
        users = {
            user.username.lower(): user for user in User.objects.filter(username__in=usernames)
        }
        held = set(
            Membership.objects.filter(user__in=list(users.values()), is_active=True).values_list(
                "user_id", "agency_id", "role"
            )
        )
        for spec in data.DEMO_USERS:
            user = users.get(spec.username.lower())
            if user is None:
                first = spec.roles[0]
                agency = self.agencies[first.agency.upper()]
                user = user_create(
                    actor=self.actor,
                    username=spec.username,
                    full_name=spec.full_name,
                    agency=agency,
                    role=first.role,
                    email=email(spec.username),
                    password=data.DEMO_PASSWORD,
                    position=spec.position,
                    phone=mobile(spec.username),
                    department=self.role_department(agency, first.department),
                    title=first.title,
                )
                held.add((user.pk, agency.pk, first.role))
                self.tally.users += 1
                self.tally.roles += 1
            for role in spec.roles:
                agency = self.agencies[role.agency.upper()]
                if (user.pk, agency.pk, role.role) in held:
                    continue
                membership_grant(
                    actor=self.actor,
                    user=user,
                    agency=agency,
                    role=role.role,
                    department=self.role_department(agency, role.department),
                    title=role.title,
                )
                held.add((user.pk, agency.pk, role.role))
                self.tally.roles += 1

    def role_department(self, agency: Agency, name: str | None) -> Department | None:
        return self.department(agency, name) if name else None


def demo_logins() -> list[DemoLogin]:
    """One line per demo role: who signs in with what, as what, where."""
    codes = {role.agency for user in data.DEMO_USERS for role in user.roles}
    agencies = {agency.code.upper(): agency for agency in Agency.objects.filter(code__in=codes)}
    return [
        DemoLogin(
            username=user.username,
            password=data.DEMO_PASSWORD,
            role=str(Role(role.role).label),
            agency=str(agencies.get(role.agency.upper(), role.agency)),
        )
        for user in data.DEMO_USERS
        for role in user.roles
    ]


# The notifications of the demo's history stay in the app: none is mailed (with the console
# backend of the dev mode, hundreds of them would be printed).
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def build_demo() -> DemoResult:
    """Build (or complete) the demo province in one transaction: agencies, people, the document
    control of the agencies that have an ISO secretary and a head, then the administrative
    procedures (the catalogue, who handles what, the ISO procedures' links and step tables), last
    the QMS records (onboarding import, committees, announcements, reminders; qms.py)."""
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
        actor, admin_created = ensure_admin()
        builder = ProvinceBuilder(actor)
        builder.tally.users += int(admin_created)
        builder.build_province()
        builder.build_users()
        try:
            builder.tally.documents = build_documents()
            builder.tally.procedures = build_procedures(actor)
            builder.tally.qms = build_qms()
        except (DocumentPlanError, ProcedurePlanError, QmsPlanError) as exc:
            raise DemoDataError(str(exc)) from exc
        procedures = procedure_counts(actor)
        qms = qms_counts()
    return DemoResult(
        tally=builder.tally,
        logins=demo_logins(),
        totals=document_counts(),
        procedures=procedures,
        qms=qms,
    )


# --- output -----------------------------------------------------------------------------------


def format_summary(tally: Tally) -> str:
    if tally.nothing:
        return _("The demo province %(province)s is complete: nothing to add.") % {
            "province": data.PROVINCE
        }
    added = tally.documents
    summary = _(
        "Demo province %(province)s: created %(agencies)d agencies, %(departments)d departments, "
        "%(users)d users and %(roles)d roles; closed %(deactivated)d district agencies; added "
        "%(documents)d documents, %(revisions)d revisions, %(decisions)d issuing decisions and "
        "%(externals)d legal texts and external documents."
    ) % {
        "province": data.PROVINCE,
        "agencies": tally.agencies,
        "departments": tally.departments,
        "users": tally.users,
        "roles": tally.roles,
        "deactivated": tally.deactivated,
        "documents": added.documents,
        "revisions": added.revisions,
        "decisions": added.decisions,
        "externals": added.externals,
    }
    procedures = tally.procedures
    parts = [summary]
    if not procedures.nothing:
        parts.append(
            _(
                "Administrative procedures: added %(catalogue)d to the catalogue and amended "
                "%(amended)d; %(handled)d handled procedures, %(links)d links from ISO procedures "
                "and %(steps)d step tables written."
            )
            % {
                "catalogue": procedures.catalogue,
                "amended": procedures.amended,
                "handled": procedures.handled,
                "links": procedures.links,
                "steps": procedures.step_tables,
            }
        )
    qms = tally.qms
    if not qms.nothing:
        parts.append(
            _(
                "QMS: imported %(imported)d rows of paper records; %(committees)d steering "
                "committee decisions, %(announcements)d announcements created and %(steps)d "
                "signed, sent or received; %(scope)d procedures added to a scope; %(reminders)d "
                "agencies reminded."
            )
            % {
                "imported": qms.imported,
                "committees": qms.committees,
                "announcements": qms.announcements,
                "steps": qms.steps,
                "scope": qms.scope,
                "reminders": qms.reminders,
            }
        )
    return " ".join(parts)


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


def format_procedures(totals: ProcedureCounts) -> str:
    """What the province's administrative procedures now hold."""
    return _(
        "Administrative procedures: %(catalogue)d in the catalogue (%(abolished)d abolished); "
        "%(handled)d handled by %(agencies)d agencies, %(covered)d covered by an issued ISO "
        "procedure, %(gaps)d gaps; %(steps)d step tables, %(mismatches)d of them differing from "
        "the statutory time limit."
    ) % {
        "catalogue": totals.catalogue,
        "abolished": totals.abolished,
        "handled": totals.handled,
        "agencies": totals.agencies,
        "covered": totals.covered,
        "gaps": totals.gaps,
        "steps": totals.step_tables,
        "mismatches": totals.mismatches,
    }


def format_totals(totals: DocumentCounts) -> str:
    """What the document control of the province now holds."""
    return _(
        "Document control: %(documents)d documents, %(revisions)d revisions, %(decisions)d "
        "signed issuing decisions, %(externals)d legal texts and external documents; revision "
        "tasks: %(open)d open, %(overdue)d of them overdue."
    ) % {
        "documents": totals.documents,
        "revisions": totals.revisions,
        "decisions": totals.decisions,
        "externals": totals.externals,
        "open": totals.open_tasks,
        "overdue": totals.overdue_tasks,
    }


def format_logins(logins: Sequence[DemoLogin]) -> str:
    """The demo logins as a plain-text table."""
    headings = (_("User name"), _("Password"), _("Role"), _("Agency"))
    rows = [(login.username, login.password, login.role, login.agency) for login in logins]
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=False)
    ]

    def line(cells) -> str:
        return "  ".join(
            str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join(
        [
            _("Demo logins:"),
            line(headings),
            line("-" * width for width in widths),
            *(line(row) for row in rows),
        ]
    )
