"""Pages of documents and revisions, through the test client: isolation, the whole life of a
procedure in the browser, and every refusal (clear message, nothing saved)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eiso.core.testing import IsolationContract
from eiso.documents import services
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import (
    Acknowledgement,
    Document,
    IssuingDecision,
    Revision,
    RevisionFile,
)
from eiso.documents.tests.factories import (
    docx_upload,
    issue_revisions,
    make_draft,
    make_issued,
    pdf_upload,
    tr,
    xlsx_rows,
)
from eiso.organizations.tests.factories import DepartmentFactory

TODAY = timezone.localdate()


def detail(document) -> str:
    return reverse("documents:detail", args=[document.pk])


def body(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
class TestDocumentPagesIsolation(IsolationContract):
    """Issued documents: the list, the document page, its files; edits and steps."""

    def make(self, world, agency):
        document, _ = make_issued(world, agency, code=f"QT-ISO-{agency.code}")
        return document

    def list_url(self):
        return reverse("documents:list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        attached = obj.in_force.files.get()
        return [detail(obj), reverse("documents:file_download", args=[attached.pk])]

    def change_requests(self, obj):
        return [
            ("get", reverse("documents:edit", args=[obj.pk]), {}),
            ("post", reverse("documents:edit", args=[obj.pk]), {"code": obj.code, "title": "x"}),
            ("post", reverse("documents:revision_start", args=[obj.pk]), {}),
            ("post", reverse("documents:withdraw", args=[obj.pk]), {"reason": "Bãi bỏ"}),
            ("post", reverse("documents:acknowledge", args=[obj.in_force.pk]), {}),
        ]

    def create_request(self, world, agency):
        foreign_department = DepartmentFactory(agency=agency)
        return (
            "post",
            reverse("documents:create"),
            {
                "code": "QT-MOI",
                "title": "Tài liệu nhắm vào cơ quan khác",
                "kind": "form",
                "department": foreign_department.pk,
            },
        )

    def count(self):
        return Document.objects.count()


@pytest.mark.django_db
class TestRevisionPagesIsolation(IsolationContract):
    """Drafts: readable by the agency's keepers and its overseers, changed only by the keepers."""

    def make(self, world, agency):
        document, _ = make_draft(world, agency, code=f"QT-DRAFT-{agency.code}")
        return document

    def list_url(self):
        return reverse("documents:list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        attached = RevisionFile.objects.get(revision__document=obj)
        return [detail(obj), reverse("documents:file_download", args=[attached.pk])]

    def change_requests(self, obj):
        revision = obj.revisions.get()
        attached = revision.files.get()
        return [
            ("get", reverse("documents:revision_edit", args=[revision.pk]), {}),
            (
                "post",
                reverse("documents:revision_edit", args=[revision.pk]),
                {"content": "x", "version": revision.version},
            ),
            ("post", reverse("documents:revision_upload", args=[revision.pk]), {}),
            ("post", reverse("documents:file_remove", args=[attached.pk]), {}),
            ("post", reverse("documents:revision_submit", args=[revision.pk]), {}),
            ("post", reverse("documents:revision_return", args=[revision.pk]), {"comment": "x"}),
            ("post", reverse("documents:revision_approve", args=[revision.pk]), {}),
        ]


# --- the list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_current_revision_and_the_one_in_preparation(client, world):
    document, _ = make_issued(world, world.A, code="QT-01", effective_date=TODAY)
    services.revision_start(actor=world.an, document=document, change_summary="Sửa đổi")
    make_draft(world, world.A, code="BM-01", kind="form")
    client.force_login(world.an)
    response = client.get(reverse("documents:list"))
    page = body(response)
    assert "QT-01" in page and "BM-01" in page
    row = page[page.index("QT-01") : page.index("</tr>", page.index("QT-01"))]
    assert TODAY.strftime("%d/%m/%Y") in row
    assert 'data-validity="in_force"' in row and 'data-status="draft"' in row
    assert reverse("documents:create") in page and reverse("documents:templates") in page


@pytest.mark.django_db
def test_staff_see_issued_documents_only_and_no_drafting_buttons(client, world):
    issued, _ = make_issued(world, world.A, code="QT-01")
    services.revision_start(actor=world.an, document=issued, change_summary="Sửa đổi")
    make_draft(world, world.A, code="QT-02")
    client.force_login(world.binh)
    page = body(client.get(reverse("documents:list")))
    assert "QT-01" in page and "QT-02" not in page
    assert 'data-status="draft"' not in page  # the revision in preparation is not shown
    assert reverse("documents:create") not in page


@pytest.mark.django_db
def test_search_ignores_diacritics_and_filters_combine(client, world):
    make_issued(world, world.A, code="QT-01", title="Quy trình đăng ký khai sinh")
    make_draft(world, world.A, code="BM-01", title="Biểu mẫu tờ khai", kind="form")
    client.force_login(world.an)
    url = reverse("documents:list")
    page = body(client.get(url, {"q": "dang ky khai sinh"}))
    assert "QT-01" in page and "BM-01" not in page
    page = body(client.get(url, {"kind": "form"}))
    assert "BM-01" in page and "QT-01" not in page
    page = body(client.get(url, {"state": "never_issued"}))
    assert "BM-01" in page and "QT-01" not in page
    page = body(client.get(url, {"effective_from": TODAY.strftime("%d/%m/%Y")}))
    assert "QT-01" in page and "BM-01" not in page
    page = body(client.get(url, {"ordering": "-code"}))
    assert page.index("QT-01") < page.index("BM-01")


@pytest.mark.django_db
def test_document_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    make_issued(world, world.A, code="QT-00")
    client.force_login(world.an)
    url = reverse("documents:list")
    # session, user, memberships, departments (filter), count, page, revisions in force
    with django_assert_num_queries(8):
        client.get(url)
    drafts = [
        make_draft(world, world.A, code=f"QT-{n:02d}", with_file=False, content="Nội dung")
        for n in range(1, 21)
    ]
    issue_revisions(world, [revision for _, revision in drafts[:10]], number="99/QĐ")
    for document, _ in drafts[:5]:  # issued, with a revision in preparation
        services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 21


@pytest.mark.django_db
def test_lists_read_revisions_without_their_texts(client, world):
    """A revision's content (a procedure's whole text) and its notes are read by the
    document's page, never by the lists of documents, the master list, a legal text's
    documents or their API, which show only numbers, dates and decisions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = "Bước 1. Tiếp nhận hồ sơ. " * 400  # 10 KB
    basis = services.external_document_create(
        actor=world.dung, agency=world.P, number="63/2010/NĐ-CP", title="TTHC", is_shared=True
    )
    document, _ = make_issued(
        world, world.A, code="QT-01", content=text, effective_date=TODAY, legal_bases=[basis]
    )
    client.force_login(world.an)
    lists = [
        reverse("documents:list"),
        reverse("documents:master_list"),
        reverse("documents:external_detail", args=[basis.pk]),
        reverse("api:document-list"),
        reverse("api:master-list") + f"?agency={world.A.pk}",
    ]
    for url in lists:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "QT-01" in response.content.decode(), url
        read = [q["sql"] for q in queries if 'FROM "documents_revision"' in q["sql"]]
        assert read and not any('"documents_revision"."content"' in sql for sql in read), url
        assert text[:40] not in response.content.decode()
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert text[:40] in page


@pytest.mark.django_db
def test_only_the_master_list_reads_the_decisions_of_the_revisions_in_force(client, world):
    """The master list shows each revision's issuing decision; the document list, a legal
    text's documents and the documents' API do not, and read the revisions without them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    basis = services.external_document_create(
        actor=world.dung, agency=world.P, number="63/2010/NĐ-CP", title="TTHC", is_shared=True
    )
    make_issued(
        world, world.A, code="QT-01", number="15/QĐ-A", effective_date=TODAY, legal_bases=[basis]
    )
    client.force_login(world.an)

    def revisions_read(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "QT-01" in response.content.decode(), url
        read = [q["sql"] for q in queries if 'FROM "documents_revision"' in q["sql"]]
        assert read, url
        return read, response.content.decode()

    for url in (
        reverse("documents:list"),
        reverse("documents:external_detail", args=[basis.pk]),
        reverse("api:document-list"),
    ):
        read, _ = revisions_read(url)
        assert not any("documents_issuingdecision" in sql for sql in read), url
    read, page = revisions_read(reverse("documents:master_list"))
    assert any("documents_issuingdecision" in sql for sql in read)
    assert "15/QĐ-A" in page


@pytest.mark.django_db
def test_document_list_computes_the_revision_in_force_subqueries_only_to_sort(client, world):
    """The revision in force shown on a row comes from its prefetched revisions: the
    document query computes the in-force number and date only where it sorts or filters by
    them, and still sorts by them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    earlier = TODAY - datetime.timedelta(days=9)
    with time_machine.travel(f"{earlier.isoformat()} 09:00 +0700", tick=False):
        make_issued(world, world.A, code="QT-02", effective_date=earlier)
    make_issued(world, world.A, code="QT-01", effective_date=TODAY)
    client.force_login(world.an)

    def documents_query(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("documents:list"), params)
        sql = next(
            q["sql"]
            for q in queries
            if q["sql"].startswith(
                'SELECT "documents_document"."id", "documents_document"."created_at"'
            )
        )
        codes = [c for c in ("QT-01", "QT-02") if c in response.content.decode()]
        order = sorted(codes, key=response.content.decode().index)
        return sql, order

    sql, order = documents_query({})  # by code
    assert '"in_force_effective"' not in sql and '"in_force_number"' not in sql
    assert order == ["QT-01", "QT-02"]
    sql, order = documents_query({"ordering": "effective"})  # QT-02 in force first
    assert order == ["QT-02", "QT-01"]
    sql, order = documents_query({"ordering": "-effective"})
    assert order == ["QT-01", "QT-02"]


@pytest.mark.django_db
def test_document_list_exports_xlsx(client, world):
    make_issued(world, world.A, code="QT-01", effective_date=TODAY)
    make_draft(world, world.A, code="BM-01", kind="form")
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("documents:list"), {"export": "xlsx"}))
    codes = {row[0] for row in rows[1:]}
    assert codes == {"QT-01", "BM-01"}
    qt01 = next(row for row in rows if row[0] == "QT-01")
    assert qt01[3] == "01" and qt01[4] == TODAY.strftime("%d/%m/%Y")


# --- the whole life of a procedure in the browser ---------------------------------------------


@pytest.mark.django_db
def test_a_procedure_from_draft_to_reading_in_the_browser(client, world, settings):
    settings.MAX_UPLOAD_MB = 5
    # the secretary drafts the procedure and uploads its DOCX in one go
    client.force_login(world.an)
    response = client.post(
        reverse("documents:create"),
        {
            "code": "qt-tthc-15",
            "title": "Quy trình cấp phiếu lý lịch tư pháp",
            "kind": "tthc_procedure",
            "content": "Bước 1: tiếp nhận hồ sơ",
            "file": docx_upload("QT-TTHC-15.docx"),
        },
    )
    document = Document.objects.get(agency=world.A, code="QT-TTHC-15")
    assert response.status_code == 302 and response.url == detail(document)
    first = document.revisions.get()
    assert first.files.get().original_name == "QT-TTHC-15.docx"
    page = body(client.get(detail(document)))
    assert "QT-TTHC-15.docx" in page and reverse("documents:revision_submit", args=[first.pk])

    # submits; the head returns it with a comment
    client.post(reverse("documents:revision_submit", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == RevisionStatus.IN_REVIEW
    client.force_login(world.hai)
    page = body(client.get(detail(document)))
    assert 'data-testid="review-box"' in page
    client.post(
        reverse("documents:revision_return", args=[first.pk]), {"comment": "Bổ sung bước 3"}
    )
    first.refresh_from_db()
    assert first.status == RevisionStatus.RETURNED

    # the secretary sees the comment, fixes the draft and resubmits
    client.force_login(world.an)
    assert "Bổ sung bước 3" in body(client.get(detail(document)))
    response = client.post(
        reverse("documents:revision_edit", args=[first.pk]),
        {
            "content": "Bước 1: tiếp nhận\nBước 3: thẩm định",
            "change_summary": "Ban hành lần đầu",
            "version": first.version,
        },
    )
    assert response.status_code == 302
    client.post(reverse("documents:revision_submit", args=[first.pk]))

    # the head approves
    client.force_login(world.hai)
    client.post(reverse("documents:revision_approve", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == RevisionStatus.APPROVED and first.approved_by == world.hai

    # the secretary prepares the decision, the head's signature is recorded
    client.force_login(world.an)
    response = client.post(
        reverse("documents:decision_create"),
        {
            "subject": "Ban hành quy trình",
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "revisions": [first.pk],
        },
    )
    decision = IssuingDecision.objects.get(agency=world.A)
    assert response.url == reverse("documents:decision_detail", args=[decision.pk])
    client.force_login(world.hai)
    response = client.post(
        reverse("documents:decision_sign", args=[decision.pk]),
        {"number": "12", "date": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == RevisionStatus.ISSUED

    # revision 02: opened, edited, a file attached, approved and issued
    client.force_login(world.an)
    response = client.post(
        reverse("documents:revision_start", args=[document.pk]), {"change_summary": "Sửa"}
    )
    second = document.revisions.get(number=2)
    assert response.url == reverse("documents:revision_edit", args=[second.pk])
    client.post(
        reverse("documents:revision_edit", args=[second.pk]),
        {
            "change_summary": "Cập nhật theo Nghị định mới",
            "effective_date": TODAY.strftime("%d/%m/%Y"),
            "content": second.content,
            "version": second.version,
        },
    )
    client.post(
        reverse("documents:revision_upload", args=[second.pk]),
        {"file": docx_upload("QT-TTHC-15-lan-2.docx")},
    )
    issue_revisions(world, [second], number="20/QĐ-STP")

    # the old revision shows as no longer in force, the new one as in force
    page = body(client.get(detail(document)))
    assert 'data-testid="earlier-revisions"' in page and 'data-validity="expired"' in page
    current_card = page[page.index('data-testid="current-revision"') :]
    assert "02" in current_card[:600] and 'data-validity="in_force"' in current_card[:600]

    # a staff member sees only the new one and acknowledges it
    client.force_login(world.binh)
    page = body(client.get(detail(document)))
    assert 'data-testid="must-read"' in page
    assert "QT-TTHC-15-lan-2.docx" in page and "QT-TTHC-15.docx" not in page
    assert 'data-testid="earlier-revisions"' not in page
    client.post(reverse("documents:acknowledge", args=[second.pk]))
    assert Acknowledgement.objects.get(revision=second, user=world.binh).acknowledged_at
    assert 'data-testid="must-read"' not in body(client.get(detail(document)))

    # the secretary sees who has read it
    client.force_login(world.an)
    page = body(client.get(detail(document)))
    readers = page[page.index('data-testid="acknowledgements"') :]
    assert "Lê Văn Bình" in readers and "1 / 3" in readers


# --- refusals: a clear message, nothing saved ------------------------------------------------


@pytest.mark.django_db
def test_a_duplicate_code_is_refused_and_the_form_keeps_what_was_typed(client, world):
    make_draft(world, world.A, code="QT-01")
    client.force_login(world.an)
    response = client.post(
        reverse("documents:create"),
        {"code": "qt-01", "title": "Tiêu đề đã gõ", "kind": "system_procedure"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "Tiêu đề đã gõ" in body(response)
    assert Document.objects.filter(agency=world.A).count() == 1


@pytest.mark.django_db
def test_a_refused_file_leaves_no_document_behind(client, world):
    client.force_login(world.an)
    disguised = SimpleUploadedFile("quy-trinh.docx", b"MZ\x90\x00 not really a docx")
    response = client.post(
        reverse("documents:create"),
        {"code": "QT-05", "title": "Tiêu đề đã gõ", "kind": "system_procedure", "file": disguised},
    )
    assert response.status_code == 200
    assert "DOCX" in " ".join(response.context["form"].errors["file"])
    assert "Tiêu đề đã gõ" in body(response)
    assert not Document.objects.filter(code="QT-05").exists()


@pytest.mark.django_db
def test_a_file_of_the_wrong_type_is_refused(client, world):
    document, revision = make_draft(world, world.A)
    client.force_login(world.an)
    disguised = SimpleUploadedFile("quy-trinh.pdf", b"<html>not a pdf</html>")
    response = client.post(
        reverse("documents:revision_upload", args=[revision.pk]), {"file": disguised}, follow=True
    )
    assert tr(
        "This file is not a %(types)s file (its content was checked).", types="DOCX, PDF, XLSX"
    ) in messages_of(response)
    assert revision.files.count() == 1


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    document, revision = make_draft(world, world.A)
    settings.MAX_UPLOAD_MB = 0
    client.force_login(world.an)
    response = client.post(
        reverse("documents:revision_upload", args=[revision.pk]),
        {"file": pdf_upload()},
        follow=True,
    )
    assert tr("The file is larger than %(mb)s MB.", mb=0) in messages_of(response)
    assert revision.files.count() == 1


@pytest.mark.django_db
def test_the_drafting_head_cannot_approve_their_own_revision(client, world):
    client.force_login(world.hai)
    client.post(
        reverse("documents:create"),
        {
            "code": "CSCL",
            "title": "Chính sách chất lượng",
            "kind": "quality_policy",
            "content": "Cam kết…",
        },
    )
    revision = Revision.objects.get(document__code="CSCL")
    client.post(reverse("documents:revision_submit", args=[revision.pk]))
    page = body(client.get(detail(revision.document)))
    assert reverse("documents:revision_approve", args=[revision.pk]) not in page
    response = client.post(reverse("documents:revision_approve", args=[revision.pk]), follow=True)
    assert tr("You drafted this revision: someone else must approve it.") in messages_of(response)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW and revision.approved_by is None


@pytest.mark.django_db
def test_a_second_draft_is_refused(client, world):
    document, _ = make_draft(world, world.A)
    client.force_login(world.an)
    response = client.post(reverse("documents:revision_start", args=[document.pk]), follow=True)
    assert tr(
        "This document already has a revision in preparation; finish it first."
    ) in messages_of(response)
    assert document.revisions.count() == 1


@pytest.mark.django_db
def test_an_effective_date_before_the_previous_revisions_is_refused(client, world):
    document, _ = make_issued(world, world.A, effective_date=TODAY)
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    client.force_login(world.an)
    earlier = (TODAY - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("documents:revision_edit", args=[second.pk]),
        {"effective_date": earlier, "change_summary": "Đã gõ", "version": second.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_date"]
    assert "Đã gõ" in body(response)
    second.refresh_from_db()
    assert second.effective_date is None and second.change_summary == "Sửa"


@pytest.mark.django_db
def test_a_stale_edit_shows_the_conflict_and_keeps_what_was_typed(client, world):
    _, revision = make_draft(world, world.A)
    stale_version = revision.version
    services.revision_update(actor=world.hai, revision=revision, data={"content": "Bản của Hải"})
    client.force_login(world.an)
    response = client.post(
        reverse("documents:revision_edit", args=[revision.pk]),
        {"content": "Bản của An", "version": stale_version},
    )
    assert response.status_code == 200
    assert tr("Someone else changed this record meanwhile. Reload it and try again.") in body(
        response
    )
    assert "Bản của An" in body(response)
    revision.refresh_from_db()
    assert revision.content == "Bản của Hải"


@pytest.mark.django_db
def test_returning_without_a_comment_is_refused(client, world):
    _, revision = make_draft(world, world.A)
    services.revision_submit(actor=world.an, revision=revision)
    client.force_login(world.hai)
    response = client.post(
        reverse("documents:revision_return", args=[revision.pk]), {"comment": " "}, follow=True
    )
    assert tr("Say what must be changed.") in messages_of(response)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW


@pytest.mark.django_db
def test_withdrawal_needs_a_reason_and_keeps_the_history(client, world):
    document, _ = make_issued(world, world.A)
    client.force_login(world.an)
    response = client.post(reverse("documents:withdraw", args=[document.pk]), {}, follow=True)
    assert tr("Give the reason for withdrawal.") in messages_of(response)
    document.refresh_from_db()
    assert document.status == "active"
    response = client.post(
        reverse("documents:withdraw", args=[document.pk]),
        {"reason": "Thủ tục bị bãi bỏ"},
        follow=True,
    )
    page = body(response)
    assert 'data-testid="withdrawn-banner"' in page and "Thủ tục bị bãi bỏ" in page
    assert 'data-testid="current-revision"' in page
    assert reverse("documents:revision_start", args=[document.pk]) not in page


@pytest.mark.django_db
def test_staff_cannot_see_drafts_nor_their_files(client, world):
    draft_doc, draft_rev = make_draft(world, world.A, code="QT-02")
    issued, first = make_issued(world, world.A, code="QT-01")
    second = services.revision_start(actor=world.an, document=issued, change_summary="Sửa")
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload("moi.docx"))
    client.force_login(world.binh)
    assert client.get(detail(draft_doc)).status_code == 404
    for attached in [draft_rev.files.get(), second.files.get()]:
        url = reverse("documents:file_download", args=[attached.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("documents:revision_edit", args=[second.pk])).status_code == 404
    page = body(client.get(detail(issued)))
    assert "moi.docx" not in page and 'data-testid="pending-revision"' not in page
    # the current revision's file downloads, with its original name
    response = client.get(reverse("documents:file_download", args=[first.files.get().pk]))
    assert response.status_code == 200
    assert "quy-trinh.docx" in response["Content-Disposition"]


@pytest.mark.django_db
def test_staff_cannot_download_a_superseded_revisions_file(client, world):
    document, first = make_issued(world, world.A, code="QT-01")
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    issue_revisions(world, [second], number="02/QĐ")
    client.force_login(world.binh)
    old_file = first.files.get()
    assert client.get(reverse("documents:file_download", args=[old_file.pk])).status_code == 404
    client.force_login(world.an)
    assert client.get(reverse("documents:file_download", args=[old_file.pk])).status_code == 200


@pytest.mark.django_db
def test_staff_and_overseers_cannot_draft(client, world):
    for persona in (world.binh, world.dung):
        client.force_login(persona)
        assert client.get(reverse("documents:create")).status_code == 404
        assert client.get(reverse("documents:templates")).status_code == 404


@pytest.mark.django_db
def test_editing_links_only_offers_the_agencys_own_choices(client, world):
    document, _ = make_draft(world, world.A, code="QT-01")
    form_doc, _ = make_draft(world, world.A, code="BM-01", kind="form")
    foreign_form, _ = make_draft(world, world.B, code="BM-B", kind="form")
    client.force_login(world.an)
    url = reverse("documents:edit", args=[document.pk])
    page = body(client.get(url))
    assert "BM-01" in page and "BM-B" not in page
    response = client.post(
        url,
        {"code": "QT-01", "title": "Tên mới", "kind": "tthc_procedure", "forms": [foreign_form.pk]},
    )
    assert response.status_code == 200 and response.context["form"].errors["forms"]
    response = client.post(
        url,
        {"code": "QT-01", "title": "Tên mới", "kind": "tthc_procedure", "forms": [form_doc.pk]},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Tên mới" and list(document.forms.all()) == [form_doc]


# --- templates ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_templates_are_adopted_in_one_step(client, world):
    from eiso.documents.models import DocumentTemplate

    templates = list(DocumentTemplate.objects.values_list("pk", flat=True))
    client.force_login(world.an)
    assert client.get(reverse("documents:templates")).status_code == 200
    response = client.post(reverse("documents:templates"), {"templates": templates}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("documents:list")
    assert tr(
        "%(count)d draft document was created from the templates.",
        "%(count)d draft documents were created from the templates.",
        len(templates),
        count=len(templates),
    ) in messages_of(response)
    assert Document.objects.filter(agency=world.A).count() == len(templates)
    page = body(client.get(reverse("documents:templates")))
    assert page.count("disabled") >= len(templates)


@pytest.mark.django_db
def test_the_document_page_query_count_does_not_grow_with_revisions_and_readers(
    client, world, django_assert_num_queries
):
    from eiso.accounts.tests.factories import MembershipFactory

    document, _ = make_issued(world, world.A, code="QT-01")
    services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    client.force_login(world.an)
    url = detail(document)
    client.get(url)
    # session, user, memberships, document, revisions (+ files), acknowledgements, events of
    # both revisions, who edited the revision in preparation, the links' ids (the document has
    # none: nothing more of them), tasks
    with django_assert_num_queries(14) as first:
        client.get(url)
    pinned = len(first.captured_queries)
    MembershipFactory.create_batch(10, agency=world.A)
    pending = document.revisions.get(number=2)
    services.revision_attach_file(actor=world.an, revision=pending, upload=docx_upload())
    issue_revisions(world, [pending], number="02/QĐ")
    for number in (3, 4):
        revision = services.revision_start(actor=world.an, document=document, change_summary="x")
        services.revision_attach_file(actor=world.an, revision=revision, upload=docx_upload())
        issue_revisions(world, [revision], number=f"0{number}/QĐ")
    services.revision_start(actor=world.an, document=document, change_summary="Lần 5")
    client.get(url)  # opening the page reads its notifications (one more query, once)
    with django_assert_num_queries(pinned):
        response = client.get(url)
    assert len(response.context["earlier"]) == 3
    assert len(response.context["acknowledgements"]) == 13


@pytest.mark.django_db
def test_the_document_page_lists_its_links_as_far_as_the_reader_may_read_them(
    client, world, django_assert_num_queries
):
    def text(number, **kwargs):
        return services.external_document_create(
            actor=world.an, agency=world.A, number=number, title=f"Văn bản {number}", **kwargs
        )

    def kind(code):
        return "form" if code.startswith("BM") else "internal_procedure"

    issued = {c: make_issued(world, world.A, code=c, kind=kind(c))[0] for c in ("QT-09", "BM-02")}
    drafts = {c: make_draft(world, world.A, code=c, kind=kind(c))[0] for c in ("QT-03", "BM-01")}
    late, early = text("20/2026/QĐ-UBND"), text("05/2025/TT-BNV")
    hanh_chinh = DepartmentFactory(agency=world.A, name="Văn phòng")
    ke_toan = DepartmentFactory(agency=world.A, name="Phòng Kế toán")
    document, _ = make_issued(
        world,
        world.A,
        code="BM-10",
        kind="form",
        references=[issued["QT-09"], drafts["QT-03"]],
        forms=[drafts["BM-01"], issued["BM-02"]],
        legal_bases=[late, early],
        distribution=[hanh_chinh, ke_toan],
    )
    users = make_issued(world, world.A, code="QT-07", forms=[document])[0]
    draft_user = make_draft(world, world.A, code="QT-05", forms=[document])[0]
    codes = {
        kind: lambda links, kind=kind: [d.code for d in links[kind]]
        for kind in ("references", "forms", "used_in")
    }

    client.force_login(world.an)
    client.get(detail(document))
    # session, user, memberships, document, revisions (+ files), acknowledgements, events of the
    # revision in force, the links' ids, then the linked documents, texts and departments,
    # tasks, notifications
    with django_assert_num_queries(14):
        links = client.get(detail(document)).context["links"]
    assert codes["references"](links) == ["QT-03", "QT-09"]
    assert codes["forms"](links) == ["BM-01", "BM-02"]
    assert codes["used_in"](links) == ["QT-05", "QT-07"]
    assert [e.number for e in links["legal_bases"]] == ["05/2025/TT-BNV", "20/2026/QĐ-UBND"]
    assert [d.name for d in links["distribution"]] == ["Phòng Kế toán", "Văn phòng"]
    page = client.get(detail(document)).content.decode()
    for linked in (*issued.values(), *drafts.values(), users, draft_user):
        assert detail(linked) in page

    # staff read only what is issued: the drafts are left out of every list
    client.force_login(world.binh)
    links = client.get(detail(document)).context["links"]
    assert codes["references"](links) == ["QT-09"]
    assert codes["forms"](links) == ["BM-02"]
    assert codes["used_in"](links) == ["QT-07"]
    assert len(links["legal_bases"]) == 2 and len(links["distribution"]) == 2

    # a document without links reads their ids, and nothing more
    client.force_login(world.an)
    client.get(detail(issued["QT-09"]))
    with django_assert_num_queries(11):
        links = client.get(detail(issued["QT-09"])).context["links"]
    assert links == {kind: [] for kind in links} and len(links) == 5
