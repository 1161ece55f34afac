import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.imports import import_file
from eiso.documents import services as documents
from eiso.documents.tests.factories import docx_upload
from eiso.organizations.tests.factories import AgencyFactory
from eiso.procedures import selectors, services
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
from eiso.procedures.parsing import parse_time_limit
from eiso.procedures.tests.factories import newest_revision

HEADER = "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,Phí,Tình trạng\n"
CATALOGUE = (
    HEADER
    + "1.001612.000.00.00.H01,Cấp Phiếu lý lịch tư pháp cho công dân,Lý lịch tư pháp,tỉnh,10 ngày,200.000 đồng,\n"
    + "2.000635,Đăng ký khai sinh,Hộ tịch,xã,Trong ngày,,Còn hiệu lực\n"
    + '2.000488,Chứng thực bản sao từ bản chính,Chứng thực,xã,"0,5",2.000 đồng/trang,\n'
).encode()


def load_catalogue(actor):
    return import_file(
        actor=actor, agency=None, kind="procedures", filename="tthc.csv", content=CATALOGUE
    )


def test_time_limits_are_read_as_published():
    assert parse_time_limit("10 ngày làm việc") == (Decimal("10"), False)
    assert parse_time_limit("0,5") == (Decimal("0.5"), False)
    assert parse_time_limit("Trong ngày") == (None, True)
    assert parse_time_limit("") == (None, False)
    with pytest.raises(ValueError):
        parse_time_limit("ba ngày")


@pytest.mark.django_db
def test_the_catalogue_imports_with_codes_kept_as_given(world):
    report = load_catalogue(world.dung)
    assert report.ok
    birth = AdministrativeProcedure.objects.get(code="2.000635")
    assert birth.within_the_day and birth.statutory_days == 0 and birth.level == "commune"
    assert AdministrativeProcedure.objects.get(code="1.001612.000.00.00.H01").time_limit_days == 10
    # a second import updates, never duplicates
    updated = CATALOGUE.replace(b"10 ng\xc3\xa0y", b"07 ng\xc3\xa0y")
    assert import_file(
        actor=world.dung, agency=None, kind="procedures", filename="t.csv", content=updated
    ).ok
    assert AdministrativeProcedure.objects.count() == 3
    assert AdministrativeProcedure.objects.get(code="1.001612.000.00.00.H01").time_limit_days == 7


@pytest.mark.django_db
def test_bad_catalogue_rows_are_reported_and_nothing_is_saved(world):
    content = (
        HEADER
        + "2.000635,Đăng ký khai sinh,Hộ tịch,xã,Trong ngày,,\n"
        + "2.000635,Trùng mã,Hộ tịch,xã,1,,\n"
        + "2.000999,Cấp lạ,Hộ tịch,trung ương,1,,\n"
        + "2.000998,Thời hạn lạ,Hộ tịch,xã,ba ngày,,\n"
        + "2.000997,Tình trạng lạ,Hộ tịch,xã,1,,tạm dừng\n"
    ).encode()
    report = import_file(
        actor=world.dung, agency=None, kind="procedures", filename="t.csv", content=content
    )
    assert [e.column for e in report.errors] == ["code", "level", "time_limit", "status"]
    assert [e.row for e in report.errors] == [3, 4, 5, 6]
    assert not AdministrativeProcedure.objects.exists()


@pytest.mark.django_db
def test_only_keepers_import_the_catalogue(world, tmp_path):
    with pytest.raises(NotPermitted):
        load_catalogue(world.an)
    world.quan.is_superuser = True
    world.quan.save()
    path = tmp_path / "tthc.csv"
    path.write_bytes(CATALOGUE)
    call_command("import_procedures", str(path))
    assert AdministrativeProcedure.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"X,,,,,,\n")
    with pytest.raises(CommandError):
        call_command("import_procedures", str(bad))


@pytest.mark.django_db
def test_assigning_in_bulk_and_removing_keeps_history(world):
    load_catalogue(world.dung)
    commune_level = selectors.catalogue_list(level="commune")
    assert services.handled_assign(actor=world.an, agency=world.A, procedures=commune_level) == 2
    assert services.handled_assign(actor=world.an, agency=world.A, procedures=commune_level) == 0
    with pytest.raises(NotPermitted):
        services.handled_assign(actor=world.binh, agency=world.A, procedures=commune_level)
    with pytest.raises(NotPermitted):
        services.handled_assign(actor=world.an, agency=world.B, procedures=commune_level)
    services.handled_remove(actor=world.an, agency=world.A, procedures=commune_level[:1])
    assert HandledProcedure.objects.filter(agency=world.A).count() == 2
    assert HandledProcedure.objects.filter(agency=world.A, is_active=True).count() == 1


@pytest.mark.django_db
def test_coverage_counts_only_issued_iso_procedures(world):
    load_catalogue(world.dung)
    procedures = list(selectors.catalogue_list())
    services.handled_assign(actor=world.an, agency=world.A, procedures=procedures)
    birth = AdministrativeProcedure.objects.get(code="2.000635")
    document = documents.document_create(
        actor=world.an,
        agency=world.A,
        code="QT-TTHC-01",
        title="Đăng ký khai sinh",
        kind="tthc_procedure",
    )
    services.iso_procedure_link(actor=world.an, document=document, procedure=birth)
    assert selectors.coverage_of(user=world.an, agency=world.A).covered == 0  # only a draft
    revision = document.revisions.get()
    documents.revision_attach_file(actor=world.an, revision=revision, upload=docx_upload())
    documents.revision_submit(actor=world.an, revision=revision)
    documents.revision_approve(actor=world.hai, revision=revision)
    decision = documents.decision_create(
        actor=world.an,
        agency=world.A,
        subject="x",
        signer_name="y",
        signer_title="z",
        revisions=[revision],
    )
    documents.decision_sign(
        actor=world.hai, decision=decision, number="1/QĐ", date=datetime.date(2026, 1, 5)
    )
    coverage = selectors.coverage_of(user=world.an, agency=world.A)
    assert (coverage.handled, coverage.covered, coverage.gaps, coverage.percent) == (3, 1, 2, 33)
    gaps = selectors.handled_list(user=world.an, agency=world.A, coverage="gap")
    assert {h.procedure.code for h in gaps} == {"1.001612.000.00.00.H01", "2.000488"}
    covered = selectors.handled_list(user=world.an, agency=world.A, coverage="covered").get()
    assert covered.iso_document_code == "QT-TTHC-01"


@pytest.mark.django_db
def test_links_are_refused_when_they_make_no_sense(world):
    load_catalogue(world.dung)
    birth = AdministrativeProcedure.objects.get(code="2.000635")
    form = documents.document_create(
        actor=world.an, agency=world.A, code="BM-01", title="x", kind="form"
    )
    procedure_doc = documents.document_create(
        actor=world.an, agency=world.A, code="QT-TTHC-01", title="x", kind="tthc_procedure"
    )
    with pytest.raises(ValidationFailed):  # not handled by the agency
        services.iso_procedure_link(actor=world.an, document=procedure_doc, procedure=birth)
    services.handled_assign(actor=world.an, agency=world.A, procedures=[birth])
    with pytest.raises(ValidationFailed):  # a form is not an ISO procedure
        services.iso_procedure_link(actor=world.an, document=form, procedure=birth)
    services.iso_procedure_link(actor=world.an, document=procedure_doc, procedure=birth)
    other = documents.document_create(
        actor=world.an, agency=world.A, code="QT-TTHC-02", title="y", kind="tthc_procedure"
    )
    with pytest.raises(ValidationFailed):  # one ISO procedure per TTHC
        services.iso_procedure_link(actor=world.an, document=other, procedure=birth)


@pytest.mark.django_db
def test_the_step_table_total_is_checked_against_the_statutory_time(world):
    load_catalogue(world.dung)
    record = AdministrativeProcedure.objects.get(code="1.001612.000.00.00.H01")  # 10 days
    services.handled_assign(actor=world.an, agency=world.A, procedures=[record])
    document = documents.document_create(
        actor=world.an, agency=world.A, code="QT-TTHC-01", title="LLTP", kind="tthc_procedure"
    )
    services.iso_procedure_link(actor=world.an, document=document, procedure=record)
    steps = [
        {"name": "Tiếp nhận hồ sơ", "responsible": "Bộ phận một cửa", "time_days": "0.5"},
        {"name": "Thẩm định, tra cứu", "responsible": "Phòng Hành chính tư pháp", "time_days": "7"},
        {
            "name": "Ký, trả kết quả",
            "responsible": "Lãnh đạo Sở",
            "time_days": "1.5",
            "forms_results": "Phiếu LLTP số 1",
        },
    ]
    services.steps_replace(actor=world.an, revision=newest_revision(document), steps=steps)
    table = selectors.step_table(document=document)
    assert table.total_days == 9 and table.statutory_days == 10 and table.mismatch
    steps[1]["time_days"] = "8"
    services.steps_replace(actor=world.an, revision=newest_revision(document), steps=steps)
    assert not selectors.step_table(document=document).mismatch
    with pytest.raises(ValidationFailed):
        services.steps_replace(
            actor=world.an,
            revision=newest_revision(document),
            steps=[{"name": "", "responsible": ""}],
        )
    assert len(selectors.step_table(document=document).steps) == 3


@pytest.mark.django_db
def test_the_rollup_is_aggregated_in_sql(world, django_assert_num_queries):
    load_catalogue(world.dung)
    procedures = list(selectors.catalogue_list())
    services.handled_assign(actor=world.an, agency=world.A, procedures=procedures)
    overseer = type(world.dung).objects.get(pk=world.dung.pk)  # a fresh request
    with django_assert_num_queries(2):  # the scope, then one query for every agency
        rows = {a.code: (a.handled, a.covered) for a in selectors.coverage_rollup(user=overseer)}
    assert rows["A"] == (3, 0) and rows["B"] == (0, 0) and "C" not in rows
    for _ in range(20):
        AgencyFactory(parent=world.P)
    fresh = type(world.dung).objects.get(pk=world.dung.pk)
    with django_assert_num_queries(2):
        assert len(list(selectors.coverage_rollup(user=fresh))) == 23
