"""The life cycles of document control, as declared transition tables (eiso.core.workflow):
a revision (draft → in review → returned / approved → issued) and an issuing decision
(draft → signed, or discarded). Each transition is one service in ``services``; pages and the
API show the buttons ``WORKFLOW.available(user, obj)`` gives.

Whether an issued revision is in force is not a status: it is computed from dates
(``Revision.objects.in_force(on=…)``), so nothing moves when a revision takes effect."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import SeparationOfDutiesViolation, ValidationFailed
from eiso.core.workflow import Transition, Workflow
from eiso.documents import rules
from eiso.documents.choices import DecisionAction as DA
from eiso.documents.choices import DecisionStatus as D
from eiso.documents.choices import DocumentAction as DocA
from eiso.documents.choices import DocumentStatus as DocS
from eiso.documents.choices import RevisionAction as A
from eiso.documents.choices import RevisionStatus as S

# --- who ----------------------------------------------------------------------------------------


def drafts(actor, obj) -> bool:
    return rules.can_draft(actor, obj.agency)


def reviews(actor, obj) -> bool:
    return rules.can_review(actor, obj.agency)


def issues(actor, obj) -> bool:
    return rules.can_issue(actor, obj.agency)


DRAFTERS_ONLY = gettext_lazy(
    "Only the ISO secretary or the head of the agency can draft documents."
)
HEAD_ONLY = gettext_lazy("Only the head of the agency can review documents.")
ISSUERS_ONLY = gettext_lazy("Only the head or the ISO secretary can prepare issuing decisions.")


# --- guards of a revision ---------------------------------------------------------------------


def _day(date: datetime.date) -> str:
    return date.strftime("%d/%m/%Y")


def has_content(revision, actor) -> str | None:
    if revision.files.exists() or revision.content.strip():
        return None
    raise ValidationFailed(_("Attach the document's file (or write its content) first."))


def says_what_changed(revision, actor) -> str | None:
    if revision.number > 1 and not revision.change_summary.strip():
        message = _("Say what changed and why.")
        raise ValidationFailed(message, fields={"change_summary": [message]})
    return None


def takes_effect_after_the_previous(revision, actor) -> str | None:
    """A new revision cannot take effect before the one it replaces."""
    check_effective_date(revision, revision.effective_date)
    return None


def check_effective_date(revision, date: datetime.date | None) -> None:
    from eiso.documents.models import Revision

    if date is None:
        return
    previous = (
        Revision.objects.issued()
        .filter(document_id=revision.document_id, number__lt=revision.number)
        .order_by("-number")
        .first()
    )
    if previous is not None and previous.effective_date and date < previous.effective_date:
        message = _(
            "The effective date cannot be before %(date)s, the effective date of revision %(n)s."
        ) % {"date": _day(previous.effective_date), "n": f"{previous.number:02d}"}
        raise ValidationFailed(message, fields={"effective_date": [message]})


def editors_of(revision) -> set[int]:
    """Everyone who wrote the revision's content or files: its drafter and whoever the
    workflow history shows creating or editing it (files and step tables included)."""
    from eiso.documents.models import RevisionEvent

    editors = set(
        RevisionEvent.objects.filter(
            revision=revision, action__in=(A.CREATE, A.EDIT), actor__isnull=False
        ).values_list("actor_id", flat=True)
    )
    editors.add(revision.drafted_by_id)
    return editors


def four_eyes(revision, actor) -> str | None:
    """Whoever changed a revision's content or files may not approve it."""
    if actor.pk in editors_of(revision):
        if actor.pk == revision.drafted_by_id:
            message = _("You drafted this revision: someone else must approve it.")
        else:
            message = _("You changed this revision: someone else must approve it.")
        raise SeparationOfDutiesViolation(message)
    return None


REVISION = Workflow(
    "revision",
    transitions=[
        Transition(S.DRAFT, A.EDIT, S.DRAFT, who=drafts, refusal=DRAFTERS_ONLY),
        Transition(S.RETURNED, A.EDIT, S.RETURNED, who=drafts, refusal=DRAFTERS_ONLY),
        Transition(
            (S.DRAFT, S.RETURNED),
            A.SUBMIT,
            S.IN_REVIEW,
            who=drafts,
            guards=[has_content, says_what_changed, takes_effect_after_the_previous],
            audit="revision.submit",
            refusal=DRAFTERS_ONLY,
        ),
        Transition(
            S.IN_REVIEW,
            A.RETURN,
            S.RETURNED,
            who=reviews,
            audit="revision.return",
            refusal=HEAD_ONLY,
        ),
        Transition(
            S.IN_REVIEW,
            A.APPROVE,
            S.APPROVED,
            who=reviews,
            guards=[four_eyes],
            audit="revision.approve",
            refusal=HEAD_ONLY,
        ),
        # Taken by signing the decision that issues it (decision_sign).
        Transition(
            S.APPROVED,
            A.ISSUE,
            S.ISSUED,
            who=issues,
            guards=[takes_effect_after_the_previous],
            audit="revision.issue",
            refusal=ISSUERS_ONLY,
        ),
    ],
    action_labels=dict(A.choices),
)


# --- a document: in use, or withdrawn for good ---------------------------------------------------


def nothing_in_preparation(document, actor) -> str | None:
    if document.revisions.in_preparation().exists():
        return _("Finish or return the revision in preparation first.")
    return None


def no_other_revision_in_preparation(document, actor) -> str | None:
    if document.revisions.in_preparation().exists():
        return _("This document already has a revision in preparation; finish it first.")
    return None


DOCUMENT = Workflow(
    "document",
    transitions=[
        # A new revision is opened on a document in use, one at a time (its own table above).
        Transition(
            DocS.ACTIVE,
            DocA.REVISE,
            DocS.ACTIVE,
            who=drafts,
            guards=[no_other_revision_in_preparation],
            refusal=DRAFTERS_ONLY,
        ),
        Transition(
            DocS.ACTIVE,
            DocA.WITHDRAW,
            DocS.WITHDRAWN,
            who=issues,
            guards=[nothing_in_preparation],
            audit="document.withdraw",
            refusal=gettext_lazy("Only the head or the ISO secretary can withdraw documents."),
        ),
    ],
    action_labels=dict(DocA.choices),
)


# --- guards of a decision ---------------------------------------------------------------------


def has_number_and_date(decision, actor) -> str | None:
    if decision.number and decision.date:
        return None
    message = _("A signed decision needs its number and date.")
    field = "number" if not decision.number else "date"
    raise ValidationFailed(message, fields={field: [message]})


def not_signed_in_the_future(decision, actor) -> str | None:
    today = timezone.localdate()
    if decision.date and decision.date > today:
        message = _(
            "A decision cannot be signed on %(date)s: that day has not come yet (today is "
            "%(today)s)."
        ) % {"date": _day(decision.date), "today": _day(today)}
        raise ValidationFailed(message, fields={"date": [message]})
    return None


def effective_dates_not_before_signing(decision, actor) -> str | None:
    check_effective_dates(decision.date, list(decision.revisions.select_related("document")))
    return None


def check_effective_dates(date: datetime.date | None, revisions) -> None:
    """A revision cannot take effect before the decision that issues it is signed."""
    if date is None:
        return
    early = [r for r in revisions if r.effective_date and r.effective_date < date]
    if early:
        message = _(
            "%(revision)s would take effect on %(effective)s, before the decision's date "
            "%(date)s: a document takes effect on or after the day it is signed."
        ) % {
            "revision": early[0],
            "effective": _day(early[0].effective_date),
            "date": _day(date),
        }
        raise ValidationFailed(message, fields={"date": [message]})


DECISION = Workflow(
    "decision",
    transitions=[
        Transition(D.DRAFT, DA.EDIT, D.DRAFT, who=issues, refusal=ISSUERS_ONLY),
        Transition(
            D.DRAFT,
            DA.SIGN,
            D.SIGNED,
            who=issues,
            guards=[
                has_number_and_date,
                not_signed_in_the_future,
                effective_dates_not_before_signing,
            ],
            audit="decision.sign",
            refusal=ISSUERS_ONLY,
        ),
        Transition(
            D.DRAFT,
            DA.DISCARD,
            D.DISCARDED,
            who=issues,
            audit="decision.discard",
            refusal=ISSUERS_ONLY,
        ),
        Transition(D.SIGNED, DA.ATTACH_SCAN, D.SIGNED, who=issues, refusal=ISSUERS_ONLY),
    ],
    action_labels=dict(DA.choices),
)
