"""Import of users from XLSX/CSV: user name, full name, e-mail, agency code, role, department."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.accounts.models import User
from eiso.accounts.services import user_create
from eiso.core.errors import NotPermitted
from eiso.core.imports import ImportColumn, Importer, ImportReport, RowError, register
from eiso.core.roles import ROLES_A_SECRETARY_MAY_GRANT, Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations.models import Agency, Department


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for role in Role:
        lookup[vn_fold(role.value)] = role.value
        lookup[vn_fold(str(role.label))] = role.value
    lookup.update(
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
    return lookup


@register
class UserImporter(Importer):
    kind = "users"
    title = gettext_lazy("Import users")
    columns = [
        ImportColumn(
            "username",
            gettext_lazy("User name"),
            required=True,
            aliases=("ten dang nhap", "tai khoan"),
        ),
        ImportColumn(
            "full_name", gettext_lazy("Full name"), required=True, aliases=("ho va ten", "ho ten")
        ),
        ImportColumn("email", gettext_lazy("E-mail"), aliases=("thu dien tu",)),
        ImportColumn(
            "agency_code",
            gettext_lazy("Agency code"),
            required=True,
            aliases=("ma don vi", "ma co quan"),
        ),
        ImportColumn("role", gettext_lazy("Role"), required=True, aliases=("vai tro",)),
        ImportColumn("department", gettext_lazy("Department"), aliases=("phong ban", "phong")),
        ImportColumn("position", gettext_lazy("Position"), aliases=("chuc vu",)),
        ImportColumn("phone", gettext_lazy("Phone"), aliases=("dien thoai",)),
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.MANAGE_USERS).empty:
            raise NotPermitted(_("You cannot import users."))

    def column_help(self) -> dict[str, str]:
        return {
            "role": ", ".join(f"{r.value} ({r.label})" for r in Role),
            "agency_code": _("The code of an agency you manage."),
            "department": _("The name of a department of that agency."),
        }

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        scope = user_scope(actor, Action.MANAGE_USERS)
        roles = _role_lookup()
        usernames = [r.get("username", "").strip() for r in report.rows]
        taken = {
            u.lower()
            for u in User.objects.filter(username__in=[u for u in usernames if u]).values_list(
                "username", flat=True
            )
        }
        codes = {r.get("agency_code", "").strip() for r in report.rows} - {""}
        agencies = {a.code.lower(): a for a in Agency.objects.filter(code__in=list(codes))}
        departments = {
            (d.agency_id, vn_fold(d.name)): d
            for d in Department.objects.filter(agency__in=agencies.values(), is_active=True)
        }
        seen: dict[str, int] = {}
        for row in report.rows:
            n = row["_row"]
            errors: list[RowError] = []
            username = row.get("username", "").strip()
            if not username:
                errors.append(RowError(n, "username", _("The user name is empty.")))
            elif username.lower() in seen:
                errors.append(
                    RowError(
                        n,
                        "username",
                        _("Duplicate user name %(u)s (also on row %(row)s).")
                        % {"u": username, "row": seen[username.lower()]},
                    )
                )
            elif username.lower() in taken:
                errors.append(
                    RowError(
                        n, "username", _("The user name %(u)s is already taken.") % {"u": username}
                    )
                )
            if username:
                seen.setdefault(username.lower(), n)
            if not row.get("full_name", "").strip():
                errors.append(RowError(n, "full_name", _("The full name is empty.")))
            email = row.get("email", "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(RowError(n, "email", _("Invalid e-mail: %(e)s.") % {"e": email}))
            code = row.get("agency_code", "").strip()
            target = agencies.get(code.lower())
            if target is None or not scope.covers(target):
                errors.append(
                    RowError(
                        n, "agency_code", _("Unknown agency: %(code)s.") % {"code": code or "—"}
                    )
                )
                target = None
            elif not target.is_active:
                errors.append(
                    RowError(
                        n, "agency_code", _("The agency %(code)s is inactive.") % {"code": code}
                    )
                )
            role = roles.get(vn_fold(row.get("role", "")))
            if role is None:
                errors.append(
                    RowError(
                        n, "role", _("Unknown role: %(r)s.") % {"r": row.get("role", "") or "—"}
                    )
                )
            elif not scope.everything and role not in ROLES_A_SECRETARY_MAY_GRANT:
                errors.append(
                    RowError(
                        n, "role", _("You cannot grant the role %(r)s.") % {"r": Role(role).label}
                    )
                )
            department = None
            if row.get("department") and target is not None:
                department = departments.get((target.pk, vn_fold(row["department"])))
                if department is None:
                    errors.append(
                        RowError(
                            n,
                            "department",
                            _("%(agency)s has no department named %(d)s.")
                            % {"agency": target, "d": row["department"]},
                        )
                    )
            report.errors.extend(errors)
            report.cleaned.append(
                {
                    "username": username,
                    "full_name": row.get("full_name", "").strip(),
                    "email": email,
                    "agency": target,
                    "role": role,
                    "department": department,
                    "position": row.get("position", "").strip(),
                    "phone": row.get("phone", "").strip(),
                }
            )

    def apply(self, cleaned: list, *, actor, agency) -> int:
        for item in cleaned:
            user_create(actor=actor, **item)
        return len(cleaned)
