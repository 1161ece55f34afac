"""Pieces shared by the document services."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import workflow
from eiso.core.text import search_text_of
from eiso.documents import rules
from eiso.documents.choices import RevisionAction
from eiso.documents.models import (
    Document,
    DocumentControlPolicy,
    ExternalDocument,
    Revision,
    RevisionEvent,
)
from eiso.documents.workflows import REVISION

require = workflow.require


def require_drafter(actor, agency) -> None:
    require(
        rules.can_draft(actor, agency),
        _("Only the ISO secretary or the head of the agency can draft documents."),
    )


def lock_revision(revision: Revision) -> Revision:
    return workflow.lock(revision, related=("document", "agency", "drafted_by"))


def record(revision: Revision, action: str, actor, comment: str = "") -> RevisionEvent:
    """A step of the revision's history (approvals are records, not flags)."""
    return RevisionEvent.objects.create(
        agency=revision.agency, revision=revision, action=action, actor=actor, comment=comment
    )


def check_editable(actor, revision: Revision) -> None:
    """Only a draft or a returned revision changes, and only by those who draft."""
    REVISION.check(actor=actor, obj=revision, action=RevisionAction.EDIT)


def revision_edited(*, actor, revision: Revision, what: str = "") -> None:
    """Record that ``actor`` changed the content of a locked, editable revision (its text,
    files or step table): whoever did may not approve it (four eyes)."""
    check_editable(actor, revision)
    record(revision, RevisionAction.EDIT, actor, what)


def latest_issued(document: Document) -> Revision | None:
    """The issued revision of highest number — the base of the next revision, whether it is
    in force yet or not."""
    return Revision.objects.issued().filter(document=document).order_by("-number").first()


def document_url(document_or_pk) -> str:
    pk = getattr(document_or_pk, "pk", document_or_pk)
    return reverse("documents:detail", args=[pk])


def document_search_text(document: Document) -> str:
    """What the list's search finds a document by: its code, title and the change summary of
    its latest issued revision — never the words of a draft (staff search the same column)."""
    issued = latest_issued(document) if document.pk else None
    summary = issued.change_summary if issued is not None else ""
    return search_text_of(document.code, document.title, summary)


def external_search_text(external: ExternalDocument) -> str:
    return search_text_of(external.number, external.title, external.issuer)


def revision_window_months(on: datetime.date | None = None) -> int:
    on = on or timezone.localdate()
    policy = DocumentControlPolicy.objects.filter(effective_from__lte=on).first()
    return policy.revision_window_months if policy else 3


def task_due_date(effective_date: datetime.date | None) -> datetime.date:
    """Due within the configured window after the text takes effect (DOMAIN.md: "within 3
    months of a legal text's effective date") — so a text recorded late can be overdue at
    once; without an effective date, the window runs from today."""
    start = effective_date or timezone.localdate()
    return start + relativedelta(months=revision_window_months(start))


__all__ = [
    "check_editable",
    "document_search_text",
    "document_url",
    "external_search_text",
    "latest_issued",
    "lock_revision",
    "record",
    "require",
    "require_drafter",
    "revision_edited",
    "revision_window_months",
    "task_due_date",
]
