"""The QMS documents of every agency that has started its QMS (system_documents.py): what an
overseer finds across the province. The plans of every agency are checked without building
them; the sample of agencies of every tier (helpers.SAMPLE) is built once for the package."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from eiso.core.numbers import agency_symbol
from eiso.demo import data, data_documents
from eiso.demo.builders import keeper_agencies
from eiso.demo.documents import ISSUED_STATUSES, replaced_revisions
from eiso.demo.qms import first_announced_on, is_long_standing, planned_status
from eiso.demo.system_documents import (
    build_system_documents,
    last_quarter_review_day,
    plan_rounds,
)
from eiso.demo.tests.helpers import SAMPLE
from eiso.documents import selectors
from eiso.documents import services as document_services
from eiso.documents.choices import DecisionStatus, Validity
from eiso.documents.models import Document, IssuingDecision, MasterListReview, Revision
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.qms.choices import QmsStatus

pytestmark = pytest.mark.django_db

SYSTEM = data_documents.TEMPLATE_CODES
DAY = datetime.timedelta(days=1)


@pytest.fixture
def agencies(demo) -> list[Agency]:
    """Every agency whose QMS documents system_documents.py plans (not the personas')."""
    return keeper_agencies(demo.context)


@pytest.fixture
def plans(demo, agencies):
    return {agency.code: plan_rounds(agency, demo.context.today) for agency in agencies}


# --- the plans of every agency ---------------------------------------------------------------


def test_every_agency_that_started_its_qms_issues_its_policy_and_system_procedures(
    demo, agencies, plans
):
    assert len(agencies) >= 75
    for agency in agencies:
        rounds = plans[agency.code]
        assert rounds, agency.code
        first = rounds[0]
        assert [code for code, _summary in first.items] == list(SYSTEM)
        assert {summary for _code, summary in first.items} == {data_documents.ADOPTED}
        days = [r.day for r in rounds]
        assert days == sorted(days) and days[-1] <= demo.context.today, agency.code
        assert days[0] - 14 * DAY >= (agency.active_from or data.KEEPERS_TO), agency.code
        symbol = re.escape(agency_symbol(agency))
        for plan in rounds:
            assert re.fullmatch(rf"\d{{2,3}}/QĐ-{symbol}", plan.number), plan.number
        numbers = [(r.number, r.day.year) for r in rounds]
        assert len(set(numbers)) == len(numbers), agency.code


def test_a_third_of_the_agencies_revise_theirs_in_every_tier(agencies, plans):
    revising = [a for a in agencies if len(plans[a.code]) > 1]
    assert 3 * len(revising) >= len(agencies)
    assert {"so_nganh", "chi_cuc", "ubnd_xa"} <= {a.kind.code for a in revising}
    revisions = Counter(
        (agency.code, code)
        for agency in revising
        for plan in plans[agency.code][1:]
        for code, _summary in plan.items
    )
    assert set(revisions.values()) == {1, 2, 3}  # one to three revisions of a document
    for agency in revising:
        for plan in plans[agency.code][1:]:
            assert plan.subject == data_documents.SYSTEM_REVISED_SUBJECT
            assert all(summary and summary[0].isupper() for _code, summary in plan.items)


def test_the_dates_fit_each_agencys_history(agencies, plans):
    for agency in agencies:
        first = plans[agency.code][0].day
        status = planned_status(agency)
        if status == QmsStatus.BUILDING:
            assert first.year == 2026 and len(plans[agency.code]) == 1, agency.code
        elif agency.tier == Tier.COMMUNE:  # before the first announcements of 21/07/2025
            assert data.COMMUNES_ACTIVE_FROM < first < datetime.date(2025, 7, 21), agency.code
        elif is_long_standing(agency) and status == QmsStatus.ANNOUNCED:
            # applied for three months at least before it announced
            assert first <= first_announced_on(agency) - 90 * DAY, agency.code


# --- the sample, built -------------------------------------------------------------------------


def test_the_sample_spans_the_tiers(agencies):
    sampled = [a for a in agencies if a.code in SAMPLE]
    assert len(sampled) == len(SAMPLE)
    kinds = {a.kind.code for a in sampled}
    assert {"ubnd_tinh", "so_nganh", "chi_cuc", "don_vi_su_nghiep", "ubnd_xa"} <= kinds


def test_each_sampled_agency_issued_them_through_a_signed_decision(demo, plans):
    for code in SAMPLE:
        keepers = demo.context.keepers[code]
        first = plans[code][0]
        decision = IssuingDecision.objects.get(agency__code=code, number=first.number)
        assert decision.status == DecisionStatus.SIGNED and decision.date == first.day
        assert decision.signer_name == keepers.head.full_name
        assert decision.subject == data_documents.SYSTEM_SUBJECT
        documents = Document.objects.filter(agency__code=code)
        assert sorted(d.code for d in documents) == sorted(SYSTEM), code
        for revision in Revision.objects.filter(agency__code=code, number=1):
            assert revision.decision_id == decision.pk
            assert revision.drafted_by == keepers.secretary
            assert revision.approved_by == keepers.head
            assert revision.effective_date == first.day


def test_each_revision_carries_its_file(demo):
    revision = Revision.objects.get(agency__code="SCT", document__code="QT-01", number=1)
    attached = revision.files.get()
    with attached.file.open("rb") as handle:
        document = DocxDocument(handle)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "SỞ CÔNG THƯƠNG TỈNH PHÚ AN" in text and revision.document.title in text
    assert [c.text for c in document.tables[0].rows[1].cells][:2] == ["QT-01", "01"]
    assert attached.original_name == "QT-01_lan-01.docx"
    sampled = Revision.objects.filter(agency__code__in=SAMPLE, status__in=ISSUED_STATUSES)
    assert not sampled.filter(files__isnull=True).exists()


def test_replaced_revisions_are_kept_and_only_the_latest_is_in_force(demo, plans, overseer):
    revised = {code for code in SAMPLE if len(plans[code]) > 1}
    assert len(revised) >= 5
    replaced = replaced_revisions().filter(agency__code__in=SAMPLE)
    assert set(replaced.values_list("agency__code", flat=True)) == revised
    for document in Document.objects.filter(agency__code__in=revised, revisions__number=2):
        revisions = list(selectors.revisions_of(user=overseer, document=document))
        assert [r.validity for r in revisions[:1]] == [Validity.IN_FORCE], document
        assert {r.validity for r in revisions[1:]} == {Validity.EXPIRED}, document
        summaries = [r.change_summary for r in revisions]
        assert summaries[-1] == data_documents.ADOPTED and len(set(summaries)) == len(summaries)
    deepest = max(Revision.objects.filter(agency__code__in=SAMPLE), key=lambda r: r.number)
    assert deepest.number == 4  # a document revised three times


def test_the_overseer_sees_document_control_across_the_province(demo, overseer, client):
    documents = selectors.document_list(user=overseer)
    assert len({d.agency_id for d in documents}) >= len(SAMPLE) + 4
    decisions = selectors.decision_list(user=overseer, status=DecisionStatus.SIGNED)
    assert len({d.agency_id for d in decisions}) >= len(SAMPLE) + 4
    client.force_login(overseer)
    page = client.get(reverse("documents:list"), {"q": "QT-01"}).content.decode()
    shown = [a.short_name for a in Agency.objects.filter(code__in=SAMPLE) if a.short_name in page]
    assert len(shown) >= 8


def test_the_history_is_dated_when_it_happened(demo, plans):
    first = plans["SCT"][0]
    decision = IssuingDecision.objects.get(agency__code="SCT", number=first.number)
    assert timezone.localtime(decision.signed_at).date() == first.day < datetime.date(2022, 1, 1)
    drafted = Revision.objects.get(agency__code="SCT", document__code="CSCL", number=1)
    assert timezone.localtime(drafted.created_at).date() == first.day - 14 * DAY


def test_a_decision_the_app_made_impossible_is_left_out(demo):
    """The secretary of an agency not built yet drafted QT-01 in the app: the decision issuing
    the framework documents cannot take that draft, so it is left out, never forced."""
    code = "SGDDT"
    keepers = demo.context.keepers[code]
    agency = Agency.objects.get(code=code)
    with transaction.atomic():
        document_services.document_create(
            actor=keepers.secretary,
            agency=agency,
            code="QT-01",
            title="Quy trình kiểm soát tài liệu",
            kind="system_procedure",
            content="Bản dự thảo do Thư ký ISO soạn trên hệ thống.",
        )
        added = build_system_documents(dataclasses.replace(demo.context, only=frozenset({code})))
        assert (added.decisions, added.skipped) == (0, 1)
        assert list(Document.objects.filter(agency=agency).values_list("code", flat=True)) == [
            "QT-01"
        ]
        assert not IssuingDecision.objects.filter(agency=agency).exists()
        transaction.set_rollback(True)


def test_most_agencies_reviewed_their_master_list_last_quarter(demo, overseer):
    statuses = {
        agency.code: selectors.master_list_review_status(user=overseer, agency=agency)
        for agency in Agency.objects.filter(code__in=SAMPLE)
    }
    reviewed = {code for code, status in statuses.items() if status.last is not None}
    assert len(reviewed) >= len(SAMPLE) // 2
    assert not any(statuses[code].overdue for code in reviewed)
    assert all(statuses[code].overdue for code in set(SAMPLE) - reviewed)
    review = MasterListReview.objects.filter(agency__code__in=SAMPLE).first()
    assert review.reviewed_on == last_quarter_review_day(demo.context.today)
    assert review.reviewed_by == demo.context.keepers[review.agency.code].secretary
