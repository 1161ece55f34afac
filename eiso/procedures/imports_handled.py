"""Import of the procedures each agency handles: one row per (agency code, procedure code),
with an optional "since" date. Every bad row is reported; all rows or none, written through
``services.handled_assign`` one agency at a time."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import (
    ImportColumn,
    Importer,
    ImportReport,
    RowError,
    parse_date,
    register,
)
from eiso.core.roles import Action, Role
from eiso.core.scoping import cached_memberships, user_scope
from eiso.organizations.models import Agency
from eiso.procedures import rules
from eiso.procedures.models import AdministrativeProcedure

SCOPE_ROLES = {Role.ISO_SECRETARY, Role.HEAD}


def may_manage_some_scope(user) -> bool:
    """The ISO secretary or head of an agency, or an administrator."""
    if not user_scope(user, Action.MANAGE_STRUCTURE).empty:
        return True
    return any(m.role in SCOPE_ROLES for m in cached_memberships(user))


@register
class HandledProcedureImporter(Importer):
    kind = "handled_procedures"
    title = gettext_lazy("Import handled procedures")
    columns = [
        ImportColumn(
            "agency_code",
            gettext_lazy("Agency code"),
            required=True,
            aliases=("ma don vi", "ma co quan"),
        ),
        ImportColumn(
            "procedure_code",
            gettext_lazy("Procedure code"),
            required=True,
            aliases=("ma thu tuc", "ma tthc"),
        ),
        ImportColumn("since", gettext_lazy("Since"), aliases=("tu ngay", "ngay bat dau")),
    ]

    def check_permission(self, *, actor, agency) -> None:
        if not may_manage_some_scope(actor):
            raise NotPermitted(
                _(
                    "Only an agency's ISO secretary or head, or its overseers, import its procedures."
                )
            )

    def column_help(self) -> dict[str, str]:
        return {
            "agency_code": _("The code of an agency whose procedures you manage."),
            "procedure_code": _("A code of the province's catalogue, e.g. 2.000635."),
            "since": _("Optional, dd/mm/yyyy."),
        }

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        agency_codes = {row.get("agency_code", "").strip() for row in report.rows} - {""}
        procedure_codes = {row.get("procedure_code", "").strip() for row in report.rows} - {""}
        agencies = {
            a.code: a
            for a in Agency.objects.filter(code__in=agency_codes, is_active=True)
            if rules.can_manage_scope(actor, a)
        }
        procedures = {
            p.code: p for p in AdministrativeProcedure.objects.filter(code__in=procedure_codes)
        }
        first_row: dict[tuple[str, str], int] = {}
        for row in report.rows:
            n = row["_row"]
            agency_code = row.get("agency_code", "").strip()
            procedure_code = row.get("procedure_code", "").strip()
            errors: list[RowError] = []
            target = agencies.get(agency_code)
            if not agency_code:
                errors.append(RowError(n, "agency_code", _("The agency code is empty.")))
            elif target is None:
                # Unknown and out-of-reach agencies read the same: nothing leaks.
                errors.append(
                    RowError(
                        n,
                        "agency_code",
                        _(
                            "Unknown agency code, or one whose procedures you do not manage: "
                            "%(code)s."
                        )
                        % {"code": agency_code},
                    )
                )
            procedure = procedures.get(procedure_code)
            if not procedure_code:
                errors.append(RowError(n, "procedure_code", _("The procedure code is empty.")))
            elif procedure is None:
                errors.append(
                    RowError(
                        n,
                        "procedure_code",
                        _("Unknown procedure code: %(code)s.") % {"code": procedure_code},
                    )
                )
            elif not procedure.is_active:
                errors.append(
                    RowError(
                        n,
                        "procedure_code",
                        _("%(code)s is abolished and cannot be handled.")
                        % {"code": procedure_code},
                    )
                )
            try:
                since = parse_date(row.get("since", ""))
            except ValueError:
                since = None
                errors.append(
                    RowError(
                        n,
                        "since",
                        _("Unreadable date (dd/mm/yyyy): %(v)s.") % {"v": row.get("since")},
                    )
                )
            if agency_code and procedure_code:
                pair = (agency_code, procedure_code)
                if pair in first_row:
                    errors.append(
                        RowError(
                            n,
                            "procedure_code",
                            _("%(code)s is listed twice for this agency (also on row %(row)s).")
                            % {"code": procedure_code, "row": first_row[pair]},
                        )
                    )
                else:
                    first_row[pair] = n
            report.errors.extend(errors)
            if not errors:
                report.cleaned.append({"agency": target, "procedure": procedure, "since": since})

    def apply(self, cleaned: list, *, actor, agency) -> int:
        """One ``handled_assign`` per agency (and per "since" date, which it takes once)."""
        from eiso.procedures.services import handled_assign

        groups: dict[tuple[int, object], tuple[Agency, list]] = {}
        for item in cleaned:
            key = (item["agency"].pk, item["since"])
            groups.setdefault(key, (item["agency"], []))[1].append(item["procedure"])
        for (_pk, since), (target, procedures) in groups.items():
            handled_assign(actor=actor, agency=target, procedures=procedures, since=since)
        return len(cleaned)
