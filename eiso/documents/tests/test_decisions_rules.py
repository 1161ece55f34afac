"""Issue 7 A3 and A9, issue 8 item 2: decision numbers have the official shape, the page shows
the "Về việc …" the files print, drafts of decisions are edited and discarded (never a signed
one), every step of the workflow tells the people concerned with a link to the document, and
whoever changed a revision's content or files may not approve it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from eiso.core.errors import InvalidTransition, SeparationOfDutiesViolation, ValidationFailed
from eiso.core.models import AuditEvent, Notification
from eiso.documents import outputs, services
from eiso.documents.choices import DecisionStatus, RevisionStatus
from eiso.documents.models import IssuingDecision, Revision
from eiso.documents.numbering import agency_symbol, official_number
from eiso.documents.tests.factories import approve, docx_upload, make_draft
from eiso.organizations.tests.factories import AgencyFactory, kind

TODAY = timezone.localdate()


def draft_decision(world, revisions, **kwargs):
    return services.decision_create(
        actor=world.an,
        agency=world.A,
        subject=kwargs.pop("subject", "Ban hành quy trình cấp Phiếu lý lịch tư pháp"),
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=revisions,
        **kwargs,
    )


def approved(world, code="QT-01"):
    _, revision = make_draft(world, world.A, code)
    approve(world, revision)
    return revision


# --- A3: the official number -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_symbol_is_derived_from_the_agency(world):
    assert agency_symbol(world.A) == "A"
    commune = AgencyFactory(code="XA-AP", name="Ủy ban nhân dân xã An Phú", kind=kind("ubnd_xa"))
    assert agency_symbol(commune) == "UBND"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("45", "45/QĐ-A"),
        ("5", "05/QĐ-A"),  # below 10 with a leading zero (Nghị định 30/2020)
        ("Số: 45", "45/QĐ-A"),
        ("45/QĐ", "45/QĐ-A"),
        ("45/qđ-a", "45/QĐ-A"),
        ("45/QD-A", "45/QĐ-A"),
        ("", ""),
    ],
)
def test_a_number_is_completed_to_the_official_shape(world, typed, stored):
    assert official_number(typed, agency=world.A) == stored


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["45/QĐ-STP", "45/CV-A", "QĐ-45", "45-A", "abc"])
def test_a_malformed_number_is_refused_with_the_shape_expected(world, typed):
    with pytest.raises(ValidationFailed) as refused:
        official_number(typed, agency=world.A)
    assert "45/QĐ-A" in refused.value.message and refused.value.fields["number"]


@pytest.mark.django_db
def test_number_zero_is_refused_numbers_start_at_01(world):
    with pytest.raises(ValidationFailed) as refused:
        official_number("0", agency=world.A)
    assert refused.value.fields["number"]


@pytest.mark.django_db
def test_signing_stores_the_official_number_and_the_list_never_mixes_shapes(client, world):
    one, two = approved(world, "QT-01"), approved(world, "QT-02")
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [one]), number="7", date=TODAY
    )
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [two]), number="12/qđ-a", date=TODAY
    )
    assert sorted(IssuingDecision.objects.values_list("number", flat=True)) == [
        "07/QĐ-A",
        "12/QĐ-A",
    ]
    client.force_login(world.an)
    page = client.get(reverse("documents:decision_list")).content.decode()
    assert page.count('data-testid="decision-number"') == 2
    assert "07/QĐ-A" in page and "12/QĐ-A" in page


@pytest.mark.django_db
def test_the_same_number_twice_in_a_year_is_refused_whatever_its_shape(world):
    one, two = approved(world, "QT-01"), approved(world, "QT-02")
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [one]), number="7", date=TODAY
    )
    decision = draft_decision(world, [two])
    with pytest.raises(ValidationFailed) as refused:
        services.decision_sign(actor=world.hai, decision=decision, number="07/QĐ-A", date=TODAY)
    assert "number" in refused.value.fields


@pytest.mark.django_db
def test_the_sign_form_refuses_another_agencys_symbol(client, world):
    decision = draft_decision(world, [approved(world)])
    client.force_login(world.hai)
    response = client.post(
        reverse("documents:decision_sign", args=[decision.pk]),
        {"number": "45/QĐ-STP", "date": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "45/QĐ-A" in response.context["sign_form"].errors["number"][0]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.number == ""


@pytest.mark.django_db
def test_the_page_shows_the_title_the_files_print(client, world):
    decision = draft_decision(world, [approved(world)], subject="Sửa đổi quy trình cấp LLTP")
    title = outputs.decision_title(decision)
    assert title == "Về việc sửa đổi quy trình cấp LLTP"
    client.force_login(world.an)
    page = client.get(reverse("documents:decision_detail", args=[decision.pk])).content.decode()
    shown = page[page.index('data-testid="decision-title"') :][:200]
    assert title in shown
    response = client.get(reverse("documents:decision_docx", args=[decision.pk]))
    printed = "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)
    assert title in printed
    listing = client.get(reverse("documents:decision_list")).content.decode()
    assert title in listing


@pytest.mark.django_db
def test_the_default_subject_gives_the_standard_title_on_the_page_and_in_the_file(client, world):
    decision = draft_decision(world, [approved(world)], subject=outputs.DEFAULT_SUBJECT)
    assert outputs.decision_title(decision) == outputs.DECISION_TITLE
    client.force_login(world.an)
    page = client.get(reverse("documents:decision_detail", args=[decision.pk])).content.decode()
    assert outputs.DECISION_TITLE in page


# --- A9: drafts of decisions are edited and discarded, never a signed one -------------------


@pytest.mark.django_db
def test_a_draft_decision_is_edited_then_discarded_and_its_revisions_freed(client, world):
    first, second = approved(world, "QT-01"), approved(world, "QT-02")
    decision = draft_decision(world, [first])
    client.force_login(world.an)
    response = client.post(
        reverse("documents:decision_edit", args=[decision.pk]),
        {
            "subject": "Ban hành hai quy trình",
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "number": "3",
            "revisions": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.number == "03/QĐ-A" and decision.revisions.count() == 2
    response = client.post(
        reverse("documents:decision_discard", args=[decision.pk]), {"reason": "Làm lại"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DISCARDED  # kept, marked
    assert not Revision.objects.filter(decision__isnull=False).exists()
    event = AuditEvent.objects.get(action="decision.discard")
    assert event.reason == "Làm lại" and len(event.changes["revisions"]) == 2
    # the discarded draft holds no number and is out of the default list
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [first, second]), number="3", date=TODAY
    )
    page = client.get(reverse("documents:decision_list")).content.decode()
    assert page.count('data-testid="decision-row"') == 1
    discarded = client.get(reverse("documents:decision_list"), {"status": "discarded"})
    assert len(discarded.context["object_list"]) == 1
    page = client.get(reverse("documents:decision_detail", args=[decision.pk])).content.decode()
    assert 'data-testid="discarded-banner"' in page and 'data-testid="edit-decision"' not in page


@pytest.mark.django_db
def test_a_signed_decision_is_neither_edited_nor_discarded(client, world):
    decision = draft_decision(world, [approved(world)])
    services.decision_sign(actor=world.hai, decision=decision, number="4", date=TODAY)
    with pytest.raises(InvalidTransition):
        services.decision_discard(actor=world.an, decision=decision)
    with pytest.raises(InvalidTransition):
        services.decision_update(actor=world.an, decision=decision, data={"subject": "x"})
    client.force_login(world.an)
    assert client.get(reverse("documents:decision_edit", args=[decision.pk])).status_code == 404
    client.post(reverse("documents:decision_discard", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED
    page = client.get(reverse("documents:decision_detail", args=[decision.pk])).content.decode()
    assert 'data-testid="discard-toggle"' not in page


@pytest.mark.django_db
def test_a_discarded_decision_is_never_signed(world):
    revision = approved(world)
    decision = draft_decision(world, [revision])
    services.decision_discard(actor=world.an, decision=decision)
    with pytest.raises(InvalidTransition):
        services.decision_sign(actor=world.hai, decision=decision, number="5", date=TODAY)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED


@pytest.mark.django_db
def test_staff_and_overseers_cannot_discard(client, world):
    decision = draft_decision(world, [approved(world)])
    for persona in (world.binh, world.dung):
        client.force_login(persona)
        response = client.post(reverse("documents:decision_discard", args=[decision.pk]))
        assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


# --- A9: every step tells the people concerned, with a link to the document -------------------


def notes_of(user):
    return list(Notification.objects.filter(user=user).order_by("id"))


@pytest.mark.django_db
def test_submit_return_approve_and_issue_notify_the_people_concerned(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    for user, address in ((world.hai, "hai@a.vn"), (world.an, "an@a.vn"), (world.binh, "b@a.vn")):
        user.email = address
        user.save()
    document, revision = make_draft(world, world.A, "QT-01")
    url = reverse("documents:detail", args=[document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_submit(actor=world.an, revision=revision)
    to_head = notes_of(world.hai)
    assert len(to_head) == 1 and to_head[0].url == url and "QT-01" in to_head[0].message
    assert any("hai@a.vn" in m.to for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_return(actor=world.hai, revision=revision, comment="Bổ sung bước 3")
    returned = notes_of(world.an)[-1]
    assert returned.url == url and "Bổ sung bước 3" in returned.message
    services.revision_submit(actor=world.an, revision=revision)
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(actor=world.hai, revision=revision)
    assert notes_of(world.an)[-1].url == url
    decision = draft_decision(world, [revision])
    assert notes_of(world.hai)[-1].url == reverse("documents:decision_detail", args=[decision.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_sign(actor=world.hai, decision=decision, number="9", date=TODAY)
    issued = notes_of(world.binh)[-1]
    assert issued.url == url and TODAY.strftime("%d/%m/%Y") in issued.message
    assert any("b@a.vn" in m.to for m in mailoutbox)
    assert all(n.url for n in Notification.objects.all())


@pytest.mark.django_db
def test_issuing_tells_only_the_distribution(world):
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.core.roles import Role
    from eiso.organizations.tests.factories import DepartmentFactory

    one_stop, other = DepartmentFactory(agency=world.A), DepartmentFactory(agency=world.A)
    reader, bystander = UserFactory(), UserFactory()
    MembershipFactory(user=reader, agency=world.A, role=Role.STAFF, department=one_stop)
    MembershipFactory(user=bystander, agency=world.A, role=Role.STAFF, department=other)
    document, revision = make_draft(world, world.A, "QT-01", distribution=[one_stop])
    approve(world, revision)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [revision]), number="2", date=TODAY
    )
    assert notes_of(reader) and not notes_of(bystander)


# --- issue 8 item 2: four eyes -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["content", "file", "remove_file"])
def test_a_head_who_changed_the_draft_may_not_approve_it(world, change):
    _, revision = make_draft(world, world.A, "QT-01")  # drafted by the secretary
    services.revision_submit(actor=world.an, revision=revision)
    services.revision_return(actor=world.hai, revision=revision, comment="Tôi sửa")
    if change == "content":
        services.revision_update(actor=world.hai, revision=revision, data={"content": "Mới"})
    elif change == "file":
        services.revision_attach_file(actor=world.hai, revision=revision, upload=docx_upload())
    else:
        services.revision_remove_file(actor=world.hai, attached=revision.files.get())
        services.revision_update(actor=world.an, revision=revision, data={"content": "Nội dung"})
    services.revision_submit(actor=world.an, revision=revision)
    with pytest.raises(SeparationOfDutiesViolation) as refused:
        services.revision_approve(actor=world.hai, revision=revision)
    assert "changed" in str(refused.value.message) or "sửa" in refused.value.message
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW and revision.approved_by is None


@pytest.mark.django_db
def test_the_page_does_not_offer_approval_to_whoever_changed_the_draft(client, world):
    document, revision = make_draft(world, world.A, "QT-01")
    services.revision_submit(actor=world.an, revision=revision)
    services.revision_return(actor=world.hai, revision=revision, comment="Tôi sửa")
    services.revision_update(actor=world.hai, revision=revision, data={"content": "Mới"})
    services.revision_submit(actor=world.an, revision=revision)
    client.force_login(world.hai)
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'data-testid="self-approval-note"' in page
    assert reverse("documents:revision_approve", args=[revision.pk]) not in page
    response = client.post(reverse("documents:revision_approve", args=[revision.pk]))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.IN_REVIEW


@pytest.mark.django_db
def test_returning_with_a_comment_is_not_an_edit(world):
    """The head who only reviewed (returned with a comment) still approves."""
    _, revision = make_draft(world, world.A, "QT-01")
    services.revision_submit(actor=world.an, revision=revision)
    services.revision_return(actor=world.hai, revision=revision, comment="Bổ sung")
    services.revision_update(actor=world.an, revision=revision, data={"content": "Đã bổ sung"})
    services.revision_submit(actor=world.an, revision=revision)
    services.revision_approve(actor=world.hai, revision=revision)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED


# --- the tables, and who reads drafts ----------------------------------------------------------


def test_the_life_cycles_are_declared_tables():
    from eiso.documents.workflows import DECISION, REVISION

    assert REVISION.target("draft", "submit") == "in_review"
    assert REVISION.target("in_review", "approve") == "approved"
    assert REVISION.target("approved", "issue") == "issued"
    assert REVISION.actions_from("issued") == []  # issued is final; validity is computed
    assert DECISION.target("draft", "discard") == "discarded"
    assert DECISION.actions_from("discarded") == []
    assert DECISION.find("signed", "discard") is None


@pytest.mark.django_db
def test_who_reads_drafts_is_one_queryset_rule(world):
    issued_doc, revision = make_draft(world, world.A, "QT-01")
    approve(world, revision)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [revision]), number="6", date=TODAY
    )
    make_draft(world, world.A, "QT-02")
    draft_decision(world, [approved(world, "QT-03")])
    from eiso.documents.models import Document

    def codes(user):
        return set(Document.objects.readable_by(user).values_list("code", flat=True))

    assert codes(world.binh) == {"QT-01"}  # staff: what is issued
    assert codes(world.an) == codes(world.hai) == codes(world.dung) == {"QT-01", "QT-02", "QT-03"}
    assert codes(world.chi) == set()
    assert set(Revision.objects.readable_by(world.binh).values_list("status", flat=True)) == {
        "issued"
    }
    assert set(
        IssuingDecision.objects.readable_by(world.binh).values_list("status", flat=True)
    ) == {"signed"}
    assert IssuingDecision.objects.readable_by(world.an).count() == 2


@pytest.mark.django_db
def test_staff_do_not_read_revisions_no_longer_in_force(world):
    document, first = make_draft(world, world.A, "QT-01")
    approve(world, first)
    earlier = TODAY - datetime.timedelta(days=20)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [first]), number="1", date=earlier
    )
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    approve(world, second)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [second]), number="2", date=TODAY
    )
    assert list(Revision.objects.readable_by(world.binh).values_list("number", flat=True)) == [2]
    assert Revision.objects.readable_by(world.an).count() == 2


@pytest.mark.django_db
def test_search_never_finds_the_words_of_a_draft(world):
    """Issue 8, item 7: the list's search reads what is issued, not a draft's summary."""
    from eiso.documents import selectors

    document, first = make_draft(world, world.A, "QT-01")
    approve(world, first)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [first]), number="1", date=TODAY
    )
    second = services.revision_start(
        actor=world.an, document=document, change_summary="Bổ sung mức phí thẩm định mới"
    )
    services.revision_update(
        actor=world.an, revision=second, data={"change_summary": "Bổ sung mức phí thẩm định mới"}
    )
    for user in (world.binh, world.an):
        assert not selectors.document_list(user=user, q="muc phi tham dinh").exists()
    services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
    approve(world, second)
    services.decision_sign(
        actor=world.hai, decision=draft_decision(world, [second]), number="2", date=TODAY
    )
    assert selectors.document_list(user=world.binh, q="muc phi tham dinh").get() == document
