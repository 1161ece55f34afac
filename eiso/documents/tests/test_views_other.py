"""The master list and its review, legal texts and external documents, revision tasks."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eiso.core.testing import IsolationContract
from eiso.documents import services
from eiso.documents.models import ExternalDocument, MasterListReview, RevisionTask
from eiso.documents.tests.factories import (
    docx_upload,
    drafter,
    issue_revisions,
    make_draft,
    make_issued,
    xlsx_rows,
)

TODAY = timezone.localdate()


def body(response) -> str:
    return response.content.decode()


# --- the master list ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestMasterListIsolation(IsolationContract):
    """The master list of the acting agency; overseers pick an agency of their subtree."""

    def make(self, world, agency):
        document, _ = make_issued(world, agency, code=f"QT-ML-{agency.code}")
        return document

    def list_url(self):
        return reverse("documents:master_list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        url = reverse("documents:master_list")
        return [f"{url}?agency={obj.agency_id}", f"{url}?agency={obj.agency_id}&export=xlsx"]

    def change_requests(self, obj):
        url = reverse("documents:master_list")
        return [
            (
                "post",
                f"{url}?agency={obj.agency_id}",
                {"reviewed_on": TODAY.strftime("%d/%m/%Y"), "result": "up_to_date"},
            )
        ]

    def count(self):
        return MasterListReview.objects.count()


@pytest.mark.django_db
def test_the_master_list_shows_documents_in_use_with_their_decision(client, world):
    make_issued(world, world.A, code="QT-01", number="15/QĐ-A", effective_date=TODAY)
    make_draft(world, world.A, code="QT-02")  # never issued: not on the list
    withdrawn, _ = make_issued(world, world.A, code="QT-03", number="16/QĐ-A")
    services.document_withdraw(actor=world.an, document=withdrawn, reason="Bãi bỏ")
    client.force_login(world.an)
    page = body(client.get(reverse("documents:master_list")))
    assert "QT-01" in page and "15/QĐ-A" in page and TODAY.strftime("%d/%m/%Y") in page
    assert "QT-02" not in page and "QT-03" not in page


@pytest.mark.django_db
def test_the_quarterly_review_is_recorded_and_shown(client, world):
    make_issued(world, world.A, code="QT-01")
    client.force_login(world.an)
    url = reverse("documents:master_list")
    response = client.post(
        url,
        {
            "reviewed_on": TODAY.strftime("%d/%m/%Y"),
            "result": "changes_needed",
            "notes": "Cập nhật QT-05",
        },
    )
    assert response.status_code == 302
    review = MasterListReview.objects.get(agency=world.A)
    assert review.reviewed_by == world.an and review.result == "changes_needed"
    page = body(client.get(url))
    assert "Cập nhật QT-05" in page
    status = page[page.index('data-testid="review-status"') :][:800]
    assert "text-success" in status


@pytest.mark.django_db
def test_a_review_dated_in_the_future_is_refused(client, world):
    client.force_login(world.an)
    tomorrow = (TODAY + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("documents:master_list"),
        {"reviewed_on": tomorrow, "result": "up_to_date", "notes": "Ghi chú đã gõ"},
    )
    assert response.status_code == 200
    assert response.context["review_form"].errors["reviewed_on"]
    assert "Ghi chú đã gõ" in body(response)
    assert not MasterListReview.objects.exists()


@pytest.mark.django_db
def test_staff_read_the_master_list_but_cannot_record_the_review(client, world):
    make_issued(world, world.A, code="QT-01")
    client.force_login(world.binh)
    page = body(client.get(reverse("documents:master_list")))
    assert "QT-01" in page and 'id="review"' not in page
    response = client.post(
        reverse("documents:master_list"),
        {"reviewed_on": TODAY.strftime("%d/%m/%Y"), "result": "up_to_date"},
    )
    assert response.status_code == 200
    assert not MasterListReview.objects.exists()


@pytest.mark.django_db
def test_master_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    make_issued(world, world.A, code="QT-00")
    client.force_login(world.an)
    url = reverse("documents:master_list")
    # session, user, memberships, the last audit events (is the kept table valid?), documents,
    # their revisions in force, review status (last, this quarter, last quarter, history),
    # review history
    with django_assert_num_queries(12):
        client.get(url)
    with django_assert_num_queries(10):  # the table kept (eiso.core.kept): no documents read
        client.get(url)
    revisions = [
        make_draft(world, world.A, code=f"QT-{n:02d}", with_file=False, content="x")[1]
        for n in range(1, 21)
    ]
    issue_revisions(world, revisions, number="02/QĐ")
    cache.clear()  # computed, not kept
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('data-testid="master-row"') == 21


@pytest.mark.django_db
def test_master_list_exports_xlsx_with_the_table_columns(client, world):
    make_issued(world, world.A, code="QT-01", number="15/QĐ-A", effective_date=TODAY)
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("documents:master_list"), {"export": "xlsx"}))
    assert len(rows) == 2
    assert rows[1][1] == "QT-01" and rows[1][4] == "01"
    assert rows[1][5] == TODAY.strftime("%d/%m/%Y") and rows[1][6].startswith("15/QĐ-A")


@pytest.mark.django_db
def test_overseers_pick_an_agency_of_their_subtree(client, world):
    make_issued(world, world.A, code="QT-01")
    client.force_login(world.dung)
    page = body(client.get(reverse("documents:master_list"), {"agency": world.A.pk}))
    assert "QT-01" in page and 'id="review"' not in page
    assert client.get(reverse("documents:master_list"), {"agency": world.C.pk}).status_code == 404


# --- legal texts and external documents ----------------------------------------------------------


def own_text(world, agency, number=None, **kwargs):
    return services.external_document_create(
        actor=drafter(world, agency),
        agency=agency,
        number=number or f"{agency.code}-01/2026/QĐ-UBND",
        title=kwargs.pop("title", f"Quyết định riêng của {agency.code}"),
        **kwargs,
    )


@pytest.mark.django_db
class TestExternalPagesIsolation(IsolationContract):
    def make(self, world, agency):
        return own_text(world, agency)

    def list_url(self):
        return reverse("documents:external_list")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [reverse("documents:external_detail", args=[obj.pk])]

    def change_requests(self, obj):
        url = reverse("documents:external_edit", args=[obj.pk])
        return [("get", url, {}), ("post", url, {"number": "X", "title": "y", "kind": "legal"})]

    def count(self):
        return ExternalDocument.objects.count()


@pytest.mark.django_db
def test_shared_texts_are_kept_by_overseers_and_read_by_agencies_below(client, world):
    client.force_login(world.dung)
    form = client.get(reverse("documents:external_create")).context["form"]
    assert "is_shared" in form.fields
    response = client.post(
        reverse("documents:external_create"),
        {
            "kind": "legal",
            "number": "19/2014/QĐ-TTg",
            "title": "Áp dụng ISO 9001 vào hoạt động của cơ quan hành chính",
            "issuer": "Thủ tướng Chính phủ",
            "is_shared": "on",
        },
    )
    shared = ExternalDocument.objects.get(number="19/2014/QĐ-TTg")
    assert response.status_code == 302 and shared.is_shared and shared.agency == world.P
    client.force_login(world.an)
    assert "19/2014/QĐ-TTg" in body(client.get(reverse("documents:external_list")))
    page = body(client.get(reverse("documents:external_detail", args=[shared.pk])))
    assert reverse("documents:external_edit", args=[shared.pk]) not in page
    assert client.get(reverse("documents:external_edit", args=[shared.pk])).status_code == 404
    form = client.get(reverse("documents:external_create")).context["form"]
    assert "is_shared" not in form.fields
    client.force_login(world.cuong)
    assert "19/2014/QĐ-TTg" not in body(client.get(reverse("documents:external_list")))


@pytest.mark.django_db
def test_a_secretary_registers_a_text_replacing_another_and_tasks_are_raised(client, world):
    old = own_text(world, world.A, number="01/2020/QĐ-A", effective_date=datetime.date(2020, 1, 1))
    document, _ = make_issued(world, world.A, code="QT-01", legal_bases=[old])
    client.force_login(world.an)
    effective = TODAY + datetime.timedelta(days=30)
    response = client.post(
        reverse("documents:external_create"),
        {
            "kind": "legal",
            "number": "05/2026/QĐ-A",
            "title": "Quy định mới",
            "effective_date": effective.strftime("%d/%m/%Y"),
            "replaces": old.pk,
            "is_shared": "on",  # not offered to a secretary: ignored
        },
    )
    new = ExternalDocument.objects.get(number="05/2026/QĐ-A")
    assert response.status_code == 302 and not new.is_shared
    old.refresh_from_db()
    assert old.replaced_by == new
    task = RevisionTask.objects.get(document=document, external_document=new)
    page = body(client.get(reverse("documents:external_detail", args=[new.pk])))
    assert "QT-01" in page and task.due_date.strftime("%d/%m/%Y") in page
    page = body(client.get(reverse("documents:detail", args=[document.pk])))
    assert "05/2026/QĐ-A" in page and 'id="tasks"' in page


@pytest.mark.django_db
def test_a_duplicate_number_and_a_bad_expiry_are_refused(client, world):
    own_text(world, world.A, number="118/2025/NĐ-CP")
    client.force_login(world.an)
    url = reverse("documents:external_create")
    response = client.post(url, {"kind": "legal", "number": "118/2025/nđ-cp", "title": "Đã gõ"})
    assert response.status_code == 200 and response.context["form"].errors["number"]
    assert "Đã gõ" in body(response)
    response = client.post(
        url,
        {
            "kind": "legal",
            "number": "02/2026",
            "title": "x",
            "effective_date": "01/03/2026",
            "expiry_date": "01/02/2026",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["expiry_date"]
    assert ExternalDocument.objects.count() == 1


@pytest.mark.django_db
def test_editing_an_own_text(client, world):
    text = own_text(world, world.A)
    client.force_login(world.an)
    url = reverse("documents:external_edit", args=[text.pk])
    assert client.get(url).context["form"]["number"].value() == text.number
    response = client.post(
        url, {"kind": "guidance", "number": text.number, "title": "Tên đã sửa", "issuer": "UBND"}
    )
    assert response.status_code == 302
    text.refresh_from_db()
    assert text.title == "Tên đã sửa" and text.kind == "guidance"


@pytest.mark.django_db
def test_external_list_filters_and_query_count(client, world, django_assert_num_queries):
    services.external_document_create(
        actor=world.dung, agency=world.P, number="19/2014/QĐ-TTg", title="ISO", is_shared=True
    )
    own_text(world, world.A, title="Quyết định về thủ tục hành chính")
    client.force_login(world.an)
    url = reverse("documents:external_list")
    page = body(client.get(url, {"scope": "shared"}))
    assert "19/2014/QĐ-TTg" in page and "A-01/2026" not in page
    page = body(client.get(url, {"q": "thu tuc hanh chinh"}))
    assert "A-01/2026" in page and "19/2014" not in page
    # session, user, memberships, count, page
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(20):
        own_text(world, world.A, number=f"{n}/2026/TB")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 22


@pytest.mark.django_db
def test_a_shared_texts_document_count_is_only_what_the_reader_may_read(client, world):
    shared = services.external_document_create(
        actor=world.dung, agency=world.P, number="19/2014/QĐ-TTg", title="ISO", is_shared=True
    )
    make_issued(world, world.A, code="QT-A-01", legal_bases=[shared])
    make_draft(world, world.A, code="QT-A-02", legal_bases=[shared])
    make_issued(world, world.B, code="QT-B-01", legal_bases=[shared])
    make_draft(world, world.B, code="QT-B-02", legal_bases=[shared])
    url = reverse("documents:external_list")

    def counted(user, **params) -> int:
        client.force_login(user)
        response = client.get(url, {"scope": "shared", **params})
        (text,) = response.context["page_obj"].object_list
        return text.document_count

    # A's secretary reads A's draft but not B's documents; A's staff reads only what is issued;
    # the province's overseer reads all four (and so does the list's export)
    assert counted(world.an) == 2
    assert counted(world.binh) == 1
    assert counted(world.chi) == 2
    assert counted(world.dung) == 4
    client.force_login(world.an)
    rows = xlsx_rows(client.get(url, {"scope": "shared", "export": "xlsx"}))
    assert rows[1][0] == "19/2014/QĐ-TTg" and rows[1][-1] == 2
    # those who read every document of their agencies count the citations by their agency
    # (the index of text and agency), not by reading the citing documents; staff count documents
    for user, reads_documents in ((world.an, False), (world.dung, False), (world.binh, True)):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"scope": "shared"})
        (listed,) = [q["sql"] for q in queries if "document_count" in q["sql"]]
        count = listed.split('AS "document_count"')[0].rsplit("COALESCE((SELECT", 1)[1]
        counted_from = count.split(" FROM ", 1)[1].split()[0]
        expected = '"documents_document"' if reads_documents else '"documents_document_legal_bases"'
        assert counted_from == expected, user


@pytest.mark.django_db
def test_external_list_exports_xlsx(client, world):
    own_text(world, world.A, number="01/2026/QĐ", effective_date=TODAY)
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("documents:external_list"), {"export": "xlsx"}))
    assert rows[1][0] == "01/2026/QĐ" and rows[1][5] == TODAY.strftime("%d/%m/%Y")


# --- revision tasks -------------------------------------------------------------------------------


def make_task(world, agency, code="QT-01", effective=None):
    effective = effective or TODAY + datetime.timedelta(days=20)
    text = own_text(world, agency, number=f"{code}-{agency.code}/TT", effective_date=effective)
    document, _ = make_draft(world, agency, code=code, legal_bases=[text])
    return RevisionTask.objects.get(document=document)


@pytest.mark.django_db
class TestTaskPagesIsolation(IsolationContract):
    def make(self, world, agency):
        return make_task(world, agency, code=f"QT-TASK-{agency.code}")

    def list_url(self):
        return reverse("documents:task_list")

    def marker(self, obj):
        return obj.document.code

    def read_urls(self, obj):
        return [
            reverse("documents:detail", args=[obj.document_id]),
            reverse("documents:external_detail", args=[obj.external_document_id]),
        ]


@pytest.mark.django_db
def test_overdue_tasks_show_in_red_and_filter(client, world):
    late = make_task(world, world.A, code="QT-01")
    RevisionTask.objects.filter(pk=late.pk).update(due_date=TODAY - datetime.timedelta(days=1))
    make_task(world, world.A, code="QT-02")
    client.force_login(world.an)
    url = reverse("documents:task_list")
    page = body(client.get(url))
    row = page[page.index("QT-01") - 400 : page.index("QT-01")]
    assert "table-danger" in row
    page = body(client.get(url, {"overdue": "on"}))
    assert "QT-01" in page and "QT-02" not in page


@pytest.mark.django_db
def test_done_tasks_are_listed_on_demand(client, world):
    task = make_task(world, world.A, code="QT-01")
    document = task.document
    issue_revisions(world, [document.revisions.get()], number="05/QĐ")
    # a revision started after the text changed fulfils the task when it is issued
    second = services.revision_start(actor=world.an, document=document, change_summary="Theo TT")
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    issue_revisions(world, [second], number="06/QĐ")
    client.force_login(world.an)
    url = reverse("documents:task_list")
    assert "QT-01" not in body(client.get(url))
    assert "QT-01" in body(client.get(url, {"status": "done"}))
    assert "QT-01" in body(client.get(url, {"status": "all"}))


@pytest.mark.django_db
def test_overseers_see_the_tasks_of_their_subtree_and_filter_by_agency(client, world):
    make_task(world, world.A, code="QT-A1")
    make_task(world, world.B, code="QT-B1")
    make_task(world, world.C, code="QT-C1")
    client.force_login(world.dung)
    url = reverse("documents:task_list")
    page = body(client.get(url))
    assert "QT-A1" in page and "QT-B1" in page and "QT-C1" not in page
    page = body(client.get(url, {"agency": world.B.pk}))
    assert "QT-B1" in page and "QT-A1" not in page


@pytest.mark.django_db
def test_task_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    make_task(world, world.A, code="QT-00")
    client.force_login(world.an)
    url = reverse("documents:task_list")
    # session, user, memberships, count, page
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(1, 21):
        make_task(world, world.A, code=f"QT-{n:02d}")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 21


@pytest.mark.django_db
def test_task_list_exports_xlsx(client, world):
    task = make_task(world, world.A, code="QT-01")
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("documents:task_list"), {"export": "xlsx"}))
    assert len(rows) == 2 and rows[1][1].startswith("QT-01")
    assert rows[1][4] == task.due_date.strftime("%d/%m/%Y")
