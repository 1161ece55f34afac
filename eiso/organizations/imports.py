"""Import of agencies from XLSX/CSV: code, name, short name, kind, parent code, …
Bad rows (unknown parent, duplicate code, unknown kind, cycle) are reported one by one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import (
    ImportColumn,
    Importer,
    ImportReport,
    RowError,
    parse_bool,
    parse_date,
    register,
)
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency, AgencyKind
from eiso.organizations.services import agency_create

TIER_WORDS = {
    "provincial": Tier.PROVINCIAL,
    "tinh": Tier.PROVINCIAL,
    "cap tinh": Tier.PROVINCIAL,
    "district": Tier.DISTRICT,
    "huyen": Tier.DISTRICT,
    "cap huyen": Tier.DISTRICT,
    "commune": Tier.COMMUNE,
    "xa": Tier.COMMUNE,
    "cap xa": Tier.COMMUNE,
}


@register
class AgencyImporter(Importer):
    kind = "agencies"
    title = gettext_lazy("Import agencies")
    columns = [
        ImportColumn("code", gettext_lazy("Code"), required=True, aliases=("ma", "ma don vi")),
        ImportColumn(
            "name",
            gettext_lazy("Official name"),
            required=True,
            aliases=("ten", "ten don vi", "ten co quan"),
        ),
        ImportColumn(
            "short_name", gettext_lazy("Short name"), aliases=("ten viet tat", "ten ngan")
        ),
        ImportColumn(
            "kind",
            gettext_lazy("Kind"),
            required=True,
            aliases=("loai", "loai hinh", "loai don vi"),
        ),
        ImportColumn(
            "parent_code",
            gettext_lazy("Parent code"),
            aliases=("ma cap tren", "ma don vi cap tren", "parent"),
        ),
        ImportColumn("tier", gettext_lazy("Tier"), aliases=("cap", "cap bao cao")),
        ImportColumn(
            "must_apply", gettext_lazy("Must apply"), aliases=("bat buoc ap dung", "bat buoc")
        ),
        ImportColumn("address", gettext_lazy("Address"), aliases=("dia chi",)),
        ImportColumn("head_name", gettext_lazy("Head"), aliases=("thu truong", "nguoi dung dau")),
        ImportColumn("head_title", gettext_lazy("Head's title"), aliases=("chuc vu thu truong",)),
        ImportColumn("phone", gettext_lazy("Phone"), aliases=("dien thoai",)),
        ImportColumn("email", gettext_lazy("E-mail"), aliases=("thu dien tu",)),
        ImportColumn(
            "active_from", gettext_lazy("Active from"), aliases=("ngay thanh lap", "hieu luc tu")
        ),
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.MANAGE_AGENCIES).empty:
            raise NotPermitted(_("You cannot import agencies."))

    def column_help(self) -> dict[str, str]:
        kinds = ", ".join(f"{k.code} ({k.name})" for k in AgencyKind.objects.all())
        return {
            "kind": _("One of: %(kinds)s") % {"kinds": kinds},
            "parent_code": _("The code of an existing agency or of another row of the file."),
            "tier": _("tỉnh / huyện / xã; blank: from the kind"),
            "must_apply": _("x or có = yes, blank: from the kind"),
            "active_from": _("dd/mm/yyyy"),
        }

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        scope = user_scope(actor, Action.MANAGE_AGENCIES)
        kinds: dict[str, AgencyKind] = {}
        for kind in AgencyKind.objects.all():
            kinds[vn_fold(kind.code)] = kind
            kinds[vn_fold(kind.name)] = kind
        codes_in_file = [row.get("code", "").strip() for row in report.rows]
        existing = {
            a.code.lower(): a
            for a in Agency.objects.filter(code__in=[c for c in codes_in_file if c])
        }
        parent_codes = {row.get("parent_code", "").strip() for row in report.rows} - {""}
        parents_in_db = {
            a.code.lower(): a for a in Agency.objects.filter(code__in=list(parent_codes))
        }
        first_row_of: dict[str, int] = {}
        file_parent: dict[str, str] = {}
        for row in report.rows:
            number = row["_row"]
            errors: list[RowError] = []

            def err(column: str, message: str, _n=number, _e=errors) -> None:
                _e.append(RowError(_n, column, message))

            code = row.get("code", "").strip()
            name = row.get("name", "").strip()
            if not code:
                err("code", _("The code is empty."))
            elif code.lower() in first_row_of:
                err(
                    "code",
                    _("Duplicate code %(code)s (also on row %(row)s).")
                    % {"code": code, "row": first_row_of[code.lower()]},
                )
            elif code.lower() in existing:
                err("code", _("The code %(code)s already exists.") % {"code": code})
            if code:
                first_row_of.setdefault(code.lower(), number)
            if not name:
                err("name", _("The name is empty."))
            kind = kinds.get(vn_fold(row.get("kind", "")))
            if kind is None:
                err("kind", _("Unknown kind: %(kind)s.") % {"kind": row.get("kind", "") or "—"})
            tier = None
            if row.get("tier"):
                tier = TIER_WORDS.get(vn_fold(row["tier"]))
                if tier is None:
                    err("tier", _("Unknown tier: %(tier)s.") % {"tier": row["tier"]})
            try:
                must_apply = parse_bool(row.get("must_apply", ""))
            except ValueError:
                must_apply = None
                err("must_apply", _("Must apply should be x/có or blank/không."))
            try:
                active_from = parse_date(row.get("active_from", ""))
            except ValueError:
                active_from = None
                err("active_from", _("The date must be dd/mm/yyyy."))
            parent_code = row.get("parent_code", "").strip()
            if parent_code and code:
                file_parent[code.lower()] = parent_code.lower()
            report.errors.extend(errors)
            report.cleaned.append(
                {
                    "_row": number,
                    "code": code,
                    "name": name,
                    "short_name": row.get("short_name", "").strip(),
                    "kind": kind,
                    "tier": tier,
                    "must_apply": must_apply,
                    "parent_code": parent_code,
                    "address": row.get("address", "").strip(),
                    "head_name": row.get("head_name", "").strip(),
                    "head_title": row.get("head_title", "").strip(),
                    "phone": row.get("phone", "").strip(),
                    "email": row.get("email", "").strip(),
                    "active_from": active_from,
                }
            )
        # Parents: in the database (and manageable by the actor) or elsewhere in the file;
        # chains inside the file must not loop.
        for item in report.cleaned:
            parent_code = item["parent_code"]
            number = item["_row"]
            if not parent_code:
                if not scope.everything:
                    report.errors.append(
                        RowError(number, "parent_code", _("The parent code is required."))
                    )
                continue
            key = parent_code.lower()
            if key in first_row_of:
                seen = {item["code"].lower()}
                cursor = key
                while cursor in file_parent:
                    if cursor in seen:
                        report.errors.append(
                            RowError(
                                number,
                                "parent_code",
                                _("The parent chain loops back to %(code)s (a cycle).")
                                % {"code": item["code"]},
                            )
                        )
                        break
                    seen.add(cursor)
                    cursor = file_parent[cursor]
                continue
            parent = parents_in_db.get(key)
            if parent is None or not (scope.everything or scope.covers(parent)):
                report.errors.append(
                    RowError(
                        number,
                        "parent_code",
                        _("Unknown parent agency: %(code)s.") % {"code": parent_code},
                    )
                )
            elif not parent.is_active:
                report.errors.append(
                    RowError(
                        number,
                        "parent_code",
                        _("The parent agency %(code)s is inactive.") % {"code": parent_code},
                    )
                )
        report.errors.sort(key=lambda e: (e.row, e.column))

    def apply(self, cleaned: list, *, actor, agency) -> int:
        created: dict[str, Agency] = {}
        pending = list(cleaned)
        while pending:
            progressed = []
            for item in pending:
                parent_code = item["parent_code"].lower()
                if parent_code and parent_code not in created:
                    parent = Agency.objects.filter(code__iexact=parent_code).first()
                    if parent is None:
                        continue
                else:
                    parent = created.get(parent_code) if parent_code else None
                values = {k: v for k, v in item.items() if k not in {"_row", "parent_code"}}
                created[item["code"].lower()] = agency_create(
                    actor=actor, parent=parent, reason=_("Imported from a spreadsheet"), **values
                )
                progressed.append(item)
            if not progressed:  # validate() rules this out; guard against an endless loop
                raise RuntimeError("agency import could not order the rows by parent")
            pending = [item for item in pending if item not in progressed]
        return len(created)
