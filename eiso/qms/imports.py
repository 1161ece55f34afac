"""Onboarding a province that already runs paper QMSs: import each agency's QMS status and its
historic announcements of conformity from XLSX/CSV (also ``manage.py import_announcements``).
Every bad row is reported with its reason; all rows or none."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_event, audit_record_many, changes_between, snapshot
from eiso.core.bulk import insert_objects, saved_in_bulk
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
from eiso.core.numbers import agency_symbol, official_number
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations.models import Agency
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus, StandardVersion
from eiso.qms.models import Announcement, QualitySystem
from eiso.qms.services import scope_snapshots

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

BATCH = 1000  # rows per INSERT


def _official(number: str, agency: Agency) -> str:
    """The number in its official shape (``ValidationFailed`` if it has none); a historic
    number may carry another symbol (the agency may have been renamed since)."""
    return official_number(number, symbol=agency_symbol(agency), other_symbols=True)


def _taken_numbers(agency_ids, years) -> set[tuple[int, int, str]]:
    """(agency id, year, number folded) of the announcements already recorded by these
    agencies in these years (a query per few hundred agencies)."""
    if not years:
        return set()
    existing = fetch_in(
        Announcement.objects.filter(date__year__in=sorted(years))
        .exclude(number="")
        .order_by()
        .values_list("agency_id", "date", "number"),
        "agency",
        agency_ids,
    )
    return {(agency, day.year, number.strip().casefold()) for agency, day, number in existing}


def _check_oversees(actor, agencies) -> None:
    scope = user_scope(actor, Action.OVERSEE)
    if any(not scope.covers(agency) for agency in agencies):
        raise NotPermitted(_("You cannot onboard this agency's QMS."))


@transaction.atomic
def announcements_import(
    *, actor, rows: list[dict], progress: Callable[[int], None] | None = None
) -> list[Announcement]:
    """Record historic (paper) announcements — ``rows`` of agency, kind, number, date,
    standard_version, reason, received_on: each signed, or received when the overseer's
    receipt date is known; marked ``imported``. Its scope is the agency's scope as it stands
    now (the paper one is not known), so the import does not make a re-announcement due by
    itself. A number already used by the agency that year is refused. Set-based: a fixed
    number of statements per few hundred agencies and per ``BATCH`` announcements, with one
    ``announcement.import`` audit event each."""
    agencies = {row["agency"].pk: row["agency"] for row in rows}
    _check_oversees(actor, agencies.values())
    numbers = [_official(row["number"], row["agency"]).strip() for row in rows]
    taken = _taken_numbers(agencies, {row["date"].year for row in rows})
    for row, number in zip(rows, numbers, strict=True):
        key = (row["agency"].pk, row["date"].year, number.casefold())
        if key in taken:
            message = _("The decision number %(number)s is already used.") % {"number": number}
            raise ValidationFailed(message, fields={"number": [message]})
        taken.add(key)
    qms_by_agency = {
        q.agency_id: q for q in fetch_in(QualitySystem.objects.order_by(), "agency", agencies)
    }
    scopes = scope_snapshots(agencies, qms_by_agency)
    announcements = [
        Announcement(
            agency=row["agency"],
            kind=row["kind"],
            reason=(row.get("reason") or "").strip()[:300]
            if row["kind"] == AnnouncementKind.RE
            else "",
            number=number,
            date=row["date"],
            signer_name="",
            signer_title="",
            standard_version=row["standard_version"],
            scope_snapshot=scopes[row["agency"].pk],
            status=AnnouncementStatus.RECEIVED
            if row.get("received_on")
            else AnnouncementStatus.SIGNED,
            received_on=row.get("received_on"),
            imported=True,
            created_by=actor,
        )
        for row, number in zip(rows, numbers, strict=True)
    ]
    for start in range(0, len(announcements), BATCH):
        insert_objects(announcements[start : start + BATCH], batch=BATCH)
        if progress is not None:
            progress(min(start + BATCH, len(announcements)))
    audit_record_many(
        audit_event(
            actor=actor,
            action="announcement.import",
            obj=announcement,
            changes={
                "number": announcement.number,
                "date": announcement.date,
                "kind": announcement.kind,
            },
        )
        for announcement in announcements
    )
    saved_in_bulk(Announcement, announcements)
    return announcements


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
    """Record one historic announcement (``announcements_import`` of one row)."""
    row = {
        "agency": agency,
        "kind": kind,
        "number": number,
        "date": date,
        "standard_version": standard_version,
        "reason": reason,
        "received_on": received_on,
    }
    return announcements_import(actor=actor, rows=[row])[0]


@transaction.atomic
def qms_import_statuses(*, actor, rows: list[dict]) -> list[QualitySystem]:
    """Set the QMS records' version and status as the paper records give them — ``rows`` of
    agency, standard_version, status; the last row of an agency counts. A missing record is
    created; a ``qms.import`` audit event for each record whose values changed. Set-based:
    one INSERT per ``BATCH`` new records, one UPDATE per (version, status) pair and few
    hundred records."""
    latest = {row["agency"].pk: row for row in rows}
    agencies = {pk: row["agency"] for pk, row in latest.items()}
    _check_oversees(actor, agencies.values())
    existing = {
        q.agency_id: q for q in fetch_in(QualitySystem.objects.order_by(), "agency", agencies)
    }
    now = timezone.now()
    new: list[QualitySystem] = []
    changed: dict[tuple[str, str], list[int]] = {}
    done: list[tuple[QualitySystem, dict]] = []
    for pk, row in latest.items():
        qms = existing.get(pk)
        if qms is None:
            qms = QualitySystem(agency=agencies[pk])
            new.append(qms)
        else:
            qms.agency = agencies[pk]
            qms.updated_at = now
        before = snapshot(qms, QMS_IMPORT_FIELDS)
        qms.standard_version, qms.status = row["standard_version"], row["status"]
        if qms.pk is not None:
            changed.setdefault((qms.standard_version, qms.status), []).append(qms.pk)
        done.append((qms, changes_between(before, snapshot(qms, QMS_IMPORT_FIELDS))))
    insert_objects(new, batch=BATCH)
    for (version, status), pks in changed.items():
        for start in range(0, len(pks), 500):
            QualitySystem.objects.filter(pk__in=pks[start : start + 500]).update(
                standard_version=version, status=status, updated_at=now
            )
    audit_record_many(
        audit_event(
            actor=actor,
            action="qms.import",
            obj=qms,
            changes=changes,
            # str(qms), without get_status_display's hashing of every choice
            object_repr=f"{qms.agency} — {QmsStatus(qms.status).label}",
        )
        for qms, changes in done
        if changes
    )
    saved_in_bulk(QualitySystem, [qms for qms, _changes in done])
    return [qms for qms, _changes in done]


def qms_import_status(*, actor, agency: Agency, standard_version: str, status: str):
    """Set one QMS record's version and status (``qms_import_statuses`` of one row)."""
    row = {"agency": agency, "standard_version": standard_version, "status": status}
    return qms_import_statuses(actor=actor, rows=[row])[0]


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
            elif target is not None and row.ok("number"):
                try:  # in its official shape, as it will be recorded
                    number = _official(number, target).strip()
                except ValidationFailed as refused:
                    row.error("number", refused.message)
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
        taken = _taken_numbers(
            {item["agency"].pk for _row, item in wanted},
            {item["date"].year for _row, item in wanted},
        )
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
        announcements_import(
            actor=actor,
            rows=[item for item in cleaned if item["announcement"]],
            progress=progress,
        )
        latest: dict[int, dict] = {}
        for item in cleaned:
            current = latest.get(item["agency"].pk)
            # The QMS record takes the version and status of the agency's latest row.
            if current is None or (item["date"] or datetime.date.min) >= (
                current["date"] or datetime.date.min
            ):
                latest[item["agency"].pk] = item
        qms_import_statuses(actor=actor, rows=list(latest.values()))
        if progress is not None:
            progress(len(cleaned))
        return len(cleaned)
