"""Import of agencies from XLSX/CSV: code, name, short name, kind, parent code, …
Bad rows (unknown parent, duplicate code, unknown kind, cycle) are reported one by one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import (
    Column,
    Importer,
    Row,
    boolean,
    choice,
    date,
    email,
    fetch_in,
    register,
    text,
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


def _kind_words() -> dict[str, AgencyKind]:
    words: dict[str, AgencyKind] = {}
    for kind in AgencyKind.objects.all():
        words[vn_fold(kind.code)] = kind
        words[vn_fold(kind.name)] = kind
    return words


@register
class AgencyImporter(Importer):
    kind = "agencies"
    title = gettext_lazy("Import agencies")
    url_name = "organizations:import"
    sample_filename = "mau-nhap-co-quan.xlsx"
    columns = [
        Column(
            "code",
            gettext_lazy("Code"),
            aliases=("ma", "ma don vi"),
            parser=text(32),
            required=True,
            unique=True,
            help=gettext_lazy("Unique in the province, e.g. SO-TP or XA-AN-PHU."),
        ),
        Column(
            "name",
            gettext_lazy("Official name"),
            aliases=("ten", "ten don vi", "ten co quan"),
            parser=text(255),
            required=True,
        ),
        Column(
            "short_name",
            gettext_lazy("Short name"),
            aliases=("ten viet tat", "ten ngan"),
            parser=text(100),
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            aliases=("loai", "loai hinh", "loai don vi"),
            required=True,
        ),
        Column(
            "parent_code",
            gettext_lazy("Parent code"),
            aliases=("ma cap tren", "ma don vi cap tren", "parent"),
            help=gettext_lazy("The code of an existing agency or of another row of the file."),
        ),
        Column(
            "tier",
            gettext_lazy("Tier"),
            aliases=("cap", "cap bao cao"),
            parser=choice(TIER_WORDS, accepted="tỉnh / huyện / xã", what=gettext_lazy("tier")),
            help=gettext_lazy("tỉnh / huyện / xã; blank: from the kind"),
        ),
        Column(
            "must_apply",
            gettext_lazy("Must apply"),
            aliases=("bat buoc ap dung", "bat buoc"),
            parser=boolean,
            help=gettext_lazy("x or có = yes, blank: from the kind"),
        ),
        Column("address", gettext_lazy("Address"), aliases=("dia chi",), parser=text(255)),
        Column(
            "head_name",
            gettext_lazy("Head"),
            aliases=("thu truong", "nguoi dung dau"),
            parser=text(200),
        ),
        Column(
            "head_title",
            gettext_lazy("Head's title"),
            aliases=("chuc vu thu truong",),
            parser=text(200),
        ),
        Column("phone", gettext_lazy("Phone"), aliases=("dien thoai",), parser=text(50)),
        Column("email", gettext_lazy("E-mail"), aliases=("thu dien tu",), parser=email),
        Column(
            "active_from",
            gettext_lazy("Active from"),
            aliases=("ngay thanh lap", "hieu luc tu"),
            parser=date,
            help=gettext_lazy("dd/mm/yyyy"),
        ),
    ]
    # Two new agencies under the demo province's People's Committee, the second under the
    # first (a parent given by another row of the file).
    sample_rows = [
        {
            "code": "BQL-KKT",
            "name": "Ban Quản lý Khu kinh tế tỉnh Phú An",
            "short_name": "Ban Quản lý KKT",
            "kind": "so_nganh",
            "parent_code": "UBND-T",
            "tier": "tỉnh",
            "must_apply": "x",
            "address": "Số 12 đường Lê Lợi, phường Phú An, tỉnh Phú An",
            "head_name": "Nguyễn Văn Bình",
            "head_title": "Trưởng ban",
            "phone": "0297 3822 123",
            "email": "bqlkkt@phuan.example",
            "active_from": "01/03/2025",
        },
        {
            "code": "BQL-KKT-TTDV",
            "name": "Trung tâm Dịch vụ Khu kinh tế tỉnh Phú An",
            "short_name": "Trung tâm Dịch vụ KKT",
            "kind": "Đơn vị sự nghiệp công lập",
            "parent_code": "BQL-KKT",
            "tier": "tỉnh",
            "must_apply": "không",
        },
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.MANAGE_AGENCIES).empty:
            raise NotPermitted(_("You cannot import agencies."))

    def column_help(self) -> dict[str, str]:
        kinds = ", ".join(f"{k.code} ({k.name})" for k in AgencyKind.objects.all())
        return {"kind": _("One of: %(kinds)s") % {"kinds": kinds}}

    def prepare(self, rows: list[Row], *, actor, agency):
        codes = {row["code"] for row in rows if row["code"]}
        parents = {row["parent_code"] for row in rows if row["parent_code"]}
        return {
            "scope": user_scope(actor, Action.MANAGE_AGENCIES),
            "kinds": _kind_words(),
            "existing": {a.code.lower() for a in fetch_in(Agency.objects.all(), "code", codes)},
            "parents": {a.code.lower(): a for a in fetch_in(Agency.objects.all(), "code", parents)},
            "in_file": {row["code"].lower(): row.number for row in rows if row["code"]},
        }

    def check_row(self, row: Row, context) -> dict:
        code = row["code"] or ""
        if code and row.ok("code") and code.lower() in context["existing"]:
            row.error("code", _("The code %(code)s already exists.") % {"code": code})
        kind = None
        if row["kind"] is not None:
            kind = context["kinds"].get(vn_fold(row["kind"]))
            if kind is None:
                row.error("kind", _("Unknown kind: %(kind)s.") % {"kind": row["kind"]})
        parent_code = row["parent_code"] or ""
        if not parent_code and not context["scope"].everything:
            row.error("parent_code", _("The parent code is required."))
        elif parent_code and parent_code.lower() not in context["in_file"]:
            parent = context["parents"].get(parent_code.lower())
            scope = context["scope"]
            if parent is None or not (scope.everything or scope.covers(parent)):
                row.error(
                    "parent_code",
                    _("Unknown parent agency: %(code)s.") % {"code": parent_code},
                )
            elif not parent.is_active:
                row.error(
                    "parent_code",
                    _("The parent agency %(code)s is inactive.") % {"code": parent_code},
                )
        return {
            "_row": row.number,
            "code": code,
            "name": row.get("name", ""),
            "short_name": row.get("short_name", ""),
            "kind": kind,
            "tier": row["tier"],
            "must_apply": row["must_apply"],
            "parent_code": parent_code,
            "address": row.get("address", ""),
            "head_name": row.get("head_name", ""),
            "head_title": row.get("head_title", ""),
            "phone": row.get("phone", ""),
            "email": row.get("email", ""),
            "active_from": row["active_from"],
        }

    def check_file(self, rows: list[Row], items: list, context) -> None:
        """Chains of parents inside the file must not loop."""
        file_parent = {
            item["code"].lower(): item["parent_code"].lower()
            for item in items
            if item["code"] and item["parent_code"]
        }
        for row, item in zip(rows, items, strict=True):
            key = item["parent_code"].lower()
            if not key or key not in context["in_file"]:
                continue
            seen = {item["code"].lower()}
            cursor = key
            while cursor in file_parent:
                if cursor in seen:
                    row.error(
                        "parent_code",
                        _("The parent chain loops back to %(code)s (a cycle).")
                        % {"code": item["code"]},
                    )
                    break
                seen.add(cursor)
                cursor = file_parent[cursor]

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
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
                if progress is not None and len(created) % 100 == 0:
                    progress(len(created))
            if not progressed:  # check_file rules this out; guard against an endless loop
                raise RuntimeError("agency import could not order the rows by parent")
            done = {id(item) for item in progressed}
            pending = [item for item in pending if id(item) not in done]
        return len(created)
