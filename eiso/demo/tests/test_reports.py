"""The annual reports of the demo province (reports.py): every demo agency that keeps a QMS
reported last year, on time or a little late, received by the overseer, one returned and sent
again; this year's in preparation or submitted; the province's summary of last year sent and
counting them; the overseer's dashboard and each agency's obligations show them. Built once for
the package (conftest.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eiso.cycle import selectors as cycle
from eiso.demo.data import OVERSEER_USERNAME
from eiso.reports import selectors
from eiso.reports.choices import ReportStatus
from eiso.reports.models import AnnualReport, ProvincialReport

pytestmark = pytest.mark.django_db


def reported_agencies(demo):
    ctx = demo.context
    return [
        a
        for a in ctx.active_agencies()
        if a.code.upper() in ctx.keepers
        and ctx.builds(a)
        and AnnualReport.objects.filter(agency=a).exists()
    ]


def test_every_demo_agency_that_keeps_a_qms_reported_last_year(demo):
    ctx = demo.context
    last = ctx.today.year - 1
    kept = [a for a in ctx.active_agencies() if a.code.upper() in ctx.keepers and ctx.builds(a)]
    assert kept
    reported = set(AnnualReport.objects.filter(year=last).values_list("agency__code", flat=True))
    missing = [a.code for a in kept if a.code not in reported]
    # only an agency whose keepers were appointed after June of that year has none
    import datetime

    from eiso.demo.builders import keepers_appointed_on

    assert all(keepers_appointed_on(ctx.agency(c)) > datetime.date(last, 6, 1) for c in missing)
    final = AnnualReport.objects.filter(year=last).exclude(status=ReportStatus.RETURNED)
    assert set(final.values_list("status", flat=True)) == {ReportStatus.RECEIVED}
    assert final.filter(late=True).exists() and final.filter(late=False).exists()
    for report in final:
        assert report.signed_file and report.signature.get("kind") == "scan"
        assert report.assessment and report.data and report.number


def test_one_report_was_returned_with_a_reason_and_sent_again(demo):
    returned = AnnualReport.objects.get(status=ReportStatus.RETURNED)
    assert "mục tiêu chất lượng" in returned.return_reason
    again = AnnualReport.objects.get(agency=returned.agency, year=returned.year, version=2)
    assert again.previous_id == returned.pk and again.status == ReportStatus.RECEIVED


def test_this_year_s_reports_are_prepared_from_december(demo):
    today = demo.context.today
    this = AnnualReport.objects.filter(year=today.year)
    if today.month < 12:
        assert not this.exists()
        return
    assert this.exists()
    for report in this:
        assert report.data and report.assessment and report.status != ReportStatus.RETURNED
    if today.day > 22:  # past the deadline and the late ones' window: every approved one sent
        assert not this.filter(status=ReportStatus.APPROVED).exists()


def test_last_year_s_summary_was_sent_and_counts_the_reports(demo):
    ctx = demo.context
    summary = ProvincialReport.objects.get(agency=ctx.province, year=ctx.today.year - 1)
    assert summary.status == "submitted" and summary.signed_file and summary.results
    overseer = ctx.users[OVERSEER_USERNAME]
    figures = selectors.figures_of(user=overseer, report=summary)
    total = next(row for row in figures.rows if row["tier"] == "")
    delivered = AnnualReport.objects.filter(
        year=ctx.today.year - 1, submitted_on__lte=figures.on, version=1
    ).count()
    assert total["reported"] == delivered > 0


def test_the_obligation_of_the_report_is_met_and_the_dashboard_shows_it(demo, client):
    ctx = demo.context
    report = AnnualReport.objects.filter(year=ctx.today.year - 1, late=False).first()
    found = cycle.agency_obligations(agency=report.agency, year=report.year, on=ctx.today)
    annual = next(o for o in found.obligations if o.code == "annual_report")
    assert annual.state == "met_on_time" and annual.evidence is not None
    client.force_login(ctx.users[OVERSEER_USERNAME])
    page = client.get(reverse("reports:annual_list") + f"?year={report.year}")
    assert page.status_code == 200
    assert f'data-testid="annual-{report.agency.code}-{report.year}-1"' in page.content.decode()


def test_a_second_run_adds_nothing(demo):
    from eiso.demo import reports as step

    before = AnnualReport.objects.count(), ProvincialReport.objects.count()
    result = step.build(demo.context)
    assert result.added == ""
    assert (AnnualReport.objects.count(), ProvincialReport.objects.count()) == before
