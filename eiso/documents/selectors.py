"""Reads of document control; every one starts from ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.scoping import path_ids
from eiso.core.subqueries import count_of
from eiso.core.text import vn_fold
from eiso.documents import rules
from eiso.documents.choices import (
    OPEN_STATUSES,
    DecisionStatus,
    DocumentKind,
    RevisionStatus,
    TaskStatus,
)
from eiso.documents.models import (
    Acknowledgement,
    Document,
    DocumentTemplate,
    ExternalDocument,
    IssuingDecision,
    LegalBasis,
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
    "effective": "in_force_effective",
    "-effective": "-in_force_effective",
    "updated": "updated_at",
    "-updated": "-updated_at",
}
KIND_ORDER = {kind: index for index, kind in enumerate(DocumentKind.values)}


def _readable(user, *, action: Action = Action.VIEW) -> QuerySet[Document]:
    return Document.objects.readable_by(user, action=action)


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
    """Documents the user may read, with the revision in force today (and one issued to take
    effect later), and the state of their revision in preparation for those who may see it
    (a fixed number of queries per page, whatever the number of rows)."""
    # .order_by(): without it the subquery inherits Revision's ordering and its joins.
    open_revision = (
        Revision.objects.readable_by(user)
        .in_preparation()
        .filter(document=OuterRef("pk"))
        .order_by()
    )
    qs = (
        _readable(user)
        .with_revisions_in_force()
        .select_related("agency", "department")
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
        qs = qs.filter(in_force_number__isnull=False)
    elif state == "upcoming":
        qs = qs.filter(Exists(Revision.objects.not_yet_in_force().filter(document=OuterRef("pk"))))
    elif state == "never_issued":
        qs = qs.exclude(Exists(Revision.objects.issued().filter(document=OuterRef("pk"))))
    elif state in OPEN_STATUSES:
        # open_status comes from the readable revisions: staff learn nothing by filtering.
        qs = qs.filter(open_status=state)
    if effective_from:
        qs = qs.filter(in_force_effective__gte=effective_from)
    if effective_to:
        qs = qs.filter(in_force_effective__lte=effective_to)
    return qs.order_by(DOCUMENT_ORDERINGS.get(ordering, "code"), "agency_id", "pk")


def document_get(*, user, pk, action: Action = Action.VIEW) -> Document:
    try:
        return (
            _readable(user, action=action)
            .select_related("agency", "department", "created_by")
            .get(pk=pk)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def revisions_of(*, user, document: Document, on: datetime.date | None = None):
    """The revisions of a document the user may read, newest first, each with its
    ``validity`` on ``on`` (today): every one for those who may see drafts, only those in
    force or about to be for staff."""
    return (
        Revision.objects.readable_by(user, on=on)
        .filter(document=document)
        .with_validity(on=on)
        .select_related("document", "drafted_by", "reviewed_by", "approved_by", "decision")
        .prefetch_related("files")
        .order_by("-number")
    )


def revision_get(*, user, pk, action: Action = Action.VIEW) -> Revision:
    try:
        return (
            Revision.objects.readable_by(user, action=action)
            .with_validity()
            .select_related("document", "agency", "drafted_by", "decision")
            .get(pk=pk)
        )
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def revision_validity(*, revision: Revision, on: datetime.date | None = None) -> str:
    """Whether an issued revision is in force on ``on`` (a ``Validity`` value; "" before it is
    issued) — for a revision not read through ``with_validity``."""
    found = (
        Revision.objects.filter(pk=revision.pk)
        .with_validity(on=on)
        .values_list("validity", flat=True)
        .first()
    )
    return found or ""


def revision_events(*, revision: Revision):
    return revision.events.select_related("actor").order_by("created_at", "id")


def acknowledgements_of(*, revision: Revision) -> QuerySet[Acknowledgement]:
    return revision.acknowledgements.select_related("user").order_by(
        "acknowledged_at", "user__full_name"
    )


def pending_acknowledgements(*, user) -> QuerySet[Acknowledgement]:
    """Issued revisions (in force, or about to be) the user was asked to read and has not."""
    live = Revision.objects.live()
    return (
        Acknowledgement.objects.filter(
            user=user, acknowledged_at__isnull=True, revision__in=live.values("pk")
        )
        .select_related("revision__document", "agency")
        .order_by("-created_at")
    )


def master_list(*, user, agency, on: datetime.date | None = None) -> list[Document]:
    """The agency's master list on ``on`` (today): every document with a revision in force
    that day, in the order of the kinds (policy, objectives, manual, system procedures, …);
    ``document.in_force`` is that revision, ``document.upcoming`` one issued to take effect
    later. The page, its XLSX, DOCX and PDF and the API all read it."""
    documents = list(
        Document.objects.visible_to(user)
        .filter(agency=agency)
        .in_force_on(on=on)
        .with_revisions_in_force(on=on, decisions=True)
        .select_related("department")
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
    has_history = (
        Revision.objects.issued()
        .filter(agency=agency, issued_at__date__lt=today.replace(day=1))
        .exists()
    )
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
        qs = qs.filter(Q(agency=agency) | Q(is_shared=True, agency_id__in=path_ids(agency.path)))
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
    return qs.annotate(document_count=_readable_documents_resting_on(user)).order_by(
        orderings.get(ordering, "-effective_date"), "pk"
    )


def _readable_documents_resting_on(user):
    """How many documents the user may read rest on the outer text: a shared text is cited
    across the province, and the agencies a person cannot see are not theirs to count. Where
    the person reads every document of the agencies they see, the citations are counted by
    their agency (the index of the text and the citing agency) without reading the documents;
    staff, who read only the issued documents of their own agencies, count documents."""
    if rules.staff_only_agency_ids(user):
        return count_of(_readable(user), "legal_bases")
    return count_of(LegalBasis.objects.visible_to(user), "externaldocument")


def external_choices(*, user, agency) -> QuerySet[ExternalDocument]:
    """Texts a document of ``agency`` may rest on: its own and the shared ones above it."""
    return (
        ExternalDocument.objects.visible_to(user)
        .filter(Q(agency=agency) | Q(is_shared=True, agency_id__in=path_ids(agency.path)))
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


DECISION_ORDERINGS = {
    "date": ("date", "created_at"),
    "-date": ("-date", "-created_at"),
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
}


def decision_list(
    *,
    user,
    agency=None,
    status: str = "",
    q: str = "",
    year: int | None = None,
    ordering: str = "-date",
) -> QuerySet[IssuingDecision]:
    """Issuing decisions the user may read (staff: signed ones). Discarded drafts only when
    asked for by their status."""
    qs = IssuingDecision.objects.readable_by(user).select_related("agency").with_revision_count()
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    qs = qs.filter(status=status) if status else qs.exclude(status=DecisionStatus.DISCARDED)
    if q:
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(subject__icontains=q.strip()))
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by(*DECISION_ORDERINGS.get(ordering, DECISION_ORDERINGS["-date"]))


def decision_get(*, user, pk, action: Action = Action.VIEW) -> IssuingDecision:
    """A decision the user may read (staff: only signed ones); out of scope is 404."""
    try:
        return (
            IssuingDecision.objects.readable_by(user, action=action)
            .select_related("agency", "agency__parent", "created_by")
            .get(pk=pk)
        )
    except (IssuingDecision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def approved_revisions(*, user, agency) -> QuerySet[Revision]:
    """Approved revisions not yet in a decision: what a new decision can issue."""
    return (
        Revision.objects.readable_by(user)
        .filter(agency=agency, status=RevisionStatus.APPROVED, decision__isnull=True)
        .select_related("document")
        .order_by("document__code")
    )


def template_list() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.all()


# --- reads added for the pages ------------------------------------------------------------


def document_choices(*, user, agency, exclude: Document | None = None) -> QuerySet[Document]:
    """Documents of exactly ``agency`` the user may read: what a document may refer to."""
    qs = _readable(user).filter(agency=agency)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("code")


def document_links(*, user, document: Document) -> dict:
    """What a document rests on and refers to, as far as the user may read it: one query for
    the ids of every link, then one for the linked documents, one for the texts and one for the
    departments, each only if there are any (a document without links costs one query)."""
    ids = _link_ids(document)
    readable = _readable(user)
    links: dict[str, list] = {kind: [] for kind in LINK_KINDS}
    linked = ids["references"] | ids["forms"] | ids["used_in"]
    if linked:
        found = list(readable.filter(pk__in=sorted(linked)))  # by agency, then code
        for kind in ("references", "forms", "used_in"):
            links[kind] = [d for d in found if d.pk in ids[kind]]
        if len({d.agency_id for d in links["used_in"]}) > 1:  # ordered by code alone
            links["used_in"] = list(readable.filter(forms=document).order_by("code"))
    if ids["legal_bases"]:
        links["legal_bases"] = list(
            ExternalDocument.objects.visible_to(user)
            .filter(pk__in=sorted(ids["legal_bases"]))
            .select_related("replaced_by")
            .order_by("number")
        )
    if ids["distribution"]:
        departments = Document._meta.get_field("distribution").related_model.objects
        links["distribution"] = list(
            departments.filter(pk__in=sorted(ids["distribution"])).order_by("name")
        )
    return links


LINK_KINDS = ("legal_bases", "references", "forms", "used_in", "distribution")


def _link_ids(document: Document) -> dict[str, set[int]]:
    """The ids of what ``document`` links to, by kind, read from the five link tables in one
    statement (written in SQL: the ORM would compile five querysets and their union)."""
    fields = Document._meta
    db = connections[router.db_for_read(Document)]
    q = db.ops.quote_name
    parts = []
    for number, kind in enumerate(LINK_KINDS):
        field = fields.get_field("forms" if kind == "used_in" else kind)
        table = field.remote_field.through._meta.db_table
        own, other = field.m2m_column_name(), field.m2m_reverse_name()
        if kind == "used_in":  # the documents whose forms include this one
            own, other = other, own
        parts.append(f"SELECT {number}, {q(other)} FROM {q(table)} WHERE {q(own)} = %s")
    ids: dict[str, set[int]] = {kind: set() for kind in LINK_KINDS}
    with db.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [document.pk] * len(parts))
        for number, pk in cursor.fetchall():
            ids[LINK_KINDS[number]].add(pk)
    return ids


def document_tasks(*, user, document: Document) -> QuerySet[RevisionTask]:
    """The open revision tasks of one document."""
    return (
        RevisionTask.objects.visible_to(user)
        .filter(document=document, status=TaskStatus.OPEN)
        .select_related("external_document")
        .order_by("due_date", "pk")
    )


def revision_file_get(*, user, pk, action: Action = Action.VIEW) -> RevisionFile:
    """A file of a revision the user may read (staff: of revisions in force or about to be)."""
    readable = Revision.objects.readable_by(user, action=action)
    try:
        return (
            RevisionFile.objects.visible_to(user, action=action)
            .filter(revision__in=readable.values("pk"))
            .select_related("revision", "revision__document", "agency")
            .get(pk=pk)
        )
    except (RevisionFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def decision_revisions(
    *, user, decision: IssuingDecision, on: datetime.date | None = None
) -> QuerySet[Revision]:
    """The revisions a decision issues, with their validity on ``on`` (staff: only those in
    force or about to be)."""
    return (
        Revision.objects.readable_by(user, on=on)
        .filter(decision=decision)
        .with_validity(on=on)
        .select_related("document", "approved_by")
        .order_by("document__code")
    )


def decision_revision_choices(*, user, decision: IssuingDecision) -> QuerySet[Revision]:
    """Approved revisions a draft decision may issue: those in no decision and its own."""
    return (
        Revision.objects.readable_by(user)
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
        _readable(user)
        .filter(legal_bases=external)
        .with_revisions_in_force()
        .select_related("agency")
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
    return (
        Revision.objects.readable_by(user)
        .in_preparation()
        .filter(document=document)
        .with_validity()
        .select_related("document", "drafted_by", "reviewed_by", "approved_by", "decision")
        .first()
    )


def revision_choices(*, user) -> QuerySet[Revision]:
    """Revisions the user may name by id (what an issuing decision issues): the ones they may
    read. Whether one may be issued is the service's check."""
    return (
        Revision.objects.readable_by(user)
        .select_related("agency", "document")
        .order_by("document__code", "-number")
    )


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
