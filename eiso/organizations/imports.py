"""Import of agencies from XLSX/CSV: code, name, short name, kind, parent code, …
Bad rows (unknown parent, duplicate code, unknown kind, cycle) are reported one by one.

Set-based (issue 15): what the rows refer to is read in a few queries (a few hundred codes
each), the rows are checked in Python, and the agencies are written in bulk, one level of
the file's tree at a time (parents before their children): an INSERT per batch, one UPDATE
per level giving each its materialized path, and their audit events in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower, LPad
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_event, audit_record_many, snapshot
from eiso.core.bulk import insert_objects, saved_in_bulk
from eiso.core.errors import NotPermitted, ValidationFailed
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
from eiso.organizations.models import PATH_STEP, Agency, AgencyKind
from eiso.organizations.services import (
    AGENCY_FIELDS,
    _check_may_place,
    _path_for,
    _search_text,
)

BATCH = 1000  # agencies per INSERT
# What an existing parent is read with: its place in the tree, whether it is active, its name
# (the audit event of a new child names its parent).
PARENT_FIELDS = ("pk", "code", "name", "short_name", "path", "depth", "is_active")

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
            "existing": taken_codes(codes),
            "parents": {
                a.code.lower(): a
                for a in fetch_in(Agency.objects.only(*PARENT_FIELDS), "code", parents)
            },
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
        """Chains of parents inside the file must not loop (each chain followed once: linear
        in the rows, however deep the file's tree)."""
        file_parent = {
            item["code"].lower(): item["parent_code"].lower()
            for item in items
            if item["code"] and item["parent_code"]
        }
        loops = _loops(file_parent)
        for row, item in zip(rows, items, strict=True):
            key = item["parent_code"].lower()
            if not key or key not in context["in_file"]:
                continue
            if loops.get(key) or key == item["code"].lower():
                row.error(
                    "parent_code",
                    _("The parent chain loops back to %(code)s (a cycle).")
                    % {"code": item["code"]},
                )

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        created = agency_create_many(
            actor=actor,
            items=cleaned,
            reason=_("Imported from a spreadsheet"),
            progress=progress,
        )
        return len(created)


def _loops(file_parent: dict[str, str]) -> dict[str, bool]:
    """For each code of the file, whether following its parents inside the file comes back
    to a code already passed (a cycle, or a chain that runs into one). Every code is walked
    once: what a walk finds holds for every code it passed."""
    found: dict[str, bool] = {}
    for start in file_parent:
        if start in found:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        cursor = start
        while True:
            if cursor in found:
                result = found[cursor]
                break
            if cursor in on_path:
                result = True
                break
            if cursor not in file_parent:
                result = False
                break
            path.append(cursor)
            on_path.add(cursor)
            cursor = file_parent[cursor]
        for code in path:
            found[code] = result
    return found


def taken_codes(codes) -> set[str]:
    """The codes among ``codes`` that an agency already has, in lower case (compared ignoring
    case, as ``agency_create`` does), a query per few hundred codes."""
    lowered = {code.strip().lower() for code in codes if code and code.strip()}
    found = fetch_in(
        Agency.objects.annotate(code_lower=Lower("code")).values_list("code", flat=True),
        "code_lower",
        lowered,
    )
    return {code.lower() for code in found}


def _levels(items: list[dict]) -> list[list[dict]]:
    """The rows by their depth in the file's own tree: first those whose parent is not in
    the file (or who have none), then their children, and so on."""
    in_file = {item["code"].lower(): item for item in items}
    depth: dict[str, int] = {}
    for item in items:
        chain: list[str] = []
        on_chain: set[str] = set()
        code = item["code"].lower()
        while code not in depth:
            parent = in_file[code]["parent_code"].lower()
            if parent not in in_file:
                depth[code] = 0
                break
            chain.append(code)
            on_chain.add(code)
            if parent in on_chain:  # check_file reports cycles; never loop here
                raise RuntimeError("agency import could not order the rows by parent")
            code = parent
        for code in reversed(chain):
            depth[code] = depth[in_file[code]["parent_code"].lower()] + 1
    levels: list[list[dict]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for item in items:
        levels[depth[item["code"].lower()]].append(item)
    return levels


def agency_create_many(
    *,
    actor,
    items: list[dict],
    reason: str = "",
    progress: Callable[[int], None] | None = None,
) -> list[Agency]:
    """Create the agencies of ``items`` (the checked rows: code, name, kind, parent code, …;
    a parent is an existing agency or another item) with the rules of ``agency_create``: the
    actor may place each under its parent, every code is free (ignoring case), the parent is
    active; tier and must-apply default from the kind; materialized path, depth and folded
    search text; one ``agency.create`` audit event each. Set-based: a fixed number of
    statements per ``BATCH`` agencies and per level of the file's tree, never per agency.
    Runs inside the caller's transaction."""
    taken = taken_codes(item["code"] for item in items)
    if taken:
        code = next(item["code"] for item in items if item["code"].strip().lower() in taken)
        raise ValidationFailed(
            _("The code %(code)s is already used by another agency.") % {"code": code},
            fields={"code": [_("This code is already used.")]},
        )
    in_file = {item["code"].lower() for item in items}
    outside = {item["parent_code"].lower() for item in items if item["parent_code"]} - in_file
    parents: dict[str, Agency] = {}
    if outside:
        # compared ignoring case, as agency_create's callers found the parent
        queryset = Agency.objects.annotate(code_lower=Lower("code")).only(*PARENT_FIELDS)
        parents = {a.code.lower(): a for a in fetch_in(queryset, "code_lower", outside)}
    token = uuid.uuid4().hex
    created: list[Agency] = []
    for level, level_items in enumerate(_levels(items)):
        agencies = []
        for number, item in enumerate(level_items):
            parent_code = item["parent_code"].lower()
            parent = parents.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise ValidationFailed(
                    _("Unknown parent agency: %(code)s.") % {"code": item["parent_code"]}
                )
            _check_may_place(actor, parent)
            if parent is not None and not parent.is_active:
                raise ValidationFailed(
                    _("The parent agency is inactive."),
                    fields={"parent": [_("Choose an active agency.")]},
                )
            kind = item["kind"]
            agency = Agency(
                code=item["code"].strip(),
                name=item["name"].strip(),
                short_name=item["short_name"].strip(),
                kind=kind,
                tier=item["tier"] or kind.default_tier,
                must_apply=kind.must_apply if item["must_apply"] is None else item["must_apply"],
                parent=parent,
                address=item["address"],
                head_name=item["head_name"],
                head_title=item["head_title"],
                phone=item["phone"],
                email=item["email"],
                active_from=item["active_from"],
                active_to=item.get("active_to"),
                path=f"tmp-{token}-{level}-{number}",
                depth=(parent.depth + 1) if parent else 0,
            )
            agency.search_text = _search_text(agency)
            agencies.append(agency)
        insert_objects(agencies, batch=BATCH)
        _write_paths(agencies, prefix=f"tmp-{token}-{level}-")
        for agency in agencies:
            parents[agency.code.lower()] = agency
        created.extend(agencies)
        if progress is not None:
            progress(len(created))
    audit_record_many(
        audit_event(
            actor=actor,
            action="agency.create",
            obj=agency,
            agency=agency,
            changes=snapshot(agency, AGENCY_FIELDS),
            reason=reason,
        )
        for agency in created
    )
    saved_in_bulk(Agency, created)
    return created


def _write_paths(agencies: list[Agency], *, prefix: str) -> None:
    """Give the agencies just inserted (whose parents have theirs) their materialized path:
    the parent's path and the agency's id in PATH_STEP digits — one UPDATE for the level."""
    if not agencies:
        return
    if any(agency.pk is None for agency in agencies):  # a database that returns no ids
        ids = dict(Agency.objects.filter(path__startswith=prefix).values_list("path", "pk"))
        for agency in agencies:
            agency.pk = agency.id = ids[agency.path]
    for agency in agencies:
        agency.path = _path_for(agency.parent, agency.pk)
    if max(agency.pk for agency in agencies) >= 10**PATH_STEP:  # LPAD would cut it short
        Agency.objects.bulk_update(agencies, ["path"], batch_size=BATCH)
        return
    parent_path = Agency.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    Agency.objects.filter(path__startswith=prefix).update(
        path=Concat(
            Coalesce(Subquery(parent_path), Value("")),
            LPad(Cast("pk", CharField()), PATH_STEP, Value("0")),
            Value("/"),
            output_field=CharField(),
        )
    )
