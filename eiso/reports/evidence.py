"""The reports' evidence for the annual cycle (eiso.core.evidence): the agency's annual report
submitted to the overseer (a returned version does not count; its corrected version does, from
the day it is submitted). One query, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.reports.choices import DELIVERED
from eiso.reports.models import AnnualReport


@evidence.kind(
    "reports.annual_report",
    _("Annual QMS report submitted"),
    per=evidence.YEAR,
    description=_("The year's annual report submitted to the overseer with its signed file."),
)
def annual_reports(agency_ids, start, end):
    rows = (
        AnnualReport.objects.filter(
            agency_id__in=agency_ids, status__in=DELIVERED, submitted_on__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "year", "version", "submitted_on", "number")
    )
    detail = evidence.link("reports:annual_detail")
    title = str(_("Annual report %(year)s %(number)s"))  # translated once, not per row
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=(title % {"year": year, "number": number}).strip(),
                url=detail(pk),
                period=str(year),
            ),
        )
        for pk, agency_id, year, version, day, number in rows
    )
