"""Life cycles of the audit programme and of an audit, as declared tables (eiso.core.workflow).

The programme: drafted by the ISO secretary, approved by the head (revised when needed).

An audit: the plan is drafted (scope, criteria, team, schedule) → approved by the head (with its
number and date) → in progress (the first answer on the checklist starts it) → reported (every
question answered, the conclusion written) → closed once every finding is answered: a
nonconformity by its corrective-action plan, the others by a reply."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.audits import rules
from eiso.audits.choices import (
    AuditAction,
    AuditStatus,
    FindingGrade,
    ProgrammeAction,
    ProgrammeStatus,
)
from eiso.core.workflow import Transition, Workflow
from eiso.improvements.choices import NcStatus

KEEPER_ONLY = _("Only the ISO secretary or the head keep the audit programme and plans.")
HEAD_ONLY = _("Only the head approves.")
TEAM_ONLY = _("Only the auditors of this audit's team fill its checklist.")
REPORTER_ONLY = _("Only the lead auditor, the ISO secretary or the head issue the report.")


def has_lines(obj, actor):
    if not obj.items.exists():
        return _("Add at least one line to the programme first.")
    return None


PROGRAMME = Workflow(
    "audit_programme",
    transitions=[
        Transition(
            ProgrammeStatus.DRAFT,
            ProgrammeAction.EDIT,
            ProgrammeStatus.DRAFT,
            who=rules.keeps,
            refusal=KEEPER_ONLY,
        ),
        Transition(
            ProgrammeStatus.DRAFT,
            ProgrammeAction.APPROVE,
            ProgrammeStatus.APPROVED,
            who=rules.approves,
            guards=[has_lines],
            refusal=HEAD_ONLY,
        ),
        Transition(
            ProgrammeStatus.APPROVED,
            ProgrammeAction.REVISE,
            ProgrammeStatus.DRAFT,
            who=rules.keeps,
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(ProgrammeAction.choices),
    status_labels=dict(ProgrammeStatus.choices),
)


def has_lead(obj, actor):
    if not obj.team.filter(role="lead").exists():
        return _("Name the lead auditor first.")
    return None


def has_schedule(obj, actor):
    if not obj.sessions.exists():
        return _("Add at least one line to the schedule first.")
    return None


def numbered(obj, actor):
    if not obj.plan_number or obj.plan_date is None:
        return _("Give the plan's number and date.")
    return None


def has_checklist(obj, actor):
    if not obj.checklist.exists():
        return _("Prepare the checklist first.")
    return None


def every_question_answered(obj, actor):
    left = obj.checklist.filter(answer="").count()
    if left:
        return _("%(n)s question(s) of the checklist are not answered yet.") % {"n": left}
    return None


def concluded(obj, actor):
    if not obj.conclusion.strip():
        return _("Write the audit's conclusion.")
    if not obj.report_number or obj.report_date is None:
        return _("Give the report's number and date.")
    return None


def every_finding_answered(obj, actor):
    for finding in obj.findings.select_related("nonconformity"):
        if finding.grade in (FindingGrade.MAJOR, FindingGrade.MINOR):
            nc = finding.nonconformity
            if nc is None or nc.status in (NcStatus.OPEN, NcStatus.PLANNED):
                return _("%(code)s waits for its corrective-action plan to be approved.") % {
                    "code": finding.code
                }
        elif not finding.reply.strip():
            return _("%(code)s waits for the department's reply.") % {"code": finding.code}
    return None


S, A = AuditStatus, AuditAction
AUDIT = Workflow(
    "internal_audit",
    transitions=[
        Transition(S.DRAFT, A.EDIT, S.DRAFT, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(
            S.DRAFT,
            A.APPROVE,
            S.APPROVED,
            who=rules.approves,
            guards=[has_lead, has_schedule, numbered],
            refusal=HEAD_ONLY,
        ),
        Transition(S.APPROVED, A.REVISE, S.DRAFT, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(S.DRAFT, A.PREPARE, S.DRAFT, who=rules.prepares, refusal=KEEPER_ONLY),
        Transition(S.APPROVED, A.PREPARE, S.APPROVED, who=rules.prepares, refusal=KEEPER_ONLY),
        Transition(
            S.IN_PROGRESS, A.PREPARE, S.IN_PROGRESS, who=rules.prepares, refusal=KEEPER_ONLY
        ),
        Transition(
            S.APPROVED,
            A.START,
            S.IN_PROGRESS,
            who=rules.audits,
            guards=[has_checklist],
            refusal=TEAM_ONLY,
        ),
        Transition(S.IN_PROGRESS, A.AUDIT, S.IN_PROGRESS, who=rules.audits, refusal=TEAM_ONLY),
        Transition(
            S.IN_PROGRESS,
            A.WRITE_REPORT,
            S.IN_PROGRESS,
            who=rules.reports,
            refusal=REPORTER_ONLY,
        ),
        Transition(
            S.IN_PROGRESS,
            A.REPORT,
            S.REPORTED,
            who=rules.reports,
            guards=[every_question_answered, concluded],
            refusal=REPORTER_ONLY,
        ),
        Transition(S.IN_PROGRESS, A.REPLY, S.IN_PROGRESS, who=rules.replies),
        Transition(S.REPORTED, A.REPLY, S.REPORTED, who=rules.replies),
        Transition(
            S.REPORTED,
            A.CLOSE,
            S.CLOSED,
            who=rules.keeps,
            guards=[every_finding_answered],
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(AuditAction.choices),
    status_labels=dict(AuditStatus.choices),
)
