"""Quality objectives' evidence for the annual cycle (eiso.core.evidence): the objectives of a
year issued, and the report evaluating them. Each item says which year it is for: objectives of
2024 issued in December 2023 count for 2024. One query per kind, for any number of agencies."""

from __future__ import annotations

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.objectives.choices import ISSUED_SET_STATUSES, ReportStatus
from eiso.objectives.models import EvaluationReport, ObjectiveSet


@evidence.kind(
    "objectives.issued",
    _("Quality objectives of the year issued"),
    per=evidence.YEAR,
    description=_("The first issue of the year's objectives and their plan (its decision date)."),
)
def issued_objectives(agency_ids, start, end):
    rows = (
        ObjectiveSet.objects.filter(
            agency_id__in=agency_ids,
            status__in=ISSUED_SET_STATUSES,
            decision_date__range=(start, end),
        )
        .order_by()
        .values("agency_id", "year")
        .annotate(first=Min("decision_date"), pk=Min("pk"))
        .values_list("agency_id", "year", "first", "pk")
    )
    detail = evidence.link("objectives:set_detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Quality objectives %(year)s issued") % {"year": year}),
                url=detail(pk),
                period=str(year),
            ),
        )
        for agency_id, year, day, pk in rows
    )


@evidence.kind(
    "objectives.evaluation_report",
    _("Objectives evaluation report"),
    per=evidence.YEAR,
    description=_("The final report on how far the year's objectives were met."),
)
def evaluation_reports(agency_ids, start, end):
    rows = (
        EvaluationReport.objects.filter(
            agency_id__in=agency_ids, status=ReportStatus.FINAL, report_date__range=(start, end)
        )
        .order_by()
        .values_list("agency_id", "year", "report_date")
    )
    url = reverse("objectives:evaluation")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Evaluation of the quality objectives %(year)s") % {"year": year}),
                url=f"{url}?year={year}&agency={agency_id}",
                period=str(year),
            ),
        )
        for agency_id, year, day in rows
    )
