"""The administrative procedures of the demo province (procedures.py) and the step tables the
documents step writes on the drafts of the ISO procedures. The province is built once for the
package (conftest.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from eiso.accounts.models import User
from eiso.core.models import AuditEvent
from eiso.demo import data_procedures as tthc
from eiso.demo.documents import build_documents
from eiso.demo.procedures import (
    catalogue_csv,
    catalogue_xlsx,
    planned_steps,
    procedure_counts,
)
from eiso.demo.qms import SCOPE_ADDED
from eiso.demo.tests.helpers import report
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document
from eiso.procedures import selectors, services
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
)

pytestmark = pytest.mark.django_db

DEMO_AGENCIES = ("STP", "SYT", "PHUONG-THANH-MY", "XA-AN-PHU")
MISMATCHED = {("SYT", "QT-TTHC-03"), ("PHUONG-THANH-MY", "QT-TTHC-04")}


# --- the catalogue ----------------------------------------------------------------------------


def test_the_files_are_read_back_with_codes_as_text():
    """The in-memory XLSX keeps every code a string (``2.000815``, never 2.000815 as a number)."""
    sheet = load_workbook(BytesIO(catalogue_xlsx(tthc.COMMUNE))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [row.code for row in tthc.COMMUNE]
    assert (
        catalogue_csv(tthc.COMMUNE[:1])
        .decode("utf-8-sig")
        .splitlines()[1]
        .startswith("1.001193,Đăng ký khai sinh,Hộ tịch,Cấp xã,")
    )


def test_the_catalogue_was_imported_with_its_codes_kept_exactly(demo):
    codes = set(AdministrativeProcedure.objects.values_list("code", flat=True))
    assert codes == {row.code for row in tthc.CATALOGUE}
    assert 80 <= len(codes) <= 120
    assert "1.004851.000.00.00.H66" in codes and "2.000815" in codes
    levels = {
        level: AdministrativeProcedure.objects.filter(level=level).count()
        for level in ("provincial", "district", "commune")
    }
    assert levels["provincial"] > 40 and levels["commune"] > 40
    district = AdministrativeProcedure.objects.filter(level="district")
    assert district.exists() and not district.filter(is_active=True).exists()
    abolished = AdministrativeProcedure.objects.filter(is_active=False)
    assert abolished.count() == sum(row.status == tthc.ABOLISHED for row in tthc.CATALOGUE)
    assert abolished.filter(level="provincial").exists()
    # through the real import: one audited import for the list and one per amendment
    assert AuditEvent.objects.filter(action="import.procedures").count() == 1 + len(tthc.AMENDMENTS)
    assert AuditEvent.objects.filter(action="procedure.create").count() == len(codes)


def test_time_limits_fees_and_decisions_are_as_published(demo):
    birth = AdministrativeProcedure.objects.get(code="1.001193")
    assert birth.within_the_day and birth.statutory_days == 0 and birth.field == "Hộ tịch"
    half = AdministrativeProcedure.objects.get(code="2.001050")
    assert half.time_limit_days == Decimal("0.5") and half.time_limit_text == "0,5"
    marriage = AdministrativeProcedure.objects.get(code="1.004873")
    assert marriage.time_limit_days == 3 and marriage.fee
    assert marriage.published_by.startswith("Quyết định 1234/QĐ-UBND ngày 27/06/2025")
    assert AdministrativeProcedure.objects.filter(field="Thành lập và hoạt động doanh nghiệp")
    # the 2026 amendment shortened the criminal-record certificate from 10 to 7 days
    record = AdministrativeProcedure.objects.get(code=tthc.LLTP_CITIZENS)
    assert record.time_limit_days == 7
    assert "245/QĐ-UBND ngày 26/02/2026" in record.published_by


# --- handled procedures and coverage -----------------------------------------------------------


def test_the_demo_agencies_handle_their_fields_with_covered_procedures_and_gaps(overseer):
    coverage = {
        a.code: (a.handled, a.covered)
        for a in selectors.coverage_rollup(user=overseer)
        if a.code in DEMO_AGENCIES
    }
    assert set(coverage) == set(DEMO_AGENCIES)
    for code, (handled, covered) in coverage.items():
        assert 0 < covered <= handled, code
    gaps = {code for code, (handled, covered) in coverage.items() if covered < handled}
    assert gaps == {"STP", "PHUONG-THANH-MY", "XA-AN-PHU"}  # the Sở Y tế covers all of its
    communes = HandledProcedure.objects.filter(agency__code="XA-AN-PHU", is_active=True)
    assert set(communes.values_list("procedure__level", flat=True)) == {"commune"}
    assert (
        communes.count()
        == AdministrativeProcedure.objects.filter(level="commune", is_active=True).count()
    )
    fields = set(
        HandledProcedure.objects.filter(agency__code="STP").values_list(
            "procedure__field", flat=True
        )
    )
    assert {"Lý lịch tư pháp", "Công chứng", "Hộ tịch"} <= fields
    assert not HandledProcedure.objects.filter(procedure__is_active=False).exists()


def test_the_overseers_rollup_shows_0_partial_and_100_percent(overseer):
    rows = [a for a in selectors.coverage_rollup(user=overseer) if a.handled]
    percents = {round(100 * a.covered / a.handled) for a in rows}
    assert 0 in percents and 100 in percents
    assert any(0 < p < 100 for p in percents)
    zero = [a for a in rows if not a.covered]
    assert len(zero) >= 15
    assert sum(a.kind.code == "ubnd_xa" for a in zero) >= 14
    assert sum(a.kind.code == "so_nganh" for a in zero) >= 5


def test_the_demo_secretaries_entered_their_lists(demo):
    event = AuditEvent.objects.filter(action="scope.add_procedures", agency__code="STP").earliest(
        "created_at"
    )
    assert event.actor.username == "thuky.stp"
    assert timezone.localdate(event.created_at).isoformat() == "2025-07-16"
    # as entered in July 2025 (the Sở Tư pháp widens its scope in 2026: see qms.py)
    agency, day = SCOPE_ADDED
    later = HandledProcedure.objects.filter(agency__code=agency, since=day)
    since = set(HandledProcedure.objects.exclude(pk__in=later).values_list("since", flat=True))
    assert since == {tthc.HANDLED_SINCE}


# --- links and step tables ---------------------------------------------------------------------


def test_each_linked_iso_procedure_is_an_issued_tthc_procedure_of_its_agency(demo):
    links = IsoProcedure.objects.select_related("document", "procedure", "agency")
    assert {(link.agency.code, link.document.code) for link in links} == {
        (spec.agency, spec.document) for spec in tthc.LINKS
    }
    for link in links:
        assert link.document.kind == DocumentKind.TTHC_PROCEDURE
        assert link.document.revisions.filter(status=RevisionStatus.ISSUED).exists()
        assert HandledProcedure.objects.filter(
            agency=link.agency, procedure=link.procedure, is_active=True
        ).exists()
    birth = links.get(agency__code="PHUONG-THANH-MY", document__code="QT-TTHC-01")
    assert birth.procedure.code == "1.001193"
    assert birth.document.title == "Đăng ký khai sinh"


def test_step_tables_match_the_statutory_limit_except_two(demo):
    mismatched = set()
    for document in Document.objects.filter(implements__isnull=False).select_related("agency"):
        table = selectors.step_table(document=document)
        assert 4 <= len(table.steps) <= 6, document
        assert table.steps[0].name.startswith("Tiếp nhận")
        assert "Trung tâm Phục vụ hành chính công" in table.steps[0].responsible
        if table.mismatch:
            mismatched.add((document.agency.code, document.code))
    assert mismatched == MISMATCHED
    drug = selectors.step_table(
        document=Document.objects.get(agency__code="SYT", code="QT-TTHC-03")
    )
    assert (drug.total_days, drug.statutory_days) == (Decimal(22), Decimal(20))
    same_day = selectors.step_table(
        document=Document.objects.get(agency__code="XA-AN-PHU", code="QT-TTHC-01")
    )
    assert not same_day.mismatch and same_day.statutory_days == 0
    assert same_day.steps[2].responsible == "Chủ tịch hoặc Phó Chủ tịch UBND xã"


def test_step_tables_follow_the_later_revisions(demo):
    """The criminal-record procedure went down to 7 days with the catalogue; the ward's marital
    status certificate to 2 days below the catalogue's 3 (hence its mismatch). Each table was
    written on the draft of the revision that issued it: an issued table never changes."""
    record = selectors.step_table(
        document=Document.objects.get(agency__code="STP", code="QT-TTHC-01")
    )
    assert record.total_days == record.statutory_days == 7
    ward_document = Document.objects.get(agency__code="PHUONG-THANH-MY", code="QT-TTHC-04")
    ward = selectors.step_table(document=ward_document)
    assert (ward.total_days, ward.statutory_days) == (Decimal(2), Decimal(3))
    # revisions 01 and 02 keep the 3-day table they were issued with
    totals = [
        selectors.step_table(document=ward_document, revision=revision).total_days
        for revision in ward_document.revisions.order_by("number")
    ]
    assert totals == [Decimal(3), Decimal(3), Decimal(2)]
    written = AuditEvent.objects.filter(
        action="procedure.steps", agency__code="PHUONG-THANH-MY"
    ).order_by("created_at")
    # drafted two weeks before the decision of 09/02/2026 that issued it
    assert timezone.localdate(written.last().created_at).isoformat() == "2026-01-26"
    assert written.count() == 7  # six tables, one of them rewritten in a later revision


def test_the_plan_gives_each_revision_the_table_of_its_day():
    first = planned_steps("STP", "QT-TTHC-01", tthc.LINKS[0].on)
    later = planned_steps("STP", "QT-TTHC-01", datetime.date(2026, 3, 16))
    assert sum(row["time_days"] or 0 for row in first) == 10
    assert sum(row["time_days"] or 0 for row in later) == 7
    assert planned_steps("STP", "QT-NB-01", datetime.date(2026, 3, 16)) is None


def test_the_summary_counts_the_procedures(demo):
    totals = procedure_counts(User.objects.get(username="admin"))
    assert (totals.catalogue, totals.links, totals.mismatches) == (len(tthc.CATALOGUE), 22, 2)
    assert totals.step_tables == 22
    assert totals.gaps == totals.handled - totals.covered > 0
    line = report(demo, "procedures").totals
    numbers = {int(n) for n in re.findall(r"\d+", line)}
    assert {totals.catalogue, totals.covered, totals.step_tables, totals.mismatches} <= numbers


# --- idempotence -------------------------------------------------------------------------------


def test_a_step_table_edited_in_the_app_is_left_alone(demo):
    """The commune's secretary edits the table of her draft: a later run keeps her table."""
    document = Document.objects.get(agency__code="XA-AN-PHU", code="QT-TTHC-02")
    draft = document.revisions.get(status=RevisionStatus.DRAFT)
    secretary = User.objects.get(username="thuky.anphu")
    with transaction.atomic():
        services.steps_replace(
            actor=secretary,
            revision=draft,
            steps=[{"name": "Tiếp nhận và trả kết quả", "responsible": "Một cửa"}],
        )
        build_documents()
        assert list(draft.steps.values_list("name", flat=True)) == ["Tiếp nhận và trả kết quả"]
        transaction.set_rollback(True)
