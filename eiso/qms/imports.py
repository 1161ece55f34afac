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
from eiso.core.imports import ImportColumn, Importer, ImportReport, RowError, parse_date, register
from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope
from eiso.core.text import vn_fold
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
    if not user_may(actor, Action.MANAGE_AGENCIES, agency):
        raise NotPermitted(_("You cannot onboard this agency's QMS."))
    taken = Announcement.objects.filter(agency=agency, date__year=date.year, number__iexact=number)
    if taken.exists():
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
    if not user_may(actor, Action.MANAGE_AGENCIES, agency):
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


@register
class AnnouncementImporter(Importer):
    kind = "announcements"
    title = gettext_lazy("Import QMS status and historic announcements")
    columns = [
        ImportColumn(
            "agency_code",
            gettext_lazy("Agency code"),
            required=True,
            aliases=("ma co quan", "ma don vi", "agency"),
        ),
        ImportColumn(
            "standard_version",
            gettext_lazy("Standard version"),
            required=True,
            aliases=("phien ban", "phien ban tieu chuan", "tieu chuan", "version"),
        ),
        ImportColumn(
            "qms_status",
            gettext_lazy("QMS status"),
            aliases=("trang thai", "tinh trang", "trang thai he thong", "status"),
        ),
        ImportColumn(
            "number",
            gettext_lazy("Announcement number"),
            aliases=("so quyet dinh", "so quyet dinh cong bo", "so", "number"),
        ),
        ImportColumn("date", gettext_lazy("Date"), aliases=("ngay", "ngay quyet dinh", "ngay ky")),
        ImportColumn(
            "kind",
            gettext_lazy("Kind"),
            aliases=("loai", "hinh thuc", "cong bo lan dau / cong bo lai"),
        ),
        ImportColumn("reason", gettext_lazy("Reason"), aliases=("ly do", "ly do cong bo lai")),
        ImportColumn(
            "received_on",
            gettext_lazy("Received on"),
            aliases=("ngay tiep nhan", "ngay nhan", "received"),
        ),
    ]

    def check_permission(self, *, actor, agency) -> None:
        if user_scope(actor, Action.MANAGE_AGENCIES).empty:
            raise NotPermitted(_("Only administrators and overseers onboard QMS records."))

    def column_help(self) -> dict[str, str]:
        return {
            "agency_code": _("The code of an agency you manage."),
            "standard_version": _("2008 or 2015."),
            "qms_status": _(
                "Chưa xây dựng / Đang xây dựng / Đã áp dụng / Đã công bố / Tạm dừng; blank: "
                "“Đã công bố” when the row has an announcement."
            ),
            "number": _("Leave number, date and kind blank for a QMS not yet announced."),
            "date": _("dd/mm/yyyy"),
            "kind": _("Công bố lần đầu / Công bố lại"),
            "received_on": _("dd/mm/yyyy, when the overseer acknowledged receipt."),
        }

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        codes = {row.get("agency_code", "").strip() for row in report.rows}
        manageable = {
            a.code.casefold(): a
            for a in Agency.objects.visible_to(actor, action=Action.MANAGE_AGENCIES).filter(
                code__in=[c for c in codes if c]
            )
        }
        seen: dict[tuple[int, int, str], int] = {}
        today = timezone.localdate()
        for row in report.rows:
            n = row["_row"]
            errors: list[RowError] = []
            code = row.get("agency_code", "").strip()
            target = manageable.get(code.casefold())
            if not code:
                errors.append(RowError(n, "agency_code", _("The agency code is empty.")))
            elif target is None:
                errors.append(
                    RowError(
                        n,
                        "agency_code",
                        _("Unknown agency code %(code)s, or not an agency you manage.")
                        % {"code": code},
                    )
                )
            version = parse_version(row.get("standard_version", ""))
            if version is None:
                errors.append(
                    RowError(
                        n,
                        "standard_version",
                        _("Unknown standard version: %(v)s (2008 or 2015).")
                        % {"v": row.get("standard_version") or "—"},
                    )
                )
            number = row.get("number", "").strip()
            kind_text = row.get("kind", "").strip()
            has_announcement = bool(number or row.get("date", "").strip() or kind_text)
            status_text = row.get("qms_status", "").strip()
            status = STATUS_WORDS.get(vn_fold(status_text)) if status_text else None
            if status_text and status is None:
                errors.append(
                    RowError(n, "qms_status", _("Unknown QMS status: %(v)s.") % {"v": status_text})
                )
            if not status_text:
                status = QmsStatus.ANNOUNCED if has_announcement else None
                if status is None:
                    errors.append(
                        RowError(
                            n,
                            "qms_status",
                            _("Give the QMS status, or the announcement of this agency."),
                        )
                    )
            date = received_on = kind = None
            if has_announcement:
                if not number:
                    errors.append(RowError(n, "number", _("The announcement number is empty.")))
                try:
                    date = parse_date(row.get("date", ""))
                except ValueError:
                    errors.append(
                        RowError(
                            n,
                            "date",
                            _("Bad date: %(v)s (dd/mm/yyyy).") % {"v": row.get("date")},
                        )
                    )
                else:
                    if date is None:
                        errors.append(RowError(n, "date", _("The date is empty.")))
                    elif date > today:
                        errors.append(RowError(n, "date", _("The date is in the future.")))
                kind = _kind(kind_text)
                if kind is None:
                    errors.append(
                        RowError(
                            n,
                            "kind",
                            _("Unknown kind: %(v)s (công bố lần đầu / công bố lại).")
                            % {"v": kind_text or "—"},
                        )
                    )
                try:
                    received_on = parse_date(row.get("received_on", ""))
                except ValueError:
                    errors.append(
                        RowError(
                            n,
                            "received_on",
                            _("Bad date: %(v)s (dd/mm/yyyy).") % {"v": row.get("received_on")},
                        )
                    )
                else:
                    if received_on and date and received_on < date:
                        errors.append(
                            RowError(
                                n,
                                "received_on",
                                _("Receipt cannot be before the announcement's date."),
                            )
                        )
                if target is not None and number and date is not None:
                    key = (target.pk, date.year, number.casefold())
                    if key in seen:
                        errors.append(
                            RowError(
                                n,
                                "number",
                                _(
                                    "Duplicate decision number %(number)s for %(agency)s in "
                                    "%(year)s (also on row %(row)s)."
                                )
                                % {
                                    "number": number,
                                    "agency": target.code,
                                    "year": date.year,
                                    "row": seen[key],
                                },
                            )
                        )
                    else:
                        seen[key] = n
            elif row.get("received_on", "").strip():
                errors.append(
                    RowError(n, "received_on", _("A receipt date needs an announcement."))
                )
            report.errors.extend(errors)
            report.cleaned.append(
                {
                    "row": n,
                    "agency": target,
                    "standard_version": version,
                    "status": status,
                    "number": number,
                    "date": date,
                    "kind": kind,
                    "reason": row.get("reason", "").strip(),
                    "received_on": received_on,
                    "announcement": has_announcement,
                }
            )
        self._check_numbers_in_database(report)

    def _check_numbers_in_database(self, report: ImportReport) -> None:
        """A decision number already used by the same agency in the same year is refused
        (one query for the whole file)."""
        wanted = [
            item for item in report.cleaned if item["agency"] and item["number"] and item["date"]
        ]
        if not wanted:
            return
        years = {item["date"].year for item in wanted}
        existing = Announcement.objects.filter(
            agency__in={item["agency"].pk for item in wanted},
            date__year__in=years,
        ).exclude(number="")
        taken = {(a.agency_id, a.date.year, a.number.strip().casefold()) for a in existing}
        for item in wanted:
            key = (item["agency"].pk, item["date"].year, item["number"].casefold())
            if key in taken:
                report.errors.append(
                    RowError(
                        item["row"],
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
                )
        report.errors.sort(key=lambda e: e.row)

    def apply(self, cleaned: list, *, actor, agency) -> int:
        latest: dict[int, dict] = {}
        for item in cleaned:
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
        for item in latest.values():
            qms_import_status(
                actor=actor,
                agency=item["agency"],
                standard_version=item["standard_version"],
                status=item["status"],
            )
        return len(cleaned)
