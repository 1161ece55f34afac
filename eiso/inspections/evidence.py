"""Inspections' evidence for the annual cycle (eiso.core.evidence): the agency was inspected
(its record made), and it reported the remediation of the findings. One query per kind, for
any number of agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.inspections.models import Inspection
from eiso.inspections.selectors import RECORDED


@evidence.kind(
    "inspections.record",
    _("Inspected by the Department of Science and Technology (record made)"),
    per=evidence.YEAR,
    description=_("The inspection record of the agency in a plan of the year."),
)
def inspection_records(agency_ids, start, end):
    rows = (
        Inspection.objects.filter(
            agency_id__in=agency_ids, status__in=RECORDED, record_date__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "plan__year", "record_date")
    )
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Inspection record %(year)s") % {"year": year}),
                url=reverse("inspections:detail", args=[pk]),
                period=str(year),
            ),
        )
        for pk, agency_id, year, day in rows
    )


@evidence.kind(
    "inspections.remediation",
    _("Remediation of the inspection's findings reported"),
    description=_("The agency's report of what it did about the findings of an inspection."),
)
def remediation_reports(agency_ids, start, end):
    rows = (
        Inspection.objects.filter(agency_id__in=agency_ids, remediation_on__range=(start, end))
        .order_by()
        .values_list("pk", "agency_id", "plan__year", "remediation_on")
    )
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Remediation report, inspection %(year)s") % {"year": year}),
                url=reverse("inspections:detail", args=[pk]) + "#remediation",
            ),
        )
        for pk, agency_id, year, day in rows
    )
