"""Internal audits, nonconformities and management reviews of the demo province (audits.py,
improvements.py, reviews.py): last year's audits and reviews completed, this year's under way,
nonconformities in every stage of their life with some actions overdue in their owner's and the
secretary's inbox, review packs assembled from the other modules. Built once for the package
(conftest.py)."""

from __future__ import annotations

import pytest
from django.db.models import Count

from eiso.audits.choices import AuditStatus
from eiso.audits.models import AuditSession, Finding, InternalAudit
from eiso.core import inbox
from eiso.demo import audits as audit_step
from eiso.demo import improvements as nc_step
from eiso.demo import reviews as review_step
from eiso.demo.data import TEAM_AGENCIES
from eiso.improvements.choices import NcStatus
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.reviews.choices import ReviewStatus
from eiso.reviews.models import ManagementReview

pytestmark = pytest.mark.django_db


def test_last_years_audits_are_closed_and_this_years_under_way(demo):
    today = demo.context.today
    last = InternalAudit.objects.filter(year=today.year - 1)
    assert last.exists() and set(last.values_list("status", flat=True)) == {AuditStatus.CLOSED}
    this = InternalAudit.objects.filter(year=today.year)
    assert this.exists()
    if today.month == 12:
        assert this.filter(status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED)).exists()
    for code in TEAM_AGENCIES:
        assert InternalAudit.objects.filter(agency__code=code, year=today.year - 1).exists(), code


def test_no_auditor_audits_their_own_department(demo):
    from eiso.accounts.models import Membership

    own = {
        (m["agency_id"], m["user_id"], m["department_id"])
        for m in Membership.objects.filter(is_active=True).values(
            "agency_id", "user_id", "department_id"
        )
    }
    for session in AuditSession.objects.all():
        assert (session.agency_id, session.auditor_id, session.department_id) not in own


def test_findings_are_graded_and_nonconformities_opened(demo):
    grades = dict(Finding.objects.values_list("grade").annotate(n=Count("pk")))
    assert {"minor", "observation", "improvement"} <= set(grades)
    minors = Finding.objects.filter(grade="minor")
    assert not minors.filter(nonconformity__isnull=True).exists()
    assert Nonconformity.objects.filter(source="internal_audit").count() == minors.count()


def test_nonconformities_in_every_stage_some_overdue(demo):
    today = demo.context.today
    statuses = set(Nonconformity.objects.values_list("status", flat=True))
    assert set(NcStatus.values) <= statuses, statuses
    assert Nonconformity.objects.filter(round__gt=1).exists()  # reopened, history kept
    assert {"internal_audit", "process", "staff"} <= set(
        Nonconformity.objects.values_list("source", flat=True)
    )
    overdue = CorrectiveAction.objects.filter(
        done_on__isnull=True, due_date__lt=today, nonconformity__status="in_progress"
    ).select_related("owner", "agency")
    assert overdue.exists()
    action = overdue.first()
    mine = [
        i for i in inbox.inbox_for(action.owner, today=today) if i.kind == "improvements.action"
    ]
    assert mine and mine[0].overdue_on(today)


def test_reviews_last_year_issued_this_year_held_or_to_come(demo):
    today = demo.context.today
    last = ManagementReview.objects.filter(year=today.year - 1)
    assert last.exists()
    assert set(last.values_list("status", flat=True)) == {ReviewStatus.MINUTES_ISSUED}
    review = last.first()
    sections = {s.key: s for s in review.inputs.all()}
    assert len(sections) == 12 and sections["audits"].has_data
    assert sections["nonconformities"].has_data and not sections["providers"].has_data
    assert review.outputs.count() == 3
    assert ManagementReview.objects.filter(year=today.year).exists()


def test_a_second_run_adds_nothing(demo):
    for builder in (
        audit_step.AuditsBuilder(demo.context),
        nc_step.ImprovementsBuilder(demo.context),
        review_step.ReviewsBuilder(demo.context),
    ):
        builder.build()
    assert (
        audit_step.AuditsBuilder(demo.context).audits,
        nc_step.ImprovementsBuilder(demo.context).raised,
    ) == (0, 0)


def test_the_steps_say_what_they_built(demo):
    from eiso.demo.tests.helpers import report

    for step in ("audits", "improvements", "reviews"):
        assert report(demo, step).totals
