"""The life of an announcement of conformity as a declared transition table
(``eiso.core.workflow``): who may take each step, what must hold first, the audit action.

    draft ──sign──▶ signed ──send──▶ sent ──receive──▶ received
      │               ▲                │
      discard         └─(correct)      return (the overseer, with a reason)
      ▼                                ▼
    discarded                       returned ──send (corrected)──▶ sent

The keepers (the agency's ISO secretary or head) prepare, edit or discard the draft, record it
as signed, correct what was recorded, attach the signed scan, send and publish; the overseer of
the agency receives it or returns it for correction. Steps that keep the status (edit, correct,
attach the scan, publish) are checked by the same table (``WORKFLOW.check``). Each step is one
service in ``services.py``; pages and the API show the buttons ``WORKFLOW.available`` gives."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ApplicationError, ValidationFailed
from eiso.core.workflow import Transition, Workflow
from eiso.qms import rules
from eiso.qms.choices import AnnouncementAction as A
from eiso.qms.choices import AnnouncementStatus as S

KEEPER_REFUSAL = gettext_lazy("Only the ISO secretary or the head keep this agency's QMS record.")
OVERSEER_REFUSAL = gettext_lazy("Only the overseer of this agency receives or returns it.")
SENT_OR_DONE = (S.SENT, S.RECEIVED)
SIGNED_STATES = (S.SIGNED, S.SENT, S.RECEIVED, S.RETURNED)


def keeper(actor, announcement) -> bool:
    return rules.can_keep_qms(actor, announcement.agency)


def overseer(actor, announcement) -> bool:
    return rules.can_receive(actor, announcement.agency)


def scan_attached(announcement, actor) -> str | None:
    """The overseer receives the signed decision: its scan goes with it."""
    if not announcement.signed_file:
        message = _("Attach the signed scan before sending.")
        raise ValidationFailed(message, fields={"signed_scan": [message]})
    return None


def scan_not_replaced_once_sent(announcement, actor) -> str | None:
    """What the overseer holds is not changed behind its back: once sent, a missing scan may
    still be added, a scan is replaced only after the overseer returns the announcement."""
    if announcement.status in SENT_OR_DONE and announcement.signed_file:
        return _(
            "The overseer has this signed scan: it can be replaced only when the announcement "
            "is returned for correction."
        )
    return None


def _keeper(source, action, target, **extra) -> Transition:
    return Transition(
        source,
        action,
        target,
        who=keeper,
        refusal=KEEPER_REFUSAL,
        audit=f"announcement.{action}",
        **extra,
    )


def _overseer(source, action, target) -> Transition:
    return Transition(
        source,
        action,
        target,
        who=overseer,
        refusal=OVERSEER_REFUSAL,
        audit=f"announcement.{action}",
    )


WORKFLOW = Workflow(
    "announcement",
    transitions=[
        _keeper(S.DRAFT, A.EDIT, S.DRAFT),
        _keeper(S.DRAFT, A.DISCARD, S.DISCARDED),
        _keeper(S.DRAFT, A.SIGN, S.SIGNED),
        _keeper(S.SIGNED, A.CORRECT, S.SIGNED),
        _keeper(S.RETURNED, A.CORRECT, S.RETURNED),
        *[
            _keeper(state, A.ATTACH_SCAN, state, guards=[scan_not_replaced_once_sent])
            for state in SIGNED_STATES
        ],
        *[_keeper(state, A.PUBLISH, state) for state in SIGNED_STATES],
        _keeper((S.SIGNED, S.RETURNED), A.SEND, S.SENT, guards=[scan_attached]),
        _overseer(S.SENT, A.RECEIVE, S.RECEIVED),
        _overseer(S.SENT, A.RETURN, S.RETURNED),
    ],
    action_labels=dict(A.choices),
    status_labels=dict(S.choices),
)


def ready(actor, announcement, action: str) -> bool:
    """Whether ``action`` would go through now, guards included (a form is offered only
    then: e.g. no scan to replace once the overseer holds it)."""
    try:
        WORKFLOW.check(actor=actor, obj=announcement, action=action)
    except ApplicationError:
        return False
    return True
