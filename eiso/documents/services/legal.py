"""External documents and legal texts; revision tasks raised when a linked text changes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.text import clashes
from eiso.documents import rules
from eiso.documents.choices import DocumentStatus, TaskReason, TaskStatus
from eiso.documents.models import Document, ExternalDocument, RevisionTask
from eiso.documents.services._common import external_search_text, task_due_date

EXTERNAL_FIELDS = (
    "kind",
    "number",
    "title",
    "issuer",
    "issue_date",
    "effective_date",
    "expiry_date",
    "notes",
    "is_shared",
)


def _require_keeper(actor, agency, shared: bool) -> None:
    if not rules.can_keep_external(actor, agency, shared=shared):
        raise NotPermitted(_("You cannot maintain this list of external documents."))


def _check_number_free(agency, number: str, exclude_pk: int | None = None) -> None:
    taken = ExternalDocument.objects.filter(agency=agency).exclude(pk=exclude_pk)
    if clashes(number, taken.values_list("number", flat=True)):
        message = _("%(number)s is already in this list.") % {"number": number}
        raise ValidationFailed(message, fields={"number": [message]})


def _raise(document: Document, external: ExternalDocument, reason: str) -> RevisionTask | None:
    if document.status == DocumentStatus.WITHDRAWN:
        return None
    task, _created = RevisionTask.objects.get_or_create(
        document=document,
        external_document=external,
        status=TaskStatus.OPEN,
        defaults={
            "agency_id": document.agency_id,
            "reason": reason,
            "due_date": task_due_date(external.effective_date),
        },
    )
    return task


def raise_tasks_for_new_links(*, document: Document, externals) -> list[RevisionTask]:
    """Linking a document to a text that takes effect in the future asks for a revision."""
    today = timezone.localdate()
    tasks = []
    for external in externals:
        if external.effective_date and external.effective_date > today:
            task = _raise(document, external, TaskReason.NEW_TEXT)
            if task:
                tasks.append(task)
    return tasks


@transaction.atomic
def external_document_create(
    *,
    actor,
    agency,
    number: str,
    title: str,
    kind: str = "legal",
    issuer: str = "",
    issue_date: datetime.date | None = None,
    effective_date: datetime.date | None = None,
    expiry_date: datetime.date | None = None,
    is_shared: bool = False,
    replaces: ExternalDocument | None = None,
    notes: str = "",
) -> ExternalDocument:
    """Register an external document. When it replaces another, every document (in every
    agency) resting on the old one is linked to the new one and gets a revision task."""
    _require_keeper(actor, agency, is_shared)
    number = number.strip()
    _check_number_free(agency, number)
    if expiry_date and effective_date and expiry_date < effective_date:
        message = _("The expiry date is before the effective date.")
        raise ValidationFailed(message, fields={"expiry_date": [message]})
    external = ExternalDocument(
        agency=agency,
        number=number,
        title=title.strip(),
        kind=kind,
        issuer=issuer.strip(),
        issue_date=issue_date,
        effective_date=effective_date,
        expiry_date=expiry_date,
        is_shared=is_shared,
        notes=notes,
    )
    external.search_text = external_search_text(external)
    external.save()
    tasks = 0
    if replaces is not None:
        old = (
            ExternalDocument.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=replaces.pk)
        )
        _require_keeper(actor, old.agency, old.is_shared)
        if old.replaced_by_id:
            raise ValidationFailed(
                _("%(number)s was already replaced.") % {"number": old.number},
                fields={"replaces": [_("Already replaced.")]},
            )
        old.replaced_by = external
        if not old.expiry_date and effective_date:
            old.expiry_date = effective_date - datetime.timedelta(days=1)
        old.save()
        for document in old.documents.all():
            document.legal_bases.add(external, through_defaults={"agency_id": document.agency_id})
            if _raise(document, external, TaskReason.REPLACED):
                tasks += 1
    audit_record(
        actor=actor,
        action="external.create",
        obj=external,
        changes={
            **snapshot(external, EXTERNAL_FIELDS),
            "replaces": str(replaces or ""),
            "tasks": tasks,
        },
    )
    return external


@transaction.atomic
def external_document_update(*, actor, external: ExternalDocument, data: dict) -> ExternalDocument:
    """Edit an external document; moving its effective date into the future asks every linked
    document for a revision."""
    locked = (
        ExternalDocument.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=external.pk)
    )
    _require_keeper(actor, locked.agency, locked.is_shared or data.get("is_shared", False))
    if "number" in data and data["number"].strip() != locked.number:
        _check_number_free(locked.agency, data["number"].strip(), exclude_pk=locked.pk)
    before = snapshot(locked, EXTERNAL_FIELDS)
    for name in EXTERNAL_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if locked.expiry_date and locked.effective_date and locked.expiry_date < locked.effective_date:
        message = _("The expiry date is before the effective date.")
        raise ValidationFailed(message, fields={"expiry_date": [message]})
    locked.search_text = external_search_text(locked)
    locked.save()
    changes = changes_between(before, snapshot(locked, EXTERNAL_FIELDS))
    if (
        "effective_date" in changes
        and locked.effective_date
        and (locked.effective_date > timezone.localdate())
    ):
        for document in locked.documents.all():
            _raise(document, locked, TaskReason.AMENDED)
    if changes:
        audit_record(actor=actor, action="external.update", obj=locked, changes=changes)
    return locked


def close_tasks_for(document: Document, revision) -> int:
    """A newly issued revision fulfils the document's open revision tasks — those raised
    before the revision was started (a revision drafted before the change does not)."""
    return RevisionTask.objects.filter(
        document=document, status=TaskStatus.OPEN, created_at__lte=revision.created_at
    ).update(status=TaskStatus.DONE, closed_at=timezone.now(), closed_by_revision=revision)
