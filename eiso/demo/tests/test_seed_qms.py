"""The QMS records of the demo province (qms.py). The province is built once for the package
(conftest.py)."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from eiso.core.models import AuditEvent, Notification
from eiso.demo import qms as plan
from eiso.demo.qms import build_qms, onboarding_xlsx, qms_counts
from eiso.demo.tests.helpers import report
from eiso.organizations.models import Agency
from eiso.oversight import selectors as oversight_selectors
from eiso.procedures.models import HandledProcedure
from eiso.qms import selectors
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, CommitteeRole, ReminderKind
from eiso.qms.models import (
    Announcement,
    CommitteeDecision,
    CommitteeMember,
    QualitySystem,
    Reminder,
)

pytestmark = pytest.mark.django_db

DEMO_AGENCIES = ("STP", "SYT", "PHUONG-THANH-MY", "XA-AN-PHU")


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def counts() -> list[int]:
    return [
        model.objects.count()
        for model in (
            QualitySystem,
            Announcement,
            CommitteeDecision,
            CommitteeMember,
            Reminder,
            HandledProcedure,
            Notification,
            AuditEvent,
        )
    ]


# --- the overseer's view ----------------------------------------------------------------------


def test_the_summary_shows_a_province_announcing_in_both_tiers(overseer):
    today = timezone.localdate()
    rows = {row["tier"]: row for row in oversight_selectors.summary(user=overseer, on=today)}
    provincial, commune, total = rows["provincial"], rows["commune"], rows[""]
    assert provincial["announced"] >= provincial["agencies"] // 2
    assert commune["announced"] >= commune["agencies"] // 2
    # realistic, not complete: some built or applied only, some not started
    assert 0 < provincial["not_announced"] < provincial["agencies"]
    assert provincial["not_announced"] == provincial["agencies"] - provincial["announced"]
    assert commune["applied"] > commune["announced"] and commune["built"] > commune["applied"]
    assert provincial["re_announced"] and commune["re_announced"]
    assert total["announced"] == provincial["announced"] + commune["announced"]


def test_the_output_reports_the_qms_counts(demo, overseer):
    totals = qms_counts(overseer)
    assert totals.announced >= 50 and totals.due >= 1 and totals.received >= 40
    assert f"{totals.announced} " in report(demo, "qms").totals
    assert totals.drafts == 1 and totals.committees == 4 and totals.flagged == 1


def test_history_was_imported_once_with_the_real_importer(demo):
    assert AuditEvent.objects.filter(action="import.announcements").count() == 1
    imported = Announcement.objects.filter(imported=True)
    assert imported.count() == AuditEvent.objects.filter(action="announcement.import").count()
    years = {day.year for day in imported.values_list("date", flat=True)}
    assert min(years) == 2019 and max(years) == 2025
    # most were received by the overseer, none in the future
    assert imported.filter(received_on__isnull=False).count() > imported.count() * 3 // 4
    assert not imported.filter(date__gt=plan.ONBOARDED_ON).exists()
    # numbers as written on paper
    assert imported.filter(number__endswith="/QĐ-UBND", agency__tier="commune").exists()
    assert imported.filter(agency__code="SNV", number__endswith="/QĐ-SNV").exists()
    # the merged communes announced again after 01/07/2025
    merged = imported.filter(agency__tier="commune", kind=AnnouncementKind.RE)
    assert merged.exists()
    assert all(a.date >= datetime.date(2025, 7, 1) for a in merged)
    assert all("sáp nhập đơn vị hành chính" in a.reason for a in merged)
    assert QualitySystem.objects.exclude(standard_version="2015").count() == 0


def test_the_import_file_reads_back_with_dates_as_text():
    rows = [plan.ImportRow("SNV", "announced", "125/QĐ-SNV", datetime.date(2021, 3, 5), "x")]
    sheet = load_workbook(BytesIO(onboarding_xlsx(rows))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert values[0] == "SNV" and values[3] == "125/QĐ-SNV" and values[4] == "05/03/2021"


# --- the demo agencies ------------------------------------------------------------------------


def test_the_demo_announcements_went_through_the_services(overseer):
    for code in DEMO_AGENCIES[:3]:
        signed = Announcement.objects.get(agency__code=code, imported=False)
        assert signed.status == AnnouncementStatus.RECEIVED
        assert signed.received_by == overseer and signed.received_on >= signed.date
        assert signed.signed_file and signed.signed_file.read(5) == b"%PDF-"
        for action in ("create", "sign", "send", "receive"):
            assert AuditEvent.objects.filter(
                action=f"announcement.{action}", object_id=str(signed.pk)
            ).exists(), (code, action)
    # the departments announce again (their first announcement is on paper), the ward first
    assert Announcement.objects.get(agency__code="STP", imported=False).kind == AnnouncementKind.RE
    ward = Announcement.objects.get(agency__code="PHUONG-THANH-MY")
    assert ward.kind == AnnouncementKind.FIRST and ward.number == "64/QĐ-UBND"


def test_the_commune_of_an_phu_is_drafting_after_the_reminder(overseer):
    draft = selectors.draft_announcement(user=overseer, agency=agency("XA-AN-PHU"))
    assert draft is not None and draft.kind == AnnouncementKind.FIRST
    assert draft.procedure_codes and draft.signer_name == "Lý Văn Sang"


def test_the_justice_department_must_announce_again(overseer):
    stp = agency("STP")
    added = HandledProcedure.objects.filter(agency=stp, since=plan.SCOPE_ADDED[1])
    codes = set(added.values_list("procedure__code", flat=True))
    assert codes and set(added.values_list("procedure__field", flat=True)) == {"Trợ giúp pháp lý"}
    reasons = " ".join(selectors.reannouncement_reasons(user=overseer, agency=stp))
    assert all(code in reasons for code in codes)
    assert stp in oversight_selectors.registry_table(user=overseer, due="yes")
    # the others of the demo are up to date
    for code in ("SYT", "PHUONG-THANH-MY"):
        assert not selectors.reannouncement_reasons(user=overseer, agency=agency(code))


def test_each_demo_agency_has_its_committee_and_one_is_flagged(overseer):
    flagged = {}
    for code in DEMO_AGENCIES:
        state = selectors.committee_state(user=overseer, agency=agency(code))
        roles = {m.user.username.split(".")[0]: m.committee_role for m in state.members}
        assert roles["thutruong"] == CommitteeRole.HEAD
        assert roles["thuky"] == CommitteeRole.SECRETARY
        assert roles["canbo"] == roles["dgnb"] == CommitteeRole.MEMBER
        flagged[code] = state.flags
    assert [code for code, flags in flagged.items() if flags] == ["STP"]
    assert "Võ Thị Kim Oanh" in flagged["STP"][0]


def test_the_overseer_reminded_the_agencies_not_announced(overseer):
    reminders = Reminder.objects.filter(sent_by=overseer)
    assert reminders.exists()
    assert set(reminders.values_list("kind", flat=True)) == {ReminderKind.NOT_ANNOUNCED}
    assert all(r.sent_at.date() == plan.REMINDED_ON for r in reminders)
    # every agency reminded must apply, and had not announced then
    assert not reminders.filter(agency__must_apply=False).exists()
    assert not Announcement.objects.filter(
        agency__in=reminders.values("agency"), date__lte=plan.REMINDED_ON
    ).exists()


# --- idempotence ------------------------------------------------------------------------------


def test_a_second_build_writes_nothing(demo):
    with transaction.atomic():
        before = counts()
        assert build_qms().nothing and counts() == before
        transaction.set_rollback(True)
