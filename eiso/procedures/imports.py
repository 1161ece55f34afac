"""Import of the TTHC catalogue from the national database's XLSX/CSV exports. A known code
is updated, a new one added; every bad row is reported; all rows or none."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import CellError, Column, Importer, Row, choice, fetch_in, register, text
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
    "con hieu luc": True,
    "hieu luc": True,
    "active": True,
    "dang ap dung": True,
    "bai bo": False,
    "da bai bo": False,
    "het hieu luc": False,
    "abolished": False,
}


def _time_limit(value: str) -> tuple:
    try:
        return parse_time_limit(value)
    except ValueError:
        raise CellError(_("Unreadable time limit: %(v)s.") % {"v": value}) from None


@register
class ProcedureImporter(Importer):
    kind = "procedures"
    title = gettext_lazy("Import administrative procedures")
    url_name = "procedures:catalogue_import"
    sample_filename = "mau-nhap-tthc.xlsx"
    columns = [
        Column(
            "code",
            gettext_lazy("Code"),
            aliases=("ma thu tuc", "ma tthc", "ma"),
            parser=text(64),
            required=True,
            unique=True,
            help=gettext_lazy(
                "As in the national database, e.g. 1.001612.000.00.00.H01 or 2.000635."
            ),
        ),
        Column(
            "name",
            gettext_lazy("Name"),
            aliases=("ten thu tuc", "ten tthc", "ten"),
            parser=text(500),
            required=True,
        ),
        Column("field", gettext_lazy("Field"), aliases=("linh vuc",), parser=text(200)),
        Column(
            "level",
            gettext_lazy("Level"),
            aliases=("cap thuc hien", "cap"),
            parser=choice(LEVEL_WORDS, accepted="tỉnh / huyện / xã", what=gettext_lazy("level")),
            required=True,
            help=gettext_lazy("tỉnh / huyện / xã"),
        ),
        Column(
            "time_limit",
            gettext_lazy("Time limit"),
            aliases=("thoi han giai quyet", "thoi han"),
            parser=_time_limit,
            help=gettext_lazy("Days (e.g. 05 or 0,5) or “Trong ngày”."),
        ),
        Column(
            "fee", gettext_lazy("Fee"), aliases=("phi, le phi", "le phi", "phi"), parser=text(500)
        ),
        Column(
            "published_by",
            gettext_lazy("Published by decision"),
            aliases=("quyet dinh cong bo",),
            parser=text(200),
        ),
        Column(
            "status",
            gettext_lazy("Status"),
            aliases=("tinh trang", "trang thai"),
            parser=choice(
                STATUS_WORDS, accepted="Còn hiệu lực / Bãi bỏ", what=gettext_lazy("status")
            ),
            help=gettext_lazy("Blank or “Còn hiệu lực”; “Bãi bỏ” for an abolished procedure."),
        ),
    ]
    # A procedure of the demo province's catalogue as published (imported again, it changes
    # nothing) and a new one.
    sample_rows = [
        {
            "code": "1.004851.000.00.00.H66",
            "name": (
                "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú "
                "tại Việt Nam"
            ),
            "field": "Lý lịch tư pháp",
            "level": "Cấp tỉnh",
            "time_limit": "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
            "fee": "200.000 đồng/lần/người; sinh viên, người có công với cách mạng: 100.000 đồng",
            "published_by": (
                "Quyết định 1187/QĐ-UBND ngày 20/06/2025 của Chủ tịch UBND tỉnh Phú An"
            ),
            "status": "Còn hiệu lực",
        },
        {
            "code": "1.009994.000.00.00.H66",
            "name": "Cấp giấy phép xây dựng mới đối với công trình cấp III",
            "field": "Hoạt động xây dựng",
            "level": "Cấp tỉnh",
            "time_limit": "20 ngày",
            "fee": "150.000 đồng/giấy phép",
            "published_by": "Quyết định 1187/QĐ-UBND ngày 20/06/2025 của Chủ tịch UBND tỉnh Phú An",
            "status": "Còn hiệu lực",
        },
    ]

    def check_permission(self, *, actor, agency) -> None:
        if not rules.can_keep_catalogue(actor):
            raise NotPermitted(_("Only administrators and overseers keep the procedure catalogue."))

    def prepare(self, rows: list[Row], *, actor, agency):
        found = fetch_in(AdministrativeProcedure.objects.all(), "code", (r["code"] for r in rows))
        return {p.code: p for p in found}

    def check_row(self, row: Row, context) -> dict:
        days, within_the_day = row["time_limit"] or (None, False)
        return {
            "code": row.get("code", ""),
            "exists": row["code"] in context,
            "name": row.get("name", ""),
            "field": row.get("field", ""),
            "level": row["level"],
            "time_limit_days": days,
            "within_the_day": within_the_day,
            "time_limit_text": row.cells.get("time_limit", ""),
            "fee": row.get("fee", ""),
            "published_by": row.get("published_by", ""),
            "is_active": row.get("status", True),
        }

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        from eiso.procedures.services import procedure_create, procedure_update

        existing = {
            p.code: p
            for p in fetch_in(
                AdministrativeProcedure.objects.all(),
                "code",
                (item["code"] for item in cleaned if item["exists"]),
            )
        }
        for done, item in enumerate(cleaned, start=1):
            data = {k: v for k, v in item.items() if k != "exists"}
            if item["exists"]:
                procedure_update(actor=actor, procedure=existing[item["code"]], data=data)
            else:
                procedure_create(actor=actor, **data)
            if progress is not None and done % 100 == 0:
                progress(done)
        return len(cleaned)


# The handled-procedures importer lives beside this one; importing it here registers it too.
from eiso.procedures import imports_handled  # noqa: E402, F401
