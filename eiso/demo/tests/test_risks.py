"""The context, interested parties and risk registers of the demo province (risks.py): 8–20
risks and opportunities per agency, treatments mostly done, some overdue in their owner's
inbox, risks re-rated. Built once for the package (conftest.py)."""

from __future__ import annotations

import pytest
from django.db.models import Count

from eiso.core import inbox
from eiso.demo import risks as step
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskReport, Treatment

pytestmark = pytest.mark.django_db


def test_every_built_agency_has_a_register_of_8_to_20(demo):
    year = demo.context.today.year
    sizes = dict(Risk.objects.filter(year=year).values_list("agency__code").annotate(n=Count("pk")))
    built = [
        a.code
        for a in demo.context.active_agencies()
        if a.code.upper() in demo.context.keepers and demo.context.builds(a)
    ]
    assert set(built) <= set(sizes)
    assert all(8 <= n <= 20 for n in sizes.values()), sizes
    assert Risk.objects.filter(kind="opportunity").exists()
    assert Risk.objects.filter(process_kind="procedure").exists()
    assert ContextIssue.objects.filter(year=year).exists()
    assert InterestedParty.objects.filter(year=year).exists()


def test_treatments_mostly_done_some_overdue_in_the_owners_inbox(demo):
    today = demo.context.today
    overdue = Treatment.objects.filter(done_on__isnull=True, due_date__lt=today)
    assert overdue.exists()
    assert Treatment.objects.filter(done_on__isnull=False).count() > overdue.count()
    owner = overdue.select_related("owner").first().owner
    items = [i for i in inbox.inbox_for(owner, today=today) if i.kind == "risks.treatment"]
    assert items and items[0].overdue_on(today)


def test_treated_risks_are_re_rated_lower_and_reports_final(demo):
    rerated = Risk.objects.filter(kind="risk", residual_rating__isnull=False)
    assert rerated.exists()
    assert all(r.residual_rating < r.rating for r in rerated)
    if demo.context.today.month >= 11:
        assert RiskReport.objects.filter(status="final").exists()


def test_a_second_run_adds_nothing(demo):
    again = step.RisksBuilder(demo.context)
    again.build()
    assert again.risks == 0
