"""The document-control API refuses bad input with the one error shape and saves nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.api.tests.documents_world import (
    TODAY,
    draft,
    issue,
    prepare_decision,
    text,
    url,
)
from eiso.api.tests.helpers import assert_error_shape
from eiso.documents import services
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import (
    Acknowledgement,
    Document,
    IssuingDecision,
    Revision,
    RevisionFile,
)
from eiso.documents.tests.factories import docx_upload, pdf_upload
from eiso.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.usefixtures("media_in_tmp")


# --- refusals: the error shape, and nothing saved ----------------------------------------------


@pytest.mark.django_db
def test_a_file_of_the_wrong_type_is_refused(world, as_token):
    _, revision = draft(world)
    disguised = SimpleUploadedFile("quy-trinh.docx", b"MZ\x90\x00 not really a docx")
    response = as_token(world.an).post(
        url("revision-files", revision.pk), {"file": disguised}, format="multipart"
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert "DOCX" in error["fields"]["file"][0]
    assert RevisionFile.objects.filter(revision=revision).count() == 1  # the draft's own


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(world, as_token, settings):
    _, revision = draft(world)
    settings.MAX_UPLOAD_MB = 0
    response = as_token(world.an).post(
        url("revision-files", revision.pk), {"file": pdf_upload()}, format="multipart"
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["file"]
    assert RevisionFile.objects.filter(revision=revision).count() == 1


@pytest.mark.django_db
def test_an_upload_needs_a_file_part(world, as_token):
    _, revision = draft(world)
    response = as_token(world.an).post(url("revision-files", revision.pk), {}, format="multipart")
    assert "file" in assert_error_shape(response, 400, "validation_failed")["fields"]
    response = as_token(world.an).post(url("revision-files", revision.pk), {}, format="json")
    assert_error_shape(response, 415)
    assert RevisionFile.objects.filter(revision=revision).count() == 1


@pytest.mark.django_db
def test_a_duplicate_code_is_refused(world, as_token):
    draft(world, code="QT-01")
    response = as_token(world.an).post(
        url("document-list"), {"code": "qt-01", "title": "Trùng", "kind": "form"}, format="json"
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["code"]
    assert Document.objects.filter(agency=world.A).count() == 1


@pytest.mark.django_db
def test_self_approval_is_refused(world, as_token):
    hai = as_token(world.hai)
    response = hai.post(
        url("document-list"),
        {
            "code": "CSCL",
            "title": "Chính sách chất lượng",
            "kind": "quality_policy",
            "content": "Cam kết…",
        },
        format="json",
    )
    revision_id = response.json()["revision_in_preparation"]["id"]
    assert hai.post(url("revision-submit", revision_id)).status_code == 200
    assert_error_shape(hai.post(url("revision-approve", revision_id)), 403, "separation_of_duties")
    revision = Revision.objects.get(pk=revision_id)
    assert revision.status == RevisionStatus.IN_REVIEW and revision.approved_by is None


@pytest.mark.django_db
def test_a_second_draft_is_refused(world, as_token):
    document, revision = draft(world)
    issue(world, [revision])
    client = as_token(world.an)
    response = client.post(url("document-new-revision", document.pk), {}, format="json")
    assert response.status_code == 201, response.content
    response = client.post(url("document-new-revision", document.pk), {}, format="json")
    assert_error_shape(response, 409, "invalid_transition")
    assert document.revisions.count() == 2
    # a draft that was never issued has its first revision open already
    other, _ = draft(world)
    response = client.post(url("document-new-revision", other.pk), {}, format="json")
    assert_error_shape(response, 409, "invalid_transition")
    assert other.revisions.count() == 1


@pytest.mark.django_db
def test_an_effective_date_before_the_previous_revisions_is_refused(world, as_token):
    document, first = draft(world, effective_date=TODAY)
    issue(world, [first])
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    response = as_token(world.an).patch(
        url("revision-detail", second.pk),
        {"effective_date": str(TODAY - datetime.timedelta(days=1)), "version": second.version},
        format="json",
    )
    error = assert_error_shape(response, 400, "validation_failed")
    assert error["fields"]["effective_date"]
    second.refresh_from_db()
    assert second.effective_date is None and second.version == 1


@pytest.mark.django_db
def test_a_decision_over_a_revision_that_is_not_approved_is_refused(world, as_token):
    _, revision = draft(world)
    response = as_token(world.an).post(
        url("decision-list"),
        {"subject": "x", "signer_name": "y", "signer_title": "z", "revisions": [revision.pk]},
        format="json",
    )
    assert_error_shape(response, 409, "invalid_transition")
    assert not IssuingDecision.objects.exists()
    revision.refresh_from_db()
    assert revision.decision_id is None


@pytest.mark.django_db
def test_signing_a_decision_whose_revision_is_not_approved_is_refused(world, as_token):
    _, revision = draft(world)
    decision = prepare_decision(world, [revision])
    # the revision is pulled back before signing: the decision cannot issue it any more
    Revision.objects.filter(pk=revision.pk).update(status=RevisionStatus.IN_REVIEW)
    response = as_token(world.hai).post(
        url("decision-sign", decision.pk), {"number": "5/QĐ", "date": str(TODAY)}, format="json"
    )
    assert_error_shape(response, 409, "invalid_transition")
    decision.refresh_from_db()
    revision.refresh_from_db()
    assert decision.status == "draft" and decision.number == ""
    assert revision.status == RevisionStatus.IN_REVIEW and revision.issued_at is None


@pytest.mark.django_db
def test_a_signed_scan_of_the_wrong_type_is_refused_and_nothing_is_issued(world, as_token):
    _, revision = draft(world)
    decision = prepare_decision(world, [revision])
    response = as_token(world.hai).post(
        url("decision-sign", decision.pk),
        {"number": "5/QĐ", "date": str(TODAY), "signed_scan": docx_upload("scan.pdf")},
        format="multipart",
    )
    assert "signed_scan" in assert_error_shape(response, 400, "validation_failed")["fields"]
    decision.refresh_from_db()
    revision.refresh_from_db()
    assert decision.status == "draft" and not decision.signed_file
    assert revision.status == RevisionStatus.APPROVED


@pytest.mark.django_db
def test_a_stale_patch_of_a_draft_is_refused_not_overwritten(world, as_token):
    _, revision = draft(world)
    client = as_token(world.an)
    response = client.patch(
        url("revision-detail", revision.pk), {"content": "A", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.patch(
        url("revision-detail", revision.pk), {"content": "B", "version": 1}, format="json"
    )
    assert_error_shape(response, 409, "concurrent_edit")
    revision.refresh_from_db()
    assert revision.content == "A" and revision.version == 2


@pytest.mark.django_db
def test_a_patch_of_a_draft_needs_the_version(world, as_token):
    _, revision = draft(world)
    response = as_token(world.an).patch(
        url("revision-detail", revision.pk), {"content": "B"}, format="json"
    )
    assert "version" in assert_error_shape(response, 400, "validation_failed")["fields"]
    revision.refresh_from_db()
    assert revision.content == ""


@pytest.mark.django_db
def test_an_issued_revision_cannot_be_changed(world, as_token):
    _, revision = draft(world)
    issue(world, [revision])
    revision.refresh_from_db()
    client = as_token(world.an)
    response = client.patch(
        url("revision-detail", revision.pk),
        {"content": "x", "version": revision.version},
        format="json",
    )
    assert_error_shape(response, 409, "invalid_transition")
    response = client.post(
        url("revision-files", revision.pk), {"file": docx_upload()}, format="multipart"
    )
    assert_error_shape(response, 409, "invalid_transition")
    attached = revision.files.get()
    assert_error_shape(client.delete(url("revision-file-detail", attached.pk)), 409)
    assert revision.files.count() == 1


@pytest.mark.django_db
def test_links_to_another_agency_in_the_body_are_refused(world, as_token):
    theirs = DepartmentFactory(agency=world.B, name="Phòng của Sở Y tế")
    their_text = text(world, world.B)
    far_text = text(world, world.C)
    their_document, _ = draft(world, agency=world.B)
    client = as_token(world.an)
    base = {"code": "QT-X", "title": "Quy trình", "kind": "internal_procedure"}
    for field, value in (
        ("department", theirs.pk),
        ("distribution", [theirs.pk]),
        ("legal_bases", [their_text.pk]),
        ("legal_bases", [far_text.pk]),
        ("references", [their_document.pk]),
    ):
        response = client.post(url("document-list"), base | {field: value}, format="json")
        error = assert_error_shape(response, 400, "validation_failed")
        assert field in error["fields"], (field, error)
    assert not Document.objects.filter(code="QT-X").exists()
    # the same on a change
    mine, _ = draft(world)
    response = client.patch(url("document-detail", mine.pk), {"department": theirs.pk})
    assert "department" in assert_error_shape(response, 400)["fields"]
    response = client.patch(
        url("document-detail", mine.pk), {"legal_bases": [their_text.pk]}, format="json"
    )
    assert "legal_bases" in assert_error_shape(response, 400)["fields"]
    mine.refresh_from_db()
    assert mine.department_id is None and not mine.legal_bases.exists()


@pytest.mark.django_db
def test_an_unknown_id_and_another_agencys_id_get_the_same_answer(world, as_token):
    theirs = DepartmentFactory(agency=world.B)
    client = as_token(world.an)
    base = {"code": "QT-X", "title": "Quy trình", "kind": "form"}
    foreign = client.post(url("document-list"), base | {"department": theirs.pk}, format="json")
    unknown = client.post(url("document-list"), base | {"department": 999999}, format="json")
    message = foreign.json()["error"]["fields"]["department"][0]
    assert (
        message.replace(str(theirs.pk), "999999")
        == (unknown.json()["error"]["fields"]["department"][0])
    )


@pytest.mark.django_db
def test_links_of_the_same_agency_and_shared_texts_above_are_accepted(world, as_token):
    department = DepartmentFactory(agency=world.A, name="Phòng Hành chính tư pháp")
    shared = text(world, world.P, shared=True)
    form, _ = draft(world, code="BM-01", kind="form")
    response = as_token(world.an).post(
        url("document-list"),
        {
            "code": "QT-02",
            "title": "Quy trình chứng thực",
            "kind": "tthc_procedure",
            "department": department.pk,
            "distribution": [department.pk],
            "legal_bases": [shared.pk],
            "references": [form.pk],
            "forms": [form.pk],
            "effective_date": str(TODAY),
            "change_summary": "Ban hành lần đầu",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["department"] == department.pk and body["department_name"] == department.name
    assert body["distribution"] == [department.pk] and body["legal_bases"] == [shared.pk]
    assert body["references"] == [form.pk] and body["forms"] == [form.pk]
    assert body["revision_in_preparation"]["effective_date"] == str(TODAY)
    assert body["revision_in_preparation"]["change_summary"] == "Ban hành lần đầu"
    assert as_token(world.an).get(url("document-detail", form.pk)).json()["used_in"] == [body["id"]]


@pytest.mark.django_db
def test_staff_cannot_draft_submit_or_approve(world, as_token):
    binh = as_token(world.binh)
    response = binh.post(
        url("document-list"), {"code": "QT-B", "title": "x", "kind": "form"}, format="json"
    )
    assert_error_shape(response, 403, "not_permitted")
    response = binh.post(
        url("document-list"),
        {"agency": world.B.pk, "code": "QT-B", "title": "x", "kind": "form"},
        format="json",
    )
    assert "agency" in assert_error_shape(response, 400)["fields"]
    assert not Document.objects.filter(code="QT-B").exists()
    # a draft is invisible to staff: 404
    _, hidden = draft(world)
    for action in ("revision-submit", "revision-approve", "revision-return"):
        assert_error_shape(binh.post(url(action, hidden.pk), {"comment": "x"}), 404, "not_found")
    assert_error_shape(binh.get(url("revision-detail", hidden.pk)), 404)
    hidden.refresh_from_db()
    assert hidden.status == RevisionStatus.DRAFT
    # the current revision is visible to staff, but it is issued: nothing more happens to it
    document, current = draft(world)
    issue(world, [current])
    for action in ("revision-submit", "revision-approve"):
        assert_error_shape(binh.post(url(action, current.pk)), 409, "invalid_transition")
    response = binh.post(url("document-new-revision", document.pk))
    assert_error_shape(response, 403, "not_permitted")
    assert_error_shape(binh.post(url("document-withdraw", document.pk), {"reason": "x"}), 403)
    assert document.revisions.count() == 1
    current.refresh_from_db()
    assert current.status == RevisionStatus.ISSUED


@pytest.mark.django_db
def test_only_the_head_approves_or_returns(world, as_token):
    _, revision = draft(world)
    services.revision_submit(actor=world.an, revision=revision)
    client = as_token(world.an)
    assert_error_shape(client.post(url("revision-approve", revision.pk)), 403, "not_permitted")
    response = client.post(url("revision-return", revision.pk), {"comment": "x"})
    assert_error_shape(response, 403, "not_permitted")
    response = as_token(world.hai).post(url("revision-return", revision.pk), {})
    assert "comment" in assert_error_shape(response, 400)["fields"]
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW


@pytest.mark.django_db
def test_an_overseer_reads_but_cannot_acknowledge_or_create(world, as_token):
    document, revision = draft(world)
    issue(world, [revision])
    dung = as_token(world.dung)
    assert dung.get(url("revision-detail", revision.pk)).status_code == 200
    assert_error_shape(dung.post(url("revision-acknowledge", revision.pk)), 404)
    assert not Acknowledgement.objects.filter(user=world.dung).exists()
    response = dung.post(
        url("document-list"),
        {"agency": world.A.pk, "code": "QT-D", "title": "x", "kind": "form"},
        format="json",
    )
    assert_error_shape(response, 403, "not_permitted")
    assert not Document.objects.filter(code="QT-D").exists()


@pytest.mark.django_db
def test_a_draft_cannot_be_acknowledged(world, as_token):
    _, revision = draft(world)
    response = as_token(world.an).post(url("revision-acknowledge", revision.pk))
    assert_error_shape(response, 409, "invalid_transition")
    assert not Acknowledgement.objects.exists()
