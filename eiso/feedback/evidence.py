"""Feedback's evidence for the annual cycle (eiso.core.evidence): complaints and petitions
answered. One query, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.feedback.models import Complaint


@evidence.kind(
    "feedback.complaint_answered",
    _("Complaint or petition answered"),
    description=_("A complaint or petition of a citizen answered (its answer dated)."),
)
def complaints_answered(agency_ids, start, end):
    rows = (
        Complaint.objects.filter(agency_id__in=agency_ids, answered_on__range=(start, end))
        .order_by()
        .values_list("pk", "agency_id", "answered_on", "subject")
    )
    detail = evidence.link("feedback:complaint_detail")
    return evidence.group(
        (agency_id, evidence.Evidence(date=day, title=str(subject)[:200], url=detail(pk)))
        for pk, agency_id, day, subject in rows
    )
