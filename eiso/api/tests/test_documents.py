"""The document-control API: one isolation contract per resource, and the whole workflow
through the API with token authentication."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.api.tests.documents_world import (
    TODAY,
    approve,
    draft,
    ids,
    issue,
    prepare_decision,
    text,
    url,
)
from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent
from eiso.core.testing import IsolationContract
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import (
    Acknowledgement,
    Document,
    ExternalDocument,
    IssuingDecision,
    Revision,
    RevisionTask,
)
from eiso.documents.tests.factories import docx_bytes, pdf_upload

pytestmark = pytest.mark.usefixtures("media_in_tmp")


# --- isolation, one class per resource ---------------------------------------------------------


@pytest.mark.django_db
class TestDocumentApiIsolation(IsolationContract):
    """Documents of A: ``an`` (secretary of A) reads and changes them, ``chi`` (B) gets 404,
    ``dung`` (province P) reads them (and C's are outside his province) but cannot change."""

    api = True

    def make(self, world, agency):
        return draft(world, agency=agency)[0]

    def list_url(self):
        return url("document-list")

    def marker(self, obj):
        return obj.code

    def read_urls(self, obj):
        return [url("document-detail", obj.pk), url("document-revisions", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("document-detail", obj.pk), {"title": "Đổi tên"}),
            ("post", url("document-withdraw", obj.pk), {"reason": "Không dùng nữa"}),
            ("post", url("document-new-revision", obj.pk), {"change_summary": "Sửa"}),
        ]

    def create_request(self, world, agency):
        data = {"agency": agency.pk, "code": "NEW-1", "title": "Lạ", "kind": "form"}
        return ("post", url("document-list"), data)

    def count(self):
        return Document.objects.count()


@pytest.mark.django_db
class TestRevisionApiIsolation(IsolationContract):
    """Revisions (and their files) of A's documents. Revisions are listed under their document,
    so the list half of the contract reads the documents list, where each row shows the state
    of its revision in preparation. ``chi`` gets 404 on every revision URL of A, ``dung`` reads
    and downloads them but changes nothing (404: he has no CHANGE scope)."""

    api = True

    def make(self, world, agency):
        return draft(world, agency=agency)[1]

    def list_url(self):
        return url("document-list")

    def marker(self, obj):
        return obj.document.code

    def read_urls(self, obj):
        attached = obj.files.get()
        return [
            url("revision-detail", obj.pk),
            url("revision-files", obj.pk),
            url("revision-file-download", attached.pk),
        ]

    def change_requests(self, obj):
        attached = obj.files.get()
        return [
            ("patch", url("revision-detail", obj.pk), {"content": "x", "version": obj.version}),
            ("post", url("revision-submit", obj.pk), {}),
            ("post", url("revision-return", obj.pk), {"comment": "Sửa"}),
            ("post", url("revision-approve", obj.pk), {}),
            ("post", url("revision-acknowledge", obj.pk), {}),
            ("post", url("revision-files", obj.pk), {}),
            ("delete", url("revision-file-detail", attached.pk), {}),
        ]

    def create_request(self, world, agency):
        document, revision = draft(world, agency=agency)
        issue(world, [revision])
        return ("post", url("document-new-revision", document.pk), {"change_summary": "Sửa"})

    def count(self):
        return Revision.objects.count()


@pytest.mark.django_db
class TestDecisionApiIsolation(IsolationContract):
    """Issuing decisions of A (drafts: staff would not see them, the contract's personas do).
    A decision with a revision of B is refused to ``an`` like an unknown id."""

    api = True

    def make(self, world, agency):
        _, revision = draft(world, agency=agency)
        return prepare_decision(world, [revision], subject=f"QĐ {uuid.uuid4().hex[:8]}")

    def list_url(self):
        return url("decision-list")

    def marker(self, obj):
        return obj.subject

    def read_urls(self, obj):
        return [url("decision-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("decision-detail", obj.pk), {"subject": "Đổi"}),
            ("post", url("decision-sign", obj.pk), {"number": "9/QĐ", "date": str(TODAY)}),
        ]

    def create_request(self, world, agency):
        _, revision = draft(world, agency=agency)
        approve(world, revision)
        data = {
            "subject": "Ban hành",
            "signer_name": "X",
            "signer_title": "GIÁM ĐỐC",
            "revisions": [revision.pk],
        }
        return ("post", url("decision-list"), data)

    def count(self):
        return IssuingDecision.objects.count()


@pytest.mark.django_db
class TestExternalDocumentApiIsolation(IsolationContract):
    """The rows are each agency's own (not shared) texts. Shared texts of the province P are
    read by every agency below it, A and B alike, so a shared text of P would rightly show in
    ``an``'s list and to ``chi``: the foreign row is B's own text, and the outsider test reads
    A's own one. ``dung`` reads A's texts (C's are in province Q); he keeps only the shared
    catalogue, so changing A's own text is 404 for him."""

    api = True

    def make(self, world, agency):
        return text(world, agency)

    def list_url(self):
        return url("external-document-list")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [url("external-document-detail", obj.pk)]

    def change_requests(self, obj):
        return [("patch", url("external-document-detail", obj.pk), {"title": "Đổi"})]

    def create_request(self, world, agency):
        data = {"agency": agency.pk, "number": "1/2026/TT", "title": "Thông tư"}
        return ("post", url("external-document-list"), data)

    def count(self):
        return ExternalDocument.objects.count()


@pytest.mark.django_db
class TestRevisionTaskApiIsolation(IsolationContract):
    """Revision tasks of A's documents (raised by linking a text that takes effect later);
    read only, so the contract checks lists and reads."""

    api = True

    def make(self, world, agency):
        document, _ = draft(world, agency=agency, legal_bases=[text(world, agency, days=30)])
        return RevisionTask.objects.get(document=document)

    def list_url(self):
        return url("revision-task-list")

    def marker(self, obj):
        return obj.document.code

    def read_urls(self, obj):
        return [url("revision-task-detail", obj.pk)]


# --- the whole workflow with token authentication ----------------------------------------------


@pytest.mark.django_db
def test_the_whole_workflow_through_the_api(world, as_token):
    an, hai, binh = as_token(world.an), as_token(world.hai), as_token(world.binh)

    def upload(revision_id, name="quy-trinh.docx"):
        response = an.post(
            url("revision-files", revision_id),
            {"file": SimpleUploadedFile(name, docx_bytes())},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        return response.json()

    def through_review(revision_id):
        response = an.post(url("revision-submit", revision_id), {}, format="json")
        assert response.json()["status"] == "in_review", response.content
        response = hai.post(url("revision-return", revision_id), {"comment": "Bổ sung bước 3"})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "returned"
        assert response.json()["return_comment"] == "Bổ sung bước 3"
        version = an.get(url("revision-detail", revision_id)).json()["version"]
        response = an.patch(
            url("revision-detail", revision_id),
            {"content": "Bước 3: thẩm định hồ sơ", "version": version},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["version"] == version + 1
        assert an.post(url("revision-submit", revision_id)).json()["status"] == "in_review"
        response = hai.post(url("revision-approve", revision_id), {"comment": "Đồng ý"})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "approved"
        assert response.json()["approved_by"] == world.hai.pk

    def issue_by_decision(revision_id, number):
        response = an.post(
            url("decision-list"),
            {
                "subject": "Ban hành quy trình",
                "signer_name": "Đặng Văn Hải",
                "signer_title": "GIÁM ĐỐC",
                "revisions": [revision_id],
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        decision = response.json()
        assert decision["agency"] == world.A.pk and decision["status"] == "draft"
        assert [r["id"] for r in decision["revisions"]] == [revision_id]
        response = hai.post(
            url("decision-sign", decision["id"]),
            {"number": number, "date": str(TODAY), "signed_scan": pdf_upload()},
            format="multipart",
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "signed"
        assert response.json()["signed_file_name"] == "quyet-dinh.pdf"
        return response.json()

    # revision 01: create, upload, submit, return, fix with the version, submit, approve, issue
    response = an.post(
        url("document-list"),
        {
            "code": "qt-tthc-01",
            "title": "Quy trình cấp phiếu lý lịch tư pháp",
            "kind": "tthc_procedure",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["agency"] == world.A.pk and document["code"] == "QT-TTHC-01"
    assert document["current_revision"] is None
    first = document["revision_in_preparation"]
    assert first["number"] == 1 and first["status"] == "draft"
    attached = upload(first["id"])
    assert attached["content_type"].endswith("wordprocessingml.document")
    through_review(first["id"])
    issue_by_decision(first["id"], "01/QĐ-A")
    document = an.get(url("document-detail", document["id"])).json()
    assert document["current_revision"]["id"] == first["id"]
    assert document["revision_in_preparation"] is None

    # revision 02 through the same steps supersedes 01
    response = an.post(
        url("document-new-revision", document["id"]),
        {"change_summary": "Cập nhật theo Nghị định mới"},
        format="json",
    )
    assert response.status_code == 201, response.content
    second = response.json()
    assert second["number"] == 2 and second["status"] == "draft"
    upload(second["id"])
    through_review(second["id"])
    decision = issue_by_decision(second["id"], "02/QĐ-A")

    old = Revision.objects.get(pk=first["id"])
    new = Revision.objects.get(pk=second["id"])
    assert old.status == new.status == RevisionStatus.ISSUED  # 01's end is computed
    assert new.decision_id == decision["id"]
    assert new.effective_date == TODAY and new.drafted_by == world.an
    assert Document.objects.get(pk=document["id"]).in_force == new
    actions = list(old.events.values_list("action", flat=True))
    assert actions == ["create", "edit", "submit", "return", "edit", "submit", "approve", "issue"]
    body = an.get(url("revision-detail", first["id"])).json()
    assert body["status"] == "issued" and body["validity"] == "expired"
    assert body["is_current"] is False

    # binh (staff) reads only the current revision, and acknowledges it
    assert ids(binh.get(url("document-revisions", document["id"]))) == {second["id"]}
    assert_error_shape(binh.get(url("revision-detail", first["id"])), 404, "not_found")
    detail = binh.get(url("document-detail", document["id"])).json()
    assert detail["current_revision"]["number"] == 2
    assert detail["revision_in_preparation"] is None
    acknowledgement = Acknowledgement.objects.get(revision=new, user=world.binh)
    assert acknowledgement.acknowledged_at is None
    response = binh.post(url("revision-acknowledge", second["id"]))
    assert response.status_code == 200, response.content
    acknowledgement.refresh_from_db()
    assert acknowledgement.acknowledged_at is not None
    assert response.json()["acknowledged_at"] is not None
    assert AuditEvent.objects.filter(action="revision.acknowledge", actor=world.binh).count() == 1
