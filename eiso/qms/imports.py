"""Onboarding a province that already runs paper QMSs: import each agency's QMS status and its
historic announcements of conformity from XLSX/CSV (also ``manage.py import_announcements``).
Every bad row is reported with its reason; all rows or none."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.imports import (
    CellError,
    Column,
    Importer,
    Row,
    choice,
    date,
    fetch_in,
    register,
    text,
)
from eiso.core.numbers import official_number
from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope
from eiso.core.text import clashes, vn_fold
from eiso.documents.outputs import number_suffix
from eiso.organizations.models import Agency
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus, StandardVersion
from eiso.qms.models import Announcement, QualitySystem
from eiso.qms.services import scope_snapshot

KIND_WORDS = {
    "cong bo lan dau": AnnouncementKind.FIRST,
    "cong bo": AnnouncementKind.FIRST,
    "lan dau": AnnouncementKind.FIRST,
    "first": AnnouncementKind.FIRST,
    "first announcement": AnnouncementKind.FIRST,
    "cong bo lai": AnnouncementKind.RE,
    "lai": AnnouncementKind.RE,
    "re": AnnouncementKind.RE,
    "re-announcement": AnnouncementKind.RE,
    "re announcement": AnnouncementKind.RE,
}
STATUS_WORDS = {
    "chua xay dung": QmsStatus.NOT_STARTED,
    "chua trien khai": QmsStatus.NOT_STARTED,
    "not started": QmsStatus.NOT_STARTED,
    "dang xay dung": QmsStatus.BUILDING,
    "building": QmsStatus.BUILDING,
    "da ap dung": QmsStatus.APPLIED,
    "ap dung": QmsStatus.APPLIED,
    "applied": QmsStatus.APPLIED,
    "da cong bo": QmsStatus.ANNOUNCED,
    "cong bo": QmsStatus.ANNOUNCED,
    "announced": QmsStatus.ANNOUNCED,
    "tam dung": QmsStatus.SUSPENDED,
    "suspended": QmsStatus.SUSPENDED,
}
QMS_IMPORT_FIELDS = ("standard_version", "status")


def parse_version(text: str) -> str | None:
    """'2015', 'TCVN ISO 9001:2015', 'ISO 9001:2008' → the version; anything else → None."""
    years = {
        y for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text or "") if y in StandardVersion.values
    }
    return years.pop() if len(years) == 1 else None


def _kind(text: str):
    return KIND_WORDS.get(vn_fold(text).replace("-", " ").strip())


# --- the writes (services of this import) ----------------------------------------------------


@transaction.atomic
def announcement_import(
    *,
    actor,
    agency: Agency,
    kind: str,
    number: str,
    date: datetime.date,
    standard_version: str,
    reason: str = "",
    received_on: datetime.date | None = None,
) -> Announcement:
    """Record a historic (paper) announcement: signed, or received when the overseer's receipt
    date is known; marked ``imported``. Its scope is the agency's scope as it stands now (the
    paper one is not known), so the import does not make a re-announcement due by itself."""
    if not user_may(actor, Action.OVERSEE, agency):
        raise NotPermitted(_("You cannot onboard this agency's QMS."))
    number = official_number(number, symbol=number_suffix(agency), other_symbols=True)
    taken = Announcement.objects.filter(agency=agency, date__year=date.year).values_list(
        "number", flat=True
    )
    if clashes(number, taken):
        message = _("The decision number %(number)s is already used.") % {"number": number}
        raise ValidationFailed(message, fields={"number": [message]})
    qms = QualitySystem.objects.filter(agency=agency).first()
    announcement = Announcement.objects.create(
        agency=agency,
        kind=kind,
        reason=reason.strip()[:300] if kind == AnnouncementKind.RE else "",
        number=number.strip(),
        date=date,
        signer_name="",
        signer_title="",
        standard_version=standard_version,
        scope_snapshot=scope_snapshot(agency, qms),
        status=AnnouncementStatus.RECEIVED if received_on else AnnouncementStatus.SIGNED,
        received_on=received_on,
        imported=True,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="announcement.import",
        obj=announcement,
        changes={"number": announcement.number, "date": date, "kind": kind},
    )
    return announcement


@transaction.atomic
def qms_import_status(*, actor, agency: Agency, standard_version: str, status: str):
    """Set the QMS record's version and status as the paper records give them."""
    if not user_may(actor, Action.OVERSEE, agency):
        raise NotPermitted(_("You cannot onboard this agency's QMS."))
    QualitySystem.objects.get_or_create(agency=agency)
    qms = QualitySystem.objects.select_for_update().get(agency=agency)
    before = snapshot(qms, QMS_IMPORT_FIELDS)
    qms.standard_version, qms.status = standard_version, status
    qms.save(update_fields=["standard_version", "status", "updated_at"])
    changes = changes_between(before, snapshot(qms, QMS_IMPORT_FIELDS))
    if changes:
        audit_record(actor=actor, action="qms.import", obj=qms, changes=changes)
    return qms


# --- the importer ----------------------------------------------------------------------------


def _version(value: str) -> str:
    version = parse_version(value)
    if version is None:
        raise CellError(_("Unknown standard version: %(v)s (2008 or 2015).") % {"v": value})
    return version


def _kind_cell(value: str):
    kind = _kind(value)
    if kind is None:
        raise CellError(_("Unknown kind: %(v)s (công bố lần đầu / công bố lại).") % {"v": value})
    return kind


@register
class AnnouncementImporter(Importer):
    kind = "announcements"
    title = gettext_lazy("Import QMS status and historic announcements")
    url_name = "qms_import"
    sample_filename = "mau-nhap-cong-bo-iso.xlsx"
    columns = [
        Column(
            "agency_code",
            gettext_lazy("Agency code"),
            aliases=("ma co quan", "ma don vi", "agency"),
            parser=text(32),
            required=True,
            help=gettext_lazy("The code of an agency you oversee."),
        ),
        Column(
            "standard_version",
            gettext_lazy("Standard version"),
            aliases=("phien ban", "phien ban tieu chuan", "tieu chuan", "version"),
            parser=_version,
            required=True,
            help=gettext_lazy("2008 or 2015."),
        ),
        Column(
            "qms_status",
            gettext_lazy("QMS status"),
            aliases=("trang thai", "tinh trang", "trang thai he thong", "status"),
            parser=choice(
                STATUS_WORDS,
                accepted="Chưa xây dựng / Đang xây dựng / Đã áp dụng / Đã công bố / Tạm dừng",
                what=gettext_lazy("QMS status"),
            ),
            help=gettext_lazy(
                "Chưa xây dựng / Đang xây dựng / Đã áp dụng / Đã công bố / Tạm dừng; blank: "
                "“Đã công bố” when the row has an announcement."
            ),
        ),
        Column(
            "number",
            gettext_lazy("Announcement number"),
            aliases=("so quyet dinh", "so quyet dinh cong bo", "so", "number"),
            parser=text(64),
            help=gettext_lazy("Leave number, date and kind blank for a QMS not yet announced."),
        ),
        Column(
            "date",
            gettext_lazy("Date"),
            aliases=("ngay", "ngay quyet dinh", "ngay ky"),
            parser=date,
            help=gettext_lazy("dd/mm/yyyy"),
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            aliases=("loai", "hinh thuc", "cong bo lan dau / cong bo lai"),
            parser=_kind_cell,
            help=gettext_lazy("Công bố lần đầu / Công bố lại"),
        ),
        Column(
            "reason",
            gettext_lazy("Reason"),
            aliases=("ly do", "ly do cong bo lai"),
            parser=text(300),
        ),
        Column(
            "received_on",
            gettext_lazy("Received on"),
            aliases=("ngay tiep nhan", "ngay nhan", "received"),
            parser=date,
            help=gettext_lazy("dd/mm/yyyy, when the overseer acknowledged receipt."),
        ),
    ]
    # Historic announcements of two demo agencies and the status of one not yet announced.
    sample_rows = [
        {
            "agency_code": "SCT",
            "standard_version": "2008",
            "qms_status": "Đã công bố",
            "number": "605/QĐ-SCT",
            "date": "15/03/2016",
            "kind": "Công bố lần đầu",
            "received_on": "22/03/2016",
        },
        {
            "agency_code": "SCT",
            "standard_version": "TCVN ISO 9001:2015",
            "qms_status": "Đã công bố",
            "number": "612/QĐ-SCT",
            "date": "10/06/2019",
            "kind": "Công bố lại",
            "reason": "Chuyển đổi sang TCVN ISO 9001:2015",
        },
        {"agency_code": "SNGV", "standard_version": "2015", "qms_status": "Đang xây dựng"},
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.OVERSEE).empty:
            raise NotPermitted(_("Only administrators and overseers onboard QMS records."))

    def prepare(self, rows: list[Row], *, actor, agency):
        overseen = Agency.objects.visible_to(actor, action=Action.OVERSEE)
        codes = (row["agency_code"] for row in rows)
        return {
            "agencies": {a.code.casefold(): a for a in fetch_in(overseen, "code", codes)},
            "seen": {},
            "today": timezone.localdate(),
        }

    def check_row(self, row: Row, context) -> dict:
        code = row["agency_code"] or ""
        target = context["agencies"].get(code.casefold()) if code else None
        if code and target is None:
            row.error(
                "agency_code",
                _("Unknown agency code %(code)s, or not an agency you manage.") % {"code": code},
            )
        number = row.get("number", "")
        has_announcement = bool(number or row.cells.get("date") or row.cells.get("kind"))
        status = row["qms_status"]
        if not row.cells.get("qms_status"):
            status = QmsStatus.ANNOUNCED if has_announcement else None
            if status is None:
                row.error(
                    "qms_status", _("Give the QMS status, or the announcement of this agency.")
                )
        announced_on, kind, received_on = row["date"], row["kind"], row["received_on"]
        if has_announcement:
            if not number:
                row.error("number", _("The announcement number is empty."))
            if row.ok("date"):
                if announced_on is None:
                    row.error("date", _("The date is empty."))
                elif announced_on > context["today"]:
                    row.error("date", _("The date is in the future."))
            if kind is None and row.ok("kind"):
                row.error(
                    "kind", _("Unknown kind: %(v)s (công bố lần đầu / công bố lại).") % {"v": "—"}
                )
            if received_on and announced_on and received_on < announced_on:
                row.error("received_on", _("Receipt cannot be before the announcement's date."))
            if target is not None and number and announced_on is not None:
                key = (target.pk, announced_on.year, number.casefold())
                first = context["seen"].setdefault(key, row.number)
                if first != row.number:
                    row.error(
                        "number",
                        _(
                            "Duplicate decision number %(number)s for %(agency)s in "
                            "%(year)s (also on row %(row)s)."
                        )
                        % {
                            "number": number,
                            "agency": target.code,
                            "year": announced_on.year,
                            "row": first,
                        },
                    )
        elif row.cells.get("received_on"):
            row.error("received_on", _("A receipt date needs an announcement."))
        return {
            "row": row.number,
            "agency": target,
            "standard_version": row["standard_version"],
            "status": status,
            "number": number,
            "date": announced_on,
            "kind": kind,
            "reason": row.get("reason", ""),
            "received_on": received_on,
            "announcement": has_announcement,
        }

    def check_file(self, rows: list[Row], items: list, context) -> None:
        """A decision number already used by the same agency in the same year is refused (one
        query per few hundred agencies)."""
        wanted = [
            (row, item)
            for row, item in zip(rows, items, strict=True)
            if item["agency"] and item["number"] and item["date"]
        ]
        if not wanted:
            return
        years = {item["date"].year for _row, item in wanted}
        existing = fetch_in(
            Announcement.objects.filter(date__year__in=years).exclude(number=""),
            "agency",
            {item["agency"].pk for _row, item in wanted},
        )
        taken = {(a.agency_id, a.date.year, a.number.strip().casefold()) for a in existing}
        for row, item in wanted:
            key = (item["agency"].pk, item["date"].year, item["number"].casefold())
            if key in taken:
                row.error(
                    "number",
                    _(
                        "The decision number %(number)s of %(agency)s in %(year)s is already "
                        "recorded."
                    )
                    % {
                        "number": item["number"],
                        "agency": item["agency"].code,
                        "year": item["date"].year,
                    },
                )

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        latest: dict[int, dict] = {}
        for done, item in enumerate(cleaned, start=1):
            if item["announcement"]:
                announcement_import(
                    actor=actor,
                    agency=item["agency"],
                    kind=item["kind"],
                    number=item["number"],
                    date=item["date"],
                    standard_version=item["standard_version"],
                    reason=item["reason"],
                    received_on=item["received_on"],
                )
            current = latest.get(item["agency"].pk)
            # The QMS record takes the version and status of the agency's latest row.
            if current is None or (item["date"] or datetime.date.min) >= (
                current["date"] or datetime.date.min
            ):
                latest[item["agency"].pk] = item
            if progress is not None and done % 100 == 0:
                progress(done)
        for item in latest.values():
            qms_import_status(
                actor=actor,
                agency=item["agency"],
                standard_version=item["standard_version"],
                status=item["status"],
            )
        return len(cleaned)
