"""The document control of the personas' four agencies (documents.py), whose plans tell a
full story: procedures, forms, legal texts, revision tasks, reading, master-list reviews. The
province is built once for the package (conftest.py); the QMS documents of every other agency
are tested in test_system_documents.py."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils import timezone
from docx import Document as DocxDocument

from eiso.accounts.models import User
from eiso.core.files import DOCX
from eiso.core.models import AuditEvent, Notification
from eiso.demo import data_documents
from eiso.demo.context import clock_at
from eiso.demo.documents import (
    ISSUED_STATUSES,
    PLANS,
    build_documents,
    document_agency_codes,
    document_counts,
)
from eiso.demo.tests.helpers import report
from eiso.documents import selectors
from eiso.documents.choices import (
    DecisionStatus,
    DocumentKind,
    RevisionStatus,
    TaskStatus,
    Validity,
)
from eiso.documents.models import (
    Acknowledgement,
    Document,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionEvent,
    RevisionFile,
    RevisionTask,
)
from eiso.organizations.models import Agency

pytestmark = pytest.mark.django_db

DEMO_AGENCIES = {"STP", "SYT", "PHUONG-THANH-MY", "XA-AN-PHU"}
TEAMS = {"STP": "stp", "SYT": "syt", "PHUONG-THANH-MY": "thanhmy", "XA-AN-PHU": "anphu"}
SYSTEM = ("CSCL", "QT-01", "QT-02", "QT-03", "QT-04", "QT-05", "QT-06")


def issued(document: Document) -> list[Revision]:
    """The document's issued revisions, oldest first (those replaced since included)."""
    return sorted(
        (r for r in document.revisions.all() if r.status in ISSUED_STATUSES),
        key=lambda r: r.number,
    )


def user(prefix: str, agency: str) -> User:
    return User.objects.get(username=f"{prefix}.{TEAMS[agency]}")


def test_every_demo_agency_with_a_secretary_and_a_head_has_a_plan():
    assert set(document_agency_codes()) == DEMO_AGENCIES == set(PLANS)


def test_only_the_personas_agencies_have_procedures_and_forms(demo):
    kinds = (DocumentKind.TTHC_PROCEDURE, DocumentKind.FORM, DocumentKind.INTERNAL_PROCEDURE)
    owners = set(Document.objects.filter(kind__in=kinds).values_list("agency__code", flat=True))
    assert owners == DEMO_AGENCIES


def test_each_demo_agency_issued_its_policy_and_system_procedures(demo):
    for code in DEMO_AGENCIES:
        secretary, head = user("thuky", code), user("thutruong", code)
        documents = Document.objects.filter(agency__code=code, code__in=SYSTEM).prefetch_related(
            "revisions__decision"
        )
        assert sorted(d.code for d in documents) == list(SYSTEM), code
        for document in documents:
            revision = issued(document)[-1]
            assert revision.drafted_by == secretary and revision.approved_by == head
            decision = revision.decision
            assert re.fullmatch(r"\d{2,3}/QĐ-[A-Z]+", decision.number), decision.number
            assert decision.date.year == 2025 and decision.status == DecisionStatus.SIGNED
            assert decision.signer_name == head.full_name
            assert revision.effective_date == decision.date


def test_each_demo_agency_has_procedures_forms_and_internal_work(demo):
    for code in DEMO_AGENCIES:
        kinds = defaultdict(list)
        for document in Document.objects.filter(agency__code=code):
            kinds[document.kind].append(document)
        assert 4 <= len(kinds[DocumentKind.TTHC_PROCEDURE]) <= 8, code
        assert len(kinds[DocumentKind.FORM]) >= 2, code
        assert 1 <= len(kinds[DocumentKind.INTERNAL_PROCEDURE]) <= 2, code
        for procedure in kinds[DocumentKind.TTHC_PROCEDURE]:
            assert re.fullmatch(r"QT-TTHC-\d\d", procedure.code)
            assert procedure.legal_bases.exists() and procedure.department_id
        for form in kinds[DocumentKind.FORM]:
            assert re.fullmatch(r"BM-TTHC-\d\d-\d\d", form.code)
            assert form.used_in.exists()
    titles = set(Document.objects.values_list("title", flat=True))
    assert {
        "Đăng ký khai sinh",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Cấp giấy phép hoạt động đối với phòng khám",
        "Đăng ký khai sinh có yếu tố nước ngoài",
    } <= titles


def test_revisions_follow_one_another_under_successive_decisions(demo):
    """The latest issued revision is in force, those before it no longer are (kept)."""
    today = timezone.localdate()
    counts = []
    for document in Document.objects.filter(agency__code__in=DEMO_AGENCIES).prefetch_related(
        "revisions__decision"
    ):
        revisions = issued(document)
        counts.append(len(revisions))
        assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
        assert selectors.revision_validity(revision=revisions[-1]) == Validity.IN_FORCE, document
        for old in revisions[:-1]:
            assert selectors.revision_validity(revision=old) == Validity.EXPIRED, old
        dates = [r.effective_date for r in revisions]
        assert dates == sorted(dates) and datetime.date(2025, 1, 1) <= dates[0] <= today
        assert all(r.decision.date <= r.effective_date for r in revisions)
        assert len({r.decision_id for r in revisions}) == len(revisions)
        for later in revisions[1:]:
            assert later.change_summary and later.change_summary != revisions[0].change_summary
    assert max(counts) == 3
    assert sum(1 for n in counts if n >= 2) >= 8
    assert Revision.objects.filter(
        status=RevisionStatus.ISSUED,
        change_summary__startswith="Cập nhật theo Nghị định 118/2025/NĐ-CP",
    ).exists()


def test_every_state_of_a_revision_shows(demo):
    states = set(Revision.objects.values_list("status", flat=True))
    assert states == set(RevisionStatus.values)
    returned = Revision.objects.get(status=RevisionStatus.RETURNED)
    assert returned.return_comment and returned.reviewed_by.username.startswith("thutruong.")
    assert Revision.objects.filter(status=RevisionStatus.IN_REVIEW).count() == 1
    approved = Revision.objects.get(status=RevisionStatus.APPROVED)
    assert approved.decision.status == DecisionStatus.DRAFT and not approved.decision.number


def test_issued_revisions_carry_a_real_docx(demo):
    issued = Revision.objects.filter(status__in=ISSUED_STATUSES).select_related("document")
    assert not issued.filter(files__isnull=True).exists()
    assert set(RevisionFile.objects.values_list("content_type", flat=True)) == {DOCX}
    sample = issued.get(agency__code="STP", document__code="QT-TTHC-01", number=2)
    attached = sample.files.get()
    with attached.file.open("rb") as handle:
        text = "\n".join(p.text for p in DocxDocument(handle).paragraphs)
    assert sample.document.title in text and "118/2025/NĐ-CP" in text
    assert attached.original_name == "QT-TTHC-01_lan-02.docx"


def test_the_province_keeps_a_shared_catalogue_of_legal_texts(demo):
    root = Agency.objects.get(parent=None)
    shared = ExternalDocument.objects.filter(is_shared=True)
    assert set(shared.values_list("agency", flat=True)) == {root.pk}
    assert {"19/2014/QĐ-TTg", "26/2014/TT-BKHCN", "23/2015/NĐ-CP", "60/2014/QH13"} <= set(
        shared.values_list("number", flat=True)
    )
    old = shared.get(number="61/2018/NĐ-CP")
    assert old.replaced_by.number == "118/2025/NĐ-CP"
    assert old.replaced_by.effective_date == datetime.date(2025, 7, 1)
    assert old.expiry_date == datetime.date(2025, 6, 30)
    assert shared.filter(effective_date__gt=timezone.localdate()).count() == 1
    creators = AuditEvent.objects.filter(action="external.create", agency=root)
    assert set(creators.values_list("actor__username", flat=True)) == {"giamsat"}
    for code in DEMO_AGENCIES:
        own = ExternalDocument.objects.get(agency__code=code, number="TCVN ISO 9001:2015")
        assert not own.is_shared and own.kind == "standard"


def test_revision_tasks_are_open_and_overdue_in_several_agencies(overseer):
    today = timezone.localdate()
    overdue = selectors.task_list(user=overseer, overdue=True)
    assert len({t.agency_id for t in overdue}) >= 3
    assert all(t.due_date < today for t in overdue)
    upcoming = selectors.task_list(user=overseer).filter(due_date__gte=today)
    assert len({t.agency_id for t in upcoming}) >= 2
    done = RevisionTask.objects.filter(status=TaskStatus.DONE).select_related(
        "closed_by_revision__decision"
    )
    assert len({t.agency_id for t in done}) >= 3
    assert all(t.closed_by_revision.status != RevisionStatus.DRAFT for t in done)
    # the procedures resting on the replaced decree now rest on its successor too
    for task in RevisionTask.objects.filter(external_document__number="118/2025/NĐ-CP"):
        numbers = set(task.document.legal_bases.values_list("number", flat=True))
        assert {"61/2018/NĐ-CP", "118/2025/NĐ-CP"} <= numbers


def test_some_staff_have_read_and_some_have_not(demo):
    current = Acknowledgement.objects.filter(revision__status=RevisionStatus.ISSUED)
    assert current.filter(acknowledged_at__isnull=False).exists()
    assert current.filter(acknowledged_at__isnull=True).exists()
    both = {
        revision
        for revision, read in current.values_list("revision", "acknowledged_at")
        if read is None
    } & set(current.filter(acknowledged_at__isnull=False).values_list("revision", flat=True))
    assert both  # a page showing who has and who has not read it
    assert selectors.pending_acknowledgements(user=user("canbo", "STP")).exists()
    assert Notification.objects.filter(read_at__isnull=False).exists()


def test_one_agency_is_late_with_its_master_list_review(overseer):
    statuses = {
        code: selectors.master_list_review_status(
            user=overseer, agency=Agency.objects.get(code=code)
        )
        for code in DEMO_AGENCIES
    }
    assert [code for code, status in statuses.items() if status.overdue] == ["XA-AN-PHU"]
    assert statuses["SYT"].done_this_quarter
    assert MasterListReview.objects.filter(agency__code="STP").count() >= 6
    assert not MasterListReview.objects.filter(reviewed_on__gt=timezone.localdate()).exists()


def test_the_history_is_dated_when_it_happened(demo):
    for decision in IssuingDecision.objects.filter(status=DecisionStatus.SIGNED):
        assert timezone.localtime(decision.signed_at).date() == decision.date
        signed = AuditEvent.objects.get(action="decision.sign", object_id=str(decision.pk))
        assert timezone.localtime(signed.created_at).date() == decision.date
    revision = Revision.objects.get(agency__code="STP", document__code="QT-TTHC-01", number=2)
    steps = list(revision.events.values_list("action", "created_at"))
    actions = [a for a, _ in steps]
    assert [a for a in actions if a != "edit"] == ["create", "submit", "approve", "issue"]
    assert "edit" in actions[1 : actions.index("submit")]  # its content, its step table
    assert [t for _, t in steps] == sorted(t for _, t in steps)
    assert timezone.localtime(steps[0][1]).date() < revision.decision.date


def test_everything_was_written_through_the_services(demo):
    def events(action):
        return AuditEvent.objects.filter(action=action).count()

    assert events("document.create") == Document.objects.count()
    assert events("external.create") == ExternalDocument.objects.count()
    assert events("decision.create") == IssuingDecision.objects.count()
    assert events("decision.sign") == IssuingDecision.objects.filter(status="signed").count()
    assert events("revision.attach_file") == RevisionFile.objects.count()
    assert events("master_list.review") == MasterListReview.objects.count()
    assert events("revision.approve") == RevisionEvent.objects.filter(action="approve").count()


def test_the_summary_counts_the_document_control(demo):
    documents = report(demo, "documents")
    totals = document_counts()
    numbers = [int(n) for n in re.findall(r"\d+", documents.totals)]
    assert numbers == [
        totals.documents,
        totals.agencies,
        totals.revisions,
        totals.superseded,
        totals.revised_agencies,
        totals.decisions,
        totals.externals,
        totals.open_tasks,
        totals.overdue_tasks,
    ]
    assert totals.documents == Document.objects.count() and totals.agencies >= 12
    assert f" {Document.objects.count()} " in documents.added  # the first build added them all


def test_a_run_weeks_later_adds_no_documents(demo):
    """Dates relative to today (the text not yet in force, the revisions in preparation) do not
    make a later run build them a second time."""
    later = timezone.localdate() + datetime.timedelta(days=40)
    with transaction.atomic():
        added = build_documents(today=later)
        transaction.set_rollback(True)
    assert (added.documents, added.revisions, added.decisions, added.externals) == (0, 0, 0, 0)


def test_the_clock_is_given_back():
    real = timezone.now
    with clock_at(datetime.date(2025, 3, 1)):
        assert timezone.localdate() == datetime.date(2025, 3, 1)
        assert timezone.now() < timezone.now()
    assert timezone.now is real


def test_the_plans_are_consistent():
    for plan in data_documents.PLANS:
        dates = [decision.date for decision in plan.decisions]
        assert dates == sorted(dates), plan.agency
        numbers = [decision.number for decision in plan.decisions]
        assert len(set(numbers)) == len(numbers), plan.agency
        assert plan.decisions[0].items[: len(SYSTEM)] == tuple((c, "") for c in SYSTEM)
