"""Reads of the TTHC catalogue, handled procedures and coverage — aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from eiso.core.roles import Action
from eiso.core.subqueries import count_rows
from eiso.core.text import vn_fold
from eiso.documents.choices import DocumentStatus, RevisionStatus
from eiso.documents.models import Revision
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
            Exists(Revision.objects.in_force().filter(document=OuterRef("document"))),
            agency=agency_ref,
            procedure=OuterRef("procedure"),
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
        percent = covered_percent(self.handled, self.covered)
        return round(percent) if percent is not None else None


def covered_percent(handled: int, covered: int) -> float | None:
    """The share of an agency's handled procedures that issued ISO procedures cover, in %
    (None when it handles none); ``covered_percent_sql`` is the same in SQL."""
    return covered * 100.0 / handled if handled else None


def covered_percent_sql() -> Case:
    """``covered_percent`` of agencies annotated with ``handled`` and ``covered``
    (``coverage_counts``), in SQL: to sort and filter by."""
    return Case(
        When(handled=0, then=Value(None)),
        default=ExpressionWrapper(F("covered") * 100.0 / F("handled"), output_field=FloatField()),
        output_field=FloatField(),
    )


def coverage_of(*, user, agency) -> Coverage:
    """How many handled procedures an agency has, and how many an issued ISO procedure
    covers (two COUNT queries)."""
    qs = (
        HandledProcedure.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .annotate(covered=_covered(OuterRef("agency")))
    )
    return Coverage(handled=qs.count(), covered=qs.filter(covered=True).count())


def coverage_counts() -> dict:
    """``handled`` and ``covered`` of the outer agency (``OuterRef("pk")``) as SQL subqueries,
    to annotate agencies the reader may see with: how many procedures it handles, and how many
    of them an issued ISO procedure covers."""
    # .order_by(): the counts would inherit HandledProcedure's ordering and join the agency and
    # the whole catalogue of procedures for each agency (5 ms per registry page).
    handled = HandledProcedure.objects.filter(agency=OuterRef("pk"), is_active=True).order_by()
    return {
        "handled": count_rows(handled, "agency"),
        "covered": count_rows(handled.filter(_covered(OuterRef("agency"))), "agency"),
    }


def coverage_rollup(*, user, root: Agency | None = None) -> QuerySet[Agency]:
    """Agencies under ``root`` with ``handled`` and ``covered`` counts, by SQL subqueries:
    the query count does not grow with the number of agencies."""
    qs = Agency.objects.visible_to(user).filter(is_active=True).select_related("kind")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.annotate(**coverage_counts()).order_by("path")


@dataclass(frozen=True)
class StepTable:
    """The step table of one revision of an ISO procedure, against the statutory time."""

    steps: list[ProcedureStep]
    total_days: Decimal | None
    statutory_days: Decimal | None
    procedure: AdministrativeProcedure | None
    revision: Revision | None = None

    @property
    def mismatch(self) -> bool:
        """The steps' total differs from the statutory time limit."""
        if self.statutory_days is None or not self.steps:
            return False
        total = self.total_days or Decimal(0)
        if self.procedure is not None and self.procedure.within_the_day:
            return total > 1  # "within the day": at most one working day of steps
        return total != Decimal(self.statutory_days)


def table_revision(*, document, user=None, on=None) -> Revision | None:
    """Whose step table a document shows: the revision in force on ``on`` (today), else one
    issued to take effect later, else (for those who may read drafts) the newest revision."""
    revisions = (
        Revision.objects.readable_by(user, on=on) if user is not None else Revision.objects
    ).filter(document=document)
    return (
        revisions.in_force(on=on).first()
        or revisions.live(on=on).order_by("number").first()
        or revisions.order_by("-number").first()
    )


def step_table(*, document, revision: Revision | None = None, user=None, on=None) -> StepTable:
    """The step table of ``revision`` (default: the one the document shows, see
    ``table_revision``) with its total and the statutory time of the TTHC it implements."""
    if revision is None:
        revision = table_revision(document=document, user=user, on=on)
    steps = list(revision.steps.order_by("number")) if revision is not None else []
    times = [s.time_days for s in steps if s.time_days is not None]
    link = IsoProcedure.objects.filter(document=document).select_related("procedure").first()
    procedure = link.procedure if link else None
    return StepTable(
        steps=steps,
        total_days=sum(times, Decimal(0)) if times else None,
        statutory_days=procedure.statutory_days if procedure else None,
        procedure=procedure,
        revision=revision,
    )


def steps_draft(*, user, document) -> Revision | None:
    """The revision in preparation whose step table may be edited (draft or returned), for
    those who may read drafts; None when the procedure has none."""
    return (
        Revision.objects.readable_by(user)
        .filter(document=document, status__in=(RevisionStatus.DRAFT, RevisionStatus.RETURNED))
        .first()
    )


@dataclass(frozen=True)
class StepTables:
    """What a procedure's step page shows: the table in force (see ``table_revision``) and,
    when another revision is in preparation, that one's table (the only one to edit)."""

    shown: StepTable
    draft: StepTable | None
    editable: Revision | None  # the revision in preparation whose table may be edited


def step_tables(*, document, user, on=None) -> StepTables:
    """Both tables in four queries, whatever the number of revisions and steps: the readable
    revisions (with their validity on ``on``), the link to the TTHC, the steps of both."""
    revisions = list(
        Revision.objects.readable_by(user, on=on)
        .filter(document=document)
        .with_validity(on=on)
        .order_by("number")
    )
    shown = (
        next((r for r in revisions if r.validity == "in_force"), None)
        or next((r for r in revisions if r.validity == "pending"), None)
        or (revisions[-1] if revisions else None)
    )
    editable = next(
        (r for r in revisions if r.status in (RevisionStatus.DRAFT, RevisionStatus.RETURNED)),
        None,
    )
    link = IsoProcedure.objects.filter(document=document).select_related("procedure").first()
    procedure = link.procedure if link else None
    wanted = [r for r in (shown, editable) if r is not None]
    steps = list(ProcedureStep.objects.filter(revision__in=wanted).order_by("revision", "number"))

    def table(revision) -> StepTable:
        rows = [s for s in steps if s.revision_id == revision.pk] if revision else []
        times = [s.time_days for s in rows if s.time_days is not None]
        return StepTable(
            steps=rows,
            total_days=sum(times, Decimal(0)) if times else None,
            statutory_days=procedure.statutory_days if procedure else None,
            procedure=procedure,
            revision=revision,
        )

    draft = table(editable) if editable is not None and editable != shown else None
    return StepTables(shown=table(shown), draft=draft, editable=editable)


# --- reads added for the pages and the API ---------------------------------------------------

COVERAGE_ORDERINGS = {
    "path": "path",
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "handled": "handled",
    "-handled": "-handled",
    "gaps": "gaps",
    "-gaps": "-gaps",
    "percent": "percent",
    "-percent": "-percent",
}


def catalogue_entry(*, pk) -> AdministrativeProcedure:
    """One catalogue entry with the number of agencies handling it, else 404."""
    try:
        return catalogue_list().get(pk=pk)
    except (AdministrativeProcedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def handled_get(*, user, pk, action: Action = Action.VIEW) -> HandledProcedure:
    """One procedure an agency in the user's scope handles, with its coverage as in
    ``handled_list``, else 404."""
    try:
        row = (
            HandledProcedure.objects.visible_to(user, action=action)
            .select_related("agency")
            .get(pk=pk, is_active=True)
        )
    except (HandledProcedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    annotated = handled_list(user=user, agency=row.agency).get(pk=row.pk)
    annotated.agency = row.agency
    return annotated


def handled_procedure_choices(*, user, agency) -> QuerySet[AdministrativeProcedure]:
    """The catalogue entries ``agency`` handles now (what its ISO procedures may implement,
    what it may stop handling)."""
    handled = (
        HandledProcedure.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .values("procedure_id")
    )
    return AdministrativeProcedure.objects.filter(pk__in=handled).order_by("code")


def assignable_procedures(
    *, agency, q: str = "", field: str = "", level: str = ""
) -> QuerySet[AdministrativeProcedure]:
    """In-force catalogue entries ``agency`` does not handle yet (``agency`` comes from a
    scoped selector; the catalogue itself is province-wide)."""
    handled = HandledProcedure.objects.filter(
        agency=agency, procedure=OuterRef("pk"), is_active=True
    )
    qs = AdministrativeProcedure.objects.filter(is_active=True).exclude(Exists(handled))
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if field:
        qs = qs.filter(field=field)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def iso_link_of(*, user, document) -> IsoProcedure | None:
    """The link from an ISO procedure document to the TTHC it implements, if any."""
    return (
        IsoProcedure.objects.visible_to(user)
        .filter(document=document)
        .select_related("procedure")
        .first()
    )


def coverage_table(
    *,
    user,
    root: Agency | None = None,
    q: str = "",
    kind: str = "",
    tier: str = "",
    ordering: str = "path",
) -> QuerySet[Agency]:
    """The roll-up with ``gaps`` and ``percent`` (None when nothing is handled) computed in SQL,
    filtered and sortable; still one query whatever the number of agencies."""
    qs = coverage_rollup(user=user, root=root).annotate(
        gaps=F("handled") - F("covered"), percent=covered_percent_sql()
    )
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if kind:
        qs = qs.filter(kind__code=kind)
    if tier:
        qs = qs.filter(tier=tier)
    order = COVERAGE_ORDERINGS.get(ordering, "path")
    if order.lstrip("-") == "percent":
        expression = F("percent").desc if order.startswith("-") else F("percent").asc
        return qs.order_by(expression(nulls_last=True), "path")
    return qs.order_by(order, "path")


def coverage_total(rows: QuerySet[Agency]) -> Coverage:
    """The totals over the agencies of a roll-up (one aggregate query over their handled
    procedures: summing the roll-up's own annotations is not reliable across databases)."""
    totals = HandledProcedure.objects.filter(
        agency__in=rows.order_by().values("pk"), is_active=True
    ).aggregate(
        handled=Count("pk"),
        covered=Count("pk", filter=Q(_covered(OuterRef("agency")))),
    )
    return Coverage(handled=totals["handled"], covered=totals["covered"])
