"""Import of the TTHC catalogue from the national database's XLSX/CSV exports. A known code
is updated, a new one added; every bad row is reported; all rows or none."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import ImportColumn, Importer, ImportReport, RowError, register
from eiso.core.text import vn_fold
from eiso.organizations.choices import Tier
from eiso.procedures import rules
from eiso.procedures.models import AdministrativeProcedure
from eiso.procedures.parsing import parse_time_limit

LEVEL_WORDS = {
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
STATUS_WORDS = {
    "": True,
    "con hieu luc": True,
    "hieu luc": True,
    "active": True,
    "dang ap dung": True,
    "bai bo": False,
    "da bai bo": False,
    "het hieu luc": False,
    "abolished": False,
}


@register
class ProcedureImporter(Importer):
    kind = "procedures"
    title = gettext_lazy("Import administrative procedures")
    columns = [
        ImportColumn(
            "code", gettext_lazy("Code"), required=True, aliases=("ma thu tuc", "ma tthc", "ma")
        ),
        ImportColumn(
            "name", gettext_lazy("Name"), required=True, aliases=("ten thu tuc", "ten tthc", "ten")
        ),
        ImportColumn("field", gettext_lazy("Field"), aliases=("linh vuc",)),
        ImportColumn(
            "level", gettext_lazy("Level"), required=True, aliases=("cap thuc hien", "cap")
        ),
        ImportColumn(
            "time_limit", gettext_lazy("Time limit"), aliases=("thoi han giai quyet", "thoi han")
        ),
        ImportColumn("fee", gettext_lazy("Fee"), aliases=("phi, le phi", "le phi", "phi")),
        ImportColumn(
            "published_by", gettext_lazy("Published by decision"), aliases=("quyet dinh cong bo",)
        ),
        ImportColumn("status", gettext_lazy("Status"), aliases=("tinh trang", "trang thai")),
    ]

    def check_permission(self, *, actor, agency) -> None:
        if not rules.can_keep_catalogue(actor):
            raise NotPermitted(_("Only administrators and overseers keep the procedure catalogue."))

    def column_help(self) -> dict[str, str]:
        return {
            "code": _("As in the national database, e.g. 1.001612.000.00.00.H01 or 2.000635."),
            "level": _("tỉnh / huyện / xã"),
            "time_limit": _("Days (e.g. 05 or 0,5) or “Trong ngày”."),
            "status": _("Blank or “Còn hiệu lực”; “Bãi bỏ” for an abolished procedure."),
        }

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        codes = [row.get("code", "").strip() for row in report.rows]
        known = set(
            AdministrativeProcedure.objects.filter(code__in=[c for c in codes if c]).values_list(
                "code", flat=True
            )
        )
        first_row: dict[str, int] = {}
        for row in report.rows:
            n = row["_row"]
            code = row.get("code", "").strip()
            errors: list[RowError] = []
            if not code:
                errors.append(RowError(n, "code", _("The code is empty.")))
            elif code in first_row:
                errors.append(
                    RowError(
                        n,
                        "code",
                        _("Duplicate code %(code)s (also on row %(row)s).")
                        % {"code": code, "row": first_row[code]},
                    )
                )
            else:
                first_row[code] = n
            if not row.get("name", "").strip():
                errors.append(RowError(n, "name", _("The name is empty.")))
            level = LEVEL_WORDS.get(vn_fold(row.get("level", "")))
            if level is None:
                errors.append(
                    RowError(
                        n, "level", _("Unknown level: %(v)s.") % {"v": row.get("level") or "—"}
                    )
                )
            try:
                days, within_the_day = parse_time_limit(row.get("time_limit", ""))
            except ValueError:
                days, within_the_day = None, False
                errors.append(
                    RowError(
                        n,
                        "time_limit",
                        _("Unreadable time limit: %(v)s.") % {"v": row.get("time_limit")},
                    )
                )
            active = STATUS_WORDS.get(vn_fold(row.get("status", "")))
            if active is None:
                errors.append(
                    RowError(n, "status", _("Unknown status: %(v)s.") % {"v": row.get("status")})
                )
            report.errors.extend(errors)
            report.cleaned.append(
                {
                    "code": code,
                    "exists": code in known,
                    "name": row.get("name", "").strip(),
                    "field": row.get("field", "").strip(),
                    "level": level,
                    "time_limit_days": days,
                    "within_the_day": within_the_day,
                    "time_limit_text": row.get("time_limit", "").strip(),
                    "fee": row.get("fee", "").strip(),
                    "published_by": row.get("published_by", "").strip(),
                    "is_active": bool(active) if active is not None else True,
                }
            )

    def apply(self, cleaned: list, *, actor, agency) -> int:
        from eiso.procedures.services import procedure_create, procedure_update

        existing = {
            p.code: p
            for p in AdministrativeProcedure.objects.filter(
                code__in=[item["code"] for item in cleaned if item["exists"]]
            )
        }
        for item in cleaned:
            data = {k: v for k, v in item.items() if k != "exists"}
            if item["exists"]:
                procedure_update(actor=actor, procedure=existing[item["code"]], data=data)
            else:
                procedure_create(actor=actor, **data)
        return len(cleaned)
