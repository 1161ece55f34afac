"""The reports' life cycles, as declared tables (eiso.core.workflow).

An annual report: drafted by the ISO secretary (the figures generated again as often as
needed, the narrative typed) → approved by the head → submitted with its signed file and number
→ received by the overseer, or returned with a reason. Once submitted it is never edited: a
returned report is corrected as a new version.

A province's summary report: drafted by its overseers → sent with its signed file (its figures
fixed then) → corrected as a new version."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.reports import rules
from eiso.reports.choices import ReportAction, ReportStatus, SummaryAction, SummaryStatus

KEEPER_ONLY = _("Only the agency's ISO secretary or head prepare and submit its report.")
HEAD_ONLY = _("Only the head of the agency approves its report.")
OVERSEER_ONLY = _("Only the agency's overseers receive or return its report.")
SUMMARY_ONLY = _("Only the overseers of this subtree prepare and send its summary report.")


def has_figures(report, actor):
    if not report.data:
        return _("Generate the figures of the period first.")
    return None


def has_assessment(report, actor):
    if not report.assessment.strip():
        return _("Write the assessment before approval.")
    return None


def not_corrected(report, actor):
    if (
        type(report)
        .objects.filter(agency_id=report.agency_id, year=report.year, version__gt=report.version)
        .exists()
    ):
        return _("A corrected version of this report exists already.")
    return None


S, A = ReportStatus, ReportAction
ANNUAL = Workflow(
    "annual_report",
    transitions=[
        Transition(S.DRAFT, A.EDIT, S.DRAFT, who=rules.drafts, refusal=KEEPER_ONLY),
        Transition(
            S.DRAFT,
            A.APPROVE,
            S.APPROVED,
            who=rules.approves,
            guards=[has_figures, has_assessment],
            refusal=HEAD_ONLY,
        ),
        Transition(S.APPROVED, A.REOPEN, S.DRAFT, who=rules.drafts, refusal=KEEPER_ONLY),
        Transition(S.APPROVED, A.SUBMIT, S.SUBMITTED, who=rules.drafts, refusal=KEEPER_ONLY),
        Transition(S.SUBMITTED, A.RECEIVE, S.RECEIVED, who=rules.receives, refusal=OVERSEER_ONLY),
        Transition(S.SUBMITTED, A.RETURN, S.RETURNED, who=rules.receives, refusal=OVERSEER_ONLY),
        Transition(
            S.RETURNED,
            A.CORRECT,
            S.RETURNED,
            who=rules.drafts,
            guards=[not_corrected],
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(ReportAction.choices),
    status_labels=dict(ReportStatus.choices),
)

SUMMARY = Workflow(
    "provincial_report",
    transitions=[
        Transition(
            SummaryStatus.DRAFT,
            SummaryAction.EDIT,
            SummaryStatus.DRAFT,
            who=rules.receives,
            refusal=SUMMARY_ONLY,
        ),
        Transition(
            SummaryStatus.DRAFT,
            SummaryAction.SUBMIT,
            SummaryStatus.SUBMITTED,
            who=rules.receives,
            refusal=SUMMARY_ONLY,
        ),
        Transition(
            SummaryStatus.SUBMITTED,
            SummaryAction.CORRECT,
            SummaryStatus.SUBMITTED,
            who=rules.receives,
            guards=[not_corrected],
            refusal=SUMMARY_ONLY,
        ),
    ],
    action_labels=dict(SummaryAction.choices),
    status_labels=dict(SummaryStatus.choices),
)
