"""The life cycle of a complaint or petition, as a declared table (eiso.core.workflow).

received → being handled (a handler assigned) → answered (the answer and the outcome, sent to
the person) → closed; a complaint outside the agency's remit, or without content to act on, is
declined with the reason given to the person; an answered, closed or declined complaint may be
reopened (the answer did not settle it). A simple one may be answered at once by the keepers or
the handler."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.feedback import rules
from eiso.feedback.choices import ComplaintAction, ComplaintStatus

S, A = ComplaintStatus, ComplaintAction
HANDLERS_ONLY = _("Only the handler, the ISO secretary or the head handle this complaint.")
KEEPERS_ONLY = _("Only the ISO secretary or the head do this.")


def answer_written(obj, actor):
    if not (obj.answer or "").strip():
        return _("Write the answer first.")
    if not obj.outcome:
        return _("Say what the handling found.")
    return None


COMPLAINT = Workflow(
    "complaint",
    transitions=[
        Transition(S.RECEIVED, A.EDIT, S.RECEIVED, who=rules.handles, refusal=HANDLERS_ONLY),
        Transition(S.HANDLING, A.EDIT, S.HANDLING, who=rules.handles, refusal=HANDLERS_ONLY),
        Transition(S.RECEIVED, A.ASSIGN, S.HANDLING, who=rules.keeps, refusal=KEEPERS_ONLY),
        Transition(S.HANDLING, A.ASSIGN, S.HANDLING, who=rules.keeps, refusal=KEEPERS_ONLY),
        Transition(
            (S.RECEIVED, S.HANDLING),
            A.ANSWER,
            S.ANSWERED,
            who=rules.handles,
            guards=[answer_written],
            refusal=HANDLERS_ONLY,
        ),
        Transition(S.ANSWERED, A.CLOSE, S.CLOSED, who=rules.keeps, refusal=KEEPERS_ONLY),
        Transition(
            (S.RECEIVED, S.HANDLING), A.DECLINE, S.DECLINED, who=rules.keeps, refusal=KEEPERS_ONLY
        ),
        Transition(
            (S.ANSWERED, S.CLOSED, S.DECLINED),
            A.REOPEN,
            S.HANDLING,
            who=rules.keeps,
            refusal=KEEPERS_ONLY,
        ),
    ],
    action_labels=dict(ComplaintAction.choices),
    status_labels=dict(ComplaintStatus.choices),
)
