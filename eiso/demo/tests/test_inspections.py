"""What a newcomer sees of the Sở KH&CN's inspections in the demo province (inspections.py):
last year's plan completed — its two decisions, a team with an officer of the Sở Tư pháp, the
agencies inspected on site and through their records, findings sent back as nonconformities and
remedied, every record signed, the summary written; this year's plan in progress, the persona
agencies in it; the inspector's home listing it. Built once for the package (conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eiso.accounts.models import User
from eiso.demo import inspections as step
from eiso.demo.tests.helpers import report
from eiso.inspections import selectors
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, TeamRole
from eiso.inspections.models import Finding, Inspection, InspectionPlan

pytestmark = pytest.mark.django_db


def test_last_years_plan_is_completed_with_findings_and_remediation(demo):
    year = demo.context.today.year - 1
    plan = InspectionPlan.objects.get(agency=demo.context.province, year=year)
    assert plan.status == PlanStatus.COMPLETED and plan.summary_conclusion
    assert plan.decision_number.endswith("/QĐ-UBND") and plan.team_decision_number
    inspections = Inspection.objects.filter(plan=plan)
    assert inspections.count() >= 4  # a few dozen with every agency built (seed_demo)
    assert inspections.filter(mode=Mode.ON_SITE).exists()
    assert inspections.filter(mode=Mode.RECORDS).exists()
    assert not inspections.exclude(status=InspectionStatus.CLOSED).exists()
    assert not inspections.filter(record_file="").exists()
    findings = Finding.objects.filter(inspection__plan=plan)
    assert findings.exists() and not findings.filter(nonconformity=None).exists()
    assert inspections.exclude(remediation_report="").exists()
    assert {f.nonconformity.agency_id for f in findings.select_related("nonconformity")} <= set(
        inspections.values_list("agency_id", flat=True)
    )
    summary = selectors.plan_summary(plan=plan)
    assert summary.total.in_plan == inspections.count()
    assert summary.total.findings == findings.count()


def test_the_team_has_a_member_from_another_department(demo):
    plan = InspectionPlan.objects.get(
        agency=demo.context.province, year=demo.context.today.year - 1
    )
    team = {m.role: m for m in plan.team.select_related("user")}
    assert set(team) == {TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.SECRETARY}
    organisations = set(plan.team.values_list("organisation", flat=True))
    assert any("Tư pháp" in o for o in organisations)
    assert any("Khoa học và Công nghệ" in o for o in organisations)
    inspected = set(plan.inspections.values_list("agency__code", flat=True))
    assert "STP" not in inspected and "SKHCN" not in inspected


def test_this_years_plan_is_in_progress_and_the_inspector_sees_it(demo, client):
    today = demo.context.today
    plan = InspectionPlan.objects.filter(agency=demo.context.province, year=today.year).first()
    if plan is None:  # before its draft of late February
        pytest.skip("this year's plan is drafted in late February")
    assert plan.status == PlanStatus.APPROVED or today < plan.period_start
    inspections = Inspection.objects.filter(plan=plan)
    assert inspections.filter(agency__code="SYT").exists()
    assert not inspections.filter(date__gt=today).exclude(status=InspectionStatus.PLANNED).exists()
    if plan.period_start + (plan.period_end - plan.period_start) / 2 < today <= plan.period_end:
        assert inspections.filter(status=InspectionStatus.PLANNED).exists() or today.month == 12
        assert inspections.exclude(status=InspectionStatus.PLANNED).exists()
    inspector = User.objects.get(username=step.INSPECTOR_USERNAME)
    client.force_login(inspector)
    page = client.get(reverse("inspections:mine"))
    assert page.status_code == 200 and plan.title[:40] in page.content.decode()
    # the Sở Tư pháp's officer on the team has no inspector role: the menu offers the page too
    client.force_login(User.objects.get(username=step.JUSTICE_MEMBER[0]))
    home = client.get(reverse("dashboard:home")).content.decode()
    assert f'href="{reverse("inspections:mine")}"' in home


def test_a_second_run_writes_nothing(demo):
    again = step.build(demo.context)
    assert again.added == ""
    # Said in the site's language: "… 2 kế hoạch kiểm tra …"
    assert re.search(r"\b2 kế hoạch", report(demo, "inspections").totals), report(
        demo, "inspections"
    ).totals
