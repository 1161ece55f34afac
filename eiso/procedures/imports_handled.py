"""Import of the procedures each agency handles: one row per (agency code, procedure code),
with an optional "since" date. Every bad row is reported; all rows or none, written through
``services.handled_assign`` one agency at a time."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import Column, Importer, Row, date, fetch_in, register, text
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.organizations.models import Agency
from eiso.procedures import rules
from eiso.procedures.models import AdministrativeProcedure


def may_manage_some_scope(user) -> bool:
    """Someone who keeps at least one agency's list of handled procedures (its ISO secretary
    or head, an administrator: the permission matrix's ``manage_structure``)."""
    return not user_scope(user, Action.MANAGE_STRUCTURE).empty


@register
class HandledProcedureImporter(Importer):
    kind = "handled_procedures"
    title = gettext_lazy("Import handled procedures")
    url_name = "procedures:handled_import"
    sample_filename = "mau-nhap-tthc-don-vi.xlsx"
    columns = [
        Column(
            "agency_code",
            gettext_lazy("Agency code"),
            aliases=("ma don vi", "ma co quan"),
            parser=text(32),
            required=True,
            help=gettext_lazy("The code of an agency whose procedures you manage."),
        ),
        Column(
            "procedure_code",
            gettext_lazy("Procedure code"),
            aliases=("ma thu tuc", "ma tthc"),
            parser=text(64),
            required=True,
            help=gettext_lazy("A code of the province's catalogue, e.g. 2.000635."),
        ),
        Column(
            "since",
            gettext_lazy("Since"),
            aliases=("tu ngay", "ngay bat dau"),
            parser=date,
            help=gettext_lazy("Optional, dd/mm/yyyy."),
        ),
    ]
    unique_together = (("agency_code", "procedure_code"),)
    # Procedures of the demo catalogue for the demo's Sở Tư pháp (STP).
    sample_rows = [
        {"agency_code": "STP", "procedure_code": "1.004851.000.00.00.H66", "since": "16/07/2025"},
        {"agency_code": "STP", "procedure_code": "2.000528.000.00.00.H66", "since": ""},
    ]

    def check_permission(self, *, actor, agency) -> None:
        if not may_manage_some_scope(actor):
            raise NotPermitted(
                _(
                    "Only an agency's ISO secretary or head, or an administrator, import its "
                    "handled procedures."
                )
            )

    def prepare(self, rows: list[Row], *, actor, agency):
        agencies = {
            a.code: a
            for a in fetch_in(
                Agency.objects.filter(is_active=True), "code", (r["agency_code"] for r in rows)
            )
            if rules.can_manage_scope(actor, a)
        }
        procedures = {
            p.code: p
            for p in fetch_in(
                AdministrativeProcedure.objects.all(), "code", (r["procedure_code"] for r in rows)
            )
        }
        return agencies, procedures

    def check_row(self, row: Row, context):
        agencies, procedures = context
        agency_code, procedure_code = row["agency_code"], row["procedure_code"]
        target = agencies.get(agency_code) if agency_code else None
        if agency_code and target is None:
            # Unknown and out-of-reach agencies read the same: nothing leaks.
            row.error(
                "agency_code",
                _("Unknown agency code, or one whose procedures you do not manage: %(code)s.")
                % {"code": agency_code},
            )
        procedure = procedures.get(procedure_code) if procedure_code else None
        if procedure_code and procedure is None:
            row.error(
                "procedure_code",
                _("Unknown procedure code: %(code)s.") % {"code": procedure_code},
            )
        elif procedure is not None and not procedure.is_active:
            row.error(
                "procedure_code",
                _("%(code)s is abolished and cannot be handled.") % {"code": procedure_code},
            )
        if not row.ok():
            return None
        return {"agency": target, "procedure": procedure, "since": row["since"]}

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        """One ``handled_assign`` per agency (and per "since" date, which it takes once)."""
        from eiso.procedures.services import handled_assign

        groups: dict[tuple[int, object], tuple[Agency, list]] = {}
        for item in cleaned:
            key = (item["agency"].pk, item["since"])
            groups.setdefault(key, (item["agency"], []))[1].append(item["procedure"])
        done = 0
        for (_pk, since), (target, procedures) in groups.items():
            handled_assign(actor=actor, agency=target, procedures=procedures, since=since)
            done += len(procedures)
            if progress is not None:
                progress(done)
        return len(cleaned)
