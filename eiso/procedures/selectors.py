"""Reads of the TTHC catalogue, handled procedures and coverage — aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from eiso.core.text import vn_fold
from eiso.documents.choices import DocumentStatus
from eiso.organizations.models import Agency
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
    ProcedureStep,
)

CATALOGUE_ORDERINGS = {
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "field": "field",
    "-field": "-field",
    "level": "level",
    "-level": "-level",
}


def catalogue_list(
    *, q: str = "", field: str = "", level: str = "", status: str = "", ordering: str = "code"
) -> QuerySet[AdministrativeProcedure]:
    """The province's catalogue (readable by every signed-in user)."""
    qs = AdministrativeProcedure.objects.annotate(
        agency_count=Count("handled_by", filter=Q(handled_by__is_active=True))
    )
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if field:
        qs = qs.filter(field=field)
    if level:
        qs = qs.filter(level=level)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "abolished":
        qs = qs.filter(is_active=False)
    return qs.order_by(CATALOGUE_ORDERINGS.get(ordering, "code"), "pk")


def catalogue_get(*, pk) -> AdministrativeProcedure:
    try:
        return AdministrativeProcedure.objects.get(pk=pk)
    except (AdministrativeProcedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def catalogue_fields() -> list[str]:
    return list(
        AdministrativeProcedure.objects.exclude(field="")
        .values_list("field", flat=True)
        .distinct()
        .order_by("field")
    )


def _covered(agency_ref) -> Exists:
    """An issued, in-use ISO procedure of the same agency implements the procedure."""
    return Exists(
        IsoProcedure.objects.filter(
            agency=agency_ref,
            procedure=OuterRef("procedure"),
            document__current_revision__isnull=False,
            document__status=DocumentStatus.ACTIVE,
        )
    )


def handled_list(
    *, user, agency, q: str = "", field: str = "", level: str = "", coverage: str = ""
) -> QuerySet[HandledProcedure]:
    """The procedures an agency handles, each with its ISO procedure and whether it is
    covered by an issued one (two subqueries, one query per page)."""
    link = IsoProcedure.objects.filter(agency=OuterRef("agency"), procedure=OuterRef("procedure"))
    qs = (
        HandledProcedure.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .select_related("procedure")
        .annotate(
            covered=_covered(OuterRef("agency")),
            iso_document_id=Subquery(link.values("document_id")[:1]),
            iso_document_code=Subquery(link.values("document__code")[:1]),
        )
    )
    if q:
        qs = qs.filter(procedure__search_text__contains=vn_fold(q))
    if field:
        qs = qs.filter(procedure__field=field)
    if level:
        qs = qs.filter(procedure__level=level)
    if coverage == "covered":
        qs = qs.filter(covered=True)
    elif coverage == "gap":
        qs = qs.filter(covered=False)
    return qs.order_by("procedure__code")


@dataclass(frozen=True)
class Coverage:
    handled: int
    covered: int

    @property
    def gaps(self) -> int:
        return self.handled - self.covered

    @property
    def percent(self) -> int | None:
        return round(100 * self.covered / self.handled) if self.handled else None


def coverage_of(*, user, agency) -> Coverage:
    """How many handled procedures an agency has, and how many an issued ISO procedure
    covers (two COUNT queries)."""
    qs = (
        HandledProcedure.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .annotate(covered=_covered(OuterRef("agency")))
    )
    return Coverage(handled=qs.count(), covered=qs.filter(covered=True).count())


def coverage_rollup(*, user, root: Agency | None = None) -> QuerySet[Agency]:
    """Agencies under ``root`` with ``handled`` and ``covered`` counts, by SQL subqueries:
    the query count does not grow with the number of agencies."""
    handled = HandledProcedure.objects.filter(agency=OuterRef("pk"), is_active=True)
    handled_count = handled.values("agency").annotate(n=Count("pk")).values("n")
    covered_count = (
        handled.filter(_covered(OuterRef("agency")))
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Agency.objects.visible_to(user).filter(is_active=True).select_related("kind")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(
        handled=Coalesce(Subquery(handled_count), 0),
        covered=Coalesce(Subquery(covered_count), 0),
    ).order_by("path")


@dataclass(frozen=True)
class StepTable:
    steps: list[ProcedureStep]
    total_days: Decimal | None
    statutory_days: Decimal | None
    procedure: AdministrativeProcedure | None

    @property
    def mismatch(self) -> bool:
        """The steps' total differs from the statutory time limit."""
        if self.statutory_days is None or not self.steps:
            return False
        return (self.total_days or Decimal(0)) != Decimal(self.statutory_days)


def step_table(*, document) -> StepTable:
    steps = list(document.steps.order_by("number"))
    total = document.steps.aggregate(total=Sum("time_days"))["total"]
    link = IsoProcedure.objects.filter(document=document).select_related("procedure").first()
    procedure = link.procedure if link else None
    return StepTable(
        steps=steps,
        total_days=total,
        statutory_days=procedure.statutory_days if procedure else None,
        procedure=procedure,
    )
