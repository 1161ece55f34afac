"""Pages of issuing decisions: isolation, preparing, signing (which issues), the scan, and
the refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eiso.core.testing import IsolationContract
from eiso.documents import services
from eiso.documents.choices import DecisionStatus, RevisionStatus
from eiso.documents.models import IssuingDecision, Revision
from eiso.documents.tests.factories import (
    approve,
    drafter,
    issue_revisions,
    make_draft,
    make_issued,
    pdf_upload,
    tr,
    xlsx_rows,
)

TODAY = timezone.localdate()


def body(response) -> str:
    return response.content.decode()


def draft_decision(world, agency, code="QT-01", subject=None):
    _, revision = make_draft(world, agency, code=code)
    approve(world, revision)
    return services.decision_create(
        actor=drafter(world, agency),
        agency=agency,
        subject=subject or f"Quyết định thử nghiệm {agency.code}",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=[revision],
    )


@pytest.mark.django_db
class TestDraftDecisionPagesIsolation(IsolationContract):
    def make(self, world, agency):
        return draft_decision(world, agency, code=f"QT-{agency.code}")

    def list_url(self):
        return reverse("documents:decision_list")

    def marker(self, obj):
        return f'href="{reverse("documents:decision_detail", args=[obj.pk])}"'

    def read_urls(self, obj):
        return [reverse("documents:decision_detail", args=[obj.pk])]

    def change_requests(self, obj):
        return [
            ("get", reverse("documents:decision_edit", args=[obj.pk]), {}),
            ("post", reverse("documents:decision_edit", args=[obj.pk]), {"subject": "x"}),
            (
                "post",
                reverse("documents:decision_sign", args=[obj.pk]),
                {"number": "9/QĐ", "date": TODAY.strftime("%d/%m/%Y")},
            ),
        ]

    def create_request(self, world, agency):
        _, foreign = make_draft(world, agency, code="QT-NGOAI")
        approve(world, foreign)
        return (
            "post",
            reverse("documents:decision_create"),
            {
                "subject": "Nhắm vào cơ quan khác",
                "signer_name": "x",
                "signer_title": "y",
                "revisions": [foreign.pk],
            },
        )

    def count(self):
        return IssuingDecision.objects.count()


@pytest.mark.django_db
class TestSignedDecisionPagesIsolation(IsolationContract):
    def make(self, world, agency):
        decision = draft_decision(world, agency, code=f"QT-{agency.code}")
        return services.decision_sign(
            actor=world.persona({"A": "hai", "B": "quan", "C": "quan"}[agency.code]),
            decision=decision,
            number="15",
            date=TODAY,
            signed_scan=pdf_upload(f"qd-{agency.code}.pdf"),
        )

    def list_url(self):
        return reverse("documents:decision_list")

    def marker(self, obj):
        return obj.number

    def read_urls(self, obj):
        return [
            reverse("documents:decision_detail", args=[obj.pk]),
            reverse("documents:decision_scan", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            (
                "post",
                reverse("documents:decision_scan_upload", args=[obj.pk]),
                {"signed_scan": pdf_upload()},
            )
        ]


@pytest.mark.django_db
def test_a_new_decision_is_prefilled_from_the_agency_and_the_chosen_revision(client, world):
    world.A.head_name, world.A.head_title = "Đặng Văn Hải", "Giám đốc"
    world.A.save()
    _, revision = make_draft(world, world.A)
    approve(world, revision)
    client.force_login(world.an)
    response = client.get(reverse("documents:decision_create"), {"revision": revision.pk})
    form = response.context["form"]
    assert form["signer_name"].value() == "Đặng Văn Hải"
    assert form["signer_title"].value() == "GIÁM ĐỐC"
    assert [str(v) for v in form["revisions"].value()] == [str(revision.pk)]
    assert f'value="{revision.pk}" id="id_revisions_0" checked' in body(response)


@pytest.mark.django_db
def test_issuing_a_revision_that_is_not_approved_is_refused(client, world):
    _, revision = make_draft(world, world.A)
    client.force_login(world.an)
    response = client.post(
        reverse("documents:decision_create"),
        {
            "subject": "Ban hành",
            "signer_name": "Hải",
            "signer_title": "GIÁM ĐỐC",
            "revisions": [revision.pk],
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["revisions"]
    assert "Ban hành" in body(response)
    assert not IssuingDecision.objects.exists()


@pytest.mark.django_db
def test_signing_refuses_a_revision_pulled_back_and_changes_nothing(client, world):
    decision = draft_decision(world, world.A)
    revision = decision.revisions.get()
    Revision.objects.filter(pk=revision.pk).update(status=RevisionStatus.IN_REVIEW)
    client.force_login(world.hai)
    response = client.post(
        reverse("documents:decision_sign", args=[decision.pk]),
        {"number": "05/QĐ-A", "date": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert tr("%(revision)s is not approved: it cannot be issued.", revision=revision) in body(
        response
    )
    assert "05/QĐ-A" in body(response)  # what was typed is kept
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.number == ""


@pytest.mark.django_db
def test_signing_needs_a_number_and_a_real_scan(client, world):
    decision = draft_decision(world, world.A)
    client.force_login(world.hai)
    url = reverse("documents:decision_sign", args=[decision.pk])
    response = client.post(url, {"number": "", "date": TODAY.strftime("%d/%m/%Y")})
    assert response.status_code == 200 and response.context["sign_form"].errors["number"]
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf")
    response = client.post(
        url, {"number": "05/QĐ-A", "date": TODAY.strftime("%d/%m/%Y"), "signed_scan": fake}
    )
    assert response.status_code == 200 and response.context["sign_form"].errors["signed_scan"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    assert decision.revisions.get().status == RevisionStatus.APPROVED


@pytest.mark.django_db
def test_a_duplicate_decision_number_is_refused(client, world):
    make_issued(world, world.A, code="QT-01", number="07/QĐ-A")
    decision = draft_decision(world, world.A, code="QT-02")
    client.force_login(world.hai)
    response = client.post(
        reverse("documents:decision_sign", args=[decision.pk]),
        {"number": "07/qđ-a", "date": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200 and response.context["sign_form"].errors["number"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


@pytest.mark.django_db
def test_signing_issues_supersedes_and_the_scan_can_be_attached_later(client, world):
    document, first = make_issued(world, world.A, code="QT-01")
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_update(actor=world.an, revision=second, data={"content": "Nội dung mới"})
    approve(world, second)
    client.force_login(world.an)
    response = client.post(
        reverse("documents:decision_create"),
        {
            "subject": "Sửa đổi quy trình",
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "revisions": [second.pk],
        },
    )
    decision = IssuingDecision.objects.get(subject="Sửa đổi quy trình")
    assert response.url == reverse("documents:decision_detail", args=[decision.pk])
    page = body(client.get(response.url))
    assert reverse("documents:decision_sign", args=[decision.pk]) in page
    response = client.post(
        reverse("documents:decision_sign", args=[decision.pk]),
        {"number": "30/QĐ-A", "date": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == RevisionStatus.ISSUED
    assert list(Revision.objects.in_force().filter(document=document)) == [second]
    page = body(client.get(reverse("documents:decision_detail", args=[decision.pk])))
    assert reverse("documents:decision_scan_upload", args=[decision.pk]) in page
    response = client.post(
        reverse("documents:decision_scan_upload", args=[decision.pk]),
        {"signed_scan": pdf_upload("QĐ 30.pdf")},
    )
    assert response.status_code == 302
    response = client.get(reverse("documents:decision_scan", args=[decision.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_editing_a_draft_decision_changes_its_revisions(client, world):
    decision = draft_decision(world, world.A, code="QT-01")
    _, other = make_draft(world, world.A, code="QT-02")
    approve(world, other)
    client.force_login(world.an)
    url = reverse("documents:decision_edit", args=[decision.pk])
    page = body(client.get(url))
    assert "QT-01" in page and "QT-02" in page
    response = client.post(
        url,
        {
            "subject": "Chủ đề mới",
            "signer_name": "Đặng Văn Hải",
            "signer_title": "GIÁM ĐỐC",
            "revisions": [other.pk],
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.subject == "Chủ đề mới"
    assert list(decision.revisions.all()) == [other]


@pytest.mark.django_db
def test_staff_read_signed_decisions_only(client, world):
    draft = draft_decision(world, world.A, code="QT-01", subject="Dự thảo quyết định")
    _, revision = make_draft(world, world.A, code="QT-02")
    signed = issue_revisions(world, [revision], number="40/QĐ-A")
    client.force_login(world.binh)
    page = body(client.get(reverse("documents:decision_list")))
    assert "40/QĐ-A" in page and "Dự thảo quyết định" not in page
    assert client.get(reverse("documents:decision_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("documents:decision_detail", args=[signed.pk])).status_code == 200
    assert client.get(reverse("documents:decision_create")).status_code == 404


@pytest.mark.django_db
def test_decision_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    draft_decision(world, world.A, code="QT-00")
    client.force_login(world.an)
    url = reverse("documents:decision_list")
    # session, user, memberships, count, page
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(1, 21):
        draft_decision(world, world.A, code=f"QT-{n:02d}", subject=f"Quyết định {n}")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 21


@pytest.mark.django_db
def test_decision_list_exports_xlsx(client, world):
    _, revision = make_draft(world, world.A)
    issue_revisions(world, [revision], number="12/QĐ-A")
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("documents:decision_list"), {"export": "xlsx"}))
    assert rows[1][0] == "12/QĐ-A" and rows[1][1] == TODAY.strftime("%d/%m/%Y")
    assert rows[1][5] == 1
