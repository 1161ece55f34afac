"""Internal audit's evidence for the annual cycle (eiso.core.evidence): the year's audit
reported, and the audit scheduled (its plan approved: what "before the internal audit" is
measured from). One query per kind, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import AuditStatus
from eiso.audits.models import InternalAudit
from eiso.core import evidence

REPORTED = (AuditStatus.REPORTED, AuditStatus.CLOSED)
SCHEDULED = (AuditStatus.APPROVED, AuditStatus.IN_PROGRESS, *REPORTED)


@evidence.kind(
    "audits.report",
    _("Internal audit completed (report issued)"),
    per=evidence.YEAR,
    description=_("An internal audit of the year whose report is issued."),
)
def audit_reports(agency_ids, start, end):
    rows = (
        InternalAudit.objects.filter(
            agency_id__in=agency_ids, status__in=REPORTED, report_date__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "year", "sequence", "report_date")
    )
    detail = evidence.link("audits:detail")
    title = str(_("Internal audit report %(n)s/%(year)s"))  # translated once, not per row
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=title % {"n": n, "year": year},
                url=detail(pk),
                period=str(year),
            ),
        )
        for pk, agency_id, year, n, day in rows
    )


@evidence.kind(
    "audits.scheduled",
    _("Internal audit scheduled (plan approved)"),
    per=evidence.YEAR,
    event=True,
    description=_("The first day of an internal audit whose plan is approved."),
)
def audits_scheduled(agency_ids, start, end):
    rows = (
        InternalAudit.objects.filter(
            agency_id__in=agency_ids, status__in=SCHEDULED, start_date__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "year", "sequence", "start_date")
    )
    detail = evidence.link("audits:detail")
    title = str(_("Internal audit %(n)s/%(year)s begins"))  # translated once, not per row
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=title % {"n": n, "year": year},
                url=detail(pk),
                period=str(year),
            ),
        )
        for pk, agency_id, year, n, day in rows
    )
