"""Life cycles of an inspection plan and of one agency's inspection (eiso.core.workflow).

The plan: drafted by the Sở KH&CN (its agencies picked from the tree or imported) → approved
(the People's Committee's decision recorded) → completed once every agency's record is made and
the summary written. The team is formed by its own decision, while a draft or once approved.

An inspection: planned → in progress (the team starts the checklist, pre-filled with what the
platform knows, during the plan's period) → concluded (every item has a result, the conclusion
and the record's date are given; findings went back as nonconformities) → the agency reports
its remediation → the team closes it, or returns the report. An inspection without findings is
closed straight from its record."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.inspections import rules
from eiso.inspections.choices import (
    InspectionAction,
    InspectionStatus,
    PlanAction,
    PlanStatus,
)

MANAGERS_ONLY = _("Only the overseers of the Department of Science and Technology keep the plan.")
TEAM_ONLY = _("Only the inspection team of this plan does this.")
AGENCY_ONLY = _(
    "Only the ISO secretary or the head of the inspected agency report the remediation."
)


# --- the plan --------------------------------------------------------------------------------


def has_agencies(plan, actor):
    if not plan.inspections.exists():
        return _("Add the agencies to inspect first.")
    return None


def decision_given(plan, actor):
    if not plan.decision_number or plan.decision_date is None or not plan.decision_signer:
        return _("Give the approving decision's number, date and signer.")
    return None


def every_record_made(plan, actor):
    left = plan.inspections.filter(
        status__in=(InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
    ).count()
    if left:
        return _("%(n)s agency(ies) have no inspection record yet.") % {"n": left}
    return None


def summary_written(plan, actor):
    if not plan.summary_conclusion.strip() or plan.summary_date is None:
        return _("Write the summary's general assessment and give its date.")
    return None


P, PA = PlanStatus, PlanAction
PLAN = Workflow(
    "inspection_plan",
    transitions=[
        Transition(P.DRAFT, PA.EDIT, P.DRAFT, who=rules.manages, refusal=MANAGERS_ONLY),
        Transition(
            P.DRAFT,
            PA.APPROVE,
            P.APPROVED,
            who=rules.manages,
            guards=[has_agencies, decision_given],
            refusal=MANAGERS_ONLY,
        ),
        Transition(P.APPROVED, PA.SCHEDULE, P.APPROVED, who=rules.manages, refusal=MANAGERS_ONLY),
        *(
            Transition(s, PA.TEAM, s, who=rules.manages, refusal=MANAGERS_ONLY)
            for s in (P.DRAFT, P.APPROVED)
        ),
        *(
            Transition(s, PA.ATTACH, s, who=rules.manages, refusal=MANAGERS_ONLY)
            for s in (P.DRAFT, P.APPROVED, P.COMPLETED)
        ),
        Transition(P.APPROVED, PA.SUMMARIZE, P.APPROVED, who=rules.manages, refusal=MANAGERS_ONLY),
        Transition(
            P.APPROVED,
            PA.COMPLETE,
            P.COMPLETED,
            who=rules.manages,
            guards=[every_record_made, summary_written],
            refusal=MANAGERS_ONLY,
        ),
    ],
    action_labels=dict(PlanAction.choices),
    status_labels=dict(PlanStatus.choices),
)


# --- one agency's inspection -------------------------------------------------------------------


def plan_in_force(inspection, actor):
    plan = inspection.plan
    if plan.approved_at is None or not plan.team_formed:
        return _("The plan must be approved and its team formed by decision first.")
    return None


def during_period(inspection, actor):
    plan = inspection.plan
    if not rules.in_period(plan, timezone.localdate()):
        return _(
            "The plan's period runs from %(start)s to %(end)s: outside it the team no "
            "longer reads the agency's QMS."
        ) % {
            "start": f"{plan.period_start:%d/%m/%Y}",
            "end": f"{plan.period_end:%d/%m/%Y}",
        }
    return None


def every_item_given(inspection, actor):
    left = inspection.answers.filter(result="").count()
    if left:
        return _("%(n)s item(s) of the checklist have no result yet.") % {"n": left}
    return None


def record_ready(inspection, actor):
    if not inspection.conclusion.strip():
        return _("Write the conclusion of the inspection.")
    if inspection.record_date is None:
        return _("Give the date of the inspection record.")
    return None


def record_attached(inspection, actor):
    if not inspection.record_file:
        return _("Attach the signed inspection record first.")
    return None


def has_findings(inspection, actor):
    if not inspection.findings.exists():
        return _("This inspection has no findings to remedy.")
    return None


def no_findings(inspection, actor):
    if inspection.findings.exists():
        return _("The agency reports its remediation of the findings first.")
    return None


S, A = InspectionStatus, InspectionAction
RECORDED = (S.CONCLUDED, S.REMEDIATION_REPORTED, S.CLOSED)
INSPECTION = Workflow(
    "inspection",
    transitions=[
        Transition(
            S.PLANNED,
            A.START,
            S.IN_PROGRESS,
            who=rules.inspects,
            guards=[plan_in_force, during_period],
            refusal=TEAM_ONLY,
        ),
        Transition(
            S.IN_PROGRESS,
            A.REFRESH,
            S.IN_PROGRESS,
            who=rules.inspects,
            guards=[during_period],
            refusal=TEAM_ONLY,
        ),
        Transition(
            S.IN_PROGRESS,
            A.ANSWER,
            S.IN_PROGRESS,
            who=rules.inspects,
            guards=[during_period],
            refusal=TEAM_ONLY,
        ),
        Transition(
            S.IN_PROGRESS,
            A.RECORD_FINDING,
            S.IN_PROGRESS,
            who=rules.inspects,
            guards=[during_period],
            refusal=TEAM_ONLY,
        ),
        Transition(S.IN_PROGRESS, A.WRITE, S.IN_PROGRESS, who=rules.inspects, refusal=TEAM_ONLY),
        Transition(
            S.IN_PROGRESS,
            A.CONCLUDE,
            S.CONCLUDED,
            who=rules.inspects,
            guards=[every_item_given, record_ready],
            refusal=TEAM_ONLY,
        ),
        *(
            Transition(s, A.ATTACH_RECORD, s, who=rules.inspects, refusal=TEAM_ONLY)
            for s in RECORDED
        ),
        Transition(
            S.CONCLUDED,
            A.REPORT_REMEDIATION,
            S.REMEDIATION_REPORTED,
            who=rules.remedies,
            guards=[has_findings],
            refusal=AGENCY_ONLY,
        ),
        Transition(
            S.REMEDIATION_REPORTED, A.RETURN, S.CONCLUDED, who=rules.inspects, refusal=TEAM_ONLY
        ),
        Transition(
            S.REMEDIATION_REPORTED,
            A.CLOSE,
            S.CLOSED,
            who=rules.inspects,
            guards=[record_attached],
            refusal=TEAM_ONLY,
        ),
        Transition(
            S.CONCLUDED,
            A.CLOSE,
            S.CLOSED,
            who=rules.inspects,
            guards=[no_findings, record_attached],
            refusal=TEAM_ONLY,
        ),
    ],
    action_labels=dict(InspectionAction.choices),
    status_labels=dict(InspectionStatus.choices),
)
