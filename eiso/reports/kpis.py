"""The indicators of other modules for many agencies at once (the summary's and the dashboard's
"where known"): a measurement source's ``compute_many`` when it has one (eiso.core.measures),
else the owning module's own set-based reads when it is installed — the on-time rate of one-stop
dossiers from the records module's monthly figures, the share of satisfied citizens from the
feedback module's ratings. None when no module answers: the pages then say it is not known."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import QuerySet

from eiso.core import measures

DOSSIER_SOURCE = "dossiers.on_time_rate"
SATISFACTION_SOURCE = "feedback.satisfaction"


def dossier_rates(
    agency_ids, start: datetime.date, end: datetime.date
) -> dict[int, Decimal] | None:
    """``{agency id: on-time %}`` of the dossiers finished from ``start`` to ``end`` (one
    query), agencies without finished dossiers left out. ``agency_ids``: ids, or a query of
    them read as a subquery (thousands of agencies)."""
    source = measures.get(DOSSIER_SOURCE)
    if isinstance(agency_ids, QuerySet) and source is not None and source.compute_many:
        agency_ids = list(agency_ids.values_list("pk", flat=True))  # a source takes ids
    found = measures.compute_many(DOSSIER_SOURCE, agency_ids, start, end)
    if found is not None or not apps.is_installed("eiso.records"):
        return found
    from eiso.records import kpis
    from eiso.records.models import AgencyMonthStat

    rows = (
        AgencyMonthStat.objects.filter(
            agency_id__in=agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids),
            month__gte=kpis.month_start(start),
            month__lte=kpis.month_start(end),
        )
        .order_by()
        .values("agency_id")
        .annotate(**kpis.SUMS)
    )
    return {
        row["agency_id"]: rate
        for row in rows
        if (rate := kpis.rate_of(row["n_on_time"], row["n_finished"])) is not None
    }


def satisfaction_rates(
    agency_ids, start: datetime.date, end: datetime.date
) -> dict[int, Decimal] | None:
    """``{agency id: % of citizens satisfied}`` from ``start`` to ``end`` (one query)."""
    found = measures.compute_many(SATISFACTION_SOURCE, agency_ids, start, end)
    if found is not None or not apps.is_installed("eiso.feedback"):
        return found
    from eiso.feedback import selectors

    return {
        agency_id: rate
        for agency_id, (_count, rate) in selectors.satisfaction_rates(
            list(agency_ids), start, end
        ).items()
        if rate is not None
    }


def known(key: str) -> bool:
    if key == "on_time_rate":
        return measures.get(DOSSIER_SOURCE) is not None or apps.is_installed("eiso.records")
    if key == "satisfaction":
        return measures.get(SATISFACTION_SOURCE) is not None or apps.is_installed("eiso.feedback")
    return True
