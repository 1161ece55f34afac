"""Import of users from XLSX/CSV: user name, full name, e-mail, agency code, role, department."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.accounts.rules import grantable_roles
from eiso.accounts.services import user_create
from eiso.accounts.usernames import username_errors, username_skeleton
from eiso.core.errors import NotPermitted
from eiso.core.imports import Column, Importer, Row, email, fetch_in, register, text
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations.models import Agency, Department


def _role_words() -> dict[str, str]:
    words = {}
    for role in Role:
        words[role.value] = role.value
        words[str(role.label)] = role.value
    words.update(
        {
            "can bo": Role.STAFF,
            "cong chuc": Role.STAFF,
            "can bo, cong chuc": Role.STAFF,
            "thu ky iso": Role.ISO_SECRETARY,
            "can bo dau moi iso": Role.ISO_SECRETARY,
            "thu truong": Role.HEAD,
            "lanh dao": Role.HEAD,
            "chuyen gia danh gia noi bo": Role.AUDITOR,
            "chuyen gia danh gia": Role.AUDITOR,
            "giam sat": Role.OVERSEER,
            "thanh vien doan kiem tra": Role.INSPECTOR,
            "quan tri he thong": Role.ADMIN,
        }
    )
    return {vn_fold(k): v for k, v in words.items()}


def _role(value: str) -> str:
    from eiso.core.imports import CellError

    role = _role_words().get(vn_fold(value))
    if role is None:
        raise CellError(
            _("Unknown role: %(r)s (accepted: %(roles)s).")
            % {"r": value, "roles": ", ".join(str(r.label) for r in Role)}
        )
    return role


# The user-name check works in batches of this size (one query each).
USERNAME_BATCH = 500


@register
class UserImporter(Importer):
    kind = "users"
    title = gettext_lazy("Import users")
    url_name = "accounts:user_import"
    sample_filename = "mau-nhap-nguoi-dung.xlsx"
    columns = [
        Column(
            "username",
            gettext_lazy("User name"),
            aliases=("ten dang nhap", "tai khoan"),
            required=True,
            help=gettext_lazy("Unaccented letters a–z, digits and . _ - @, e.g. nguyen.van.an."),
        ),
        Column(
            "full_name",
            gettext_lazy("Full name"),
            aliases=("ho va ten", "ho ten"),
            parser=text(200),
            required=True,
        ),
        Column(
            "email",
            gettext_lazy("E-mail"),
            aliases=("thu dien tu",),
            parser=email,
            unique=True,
            help=gettext_lazy("The person receives a link there to set their own password."),
        ),
        Column(
            "agency_code",
            gettext_lazy("Agency code"),
            aliases=("ma don vi", "ma co quan"),
            required=True,
            help=gettext_lazy("The code of an agency you manage."),
        ),
        Column("role", gettext_lazy("Role"), aliases=("vai tro",), parser=_role, required=True),
        Column(
            "department",
            gettext_lazy("Department"),
            aliases=("phong ban", "phong"),
            help=gettext_lazy("The name of a department of that agency."),
        ),
        Column("position", gettext_lazy("Position"), aliases=("chuc vu",), parser=text(200)),
        Column("phone", gettext_lazy("Phone"), aliases=("dien thoai",), parser=text(50)),
    ]
    # Two new people of the demo province's Sở Tư pháp (agency STP).
    sample_rows = [
        {
            "username": "tran.minh.khoa",
            "full_name": "Trần Minh Khoa",
            "email": "tran.minh.khoa@phuan.example",
            "agency_code": "STP",
            "role": "Cán bộ",
            "department": "Văn phòng",
            "position": "Chuyên viên",
            "phone": "0912 345 678",
        },
        {
            "username": "le.thu.ha",
            "full_name": "Lê Thu Hà",
            "email": "le.thu.ha@phuan.example",
            "agency_code": "STP",
            "role": "Chuyên gia đánh giá nội bộ",
            "department": "Thanh tra",
            "position": "Thanh tra viên",
        },
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.MANAGE_USERS).empty:
            raise NotPermitted(_("You cannot import users."))

    def column_help(self) -> dict[str, str]:
        return {"role": ", ".join(str(r.label) for r in Role)}

    def prepare(self, rows: list[Row], *, actor, agency):
        agencies = {
            a.code.lower(): a
            for a in fetch_in(Agency.objects.all(), "code", (r["agency_code"] for r in rows))
        }
        departments = {
            (d.agency_id, vn_fold(d.name)): d
            for d in fetch_in(
                Department.objects.filter(is_active=True), "agency", agencies.values()
            )
        }
        return {
            "scope": user_scope(actor, Action.MANAGE_USERS),
            "agencies": agencies,
            "departments": departments,
            "grantable": {},
            "actor": actor,
        }

    def check_file(self, rows: list[Row], items: list, context) -> None:
        """User names: the safe set, not taken, not a look-alike of an existing name or of an
        earlier row (one query per few hundred rows)."""
        named = [(row, row["username"]) for row in rows if row["username"]]
        first_of: dict[str, tuple[int, str]] = {}
        for start in range(0, len(named), USERNAME_BATCH):
            batch = named[start : start + USERNAME_BATCH]
            checked = username_errors([name for _row, name in batch])
            for (row, _raw), (name, problem) in zip(batch, checked, strict=True):
                skeleton = username_skeleton(name)
                earlier = first_of.get(skeleton)
                if earlier is not None:
                    row.error(
                        "username",
                        _("The user name %(u)s looks like %(other)s, given on row %(row)s.")
                        % {"u": name, "other": earlier[1], "row": earlier[0]},
                    )
                elif problem:
                    row.error("username", problem)
                else:
                    first_of[skeleton] = (row.number, name)

    def check_row(self, row: Row, context) -> dict:
        code = row["agency_code"] or ""
        target = context["agencies"].get(code.lower()) if code else None
        if code and (target is None or not context["scope"].covers(target)):
            row.error("agency_code", _("Unknown agency: %(code)s.") % {"code": code})
            target = None
        elif target is not None and not target.is_active:
            row.error("agency_code", _("The agency %(code)s is inactive.") % {"code": code})
        role = row["role"]
        if role is not None and target is not None:
            grantable = context["grantable"].get(target.pk)
            if grantable is None:
                grantable = context["grantable"][target.pk] = grantable_roles(
                    context["actor"], target
                )
            if role not in grantable:
                row.error(
                    "role",
                    _("You cannot grant the role %(r)s.") % {"r": Role(role).label},
                )
        department = None
        if row["department"] and target is not None:
            department = context["departments"].get((target.pk, vn_fold(row["department"])))
            if department is None:
                row.error(
                    "department",
                    _("%(agency)s has no department named %(d)s.")
                    % {"agency": target, "d": row["department"]},
                )
        return {
            "username": row.get("username", ""),
            "full_name": row.get("full_name", ""),
            "email": row.get("email", ""),
            "agency": target,
            "role": role,
            "department": department,
            "position": row.get("position", ""),
            "phone": row.get("phone", ""),
        }

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        for done, item in enumerate(cleaned, start=1):
            user_create(actor=actor, **item)
            if progress is not None and done % 100 == 0:
                progress(done)
        return len(cleaned)
