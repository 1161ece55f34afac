"""The first two steps of the demo (see steps.py): the province of ``data.py`` (agencies,
departments, the districts closed in 2025) and its people (the personas of ``data.DEMO_USERS``
and, in every agency that has started its QMS, the two people who keep it: an ISO secretary and
the head), built through the services so their audit trail is the one a real province would
have.

Idempotent: what already exists (an agency by code, a department by name within its agency, a
user by user name, a persona's role by user, agency and role) is left alone, so a second run
creates nothing and takes a few queries. A keeper whose account exists is never given their
role again: a role ended in the app stays ended (that agency's keepers then do nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from eiso.accounts.models import Membership, User
from eiso.accounts.services import USER_FIELDS, membership_grant, user_create
from eiso.core.audit import audit_record, snapshot
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import search_text_of, vn_fold
from eiso.demo import data
from eiso.demo.context import (
    DemoContext,
    DemoDataError,
    Keepers,
    StepReport,
    clock_at,
    working_day_between,
)
from eiso.demo.context import digest as _digest
from eiso.demo.data import AgencySpec, DistrictSpec
from eiso.demo.qms import qms_started
from eiso.organizations.choices import DepartmentKind, Tier
from eiso.organizations.models import Agency, AgencyKind, Department
from eiso.organizations.services import agency_create, agency_deactivate, department_create

# --- deterministic generation -----------------------------------------------------------------


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


# --- the keepers of every agency's QMS -----------------------------------------------------------

KEEPER_PREFIXES = ("thuky", "thutruong")  # as the personas' teams: thuky.stp, thutruong.stp
# The office that keeps an agency's QMS, by the first of these its departments has.
OFFICES = (
    "Văn phòng",
    "Văn phòng HĐND và UBND",
    "Phòng Hành chính - Tổng hợp",
    "Phòng Hành chính - Tổ chức",
    "Phòng Hành chính - Tổ chức - Quản trị",
    "Phòng Tham mưu",
    "Bộ phận Thư ký - Tổng hợp",
)


def keeper_slug(agency: Agency) -> str:
    """``XA-BINH-LOC`` → ``binhloc``, ``VP-UBND`` → ``vpubnd``: the part after the dot of
    ``thuky.binhloc``."""
    code = agency.code.upper()
    for prefix in ("PHUONG-", "XA-"):
        if code.startswith(prefix):
            code = code[len(prefix) :]
    return code.replace("-", "").lower()


def office_of(departments: Sequence[Department]) -> Department | None:
    by_name = {d.name: d for d in departments}
    for name in OFFICES:
        if name in by_name:
            return by_name[name]
    return min(departments, key=lambda d: d.name) if departments else None


def head_position(agency: Agency) -> str:
    """``Giám đốc`` + ``Sở Nội vụ`` → ``Giám đốc Sở Nội vụ``; ``Chánh Thanh tra`` + ``Thanh tra
    tỉnh`` → ``Chánh Thanh tra tỉnh`` (the words they share are said once)."""
    title = (agency.head_title or "Thủ trưởng").split()
    name = (agency.short_name or agency.name).split()
    for overlap in range(min(len(title), len(name)), 0, -1):
        if [w.casefold() for w in title[-overlap:]] == [w.casefold() for w in name[:overlap]]:
            return " ".join([*title[:-overlap], *name])
    return " ".join([*title, *name])


def keepers_appointed_on(agency: Agency):
    """The day the keepers took their roles: when the agency was set up, or in 2018 for the
    agencies older than the province's first ISO campaign."""
    if agency.active_from:
        return agency.active_from
    return working_day_between(f"keepers/{agency.code}", data.KEEPERS_FROM, data.KEEPERS_TO)


# --- building ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one run created."""

    agencies: int = 0
    departments: int = 0
    deactivated: int = 0
    users: int = 0
    roles: int = 0


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
        self.demo_agencies: dict[str, Agency] = {}  # the agencies of data.py only
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
        self.demo_agencies[agency.code.upper()] = agency
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

    def departments_of(self, agency: Agency) -> list[Department]:
        return [d for (agency_id, _name), d in self.departments.items() if agency_id == agency.pk]

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
        self.demo_agencies[closed.code.upper()] = closed
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

    def build_users(self) -> dict[str, User]:
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
                users[user.username.lower()] = user
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
        return users

    def role_department(self, agency: Agency, name: str | None) -> Department | None:
        return self.department(agency, name) if name else None

    def build_keepers(self, agencies: Sequence[Agency]) -> dict[str, User]:
        """An ISO secretary and a head for each of ``agencies`` that has no account of theirs
        yet, appointed on the day the agency started its QMS work (their audit trail and roles
        are dated then)."""
        wanted = {
            f"{prefix}.{keeper_slug(agency)}": (prefix, agency)
            for agency in agencies
            for prefix in KEEPER_PREFIXES
        }
        if len(wanted) != 2 * len(agencies):
            raise DemoDataError("Two demo agencies give the same keeper user name")
        users = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
        for username, (prefix, agency) in wanted.items():
            if username in users:
                continue
            office = office_of(self.departments_of(agency))
            commune = agency.tier == Tier.COMMUNE
            if prefix == "thuky":
                full_name = person_name(f"secretary/{agency.code}")
                civil_servant = "Công chức" if commune else "Chuyên viên"
                position = f"{civil_servant} {office.name}" if office else civil_servant
                role, department, title = Role.ISO_SECRETARY, office, "Thư ký ISO"
            else:
                full_name = agency.head_name or person_name(f"head/{agency.code}")
                position = head_position(agency)
                role, department, title = Role.HEAD, None, agency.head_title or "Thủ trưởng"
            with clock_at(keepers_appointed_on(agency), hour=8):
                users[username] = user_create(
                    actor=self.actor,
                    username=username,
                    full_name=full_name,
                    agency=agency,
                    role=role,
                    email=email(username),
                    password=data.DEMO_PASSWORD,
                    position=position,
                    phone=mobile(username),
                    department=department,
                    title=title,
                )
            self.tally.users += 1
            self.tally.roles += 1
        return users


def current_keepers(agencies: Sequence[Agency]) -> dict[str, Keepers]:
    """Who keeps each agency's QMS now: an active ISO secretary and an active head, two
    different people (the demo's own accounts first)."""
    memberships = (
        Membership.objects.filter(
            agency__in=list(agencies),
            is_active=True,
            role__in=(Role.ISO_SECRETARY, Role.HEAD),
            user__is_active=True,
        )
        .select_related("user", "agency")
        .order_by("started_on", "pk")
    )
    found: dict[str, dict[str, list[User]]] = {}
    for membership in memberships:
        roles = found.setdefault(membership.agency.code.upper(), {})
        roles.setdefault(membership.role, []).append(membership.user)
    keepers = {}
    for code, roles in found.items():
        secretaries, heads = roles.get(Role.ISO_SECRETARY, []), roles.get(Role.HEAD, [])
        pairs = [(s, h) for s in secretaries for h in heads if s.pk != h.pk]
        if pairs:
            keepers[code] = Keepers(secretary=pairs[0][0], head=pairs[0][1])
    return keepers


# --- the steps ----------------------------------------------------------------------------------


def build_province(ctx: DemoContext) -> StepReport:
    """Step "province": the administrator, the agencies and their departments."""
    actor, admin_created = ensure_admin()
    builder = ProvinceBuilder(actor)
    ctx.admin = actor
    ctx.province = builder.build_province()
    ctx.agencies = builder.demo_agencies
    ctx.users[actor.username] = actor
    tally = builder.tally
    added = ""
    if admin_created or tally.agencies or tally.departments or tally.deactivated:
        added = _(
            "Demo province %(province)s: created %(agencies)d agencies and %(departments)d "
            "departments; closed %(deactivated)d district agencies."
        ) % {
            "province": data.PROVINCE,
            "agencies": tally.agencies,
            "departments": tally.departments,
            "deactivated": tally.deactivated,
        }
    return StepReport(added=added)


def keeper_agencies(ctx: DemoContext) -> list[Agency]:
    """The agencies whose QMS two generated keepers run: every active agency that has started
    its QMS (as the province's records say: qms.planned_status), but for the personas' own."""
    teams = {code.upper() for code in data.TEAM_AGENCIES}
    return [
        agency
        for agency in ctx.active_agencies()
        if agency.code.upper() not in teams and qms_started(agency)
    ]


def build_people(ctx: DemoContext) -> StepReport:
    """Step "people": the personas, then the keepers of every agency that has started its QMS;
    fills ``ctx.users`` and ``ctx.keepers``."""
    builder = ProvinceBuilder(ctx.admin)
    agencies = keeper_agencies(ctx)
    ctx.users.update(builder.build_users())
    ctx.users.update(builder.build_keepers(agencies))
    ctx.keepers = current_keepers(ctx.active_agencies())
    tally = builder.tally
    added = ""
    if tally.users or tally.roles or tally.departments:
        added = _("People: created %(users)d users and %(roles)d roles.") % {
            "users": tally.users,
            "roles": tally.roles,
        }
    totals = _(
        "People: %(users)d users; %(keepers)d agencies have an ISO secretary and a head "
        "(user names thuky.<agency> and thutruong.<agency>, e.g. %(example)s)."
    ) % {
        "users": User.objects.count(),
        "keepers": len(ctx.keepers),
        "example": f"thuky.{keeper_slug(agencies[0])}" if agencies else "thuky.stp",
    }
    return StepReport(added=added, totals=totals)


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    agency: str


def demo_logins() -> list[DemoLogin]:
    """One line per persona's role: who signs in with what, as what, where."""
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
