"""Life cycles of quality objectives, as declared tables (eiso.core.workflow).

The objectives of a year: drafted by the ISO secretary → submitted → approved or returned by
the head → issued by a decision. Changing them mid-year ("amend") starts the next revision as
a draft; issuing it supersedes the one in force, which is kept. Editing is allowed exactly
where the table has an ``edit`` transition.

The evaluation report: a draft the secretary writes, finalized once every objective missed
has its causes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.errors import SeparationOfDutiesViolation
from eiso.core.workflow import Transition, Workflow
from eiso.objectives import rules
from eiso.objectives.choices import ReportAction, ReportStatus, SetAction, SetStatus

S, A = SetStatus, SetAction


def has_objectives(obj, actor):
    if not obj.objectives.exists():
        return _("Add at least one objective first.")
    return None


def every_objective_has_a_plan(obj, actor):
    missing = obj.objectives.filter(actions__isnull=True).order_by("number").first()
    if missing is not None:
        return _("Objective %(n)s has no plan yet: add at least one action.") % {
            "n": missing.number
        }
    return None


def amendment_says_what_changed(obj, actor):
    if obj.revision > 1 and not obj.change_summary.strip():
        return _("Say what changed in this revision.")
    return None


def not_the_submitter(obj, actor):
    if obj.submitted_by_id is not None and obj.submitted_by_id == actor.pk:
        raise SeparationOfDutiesViolation(
            _("The objectives must be approved by someone other than who submitted them.")
        )
    return None


def no_revision_in_preparation(obj, actor):
    from eiso.objectives.choices import OPEN_SET_STATUSES
    from eiso.objectives.models import ObjectiveSet

    if ObjectiveSet.objects.filter(
        agency_id=obj.agency_id, year=obj.year, status__in=OPEN_SET_STATUSES
    ).exists():
        return _("A revision of these objectives is already in preparation.")
    return None


DRAFTER_ONLY = _("Only the ISO secretary or the head prepare the quality objectives.")
HEAD_ONLY = _("Only the head of the agency approves and issues the quality objectives.")

OBJECTIVE_SET = Workflow(
    "objective_set",
    transitions=[
        Transition(S.DRAFT, A.EDIT, S.DRAFT, who=rules.drafts, refusal=DRAFTER_ONLY),
        Transition(S.RETURNED, A.EDIT, S.RETURNED, who=rules.drafts, refusal=DRAFTER_ONLY),
        Transition(
            (S.DRAFT, S.RETURNED),
            A.SUBMIT,
            S.SUBMITTED,
            who=rules.drafts,
            guards=[has_objectives, every_objective_has_a_plan, amendment_says_what_changed],
            refusal=DRAFTER_ONLY,
        ),
        Transition(S.SUBMITTED, A.RETURN, S.RETURNED, who=rules.approves, refusal=HEAD_ONLY),
        Transition(
            S.SUBMITTED,
            A.APPROVE,
            S.APPROVED,
            who=rules.approves,
            guards=[not_the_submitter],
            refusal=HEAD_ONLY,
        ),
        Transition(S.APPROVED, A.ISSUE, S.ISSUED, who=rules.approves, refusal=HEAD_ONLY),
        Transition(
            S.ISSUED,
            A.AMEND,
            S.ISSUED,
            who=rules.drafts,
            guards=[no_revision_in_preparation],
            refusal=DRAFTER_ONLY,
        ),
        Transition(S.ISSUED, A.SUPERSEDE, S.SUPERSEDED, who=rules.approves, refusal=HEAD_ONLY),
        # Only objectives in force are measured (who: rules.can_measure, per objective).
        Transition(S.ISSUED, A.MEASURE, S.ISSUED),
    ],
    action_labels=dict(SetAction.choices),
    status_labels=dict(SetStatus.choices),
)


def causes_of_every_miss(obj, actor):
    from eiso.objectives.selectors import report_rows

    for row in report_rows(report=obj):
        if row.result == "not_met" and not row.causes.strip():
            return _("Give the causes of objective %(n)s, which was not met.") % {"n": row.number}
    return None


def dated_report(obj, actor):
    if obj.report_date is None:
        return _("Give the report's date.")
    return None


REPORT = Workflow(
    "objective_evaluation",
    transitions=[
        Transition(ReportStatus.DRAFT, ReportAction.EDIT, ReportStatus.DRAFT, who=rules.drafts),
        Transition(
            ReportStatus.DRAFT,
            ReportAction.FINALIZE,
            ReportStatus.FINAL,
            who=rules.drafts,
            guards=[dated_report, causes_of_every_miss],
            refusal=DRAFTER_ONLY,
        ),
    ],
    action_labels=dict(ReportAction.choices),
    status_labels=dict(ReportStatus.choices),
)
