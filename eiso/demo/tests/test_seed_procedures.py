"""The administrative procedures of the demo province (procedures.py). As in
test_seed_demo.py, the province is built once for the module, in a transaction rolled back at
the end; only the rerun tests build again (and roll their own changes back)."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from eiso.accounts.models import User
from eiso.core.models import AuditEvent
from eiso.demo import data_procedures as tthc
from eiso.demo.procedures import (
    build_procedures,
    catalogue_csv,
    catalogue_xlsx,
    procedure_counts,
)
from eiso.demo.qms import SCOPE_ADDED
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document
from eiso.procedures import selectors, services
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
    ProcedureStep,
)

pytestmark = pytest.mark.django_db

DEMO_AGENCIES = ("STP", "SYT", "PHUONG-THANH-MY", "XA-AN-PHU")
MISMATCHED = {("SYT", "QT-TTHC-03"), ("PHUONG-THANH-MY", "QT-TTHC-04")}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield seed("--quiet")
        transaction.set_rollback(True)


@pytest.fixture
def overseer(output):
    return User.objects.get(username="giamsat")


def counts() -> list[int]:
    return [
        model.objects.count()
        for model in (
            AdministrativeProcedure,
            HandledProcedure,
            IsoProcedure,
            ProcedureStep,
            AuditEvent,
        )
    ]


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


def test_the_catalogue_was_imported_with_its_codes_kept_exactly(output):
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


def test_time_limits_fees_and_decisions_are_as_published(output):
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


def test_the_demo_secretaries_entered_their_lists(output):
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


def test_each_linked_iso_procedure_is_an_issued_tthc_procedure_of_its_agency(output):
    links = IsoProcedure.objects.select_related("document", "procedure", "agency")
    assert {(link.agency.code, link.document.code) for link in links} == {
        (spec.agency, spec.document) for spec in tthc.LINKS
    }
    for link in links:
        assert link.document.kind == DocumentKind.TTHC_PROCEDURE
        assert link.document.current_revision_id is not None
        assert HandledProcedure.objects.filter(
            agency=link.agency, procedure=link.procedure, is_active=True
        ).exists()
    birth = links.get(agency__code="PHUONG-THANH-MY", document__code="QT-TTHC-01")
    assert birth.procedure.code == "1.001193"
    assert birth.document.title == "Đăng ký khai sinh"


def test_step_tables_match_the_statutory_limit_except_two(output):
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


def test_step_tables_follow_the_later_revisions(output):
    """The criminal-record procedure went down to 7 days with the catalogue; the ward's marital
    status certificate to 2 days below the catalogue's 3 (hence its mismatch)."""
    record = selectors.step_table(
        document=Document.objects.get(agency__code="STP", code="QT-TTHC-01")
    )
    assert record.total_days == record.statutory_days == 7
    ward = selectors.step_table(
        document=Document.objects.get(agency__code="PHUONG-THANH-MY", code="QT-TTHC-04")
    )
    assert (ward.total_days, ward.statutory_days) == (Decimal(2), Decimal(3))
    written = AuditEvent.objects.filter(
        action="procedure.steps", agency__code="PHUONG-THANH-MY"
    ).order_by("created_at")
    assert timezone.localdate(written.last().created_at).isoformat() == "2026-02-09"
    assert written.count() == 7  # six tables, one of them rewritten


def test_the_summary_counts_the_procedures(output):
    totals = procedure_counts(User.objects.get(username="admin"))
    assert (totals.catalogue, totals.links, totals.mismatches) == (len(tthc.CATALOGUE), 22, 2)
    assert totals.gaps == totals.handled - totals.covered > 0
    wanted = [totals.catalogue, totals.handled, totals.covered, totals.gaps, totals.mismatches]
    assert any(all(re.search(rf"\b{n}\b", line) for n in wanted) for line in output.splitlines()), (
        output
    )


# --- idempotence -------------------------------------------------------------------------------


def test_running_it_again_changes_nothing(output):
    before = counts()
    seed("--quiet")
    assert counts() == before


def test_a_step_table_edited_in_the_app_is_left_alone(output):
    document = Document.objects.get(agency__code="XA-AN-PHU", code="QT-TTHC-02")
    secretary = User.objects.get(username="thuky.anphu")
    admin = User.objects.get(username="admin")
    with transaction.atomic():
        services.steps_replace(
            actor=secretary,
            document=document,
            steps=[{"name": "Tiếp nhận và trả kết quả", "responsible": "Một cửa"}],
        )
        before = counts()
        added = build_procedures(admin)
        assert added.nothing and counts() == before
        assert list(document.steps.values_list("name", flat=True)) == ["Tiếp nhận và trả kết quả"]
        transaction.set_rollback(True)
