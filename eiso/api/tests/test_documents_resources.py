"""The document-control API resource by resource: reads, filters and changes."""

import datetime

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
from eiso.documents import services
from eiso.documents.choices import RevisionStatus, TaskStatus
from eiso.documents.models import (
    Document,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionFile,
    RevisionTask,
)
from eiso.documents.tests.factories import docx_bytes
from eiso.organizations.tests.factories import DepartmentFactory

pytestmark = pytest.mark.usefixtures("media_in_tmp")


# --- documents: reads and changes --------------------------------------------------------------


@pytest.mark.django_db
def test_staff_list_only_documents_with_a_current_revision(world, as_token):
    issued, revision = draft(world, code="QT-A")
    issue(world, [revision])
    draft(world, code="QT-B")
    services.revision_start(actor=world.an, document=issued, change_summary="Sửa")
    rows = as_token(world.binh).get(url("document-list")).json()["results"]
    assert [(r["code"], r["revision_in_preparation"]) for r in rows] == [("QT-A", None)]
    assert rows[0]["current_revision"]["number"] == 1
    rows = as_token(world.an).get(url("document-list")).json()["results"]
    preparing = {r["code"]: r["revision_in_preparation"] for r in rows}
    assert preparing == {
        "QT-A": {"number": 2, "status": "draft"},
        "QT-B": {"number": 1, "status": "draft"},
    }
    hidden = Document.objects.get(code="QT-B")
    assert_error_shape(as_token(world.binh).get(url("document-detail", hidden.pk)), 404)


@pytest.mark.django_db
def test_the_document_list_filters(world, as_token):
    department = DepartmentFactory(agency=world.A)
    old, old_revision = draft(world, code="QT-01", title="Quy trình Đăng ký kết hôn")
    issue(world, [old_revision], date=TODAY - datetime.timedelta(days=40))
    draft(world, code="BM-01", kind="form", department=department)
    draft(world, agency=world.B, code="QT-B1")
    client = as_token(world.dung)

    def codes(**params):
        response = client.get(url("document-list"), params)
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes(q="dang ky ket hon") == ["QT-01"]
    assert codes(kind="form") == ["BM-01"]
    assert codes(department=department.pk) == ["BM-01"]
    assert codes(agency=world.B.pk) == ["QT-B1"]
    assert codes(state="issued") == ["QT-01"]
    assert set(codes(state="draft")) == {"BM-01", "QT-B1"}
    assert set(codes(state="never_issued")) == {"BM-01", "QT-B1"}
    assert codes(effective_to=str(TODAY - datetime.timedelta(days=30))) == ["QT-01"]
    assert codes(effective_from=str(TODAY)) == []
    assert codes(status="withdrawn") == []
    assert codes(ordering="-code")[0] == "QT-B1"
    assert_error_shape(client.get(url("document-list"), {"agency": world.C.pk}), 400)
    assert_error_shape(client.get(url("document-list"), {"state": "x"}), 400)
    assert (
        "department"
        in assert_error_shape(
            as_token(world.an).get(url("document-list"), {"department": 999999}), 400
        )["fields"]
    )


@pytest.mark.django_db
def test_a_document_changes_and_is_withdrawn_with_its_history(world, as_token):
    document, revision = draft(world, code="QT-05")
    client = as_token(world.an)
    response = client.patch(
        url("document-detail", document.pk), {"code": "qt-06", "title": "Tên mới"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["code"], response.json()["title"]) == ("QT-06", "Tên mới")
    issue(world, [revision])
    response = client.patch(url("document-detail", document.pk), {"code": "QT-07"})
    assert "code" in assert_error_shape(response, 400)["fields"]
    response = client.post(url("document-withdraw", document.pk), {})
    assert "reason" in assert_error_shape(response, 400)["fields"]
    response = as_token(world.hai).post(
        url("document-withdraw", document.pk), {"reason": "Thủ tục bị bãi bỏ"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawn_reason"] == "Thủ tục bị bãi bỏ"
    assert document.revisions.count() == 1
    assert ids(client.get(url("document-revisions", document.pk))) == {revision.pk}
    response = client.post(url("document-withdraw", document.pk), {"reason": "x"})
    assert_error_shape(response, 409, "invalid_transition")


@pytest.mark.django_db
def test_an_agency_outside_the_scope_is_refused_like_an_unknown_one(world, as_token):
    client = as_token(world.an)
    data = {"code": "QT-Z", "title": "x", "kind": "form"}
    for agency in (world.B.pk, 999999, "x"):
        response = client.post(url("document-list"), data | {"agency": agency}, format="json")
        assert "agency" in assert_error_shape(response, 400, "validation_failed")["fields"]
    assert not Document.objects.filter(code="QT-Z").exists()
    response = client.post(url("document-list"), data | {"agency": world.A.pk}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_user_without_a_role_must_name_the_agency(world, as_token):
    from eiso.accounts.tests.factories import UserFactory

    nobody = UserFactory(username="nobody")
    response = as_token(nobody).post(
        url("document-list"), {"code": "QT-N", "title": "x", "kind": "form"}, format="json"
    )
    assert "agency" in assert_error_shape(response, 400)["fields"]


# --- revisions and files -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_downloads_with_its_content_type_and_staff_only_get_current_ones(world, as_token):
    document, revision = draft(world)
    attached = revision.files.get()
    an, binh = as_token(world.an), as_token(world.binh)
    response = an.get(url("revision-file-download", attached.pk), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == attached.content_type
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == docx_bytes()
    assert_error_shape(binh.get(url("revision-file-download", attached.pk)), 404, "not_found")
    assert_error_shape(binh.get(url("revision-files", revision.pk)), 404)
    issue(world, [revision])
    assert binh.get(url("revision-file-download", attached.pk)).status_code == 200
    assert ids(binh.get(url("revision-files", revision.pk))) == {attached.pk}
    assert_error_shape(as_token(world.chi).get(url("revision-file-download", attached.pk)), 404)


@pytest.mark.django_db
def test_a_file_is_removed_from_a_draft(world, as_token):
    _, revision = draft(world)
    attached = revision.files.get()
    assert_error_shape(as_token(world.binh).delete(url("revision-file-detail", attached.pk)), 404)
    response = as_token(world.an).delete(url("revision-file-detail", attached.pk))
    assert response.status_code == 204
    assert not RevisionFile.objects.filter(pk=attached.pk).exists()
    assert AuditEvent.objects.filter(action="revision.remove_file").exists()


@pytest.mark.django_db
def test_a_revision_shows_its_workflow_steps(world, as_token):
    _, revision = draft(world)
    approve(world, revision)
    body = as_token(world.an).get(url("revision-detail", revision.pk)).json()
    # attaching the file is an edit (whoever edits may not approve)
    assert [e["action"] for e in body["events"]] == ["create", "edit", "submit", "approve"]
    assert body["events"][-1]["actor_name"] == world.hai.full_name
    assert body["approved_by_name"] == world.hai.full_name and body["is_current"] is False
    assert [f["original_name"] for f in body["files"]] == ["quy-trinh.docx"]
    assert body["files"][0]["download_url"].endswith("/download/")


@pytest.mark.django_db
def test_submitting_needs_a_file_or_content(world, as_token):
    response = as_token(world.an).post(
        url("document-list"), {"code": "QT-E", "title": "Trống", "kind": "form"}, format="json"
    )
    revision_id = response.json()["revision_in_preparation"]["id"]
    assert_error_shape(as_token(world.an).post(url("revision-submit", revision_id)), 400)
    assert Revision.objects.get(pk=revision_id).status == RevisionStatus.DRAFT


# --- decisions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_decision_is_changed_and_not_after_signing(world, as_token):
    _, one = draft(world, code="QT-A")
    _, two = draft(world, code="QT-B")
    approve(world, two)
    decision = prepare_decision(world, [one])
    client = as_token(world.an)
    response = client.patch(
        url("decision-detail", decision.pk),
        {"subject": "Ban hành 2 quy trình", "revisions": [one.pk, two.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["subject"] == "Ban hành 2 quy trình"
    assert {r["id"] for r in response.json()["revisions"]} == {one.pk, two.pk}
    response = client.patch(url("decision-detail", decision.pk), {"revisions": []}, format="json")
    assert "revisions" in assert_error_shape(response, 400)["fields"]
    response = as_token(world.hai).post(
        url("decision-sign", decision.pk), {"number": "3/QĐ-A", "date": str(TODAY)}
    )
    assert response.status_code == 200, response.content
    assert set(Revision.objects.filter(decision=decision).values_list("status", flat=True)) == {
        RevisionStatus.ISSUED
    }
    response = client.patch(url("decision-detail", decision.pk), {"subject": "x"})
    assert_error_shape(response, 409, "invalid_transition")
    response = client.post(url("decision-sign", decision.pk), {"number": "4", "date": str(TODAY)})
    assert_error_shape(response, 409, "invalid_transition")
    decision.refresh_from_db()
    assert decision.number == "03/QĐ-A" and decision.subject == "Ban hành 2 quy trình"


@pytest.mark.django_db
def test_staff_see_only_signed_decisions(world, as_token):
    _, one = draft(world)
    draft_decision = prepare_decision(world, [one])
    _, two = draft(world)
    signed = issue(world, [two])
    binh = as_token(world.binh)
    assert ids(binh.get(url("decision-list"))) == {signed.pk}
    assert_error_shape(binh.get(url("decision-detail", draft_decision.pk)), 404)
    assert [r["id"] for r in binh.get(url("decision-detail", signed.pk)).json()["revisions"]] == [
        two.pk
    ]
    assert ids(as_token(world.an).get(url("decision-list"))) == {signed.pk, draft_decision.pk}
    response = as_token(world.an).get(url("decision-list"), {"status": "draft"})
    assert ids(response) == {draft_decision.pk}


@pytest.mark.django_db
def test_a_decision_needs_its_revisions_and_number_and_date_to_sign(world, as_token):
    client = as_token(world.an)
    response = client.post(
        url("decision-list"),
        {"subject": "x", "signer_name": "y", "signer_title": "z", "revisions": []},
        format="json",
    )
    assert "revisions" in assert_error_shape(response, 400)["fields"]
    _, revision = draft(world)
    decision = prepare_decision(world, [revision])
    response = as_token(world.hai).post(url("decision-sign", decision.pk), {}, format="json")
    assert {"number", "date"} <= set(assert_error_shape(response, 400)["fields"])
    assert IssuingDecision.objects.get().status == "draft"


# --- the master list -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_master_list_shows_current_revisions_and_the_review(world, as_token):
    document, revision = draft(world, code="QT-01", kind="system_procedure")
    issue(world, [revision], number="01/QĐ-A")
    draft(world, code="QT-02")  # never issued: not in the master list
    policy = services.document_create(
        actor=world.an,
        agency=world.A,
        code="CSCL",
        title="Chính sách chất lượng",
        kind="quality_policy",
        content="Cam kết…",
    )
    issue(world, [policy.revisions.get()])
    body = as_token(world.binh).get(url("master-list")).json()
    assert body["agency"] == {"id": world.A.pk, "code": "A", "name": world.A.name}
    assert [row["code"] for row in body["results"]] == ["CSCL", "QT-01"]
    row = body["results"][1]
    assert row["revision"] == revision.pk and row["revision_number"] == 1
    assert row["decision_number"] == "01/QĐ-A" and row["effective_date"] == str(TODAY)
    assert body["review"]["last"] is None and body["review"]["done_this_quarter"] is False
    response = as_token(world.an).post(
        url("master-list-review-list"),
        {"reviewed_on": str(TODAY), "result": "up_to_date", "notes": "Đủ"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["agency"] == world.A.pk
    review = as_token(world.dung).get(url("master-list"), {"agency": world.A.pk}).json()["review"]
    assert review["done_this_quarter"] is True and review["overdue"] is False
    assert review["last"]["reviewed_by_name"] == world.an.full_name
    assert (
        as_token(world.dung).get(url("master-list"), {"agency": world.B.pk}).json()["results"] == []
    )


@pytest.mark.django_db
def test_master_list_refusals(world, as_token):
    assert (
        "agency"
        in assert_error_shape(
            as_token(world.an).get(url("master-list"), {"agency": world.B.pk}), 400
        )["fields"]
    )
    assert_error_shape(as_token(world.dung).get(url("master-list"), {"agency": world.C.pk}), 400)
    future = str(TODAY + datetime.timedelta(days=3))
    response = as_token(world.an).post(
        url("master-list-review-list"),
        {"reviewed_on": future, "result": "up_to_date"},
        format="json",
    )
    assert "reviewed_on" in assert_error_shape(response, 400)["fields"]
    response = as_token(world.binh).post(
        url("master-list-review-list"),
        {"reviewed_on": str(TODAY), "result": "up_to_date"},
        format="json",
    )
    assert_error_shape(response, 403, "not_permitted")
    response = as_token(world.an).post(
        url("master-list-review-list"),
        {"agency": world.B.pk, "reviewed_on": str(TODAY), "result": "up_to_date"},
        format="json",
    )
    assert "agency" in assert_error_shape(response, 400)["fields"]
    assert not MasterListReview.objects.exists()


# --- external documents --------------------------------------------------------------------------


@pytest.mark.django_db
def test_shared_texts_are_read_below_and_kept_by_the_overseer(world, as_token):
    dung = as_token(world.dung)
    response = dung.post(
        url("external-document-list"),
        {"number": "19/2014/QĐ-TTg", "title": "Áp dụng ISO", "is_shared": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    shared = response.json()
    assert shared["agency"] == world.P.pk and shared["is_shared"] is True
    assert shared["in_force"] is True
    assert shared["id"] in ids(as_token(world.an).get(url("external-document-list")))
    assert shared["id"] in ids(as_token(world.chi).get(url("external-document-list")))
    assert shared["id"] not in ids(as_token(world.cuong).get(url("external-document-list")))
    assert_error_shape(
        as_token(world.cuong).get(url("external-document-detail", shared["id"])), 404
    )
    # A reads it but does not keep it
    response = as_token(world.an).patch(
        url("external-document-detail", shared["id"]), {"title": "Đổi"}, format="json"
    )
    assert_error_shape(response, 404)
    response = dung.patch(
        url("external-document-detail", shared["id"]), {"issuer": "Thủ tướng"}, format="json"
    )
    assert response.status_code == 200 and response.json()["issuer"] == "Thủ tướng"
    # the secretary cannot add to the province's catalogue, nor share her own list
    response = as_token(world.an).post(
        url("external-document-list"),
        {"agency": world.P.pk, "number": "X-1", "title": "x", "is_shared": True},
        format="json",
    )
    assert "agency" in assert_error_shape(response, 400)["fields"]
    response = as_token(world.an).post(
        url("external-document-list"), {"number": "X-1", "title": "x", "is_shared": True}
    )
    assert_error_shape(response, 403, "not_permitted")
    assert not ExternalDocument.objects.filter(number="X-1").exists()


@pytest.mark.django_db
def test_replacing_a_text_raises_revision_tasks(world, as_token):
    old = text(world, world.P, shared=True, number="63/2010/NĐ-CP", days=-3000)
    document, _ = draft(world, legal_bases=[old])
    response = as_token(world.an).post(
        url("external-document-list"),
        {"number": "118/2025/NĐ-CP", "title": "Một cửa", "replaces": old.pk},
        format="json",
    )
    assert "replaces" in assert_error_shape(response, 400)["fields"]  # not hers to replace
    effective = TODAY + datetime.timedelta(days=30)
    response = as_token(world.dung).post(
        url("external-document-list"),
        {
            "number": "118/2025/NĐ-CP",
            "title": "Một cửa",
            "effective_date": str(effective),
            "is_shared": True,
            "replaces": old.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    old_row = as_token(world.an).get(url("external-document-detail", old.pk)).json()
    assert old_row["replaced_by"] == response.json()["id"] and old_row["in_force"] is False
    tasks = as_token(world.an).get(url("revision-task-list")).json()["results"]
    assert [(t["document"], t["reason"], t["status"]) for t in tasks] == [
        (document.pk, "replaced", "open")
    ]
    assert tasks[0]["external_number"] == "118/2025/NĐ-CP" and tasks[0]["is_overdue"] is False
    response = as_token(world.dung).post(
        url("external-document-list"),
        {"number": "1/2026/NĐ-CP", "title": "x", "is_shared": True, "replaces": old.pk},
        format="json",
    )
    assert "replaces" in assert_error_shape(response, 400)["fields"]  # already replaced


@pytest.mark.django_db
def test_external_document_refusals_and_filters(world, as_token):
    client = as_token(world.an)
    own = text(world, world.A, number="01/2026/TT-BTP")
    response = client.post(
        url("external-document-list"), {"number": "01/2026/tt-btp", "title": "Trùng"}
    )
    assert "number" in assert_error_shape(response, 400)["fields"]
    response = client.post(
        url("external-document-list"),
        {
            "number": "02/2026/TT-BTP",
            "title": "x",
            "effective_date": str(TODAY),
            "expiry_date": str(TODAY - datetime.timedelta(days=1)),
        },
        format="json",
    )
    assert "expiry_date" in assert_error_shape(response, 400)["fields"]
    assert ExternalDocument.objects.count() == 1
    shared = text(world, world.P, shared=True)
    assert ids(client.get(url("external-document-list"), {"scope": "own"})) == {own.pk}
    assert ids(client.get(url("external-document-list"), {"scope": "shared"})) == {shared.pk}
    assert ids(client.get(url("external-document-list"), {"q": "01/2026/tt"})) == {own.pk}
    assert ids(client.get(url("external-document-list"), {"in_force": "no"})) == set()
    assert_error_shape(client.get(url("external-document-list"), {"agency": world.B.pk}), 400)


# --- revision tasks ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_revision_task_filters(world, as_token):
    document, revision = draft(world, legal_bases=[text(world, world.A, days=30)])
    open_task = RevisionTask.objects.get(document=document)
    late, _ = draft(world, legal_bases=[text(world, world.A, days=10)])
    late_task = RevisionTask.objects.get(document=late)
    RevisionTask.objects.filter(pk=late_task.pk).update(due_date=TODAY - datetime.timedelta(days=1))
    issue(world, [revision])  # drafted before the task: it stays open…
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_attach_file(
        actor=world.an, revision=second, upload=SimpleUploadedFile("b.docx", docx_bytes())
    )
    issue(world, [second])  # …and the next revision closes it
    draft(world, agency=world.B, legal_bases=[text(world, world.B, days=30)])
    client = as_token(world.dung)
    list_url = url("revision-task-list")
    assert ids(client.get(list_url, {"agency": world.A.pk})) == {late_task.pk}
    assert ids(client.get(list_url, {"status": "done"})) == {open_task.pk}
    assert len(ids(client.get(list_url, {"status": "all"}))) == 3
    assert ids(client.get(list_url, {"overdue": "true"})) == {late_task.pk}
    body = client.get(url("revision-task-detail", open_task.pk)).json()
    assert body["status"] == TaskStatus.DONE and body["closed_by_revision"] == second.pk
    assert client.get(url("revision-task-detail", late_task.pk)).json()["is_overdue"] is True
    assert_error_shape(client.get(list_url, {"status": "x"}), 400)
    assert_error_shape(as_token(world.an).post(list_url, {}), 405)
