"""What a newcomer sees of the citizens' side in the demo province (feedback.py): agencies
that published their announcement, procedures and forms on the public portal; desks with QR
codes; a year of ratings with comments, most agencies above 90 % satisfied; a few dozen
complaints, most answered on time, some still open past their due date in the keepers' inbox,
one that opened a nonconformity. Built once for the package (conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count, F, Q

from eiso.core import inbox
from eiso.demo import feedback as step
from eiso.demo.tests.helpers import report
from eiso.feedback.models import Complaint, Desk, Rating
from eiso.portal import selectors as public
from eiso.portal.models import Publication

pytestmark = pytest.mark.django_db


def test_the_public_portal_shows_what_the_demo_agencies_published(demo, client):
    assert public.announced_agencies().count() >= 4
    with_scan = public.published_announcements().exclude(signed_file="")
    assert with_scan.exists()
    stp = public.public_agency("STP")
    procedures = list(public.published_procedures(stp))
    assert procedures, "Sở Tư pháp publishes its procedures"
    shown = public.public_procedure(stp, procedures[0].code, on=demo.context.today)
    assert shown.iso is not None and shown.iso.revision is not None and shown.steps
    assert Publication.objects.filter(kind="document", document__kind="form").exists()
    response = client.get("/public/", {"q": "so tu phap"})
    assert response.status_code == 200 and "Sở Tư pháp" in response.content.decode()


def test_a_year_of_ratings_with_comments_most_agencies_satisfied(demo):
    today = demo.context.today
    assert Rating.objects.count() > 500
    first = Rating.objects.order_by("submitted_on").first().submitted_on
    assert (today - first).days > 300 and Rating.objects.filter(submitted_on__gt=today).count() == 0
    assert Rating.objects.exclude(comment="").count() > 50
    assert Rating.objects.filter(procedure__isnull=False, desk__isnull=False).exists()
    shares = (
        Rating.objects.values("agency__code")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(satisfied=True)))
        .order_by()
    )
    levels = [row["ok"] / row["n"] for row in shares]
    assert sum(level >= 0.85 for level in levels) >= len(levels) * 0.7
    assert Desk.objects.count() >= 4


def test_complaints_answered_late_open_overdue_and_one_nonconformity(demo):
    today = demo.context.today
    complaints = Complaint.objects.all()
    assert 20 <= complaints.count() <= 80
    assert complaints.filter(status="closed").exists()
    assert complaints.filter(answered_on__lte=F("due_date")).exists()
    assert complaints.filter(answered_on__gt=F("due_date")).exists()
    overdue = complaints.filter(status__in=("received", "handling"), due_date__lt=today)
    assert overdue.exists()
    assert complaints.filter(channel="public_portal").exclude(tracking_code="").exists()
    assert complaints.filter(nonconformity_id__isnull=False).exists()
    late = overdue.select_related("agency").first()
    secretary = demo.context.keepers[late.agency.code.upper()].secretary
    items = inbox.inbox_for(secretary, today=today, kinds=["feedback.complaint"])
    assert any(item.overdue_on(today) for item in items)


def test_a_second_run_writes_nothing(demo):
    again = step.build(demo.context)
    assert again.added == ""
    # The totals are said in the site's language (Vietnamese): "… 1093 phiếu đánh giá của 6 cơ quan …"
    assert re.search(r"\b[1-9]\d* phiếu đánh giá của \d+ cơ quan", report(demo, "feedback").totals)
