"""Pieces shared by the document services."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.text import search_text_of
from eiso.documents import rules, workflows
from eiso.documents.choices import RevisionAction, RevisionStatus
from eiso.documents.models import (
    Document,
    DocumentControlPolicy,
    ExternalDocument,
    Revision,
    RevisionEvent,
)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise NotPermitted(message)


def require_drafter(actor, agency) -> None:
    require(
        rules.can_draft(actor, agency),
        _("Only the ISO secretary or the head of the agency can draft documents."),
    )


def lock_revision(revision: Revision) -> Revision:
    return (
        Revision.objects.select_for_update(of=("self",))
        .select_related("document", "agency", "drafted_by")
        .get(pk=revision.pk)
    )


def move(revision: Revision, action: str) -> None:
    """Apply a transition of the table in workflows.py, or refuse it."""
    new_status = workflows.target(revision.status, action)
    if new_status is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the revision is “%(status)s”.")
            % {"status": revision.get_status_display(), "action": RevisionAction(action).label}
        )
    revision.status = new_status


def record(revision: Revision, action: str, actor, comment: str = "") -> RevisionEvent:
    return RevisionEvent.objects.create(
        agency=revision.agency, revision=revision, action=action, actor=actor, comment=comment
    )


def previous_issued(revision: Revision) -> Revision | None:
    return (
        Revision.objects.filter(document=revision.document, status=RevisionStatus.ISSUED)
        .exclude(pk=revision.pk)
        .first()
    )


def check_effective_date(revision: Revision, date: datetime.date | None) -> None:
    """A new revision cannot take effect before the one it replaces."""
    previous = previous_issued(revision)
    if date and previous and previous.effective_date and date < previous.effective_date:
        message = _(
            "The effective date cannot be before %(date)s, the effective date of revision %(n)s."
        ) % {"date": previous.effective_date.strftime("%d/%m/%Y"), "n": f"{previous.number:02d}"}
        raise ValidationFailed(message, fields={"effective_date": [message]})


def document_search_text(document: Document, revision: Revision | None = None) -> str:
    summary = revision.change_summary if revision is not None else ""
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
