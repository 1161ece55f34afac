"""Records' evidence for the annual cycle (eiso.core.evidence): the one-stop dossier log kept —
a month whose dossiers were imported. One query, for any number of agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.records.models import AgencyMonthStat


@evidence.kind(
    "records.dossier_month",
    _("One-stop dossiers of a month recorded"),
    description=_("A month of the one-stop dossier log imported (its figures kept)."),
)
def dossier_months(agency_ids, start, end):
    rows = (
        AgencyMonthStat.objects.filter(
            agency_id__in=agency_ids, month__range=(start, end), received__gt=0
        )
        .order_by()
        .values_list("agency_id", "month", "received", "on_time", "finished")
    )
    url = reverse("records:figures")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=month,
                title=str(
                    _(
                        "Dossiers of %(month)s: %(received)s received, %(on_time)s/%(finished)s on time"
                    )
                    % {
                        "month": f"{month:%m/%Y}",
                        "received": received,
                        "on_time": on_time,
                        "finished": finished,
                    }
                ),
                url=f"{url}?agency={agency_id}",
            ),
        )
        for agency_id, month, received, on_time, finished in rows
    )
