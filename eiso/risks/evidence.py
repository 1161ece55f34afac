"""Risks' evidence for the annual cycle (eiso.core.evidence): the year's report evaluating how
risks and opportunities were handled. One query, for any number of agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.risks.choices import ReportStatus
from eiso.risks.models import RiskReport


@evidence.kind(
    "risks.evaluation_report",
    _("Risk and opportunity evaluation report"),
    per=evidence.YEAR,
    description=_("The final report on the year's risks and opportunities."),
)
def evaluation_reports(agency_ids, start, end):
    rows = (
        RiskReport.objects.filter(
            agency_id__in=agency_ids, status=ReportStatus.FINAL, report_date__range=(start, end)
        )
        .order_by()
        .values_list("agency_id", "year", "report_date")
    )
    url = reverse("risks:report")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Risk evaluation report %(year)s") % {"year": year}),
                url=f"{url}?year={year}&agency={agency_id}",
                period=str(year),
            ),
        )
        for agency_id, year, day in rows
    )
