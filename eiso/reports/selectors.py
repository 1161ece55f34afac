"""The reports' reads: annual reports and provincial summaries the person may see (out of
scope is a 404), the reports waiting on someone, and the figures of a summary (live while a
draft, as sent once sent)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.organizations.models import Agency
from eiso.reports import provincial
from eiso.reports.choices import ReportStatus, SummaryStatus
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.rules import OVERSIGHT

ANNUAL_ORDERINGS = {
    "year": ("year", "agency__path", "version"),
    "-year": ("-year", "agency__path", "-version"),
    "agency": ("agency__path", "-year", "-version"),
    "-agency": ("-agency__path", "-year", "-version"),
    "submitted": ("submitted_on", "agency__path"),
    "-submitted": ("-submitted_on", "agency__path"),
    "status": ("status", "agency__path"),
    "-status": ("-status", "agency__path"),
}


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def annual_list(
    *,
    user,
    root: Agency | None = None,
    agency: Agency | None = None,
    year: int | None = None,
    status: str = "",
    late: str = "",
    q: str = "",
    ordering: str = "",
) -> QuerySet[AnnualReport]:
    """The annual reports the user may see (every version), filtered — one query."""
    qs = AnnualReport.objects.visible_to(user).select_related("agency", "submitted_by")
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if late in ("yes", "no"):
        qs = qs.filter(late=late == "yes")
    if q:
        qs = qs.filter(Q(agency__search_text__contains=vn_fold(q)) | Q(number__icontains=q))
    return qs.order_by(*ANNUAL_ORDERINGS.get(ordering, ANNUAL_ORDERINGS["-year"]))


def annual_get(*, user, pk, action: Action = Action.VIEW) -> AnnualReport:
    qs = AnnualReport.objects.visible_to(user, action=action).select_related(
        "agency", "agency__parent", "approved_by", "submitted_by", "received_by", "returned_by"
    )
    return _get(qs, pk)


def annual_for_oversight(*, user, pk) -> AnnualReport:
    """A report the user oversees (receives or returns), else 404."""
    return annual_get(user=user, pk=pk, action=OVERSIGHT)


def annual_versions(*, user, report: AnnualReport) -> QuerySet[AnnualReport]:
    return (
        AnnualReport.objects.visible_to(user)
        .filter(agency=report.agency, year=report.year)
        .order_by("-version")
    )


def annual_of(*, user, agency: Agency, year: int) -> AnnualReport | None:
    """The newest version of ``agency``'s report of ``year``."""
    return (
        AnnualReport.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .order_by("-version")
        .first()
    )


def to_receive(*, user, limit: int) -> list[AnnualReport]:
    """Reports submitted to the user's subtree and not yet received or returned."""
    return list(
        AnnualReport.objects.visible_to(user, action=OVERSIGHT)
        .filter(status=ReportStatus.SUBMITTED)
        .select_related("agency")
        .order_by("submitted_on", "agency__path")[:limit]
    )


def waiting_in(*, user, agencies, statuses, limit: int) -> list[AnnualReport]:
    return list(
        AnnualReport.objects.visible_to(user)
        .filter(agency__in=agencies, status__in=statuses)
        .select_related("agency")
        .order_by("year", "agency__path")[:limit]
    )


def returned_in(*, user, agencies, limit: int) -> list[AnnualReport]:
    """Returned reports of these agencies not corrected yet."""
    newer = AnnualReport.objects.filter(
        agency_id=OuterRef("agency_id"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    return list(
        AnnualReport.objects.visible_to(user)
        .filter(agency__in=agencies, status=ReportStatus.RETURNED)
        .exclude(Exists(newer))
        .select_related("agency")
        .order_by("year", "agency__path")[:limit]
    )


# --- the province's summary ----------------------------------------------------------------------


def provincial_list(
    *, user, year: int | None = None, status: str = ""
) -> QuerySet[ProvincialReport]:
    qs = ProvincialReport.objects.visible_to(user, action=OVERSIGHT).select_related(
        "agency", "submitted_by"
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "agency__path", "-version")


def provincial_get(*, user, pk) -> ProvincialReport:
    qs = ProvincialReport.objects.visible_to(user, action=OVERSIGHT).select_related(
        "agency", "agency__parent", "submitted_by"
    )
    return _get(qs, pk)


def figures_of(*, user, report: ProvincialReport) -> provincial.ProvincialFigures:
    """What the summary says: as sent once sent, computed for its day while a draft."""
    if report.status == SummaryStatus.SUBMITTED and report.data:
        return provincial.ProvincialFigures.from_json(report.data, root=report.agency)
    return provincial.compute(user=user, root=report.agency, year=report.year, on=report.as_of)
