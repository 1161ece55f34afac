"""Reads of document control; every one starts from ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.documents import rules
from eiso.documents.choices import (
    OPEN_STATUSES,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    RevisionStatus,
    TaskStatus,
)
from eiso.documents.models import (
    Acknowledgement,
    Document,
    DocumentTemplate,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionFile,
    RevisionTask,
)

DOCUMENT_ORDERINGS = {
    "code": "code",
    "-code": "-code",
    "title": "title",
    "-title": "-title",
    "kind": "kind",
    "-kind": "-kind",
    "effective": "current_revision__effective_date",
    "-effective": "-current_revision__effective_date",
    "updated": "updated_at",
    "-updated": "-updated_at",
}
KIND_ORDER = {kind: index for index, kind in enumerate(DocumentKind.values)}


def _readable(user, qs: QuerySet[Document]) -> QuerySet[Document]:
    restricted = rules.staff_only_agency_ids(user)
    if restricted:
        qs = qs.exclude(
            Q(agency_id__in=restricted)
            & (Q(current_revision__isnull=True) | Q(status=DocumentStatus.WITHDRAWN))
        )
    return qs


def _count_of(model, field: str):
    """COUNT of ``model`` rows pointing at the outer row, as a correlated subquery: cheaper
    than joining and grouping every row of a large list (bench/README.md)."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def document_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    department=None,
    agency=None,
    status: str = "",
    state: str = "",
    effective_from: datetime.date | None = None,
    effective_to: datetime.date | None = None,
    ordering: str = "code",
) -> QuerySet[Document]:
    """Documents the user may read, with the state of their revision in preparation (one
    query per page, whatever the number of rows)."""
    # .order_by(): without it the subquery inherits Revision's ordering and its joins.
    open_revision = Revision.objects.filter(
        document=OuterRef("pk"), status__in=OPEN_STATUSES
    ).order_by()
    qs = (
        _readable(user, Document.objects.visible_to(user))
        .select_related("agency", "department", "current_revision")
        .annotate(
            open_status=Subquery(open_revision.values("status")[:1]),
            open_number=Subquery(open_revision.values("number")[:1]),
        )
    )
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if department is not None:
        qs = qs.filter(department=department)
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    if status:
        qs = qs.filter(status=status)
    if state == "issued":
        qs = qs.filter(current_revision__isnull=False)
    elif state == "never_issued":
        qs = qs.filter(current_revision__isnull=True)
    elif state in RevisionStatus.values:
        # Staff must not learn that a revision is in preparation by filtering on it.
        qs = qs.filter(open_status=state).exclude(agency_id__in=rules.staff_only_agency_ids(user))
    if effective_from:
        qs = qs.filter(current_revision__effective_date__gte=effective_from)
    if effective_to:
        qs = qs.filter(current_revision__effective_date__lte=effective_to)
    return qs.order_by(DOCUMENT_ORDERINGS.get(ordering, "code"), "agency_id", "pk")


def document_get(*, user, pk, action: Action = Action.VIEW) -> Document:
    try:
        return (
            _readable(user, Document.objects.visible_to(user, action=action))
            .select_related("agency", "department", "current_revision", "created_by")
            .get(pk=pk)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def revisions_of(*, user, document: Document) -> QuerySet[Revision]:
    """Every revision for those who may see drafts; only the current one for staff."""
    qs = document.revisions.select_related(
        "drafted_by", "reviewed_by", "approved_by", "decision"
    ).prefetch_related("files")
    if not rules.can_see_drafts(user, document.agency):
        qs = qs.filter(status=RevisionStatus.ISSUED)
    return qs.order_by("-number")


def revision_get(*, user, pk, action: Action = Action.VIEW) -> Revision:
    try:
        revision = (
            Revision.objects.visible_to(user, action=action)
            .select_related("document", "agency", "drafted_by", "decision")
            .get(pk=pk)
        )
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if revision.status != RevisionStatus.ISSUED and not rules.can_see_drafts(user, revision.agency):
        raise Http404
    return revision


def revision_events(*, revision: Revision):
    return revision.events.select_related("actor").order_by("created_at", "id")


def acknowledgements_of(*, revision: Revision) -> QuerySet[Acknowledgement]:
    return revision.acknowledgements.select_related("user").order_by(
        "acknowledged_at", "user__full_name"
    )


def pending_acknowledgements(*, user) -> QuerySet[Acknowledgement]:
    """Issued revisions the user has been asked to read and has not yet."""
    return (
        Acknowledgement.objects.filter(
            user=user, acknowledged_at__isnull=True, revision__status=RevisionStatus.ISSUED
        )
        .select_related("revision__document", "agency")
        .order_by("-created_at")
    )


def master_list(*, user, agency) -> list[Document]:
    """The agency's master list: every document in use with its current revision, in the
    order of the kinds (policy, objectives, manual, system procedures, …)."""
    documents = list(
        Document.objects.visible_to(user)
        .filter(agency=agency, status=DocumentStatus.ACTIVE, current_revision__isnull=False)
        .select_related("current_revision", "department", "current_revision__decision")
    )
    return sorted(documents, key=lambda d: (KIND_ORDER.get(d.kind, 99), d.code))


@dataclass(frozen=True)
class ReviewStatus:
    last: MasterListReview | None
    due_on: datetime.date
    done_this_quarter: bool
    overdue: bool


def _quarter_end(day: datetime.date) -> datetime.date:
    month = ((day.month - 1) // 3 + 1) * 3
    next_first = datetime.date(day.year + (month == 12), month % 12 + 1, 1)
    return next_first - datetime.timedelta(days=1)


def master_list_review_status(*, user, agency, today: datetime.date | None = None) -> ReviewStatus:
    """This quarter's review is due at the end of the quarter; last quarter's missing review
    makes it overdue."""
    today = today or timezone.localdate()
    reviews = MasterListReview.objects.visible_to(user).filter(agency=agency)
    last = reviews.select_related("reviewed_by").first()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    done_now = reviews.filter(year=year, quarter=quarter).exists()
    done_before = reviews.filter(year=previous[0], quarter=previous[1]).exists()
    has_history = Document.objects.filter(
        agency=agency, current_revision__issued_at__date__lt=today.replace(day=1)
    ).exists()
    return ReviewStatus(
        last=last,
        due_on=_quarter_end(today),
        done_this_quarter=done_now,
        overdue=not done_before and has_history and not done_now,
    )


def master_list_reviews(*, user, agency) -> QuerySet[MasterListReview]:
    return (
        MasterListReview.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("reviewed_by")
    )


def external_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    scope: str = "",
    agency=None,
    in_force: str = "",
    ordering: str = "-effective",
) -> QuerySet[ExternalDocument]:
    qs = ExternalDocument.objects.visible_to(user).select_related("agency", "replaced_by")
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if scope == "shared":
        qs = qs.filter(is_shared=True)
    elif scope == "own":
        qs = qs.filter(is_shared=False)
    if agency is not None:
        qs = qs.filter(Q(agency=agency) | Q(is_shared=True, agency__path__in=_above(agency)))
    today = timezone.localdate()
    if in_force == "yes":
        qs = qs.filter(replaced_by__isnull=True).exclude(expiry_date__lt=today)
    elif in_force == "no":
        qs = qs.filter(Q(replaced_by__isnull=False) | Q(expiry_date__lt=today))
    orderings = {
        "number": "number",
        "-number": "-number",
        "effective": "effective_date",
        "-effective": "-effective_date",
        "title": "title",
        "-title": "-title",
    }
    return qs.annotate(
        document_count=_count_of(Document.legal_bases.through, "externaldocument")
    ).order_by(orderings.get(ordering, "-effective_date"), "pk")


def _above(agency) -> list[str]:
    steps = agency.path.split("/")[:-1]
    return ["/".join(steps[:end]) + "/" for end in range(1, len(steps) + 1)]


def external_choices(*, user, agency) -> QuerySet[ExternalDocument]:
    """Texts a document of ``agency`` may rest on: its own and the shared ones above it."""
    return (
        ExternalDocument.objects.visible_to(user)
        .filter(Q(agency=agency) | Q(is_shared=True, agency__path__in=_above(agency)))
        .order_by("number")
    )


def external_get(*, user, pk, action: Action = Action.VIEW) -> ExternalDocument:
    try:
        return (
            ExternalDocument.objects.visible_to(user, action=action)
            .select_related("agency", "replaced_by")
            .get(pk=pk)
        )
    except (ExternalDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def task_list(
    *, user, status: str = "open", overdue: bool = False, agency=None
) -> QuerySet[RevisionTask]:
    qs = RevisionTask.objects.visible_to(user).select_related(
        "agency", "document", "external_document", "closed_by_revision"
    )
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=TaskStatus.OPEN, due_date__lt=timezone.localdate())
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    return qs.order_by("due_date", "pk")


def decision_list(*, user, agency=None, status: str = "") -> QuerySet[IssuingDecision]:
    qs = (
        IssuingDecision.objects.visible_to(user)
        .select_related("agency")
        .annotate(revision_count=_count_of(Revision, "decision"))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-date", "-created_at")


def decision_get(*, user, pk, action: Action = Action.VIEW) -> IssuingDecision:
    try:
        return (
            IssuingDecision.objects.visible_to(user, action=action)
            .select_related("agency", "agency__parent", "created_by")
            .get(pk=pk)
        )
    except (IssuingDecision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def approved_revisions(*, user, agency) -> QuerySet[Revision]:
    """Approved revisions not yet in a decision: what a new decision can issue."""
    return (
        Revision.objects.visible_to(user)
        .filter(agency=agency, status=RevisionStatus.APPROVED, decision__isnull=True)
        .select_related("document")
        .order_by("document__code")
    )


def template_list() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.all()


# --- reads added for the pages ------------------------------------------------------------


def document_choices(*, user, agency, exclude: Document | None = None) -> QuerySet[Document]:
    """Documents of exactly ``agency`` the user may read: what a document may refer to."""
    qs = _readable(user, Document.objects.visible_to(user)).filter(agency=agency)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("code")


def document_links(*, user, document: Document) -> dict:
    """What a document rests on and refers to, as far as the user may read it (five queries,
    whatever their number)."""
    readable = _readable(user, Document.objects.visible_to(user)).select_related("current_revision")
    return {
        "legal_bases": list(
            ExternalDocument.objects.visible_to(user)
            .filter(documents=document)
            .select_related("replaced_by")
            .order_by("number")
        ),
        "references": list(readable.filter(pk__in=document.references.values("pk"))),
        "forms": list(readable.filter(pk__in=document.forms.values("pk"))),
        "used_in": list(readable.filter(forms=document).order_by("code")),
        "distribution": list(document.distribution.order_by("name")),
    }


def document_tasks(*, user, document: Document) -> QuerySet[RevisionTask]:
    """The open revision tasks of one document."""
    return (
        RevisionTask.objects.visible_to(user)
        .filter(document=document, status=TaskStatus.OPEN)
        .select_related("external_document")
        .order_by("due_date", "pk")
    )


def revision_file_get(*, user, pk, action: Action = Action.VIEW) -> RevisionFile:
    """A file of a revision the user may read: staff only those of the current revision."""
    try:
        attached = (
            RevisionFile.objects.visible_to(user, action=action)
            .select_related("revision", "revision__document", "agency")
            .get(pk=pk)
        )
    except (RevisionFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if attached.revision.status != RevisionStatus.ISSUED and not rules.can_see_drafts(
        user, attached.agency
    ):
        raise Http404
    return attached


def readable_decision_list(*, user, agency=None, status: str = "") -> QuerySet[IssuingDecision]:
    """Decisions the user may read: staff see only signed ones."""
    qs = decision_list(user=user, agency=agency, status=status)
    restricted = rules.staff_only_agency_ids(user)
    if restricted:
        qs = qs.exclude(Q(agency_id__in=restricted) & ~Q(status=DecisionStatus.SIGNED))
    return qs


def readable_decision_get(*, user, pk, action: Action = Action.VIEW) -> IssuingDecision:
    decision = decision_get(user=user, pk=pk, action=action)
    if decision.status != DecisionStatus.SIGNED and not rules.can_see_drafts(user, decision.agency):
        raise Http404
    return decision


def decision_revisions(*, user, decision: IssuingDecision) -> QuerySet[Revision]:
    """The revisions a decision issues (staff: only those still current)."""
    qs = (
        Revision.objects.visible_to(user)
        .filter(decision=decision)
        .select_related("document", "approved_by")
        .order_by("document__code")
    )
    if not rules.can_see_drafts(user, decision.agency):
        qs = qs.filter(status=RevisionStatus.ISSUED)
    return qs


def decision_revision_choices(*, user, decision: IssuingDecision) -> QuerySet[Revision]:
    """Approved revisions a draft decision may issue: those in no decision and its own."""
    return (
        Revision.objects.visible_to(user)
        .filter(agency=decision.agency, status=RevisionStatus.APPROVED)
        .filter(Q(decision__isnull=True) | Q(decision=decision))
        .select_related("document")
        .order_by("document__code")
    )


def external_get_editable(*, user, pk) -> ExternalDocument:
    """A text the user may edit: an agency's own list in the CHANGE scope, the shared
    catalogue in the scope of those who keep the shared catalogues."""
    own = ExternalDocument.objects.visible_to(user, action=Action.CHANGE).filter(is_shared=False)
    shared = ExternalDocument.objects.visible_to(user, action=Action.KEEP_CATALOGUES).filter(
        is_shared=True
    )
    try:
        return (
            ExternalDocument.objects.filter(
                Q(pk__in=own.values("pk")) | Q(pk__in=shared.values("pk"))
            )
            .select_related("agency", "replaced_by")
            .get(pk=pk)
        )
    except (ExternalDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def external_replace_choices(*, user, agency) -> QuerySet[ExternalDocument]:
    """Texts still in force that a new text of ``agency`` may replace: the agency's own, and
    the shared ones the user keeps."""
    own = ExternalDocument.objects.visible_to(user, action=Action.CHANGE).filter(
        agency=agency, is_shared=False
    )
    shared = ExternalDocument.objects.visible_to(user, action=Action.KEEP_CATALOGUES).filter(
        is_shared=True
    )
    return (
        ExternalDocument.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=shared.values("pk")))
        .filter(replaced_by__isnull=True)
        .order_by("number")
    )


def external_linked_documents(*, user, external: ExternalDocument) -> QuerySet[Document]:
    """The documents resting on a text, as far as the user may read them."""
    return (
        _readable(user, Document.objects.visible_to(user))
        .filter(legal_bases=external)
        .select_related("agency", "current_revision")
        .order_by("agency__path", "code")
    )


def external_replaced(*, user, external: ExternalDocument) -> QuerySet[ExternalDocument]:
    """The texts this one replaced."""
    return ExternalDocument.objects.visible_to(user).filter(replaced_by=external).order_by("number")


def external_tasks(*, user, external: ExternalDocument) -> QuerySet[RevisionTask]:
    return (
        RevisionTask.objects.visible_to(user)
        .filter(external_document=external)
        .select_related("agency", "document", "closed_by_revision")
        .order_by("status", "due_date", "pk")
    )


def adopted_template_codes(*, user, agency) -> set[str]:
    """Codes of the agency's documents (templates with these codes are already adopted)."""
    return set(
        Document.objects.visible_to(user).filter(agency=agency).values_list("code", flat=True)
    )


# --- reads added for the API --------------------------------------------------------------


def revision_in_preparation(*, user, document: Document) -> Revision | None:
    """The document's one revision in preparation (draft to approved), for those who may see
    drafts; None for everyone else."""
    if not rules.can_see_drafts(user, document.agency):
        return None
    return (
        Revision.objects.visible_to(user)
        .filter(document=document, status__in=OPEN_STATUSES)
        .select_related("document", "drafted_by", "reviewed_by", "approved_by", "decision")
        .first()
    )


def revision_choices(*, user) -> QuerySet[Revision]:
    """Revisions the user may name by id (what an issuing decision issues): the ones they may
    read, so staff only current ones. Whether one may be issued is the service's check."""
    qs = Revision.objects.visible_to(user).select_related("agency", "document")
    restricted = rules.staff_only_agency_ids(user)
    if restricted:
        qs = qs.exclude(Q(agency_id__in=restricted) & ~Q(status=RevisionStatus.ISSUED))
    return qs.order_by("document__code", "-number")


def revision_files(*, user, revision: Revision) -> QuerySet[RevisionFile]:
    """The files of a revision the user may read (load it with ``revision_get`` first)."""
    return (
        RevisionFile.objects.visible_to(user)
        .filter(revision=revision)
        .select_related("uploaded_by")
        .order_by("created_at", "pk")
    )


def task_get(*, user, pk) -> RevisionTask:
    try:
        return (
            RevisionTask.objects.visible_to(user)
            .select_related("agency", "document", "external_document", "closed_by_revision")
            .get(pk=pk)
        )
    except (RevisionTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
