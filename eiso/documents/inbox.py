"""Document control's contributions to the work inbox (eiso.core.inbox): revisions to review
and approve, drafts returned, approved revisions waiting for a decision, decisions to sign,
documents to read and legal-text revision tasks. Each provider is one query, at most
``ctx.limit`` rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.documents.choices import DecisionStatus, RevisionStatus, TaskStatus
from eiso.documents.models import Acknowledgement, IssuingDecision, Revision, RevisionTask
from eiso.documents.rules import DRAFTERS, ISSUERS, REVIEWERS


def _agency_ids(ctx: inbox.InboxContext, roles) -> list[int]:
    return [a.pk for a in ctx.agencies_with_role(*roles)]


def _revision_items(ctx, *, roles, status, kind, category, drafted_by=None):
    agencies = _agency_ids(ctx, roles)
    if not agencies:
        return []
    rows = Revision.objects.visible_to(ctx.user).filter(agency_id__in=agencies, status=status)
    if drafted_by is not None:
        rows = rows.filter(drafted_by=drafted_by)
    rows = rows.select_related("document", "agency").order_by("-updated_at")[: ctx.limit]
    return [
        inbox.InboxItem(
            kind=kind,
            category=category,
            title=_("%(code)s — %(title)s, revision %(n)s")
            % {"code": r.document.code, "title": r.document.title, "n": f"{r.number:02d}"},
            url=reverse("documents:detail", args=[r.document_id]),
            agency_name=str(r.agency),
            since=r.updated_at,
            detail=r.return_comment if status == RevisionStatus.RETURNED else "",
        )
        for r in rows
    ]


@inbox.provider("documents.review")
def revisions_to_review(ctx: inbox.InboxContext):
    """The head reviews and approves what was submitted."""
    return _revision_items(
        ctx,
        roles=REVIEWERS,
        status=RevisionStatus.IN_REVIEW,
        kind="documents.review",
        category=_("Review and approve"),
    )


@inbox.provider("documents.returned")
def drafts_returned(ctx: inbox.InboxContext):
    """A returned draft waits on the person who drafted it."""
    return _revision_items(
        ctx,
        roles=DRAFTERS,
        status=RevisionStatus.RETURNED,
        kind="documents.returned",
        category=_("Returned for changes"),
        drafted_by=ctx.user,
    )


@inbox.provider("documents.to_issue")
def approved_waiting_for_a_decision(ctx: inbox.InboxContext):
    """An approved revision is issued by a decision the secretary prepares."""
    return _revision_items(
        ctx,
        roles={Role.ISO_SECRETARY},
        status=RevisionStatus.APPROVED,
        kind="documents.to_issue",
        category=_("Approved, waiting for an issuing decision"),
    )


@inbox.provider("documents.sign")
def decisions_to_sign(ctx: inbox.InboxContext):
    agencies = _agency_ids(ctx, {Role.HEAD})
    if not agencies:
        return []
    rows = (
        IssuingDecision.objects.visible_to(ctx.user)
        .filter(agency_id__in=agencies, status=DecisionStatus.DRAFT)
        .select_related("agency")
        .order_by("-updated_at")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="documents.sign",
            category=_("Decision to sign"),
            title=d.subject,
            url=reverse("documents:decision_detail", args=[d.pk]),
            agency_name=str(d.agency),
            since=d.updated_at,
        )
        for d in rows
    ]


@inbox.provider("documents.read")
def documents_to_read(ctx: inbox.InboxContext):
    """Issued revisions (in force, or about to be) the person was asked to read, in the
    agencies of the acting role."""
    agencies = [m.agency.pk for m in ctx.memberships]
    rows = (
        Acknowledgement.objects.visible_to(ctx.user)
        .filter(
            user=ctx.user,
            acknowledged_at__isnull=True,
            revision__in=Revision.objects.live(on=ctx.today).values("pk"),
            agency_id__in=agencies,
        )
        .select_related("revision__document", "agency")
        .order_by("-created_at")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="documents.read",
            category=_("Document to read"),
            title=f"{a.revision.document.code} — {a.revision.document.title}",
            url=reverse("documents:detail", args=[a.revision.document_id]),
            agency_name=str(a.agency),
            since=a.created_at,
        )
        for a in rows
    ]


@inbox.provider("documents.tasks")
def revision_tasks_due(ctx: inbox.InboxContext):
    """A linked legal text changed: the procedure must be revised within the window."""
    agencies = _agency_ids(ctx, ISSUERS)
    if not agencies:
        return []
    rows = (
        RevisionTask.objects.visible_to(ctx.user)
        .filter(agency_id__in=agencies, status=TaskStatus.OPEN)
        .select_related("agency", "document", "external_document")
        .order_by("due_date", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="documents.tasks",
            category=_("Revise after a legal change"),
            title=f"{t.document.code} — {t.document.title}",
            url=reverse("documents:detail", args=[t.document_id]),
            agency_name=str(t.agency),
            due=t.due_date,
            detail=str(t.external_document.number) if t.external_document_id else "",
        )
        for t in rows
    ]
