"""The life cycle of a nonconformity, as a declared table (eiso.core.workflow).

open (the owner writes the correction, the cause and the plan) → plan submitted → plan approved
(or returned) → actions in progress (the first action done starts it: no action is carried
out before the plan is approved) → awaiting verification (once every action is done) → closed,
only when every action is done and someone other than the owner verified that they were
effective. A check that finds them not effective, or a reopening, starts a new round: the
earlier actions and checks stay in the record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.errors import SeparationOfDutiesViolation
from eiso.core.workflow import Transition, Workflow
from eiso.improvements import rules
from eiso.improvements.choices import NcAction, NcStatus

S, A = NcStatus, NcAction
ANSWER_ONLY = _("Only the person responsible, the ISO secretary or the head write the plan.")
KEEPER_ONLY = _("Only the ISO secretary or the head approve the plan.")
VERIFIER_ONLY = _(
    "Effectiveness is verified by the ISO secretary, the head or an internal auditor."
)


def cause_found(obj, actor):
    if not obj.root_cause.strip():
        return _("Write the root cause first (the five whys help).")
    return None


def has_actions(obj, actor):
    if not obj.actions.filter(round=obj.round).exists():
        return _("Plan at least one corrective action first.")
    return None


def every_action_done(obj, actor):
    if obj.actions.filter(done_on__isnull=True).exists():
        return _("Every corrective action must be done first.")
    return None


def not_the_owner(obj, actor):
    if obj.owner_id is not None and obj.owner_id == actor.pk:
        raise SeparationOfDutiesViolation(
            _("Effectiveness must be verified by someone other than the person responsible.")
        )
    return None


def verified_effective_by_another(obj, actor):
    check = obj.checks.filter(round=obj.round).order_by("-checked_on", "-pk").first()
    if check is None or not check.effective:
        return _(
            "The record cannot be closed before someone other than the person responsible "
            "has verified that the actions were effective."
        )
    if obj.owner_id is not None and check.checked_by_id == obj.owner_id:
        return _("Effectiveness must be verified by someone other than the person responsible.")
    return None


NONCONFORMITY = Workflow(
    "nonconformity",
    transitions=[
        Transition(S.OPEN, A.EDIT, S.OPEN, who=rules.answers, refusal=ANSWER_ONLY),
        Transition(S.PLANNED, A.EDIT, S.PLANNED, who=rules.answers, refusal=ANSWER_ONLY),
        Transition(
            S.OPEN,
            A.SUBMIT_PLAN,
            S.PLANNED,
            who=rules.answers,
            guards=[cause_found, has_actions],
            refusal=ANSWER_ONLY,
        ),
        Transition(S.PLANNED, A.RETURN_PLAN, S.OPEN, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(
            S.PLANNED,
            A.APPROVE_PLAN,
            S.PLAN_APPROVED,
            who=rules.keeps,
            guards=[cause_found, has_actions],
            refusal=KEEPER_ONLY,
        ),
        # who: an action's owner, the record's owner or the keepers (rules.can_complete)
        Transition(S.PLAN_APPROVED, A.WORK, S.IN_PROGRESS),
        Transition(S.IN_PROGRESS, A.WORK, S.IN_PROGRESS),
        Transition(
            S.IN_PROGRESS, A.ACTIONS_DONE, S.AWAITING_VERIFICATION, guards=[every_action_done]
        ),
        Transition(
            S.AWAITING_VERIFICATION,
            A.VERIFY,
            S.AWAITING_VERIFICATION,
            who=rules.verifies,
            guards=[every_action_done, not_the_owner],
            refusal=VERIFIER_ONLY,
        ),
        Transition(
            S.AWAITING_VERIFICATION,
            A.NOT_EFFECTIVE,
            S.OPEN,
            who=rules.verifies,
            guards=[not_the_owner],
            refusal=VERIFIER_ONLY,
        ),
        Transition(
            (S.IN_PROGRESS, S.AWAITING_VERIFICATION),
            A.CLOSE,
            S.CLOSED,
            who=rules.closes,
            guards=[every_action_done, verified_effective_by_another],
        ),
        Transition(S.CLOSED, A.REOPEN, S.OPEN, who=rules.verifies, refusal=VERIFIER_ONLY),
    ],
    action_labels=dict(NcAction.choices),
    status_labels=dict(NcStatus.choices),
)
