import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.errors import (
    ConcurrentEdit,
    InvalidTransition,
    NotPermitted,
    SeparationOfDutiesViolation,
    ValidationFailed,
)
from eiso.core.models import AuditEvent, Notification
from eiso.documents import selectors, services
from eiso.documents.choices import RevisionStatus, TaskStatus
from eiso.documents.models import (
    Acknowledgement,
    Document,
    DocumentTemplate,
    LegalBasis,
    Revision,
    RevisionFile,
    RevisionTask,
)
from eiso.documents.tests.factories import docx_upload, pdf_upload

TODAY = datetime.date(2026, 11, 21)


def draft(world, code="QT-TTHC-01", **kwargs):
    document = services.document_create(
        actor=world.an,
        agency=world.A,
        code=code,
        title=kwargs.pop("title", "Quy trình cấp phiếu lý lịch tư pháp"),
        kind=kwargs.pop("kind", "tthc_procedure"),
        **kwargs,
    )
    revision = document.revisions.get()
    services.revision_attach_file(actor=world.an, revision=revision, upload=docx_upload())
    return document, revision


def issue(world, revisions, number="01", date=TODAY):
    for revision in revisions:
        revision.refresh_from_db()
        if revision.status != RevisionStatus.APPROVED:
            services.revision_submit(actor=world.an, revision=revision)
            services.revision_approve(actor=world.hai, revision=revision)
    decision = services.decision_create(
        actor=world.an,
        agency=world.A,
        subject="Ban hành tài liệu HTQLCL",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=revisions,
    )
    return services.decision_sign(actor=world.hai, decision=decision, number=number, date=date)


@pytest.mark.django_db
def test_the_whole_life_of_a_procedure(world):
    document, first = draft(world, effective_date=TODAY)
    services.revision_submit(actor=world.an, revision=first)
    services.revision_return(actor=world.hai, revision=first, comment="Bổ sung bước 3")
    first.refresh_from_db()
    assert first.status == RevisionStatus.RETURNED and first.return_comment == "Bổ sung bước 3"
    services.revision_update(
        actor=world.an,
        revision=first,
        data={"content": "Bước 3: thẩm định"},
        expected_version=first.version,
    )
    services.revision_submit(actor=world.an, revision=first)
    services.revision_approve(actor=world.hai, revision=first)
    issue(world, [first])
    first.refresh_from_db()
    assert document.in_force == first and first.status == RevisionStatus.ISSUED
    # revision 02 replaces 01 from its effective date
    second = services.revision_start(actor=world.an, document=document)
    services.revision_update(
        actor=world.an,
        revision=second,
        data={"change_summary": "Cập nhật theo Nghị định mới", "effective_date": TODAY},
    )
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    issue(world, [second], number="02/QĐ-A")
    first.refresh_from_db()
    document = Document.objects.get(pk=document.pk)
    assert first.status == RevisionStatus.ISSUED  # unchanged: its end is computed
    assert document.in_force.number == 2
    assert Revision.objects.in_force(on=TODAY).get(document=document) == second
    actions = list(first.events.values_list("action", flat=True))
    assert actions == ["create", "edit", "submit", "return", "edit", "submit", "approve", "issue"]
    assert AuditEvent.objects.filter(action="decision.sign", agency=world.A).count() == 2


@pytest.mark.django_db
def test_issuing_asks_the_agency_to_read_it_and_records_who_did(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.binh.email = "binh@stp.gov.vn"
    world.binh.save()
    document, revision = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        issue(world, [revision])
    acks = Acknowledgement.objects.filter(revision=revision)
    assert {a.user.username for a in acks} == {"an", "binh", "hai"}
    assert Notification.objects.filter(user=world.binh, agency=world.A).exists()
    assert any("binh@stp.gov.vn" in m.to for m in mailoutbox)
    revision.refresh_from_db()
    services.revision_acknowledge(actor=world.binh, revision=revision)
    assert acks.get(user=world.binh).acknowledged_at is not None
    assert not selectors.pending_acknowledgements(user=world.binh).exists()


@pytest.mark.django_db
def test_a_duplicate_code_is_refused(world):
    draft(world, code="QT-01")
    with pytest.raises(ValidationFailed) as error:
        draft(world, code="qt-01")
    assert "code" in error.value.fields
    assert Document.objects.filter(agency=world.A).count() == 1


@pytest.mark.django_db
def test_the_same_code_is_fine_in_another_agency(world):
    draft(world, code="QT-01")
    services.document_create(
        actor=world.chi, agency=world.B, code="QT-01", title="x", kind="system_procedure"
    )
    assert Document.objects.filter(code="QT-01").count() == 2


@pytest.mark.django_db
def test_a_second_draft_is_refused(world):
    document, _ = draft(world)
    with pytest.raises(InvalidTransition):
        services.revision_start(actor=world.an, document=document)
    assert document.revisions.count() == 1


@pytest.mark.django_db
def test_self_approval_is_refused(world):
    document = services.document_create(
        actor=world.hai,
        agency=world.A,
        code="CSCL",
        title="Chính sách chất lượng",
        kind="quality_policy",
        content="Cam kết…",
    )
    revision = document.revisions.get()
    services.revision_submit(actor=world.hai, revision=revision)
    with pytest.raises(SeparationOfDutiesViolation):
        services.revision_approve(actor=world.hai, revision=revision)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW and revision.approved_by is None


@pytest.mark.django_db
def test_only_the_head_approves_and_staff_cannot_draft(world):
    _, revision = draft(world)
    services.revision_submit(actor=world.an, revision=revision)
    with pytest.raises(NotPermitted):
        services.revision_approve(actor=world.an, revision=revision)
    with pytest.raises(NotPermitted):
        services.document_create(actor=world.binh, agency=world.A, code="X", title="x", kind="form")
    with pytest.raises(NotPermitted):
        services.document_create(actor=world.dung, agency=world.A, code="X", title="x", kind="form")


@pytest.mark.django_db
def test_issuing_without_approval_is_refused_and_nothing_changes(world):
    _, revision = draft(world)
    with pytest.raises(InvalidTransition):
        services.decision_create(
            actor=world.an,
            agency=world.A,
            subject="x",
            signer_name="y",
            signer_title="z",
            revisions=[revision],
        )
    services.revision_submit(actor=world.an, revision=revision)
    services.revision_approve(actor=world.hai, revision=revision)
    decision = services.decision_create(
        actor=world.an,
        agency=world.A,
        subject="x",
        signer_name="y",
        signer_title="z",
        revisions=[revision],
    )
    # the revision is pulled back before signing: the decision cannot issue it any more
    Revision.objects.filter(pk=revision.pk).update(status=RevisionStatus.IN_REVIEW)
    with pytest.raises(InvalidTransition):
        services.decision_sign(actor=world.hai, decision=decision, number="5/QĐ", date=TODAY)
    decision.refresh_from_db()
    assert decision.status == "draft" and decision.number == ""


@pytest.mark.django_db
def test_an_effective_date_before_the_previous_revisions_is_refused(world):
    document, first = draft(world, effective_date=TODAY)
    issue(world, [first])
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    with pytest.raises(ValidationFailed) as error:
        services.revision_update(
            actor=world.an,
            revision=second,
            data={"effective_date": TODAY - datetime.timedelta(days=1)},
        )
    assert "effective_date" in error.value.fields
    second.refresh_from_db()
    assert second.effective_date is None


@pytest.mark.django_db
def test_a_stale_edit_of_a_draft_is_detected(world):
    _, revision = draft(world)
    services.revision_update(
        actor=world.an, revision=revision, data={"content": "A"}, expected_version=1
    )
    with pytest.raises(ConcurrentEdit):
        services.revision_update(
            actor=world.an, revision=revision, data={"content": "B"}, expected_version=1
        )
    revision.refresh_from_db()
    assert revision.content == "A"


@pytest.mark.django_db
def test_files_are_checked_by_content_and_size(world, settings):
    _, revision = draft(world)
    disguised = SimpleUploadedFile("quy-trinh.docx", b"MZ\x90\x00 not really a docx")
    with pytest.raises(ValidationFailed):
        services.revision_attach_file(actor=world.an, revision=revision, upload=disguised)
    settings.MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationFailed):
        services.revision_attach_file(actor=world.an, revision=revision, upload=pdf_upload())
    assert RevisionFile.objects.filter(revision=revision).count() == 1  # the good one only


@pytest.mark.django_db
def test_issued_revisions_are_immutable(world):
    _, revision = draft(world)
    issue(world, [revision])
    with pytest.raises(InvalidTransition):
        services.revision_update(actor=world.an, revision=revision, data={"content": "x"})
    with pytest.raises(InvalidTransition):
        services.revision_attach_file(actor=world.an, revision=revision, upload=docx_upload())


@pytest.mark.django_db
def test_a_decision_number_is_unique_in_the_agency(world):
    _, one = draft(world, code="QT-A")
    _, two = draft(world, code="QT-B")
    issue(world, [one], number="07/QĐ-A")
    with pytest.raises(ValidationFailed):
        issue(world, [two], number="07/qđ-a")
    two.refresh_from_db()
    assert two.status == RevisionStatus.APPROVED


@pytest.mark.django_db
def test_one_decision_issues_several_revisions(world):
    _, one = draft(world, code="QT-A")
    _, two = draft(world, code="QT-B")
    decision = issue(world, [one, two])
    assert set(decision.revisions.values_list("status", flat=True)) == {RevisionStatus.ISSUED}


@pytest.mark.django_db
def test_withdrawal_keeps_history(world):
    document, revision = draft(world)
    issue(world, [revision])
    services.document_withdraw(actor=world.hai, document=document, reason="Thủ tục bị bãi bỏ")
    document.refresh_from_db()
    assert document.status == "withdrawn" and document.revisions.count() == 1
    with pytest.raises(InvalidTransition):
        services.revision_start(actor=world.an, document=document)


@pytest.mark.django_db
def test_every_citation_carries_the_citing_documents_agency(world):
    """A document's legal bases are written with its agency, however they are made: at
    creation, on a change of its links and when a text it rests on is replaced (the counts of
    the legal texts list read that agency instead of the documents)."""
    old = services.external_document_create(
        actor=world.dung, agency=world.P, number="63/2010/NĐ-CP", title="TTHC", is_shared=True
    )
    other = services.external_document_create(
        actor=world.dung, agency=world.P, number="61/2018/NĐ-CP", title="Một cửa", is_shared=True
    )
    doc_a, _ = draft(world, code="QT-A", legal_bases=[old])
    doc_b = services.document_create(
        actor=world.chi, agency=world.B, code="QT-B", title="x", kind="tthc_procedure"
    )
    services.document_update(actor=world.chi, document=doc_b, data={"legal_bases": [other]})
    services.external_document_create(
        actor=world.dung,
        agency=world.P,
        number="118/2025/NĐ-CP",
        title="Thay thế",
        is_shared=True,
        replaces=old,
    )
    links = LegalBasis.objects.values_list("document__code", "externaldocument__number", "agency")
    assert sorted(links) == [
        ("QT-A", "118/2025/NĐ-CP", world.A.pk),
        ("QT-A", "63/2010/NĐ-CP", world.A.pk),
        ("QT-B", "61/2018/NĐ-CP", world.B.pk),
    ]


@pytest.mark.django_db
def test_a_replaced_legal_text_raises_tasks_in_every_agency_and_issuing_closes_them(world):
    old = services.external_document_create(
        actor=world.dung,
        agency=world.P,
        number="63/2010/NĐ-CP",
        title="Kiểm soát TTHC",
        effective_date=datetime.date(2010, 10, 14),
        is_shared=True,
    )
    doc_a, rev_a = draft(world, code="QT-A", legal_bases=[old])
    doc_b = services.document_create(
        actor=world.chi,
        agency=world.B,
        code="QT-B",
        title="x",
        kind="tthc_procedure",
        legal_bases=[old],
    )
    effective = timezone.localdate() + datetime.timedelta(days=30)
    new = services.external_document_create(
        actor=world.dung,
        agency=world.P,
        number="118/2025/NĐ-CP",
        title="Một cửa",
        effective_date=effective,
        is_shared=True,
        replaces=old,
    )
    tasks = RevisionTask.objects.filter(external_document=new, status=TaskStatus.OPEN)
    assert {t.agency for t in tasks} == {world.A, world.B}
    task_a = tasks.get(document=doc_a)
    assert task_a.due_date.month == (effective.month + 2) % 12 + 1
    assert new in doc_b.legal_bases.all()
    issue(world, [rev_a])  # drafted before the replacement: the task stays open
    task_a.refresh_from_db()
    assert task_a.status == TaskStatus.OPEN
    rev_a2 = services.revision_start(actor=world.an, document=doc_a, change_summary="Theo NĐ 118")
    services.revision_attach_file(actor=world.an, revision=rev_a2, upload=docx_upload())
    issue(world, [rev_a2], number="02/QĐ-A")
    task_a.refresh_from_db()
    assert task_a.status == TaskStatus.DONE and task_a.closed_by_revision == rev_a2
    assert set(selectors.task_list(user=world.chi).values_list("document__code", flat=True)) == {
        "QT-B"
    }


@pytest.mark.django_db
def test_linking_a_future_text_asks_for_a_revision(world):
    future = services.external_document_create(
        actor=world.an,
        agency=world.A,
        number="01/2027/TT-BTP",
        title="Thông tư mới",
        effective_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    document, _ = draft(world, legal_bases=[future])
    assert RevisionTask.objects.get(document=document).reason == "new_text"


@pytest.mark.django_db
def test_shared_texts_are_kept_by_overseers_and_read_below(world):
    with pytest.raises(NotPermitted):
        services.external_document_create(
            actor=world.an, agency=world.P, number="X", title="x", is_shared=True
        )
    shared = services.external_document_create(
        actor=world.dung, agency=world.P, number="19/2014/QĐ-TTg", title="ISO", is_shared=True
    )
    assert shared in selectors.external_list(user=world.binh)
    assert shared not in selectors.external_list(user=world.cuong)


@pytest.mark.django_db
def test_staff_read_only_what_is_issued(world):
    issued_doc, revision = draft(world, code="QT-A")
    issue(world, [revision])
    draft(world, code="QT-B")
    services.revision_start(actor=world.an, document=issued_doc, change_summary="Sửa")
    staff_codes = set(selectors.document_list(user=world.binh).values_list("code", flat=True))
    assert staff_codes == {"QT-A"}
    assert [r.status for r in selectors.revisions_of(user=world.binh, document=issued_doc)] == [
        "issued"
    ]
    assert len(selectors.revisions_of(user=world.an, document=issued_doc)) == 2
    assert set(selectors.document_list(user=world.dung).values_list("code", flat=True)) == {
        "QT-A",
        "QT-B",
    }


@pytest.mark.django_db
def test_templates_are_adopted_as_drafts_once(world):
    templates = list(DocumentTemplate.objects.all())
    assert {t.code for t in templates} >= {"QT-01", "QT-06", "CSCL"}
    created = services.template_adopt(actor=world.an, agency=world.A, templates=templates)
    assert len(created) == len(templates)
    assert services.template_adopt(actor=world.an, agency=world.A, templates=templates) == []
    qt01 = Document.objects.get(agency=world.A, code="QT-01")
    assert qt01.revisions.get().status == RevisionStatus.DRAFT and qt01.revisions.get().content


@pytest.mark.django_db
def test_master_list_review_is_recorded_by_quarter(world):
    status = selectors.master_list_review_status(user=world.an, agency=world.A, today=TODAY)
    assert not status.done_this_quarter and status.due_on == datetime.date(2026, 12, 31)
    services.master_list_review_record(
        actor=world.an, agency=world.A, reviewed_on=timezone.localdate(), result="up_to_date"
    )
    status = selectors.master_list_review_status(user=world.an, agency=world.A)
    assert status.done_this_quarter and not status.overdue
    with pytest.raises(ValidationFailed):
        services.master_list_review_record(
            actor=world.an,
            agency=world.A,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=3),
            result="up_to_date",
        )


@pytest.mark.django_db
def test_legal_text_numbers_are_unique_whatever_the_case(world):
    services.external_document_create(
        actor=world.an, agency=world.A, number="118/2025/NĐ-CP", title="x"
    )
    with pytest.raises(ValidationFailed):
        services.external_document_create(
            actor=world.an, agency=world.A, number="118/2025/nđ-cp", title="y"
        )


@pytest.mark.django_db
def test_decision_numbers_restart_every_year(world):
    _, one = draft(world, code="QT-A")
    _, two = draft(world, code="QT-B")
    issue(world, [one], number="12/QĐ-A", date=datetime.date(2025, 2, 10))
    issue(world, [two], number="12/QĐ-A", date=datetime.date(2026, 2, 10))
    two.refresh_from_db()
    assert two.status == RevisionStatus.ISSUED


@pytest.mark.django_db
def test_a_text_recorded_late_gives_a_task_already_overdue(world):
    old = services.external_document_create(
        actor=world.an,
        agency=world.A,
        number="61/2018/NĐ-CP",
        title="Một cửa",
        effective_date=datetime.date(2018, 6, 21),
    )
    document, first = draft(world, legal_bases=[old])
    issue(world, [first], date=datetime.date(2025, 1, 10))
    services.external_document_create(
        actor=world.an,
        agency=world.A,
        number="118/2025/NĐ-CP",
        title="Một cửa (mới)",
        effective_date=datetime.date(2025, 7, 1),
        replaces=old,
    )
    task = RevisionTask.objects.get(document=document)
    assert task.due_date == datetime.date(2025, 10, 1)
    assert task in selectors.task_list(user=world.an, overdue=True)


@pytest.mark.django_db
def test_a_revision_drafted_before_the_change_does_not_close_its_task(world):
    future = services.external_document_create(
        actor=world.an,
        agency=world.A,
        number="01/2027/TT-BTP",
        title="Thông tư mới",
        effective_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    document, first = draft(world, legal_bases=[future])
    issue(world, [first])
    task = RevisionTask.objects.get(document=document)
    assert task.status == TaskStatus.OPEN
    second = services.revision_start(
        actor=world.an, document=document, change_summary="Theo TT mới"
    )
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    issue(world, [second], number="02/QĐ-A")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_by_revision == second


@pytest.mark.django_db
def test_changing_legal_bases_is_audited(world):
    text = services.external_document_create(
        actor=world.an, agency=world.A, number="23/2015/NĐ-CP", title="Chứng thực"
    )
    document, _ = draft(world)
    services.document_update(actor=world.an, document=document, data={"legal_bases": [text]})
    event = AuditEvent.objects.filter(action="document.update").latest("id")
    assert event.changes["legal_bases"] == [[], ["23/2015/NĐ-CP"]]


@pytest.mark.django_db
def test_links_must_stay_inside_the_agency(world):
    from eiso.organizations.tests.factories import DepartmentFactory

    other_department = DepartmentFactory(agency=world.B)
    with pytest.raises(ValidationFailed) as error:
        draft(world, code="QT-X", distribution=[other_department])
    assert "distribution" in error.value.fields
    not_a_form, _ = draft(world, code="QT-Y")
    with pytest.raises(ValidationFailed) as error:
        draft(world, code="QT-Z", forms=[not_a_form])
    assert "forms" in error.value.fields
    assert not Document.objects.filter(code__in=["QT-X", "QT-Z"]).exists()


@pytest.mark.django_db
def test_a_secretary_cannot_replace_the_provinces_shared_text(world):
    shared = services.external_document_create(
        actor=world.dung, agency=world.P, number="61/2018/NĐ-CP", title="Một cửa", is_shared=True
    )
    with pytest.raises(NotPermitted):
        services.external_document_create(
            actor=world.an, agency=world.A, number="118/2025/NĐ-CP", title="x", replaces=shared
        )
    shared.refresh_from_db()
    assert shared.replaced_by is None


@pytest.mark.django_db
def test_only_people_of_the_agency_acknowledge_its_documents(world):
    _, revision = draft(world)
    issue(world, [revision])
    revision.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.revision_acknowledge(actor=world.chi, revision=revision)
    assert not Acknowledgement.objects.filter(revision=revision, user=world.chi).exists()


@pytest.mark.django_db
def test_shared_texts_are_read_from_every_agency_above_and_no_other(world):
    """The shared catalogue is found by the ids on the reader's path (``path_ids``): the
    province's and their own agency's shared texts, not a sibling's nor another province's."""
    from eiso.core.scoping import path_ids
    from eiso.documents.models import ExternalDocument

    assert path_ids(world.A.path) == [world.P.pk, world.A.pk]
    assert path_ids(world.P.path) == [world.P.pk]

    def text(agency, number, *, shared=True):
        return ExternalDocument.objects.create(
            agency=agency, number=number, title=number, is_shared=shared
        ).number

    text(world.P, "P-SHARED")
    text(world.P, "P-OWN", shared=False)
    text(world.A, "A-SHARED")
    text(world.B, "B-SHARED")
    text(world.Q, "Q-SHARED")
    text(world.C, "C-OWN", shared=False)

    def numbers(user, **filters):
        return {e.number for e in selectors.external_list(user=user, **filters)}

    assert numbers(world.an) == {"P-SHARED", "A-SHARED"}
    assert numbers(world.binh) == {"P-SHARED", "A-SHARED"}
    assert numbers(world.chi) == {"P-SHARED", "B-SHARED"}
    assert numbers(world.cuong) == {"Q-SHARED", "C-OWN"}
    assert numbers(world.dung, agency=world.A) == {"P-SHARED", "A-SHARED"}
    choices = selectors.external_choices(user=world.dung, agency=world.B)
    assert {e.number for e in choices} == {"P-SHARED", "B-SHARED"}
    # an overseer reads their subtree's texts, shared or not, and no other province's
    assert numbers(world.dung) == {"P-SHARED", "P-OWN", "A-SHARED", "B-SHARED"}
    assert numbers(world.em) == {"Q-SHARED", "C-OWN"}


@pytest.mark.django_db
def test_the_shared_catalogue_is_said_of_the_agencies_too(world):
    """``visible_to`` adds the same condition said of the rows' agency alone (in scope, or
    on the reader's path), so that PostgreSQL finds the agencies first by index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eiso.core.scoping import agency_ids_of, ancestor_paths, path_prefixes
    from eiso.documents.models import ExternalDocument

    assert path_prefixes("0000001/0000002/0000052/") == [
        "0000001/",
        "0000001/0000002/",
        "0000001/0000002/0000052/",
    ]
    assert path_prefixes("") == []
    assert ancestor_paths(world.binh) == [world.P.path, world.A.path]
    assert agency_ids_of(ancestor_paths(world.binh)) == sorted([world.P.pk, world.A.pk])
    assert ancestor_paths(None) == [] == agency_ids_of(ancestor_paths(None))
    ExternalDocument.objects.create(agency=world.P, number="P1", title="P1", is_shared=True)
    with CaptureQueriesContext(connection) as queries:
        assert [e.number for e in ExternalDocument.objects.visible_to(world.dung)] == ["P1"]
    sql = queries[-1]["sql"]
    assert sql.count(f"'{world.P.path}%'") == 2 and f"'{world.P.path}'" in sql
