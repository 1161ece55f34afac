"""The life cycle of a management review, as a declared table (eiso.core.workflow): planned
(the meeting and its input pack prepared, the pack editable) → held (on or after its date; the
conclusions and outputs recorded) → minutes issued (numbered, dated; the signed scan attached
after). Outputs are followed up until done, in the owners' inbox."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.reviews import rules
from eiso.reviews.choices import ReviewAction, ReviewStatus

S, A = ReviewStatus, ReviewAction
KEEPER_ONLY = _("Only the ISO secretary or the head prepare the management review.")


def pack_assembled(obj, actor):
    if not obj.inputs.exists():
        return _("Assemble the input pack first.")
    return None


def meeting_day_came(obj, actor):
    if obj.meeting_date > timezone.localdate():
        return _("The meeting is on %(date)s: it cannot be recorded as held before.") % {
            "date": obj.meeting_date.strftime("%d/%m/%Y")
        }
    return None


def chaired(obj, actor):
    if obj.chair_id is None:
        return _("Say who chairs the meeting.")
    return None


def concluded(obj, actor):
    if not obj.conclusions.strip():
        return _("Write the conclusions of the meeting.")
    if not obj.minutes_number or obj.minutes_date is None:
        return _("Give the minutes' number and date.")
    return None


REVIEW = Workflow(
    "management_review",
    transitions=[
        Transition(S.PLANNED, A.EDIT, S.PLANNED, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(
            S.PLANNED,
            A.HOLD,
            S.HELD,
            who=rules.keeps,
            guards=[pack_assembled, chaired, meeting_day_came],
            refusal=KEEPER_ONLY,
        ),
        Transition(S.HELD, A.RECORD, S.HELD, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(
            S.HELD,
            A.ISSUE_MINUTES,
            S.MINUTES_ISSUED,
            who=rules.keeps,
            guards=[concluded],
            refusal=KEEPER_ONLY,
        ),
        # who: an output's owner or the keepers (rules.can_complete)
        Transition(S.HELD, A.FOLLOW_UP, S.HELD),
        Transition(S.MINUTES_ISSUED, A.FOLLOW_UP, S.MINUTES_ISSUED),
        Transition(
            S.MINUTES_ISSUED,
            A.ATTACH_SCAN,
            S.MINUTES_ISSUED,
            who=rules.keeps,
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(ReviewAction.choices),
    status_labels=dict(ReviewStatus.choices),
)
