"""Reads of records and dossiers: the record types, the agency's list of records to keep
(computed from the procedures' revisions in force, so it follows document control with nobody
acting), the dossier log and the late dossiers. Each is a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document, Revision
from eiso.organizations.models import Agency
from eiso.procedures.models import AdministrativeProcedure, ProcedureStep
from eiso.records.choices import DossierStatus, LateKind
from eiso.records.importing.parsing import local_zone
from eiso.records.models import Dossier, RecordType

# Documents whose forms and results are records to keep.
PROCEDURE_KINDS = (
    DocumentKind.TTHC_PROCEDURE,
    DocumentKind.SYSTEM_PROCEDURE,
    DocumentKind.INTERNAL_PROCEDURE,
)
FORM_CODE = re.compile(r"\b(BM[\w.\-]*\w)", re.IGNORECASE)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- record types -------------------------------------------------------------------------------

RECORD_ORDERING = {
    "name": ("agency__path", "name"),
    "-name": ("agency__path", "-name"),
    "procedure": ("agency__path", "document__code", "name"),
    "-procedure": ("agency__path", "-document__code", "name"),
    "retention": ("agency__path", "permanent", "retention_years", "name"),
    "-retention": ("agency__path", "-permanent", "-retention_years", "name"),
}


def record_type_list(
    *,
    user,
    agency: Agency | None = None,
    document=None,
    location: str = "",
    q: str = "",
    inactive: bool = False,
    ordering: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[RecordType]:
    qs = RecordType.objects.visible_to(user, action=action).select_related("agency", "document")
    if not inactive:
        qs = qs.filter(is_active=True)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if document is not None:
        qs = qs.filter(document=document)
    if location:
        qs = qs.filter(location=location)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(form_code__icontains=q) | Q(document__code__icontains=q)
        )
    return qs.order_by(*RECORD_ORDERING.get(ordering, RECORD_ORDERING["procedure"]))


def record_type_get(*, user, pk, action: Action = Action.VIEW) -> RecordType:
    return _get(
        RecordType.objects.visible_to(user, action=action).select_related("agency", "document"),
        pk,
    )


def catalogue_procedure(code: str) -> AdministrativeProcedure | None:
    """The province's catalogue entry of a TTHC code, kept exactly as given (the catalogue
    is readable by every signed-in user), or None. One query."""
    return AdministrativeProcedure.objects.filter(code=(code or "").strip()).first()


def procedure_documents(*, user, agency: Agency, on=None) -> QuerySet[Document]:
    """The agency's procedures (documents whose forms are records) in force on ``on``: the
    choices of a record type's procedure."""
    return (
        Document.objects.visible_to(user)
        .filter(agency=agency, kind__in=PROCEDURE_KINDS)
        .in_force_on(on=on)
        .order_by("code")
    )


# --- the list of records to keep ------------------------------------------------------------------


@dataclass
class FormItem:
    """A form or result a procedure's revision in force names (its step table's "forms /
    results", or a form document linked to it)."""

    name: str
    form_code: str = ""

    @property
    def key(self) -> str:
        return self.form_code.upper() if self.form_code else vn_fold(self.name)


@dataclass
class KeepRow:
    """One line of the list of records to keep. ``state``: "kept" (a record type, named by
    the procedure in force), "missing" (the procedure names it, no record type yet),
    "outdated" (a record type the procedure in force no longer names)."""

    document: Document | None
    name: str
    form_code: str
    state: str
    record_type: RecordType | None = None


@dataclass
class KeepList:
    agency: Agency
    on: datetime.date
    rows: list[KeepRow] = field(default_factory=list)

    @property
    def missing(self) -> list[KeepRow]:
        return [r for r in self.rows if r.state == "missing"]

    @property
    def outdated(self) -> list[KeepRow]:
        return [r for r in self.rows if r.state == "outdated"]

    @property
    def kept(self) -> list[KeepRow]:
        return [r for r in self.rows if r.record_type is not None]


def split_forms(text: str) -> list[FormItem]:
    """``"Tờ khai BM-TTHC-01-01; Giấy tiếp nhận hồ sơ"`` → two items, the first with its
    form code."""
    items = []
    for part in re.split(r"[;\n]", text or ""):
        name = " ".join(part.split()).strip(" .,")
        if not name:
            continue
        match = FORM_CODE.search(name)
        items.append(FormItem(name=name, form_code=match.group(1) if match else ""))
    return items


def _matches(record_type: RecordType, item: FormItem) -> bool:
    if record_type.form_code and item.form_code:
        return record_type.form_code.upper() == item.form_code.upper()
    return vn_fold(record_type.name) == vn_fold(item.name)


def forms_in_force(*, agency: Agency, on: datetime.date) -> dict[int, list[FormItem]]:
    """Per procedure document of ``agency`` with a revision in force on ``on``: the forms and
    results that revision names (its step table) and the form documents linked to it. Three
    queries. ``agency`` comes from a scoped selector."""
    revisions = list(
        Revision.objects.in_force(on=on)
        .filter(agency=agency, document__kind__in=PROCEDURE_KINDS)
        .values_list("pk", "document_id")
    )
    document_of = dict(revisions)
    found: dict[int, dict[str, FormItem]] = {document: {} for document in document_of.values()}
    steps = (
        ProcedureStep.objects.filter(revision_id__in=list(document_of))
        .exclude(forms_results="")
        .order_by("revision_id", "number")
        .values_list("revision_id", "forms_results")
    )
    for revision_id, text in steps:
        items = found[document_of[revision_id]]
        for item in split_forms(text):
            items.setdefault(item.key, item)
    links = Document.forms.through.objects.filter(from_document_id__in=list(found)).values_list(
        "from_document_id", "to_document__code", "to_document__title"
    )
    for document_id, code, title in links:
        item = FormItem(name=f"{title} ({code})" if title else code, form_code=code)
        found[document_id].setdefault(item.key, item)
    return {document: list(items.values()) for document, items in found.items()}


def records_to_keep(*, user, agency: Agency, on: datetime.date | None = None) -> KeepList:
    """The agency's list of records to keep on ``on`` (today): every record type kept, by
    procedure, each compared with what the procedure's revision in force names — so when a new
    revision changes its forms, the list shows the new ones to define and the old ones no
    longer named, on the day it takes effect, with nobody acting. A fixed number of queries."""
    day = on or timezone.localdate()
    items = forms_in_force(agency=agency, on=day)
    documents = {
        d.pk: d
        for d in Document.objects.visible_to(user).filter(
            Q(pk__in=list(items))
            | Q(pk__in=RecordType.objects.filter(agency=agency).values("document_id"))
        )
    }
    types = list(
        RecordType.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .select_related("document")
        .order_by("name")
    )
    result = KeepList(agency=agency, on=day)
    by_document: dict[int | None, list[RecordType]] = {}
    for record_type in types:
        by_document.setdefault(record_type.document_id, []).append(record_type)
    order = sorted(
        set(items) | {k for k in by_document if k is not None},
        key=lambda pk: documents[pk].code if pk in documents else "",
    )
    for document_id in [None, *order]:
        document = documents.get(document_id) if document_id else None
        named = items.get(document_id, [])
        defined = by_document.get(document_id, [])
        for record_type in defined:
            listed = document_id is None or any(_matches(record_type, i) for i in named)
            result.rows.append(
                KeepRow(
                    document=document,
                    name=record_type.name,
                    form_code=record_type.form_code,
                    state="kept" if listed else "outdated",
                    record_type=record_type,
                )
            )
        for item in named:
            if not any(_matches(t, item) for t in defined):
                result.rows.append(KeepRow(document, item.name, item.form_code, "missing"))
    return result


# --- dossiers ---------------------------------------------------------------------------------------

DOSSIER_ORDERING = {
    "received": ("-received_month", "-received_at", "-pk"),
    "-received": ("received_month", "received_at", "pk"),
    "due": ("due_at", "pk"),
    "-due": ("-due_at", "-pk"),
    "finished": ("-finished_at", "-pk"),
    "code": ("code",),
    "-code": ("-code",),
}


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time()).replace(tzinfo=local_zone())


def dossier_list(
    *,
    user,
    agency: Agency | None = None,
    root: Agency | None = None,
    procedure=None,
    status: str = "",
    channel: str = "",
    month_from: datetime.date | None = None,
    month_to: datetime.date | None = None,
    late: str = "",
    q: str = "",
    ordering: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Dossier]:
    """The one-stop dossiers ``user`` may read. Months filter by the month received, or for
    the late list (``late``: "finished_late", "overdue" or "all") by the month finished or
    due. ``q``: the start of a dossier code."""
    qs = Dossier.objects.visible_to(user).select_related("agency", "procedure", "department")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(code__startswith=q.strip())
    start = month_from.replace(day=1) if month_from else None
    end = month_to.replace(day=1) if month_to else None
    if late:
        today = today or timezone.localdate()
        finished_late = Q(on_time=False)
        overdue = Q(status=DossierStatus.IN_PROGRESS, due_at__lt=_start_of(today))
        if start:
            finished_late &= Q(finished_month__gte=start)
            overdue &= Q(due_month__gte=start)
        if end:
            finished_late &= Q(finished_month__lte=end)
            overdue &= Q(due_month__lte=end)
        if late == LateKind.FINISHED_LATE:
            qs = qs.filter(finished_late)
        elif late == LateKind.OVERDUE:
            qs = qs.filter(overdue)
        else:
            qs = qs.filter(finished_late | overdue)
        return qs.order_by(*DOSSIER_ORDERING.get(ordering, DOSSIER_ORDERING["due"]))
    if start:
        qs = qs.filter(received_month__gte=start)
    if end:
        qs = qs.filter(received_month__lte=end)
    return qs.order_by(*DOSSIER_ORDERING.get(ordering, DOSSIER_ORDERING["received"]))


def dossier_get(*, user, pk) -> Dossier:
    return _get(
        Dossier.objects.visible_to(user).select_related("agency", "procedure", "department"),
        pk,
    )


def overdue_dossiers(*, user, agencies: list[Agency], today: datetime.date, limit: int):
    """Dossiers of ``agencies`` still in progress after their due day, the longest overdue
    first (the keepers' inbox). One query."""
    return list(
        Dossier.objects.visible_to(user)
        .filter(agency__in=agencies, status=DossierStatus.IN_PROGRESS, due_at__lt=_start_of(today))
        .select_related("agency", "procedure")
        .order_by("due_at", "pk")[:limit]
    )
