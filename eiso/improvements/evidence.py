"""Corrective action's evidence for the annual cycle (eiso.core.evidence): nonconformities
closed after their effectiveness was verified. One query, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.improvements.choices import NcStatus
from eiso.improvements.models import Nonconformity


@evidence.kind(
    "improvements.closed",
    _("Nonconformity closed (corrective action effective)"),
    description=_("A nonconformity closed once its corrective actions were verified."),
)
def closed_nonconformities(agency_ids, start, end):
    rows = (
        Nonconformity.objects.filter(
            agency_id__in=agency_ids, status=NcStatus.CLOSED, closed_on__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "closed_on", "title")
    )
    detail = evidence.link("improvements:detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(title)[:200],
                url=detail(pk),
            ),
        )
        for pk, agency_id, day, title in rows
    )
