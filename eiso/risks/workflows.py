"""Life cycles of the risk register and its report, as declared tables (eiso.core.workflow).

A risk is treated (its treatments planned and done), then re-rated (the rating after
treatment), then its effectiveness is reviewed; a new fact reopens it. A risk rated above the
acceptance threshold cannot be re-rated without a treatment, nor before every treatment is
done."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.risks import rules
from eiso.risks.choices import ReportAction, ReportStatus, RiskAction, RiskStatus

S, A = RiskStatus, RiskAction
KEEPER_ONLY = _("Only the ISO secretary or the head keep the register of risks.")


def treated_when_needed(obj, actor):
    if obj.needs_treatment and not obj.treatments.exists():
        return _("This risk is rated above the acceptance threshold: plan a treatment first.")
    return None


def every_treatment_done(obj, actor):
    if obj.treatments.filter(done_on__isnull=True).exists():
        return _("Every treatment must be done before the risk is re-rated.")
    return None


def effectiveness_written(obj, actor):
    if not obj.effectiveness.strip():
        return _("Say how effective the treatments were.")
    return None


RISK = Workflow(
    "risk",
    transitions=[
        Transition(S.OPEN, A.EDIT, S.OPEN, who=rules.keeps, refusal=KEEPER_ONLY),
        Transition(S.OPEN, A.TREAT, S.OPEN),  # who: the keepers, or the treatment's owner
        Transition(
            (S.OPEN, S.TREATED),
            A.RERATE,
            S.TREATED,
            who=rules.keeps,
            guards=[treated_when_needed, every_treatment_done],
            refusal=KEEPER_ONLY,
        ),
        Transition(
            S.TREATED,
            A.REVIEW,
            S.CLOSED,
            who=rules.keeps,
            guards=[effectiveness_written],
            refusal=KEEPER_ONLY,
        ),
        Transition((S.TREATED, S.CLOSED), A.REOPEN, S.OPEN, who=rules.keeps, refusal=KEEPER_ONLY),
    ],
    action_labels=dict(RiskAction.choices),
    status_labels=dict(RiskStatus.choices),
)


def dated_report(obj, actor):
    if obj.report_date is None:
        return _("Give the report's date.")
    return None


def every_high_risk_treated(obj, actor):
    from eiso.risks.selectors import untreated_above_threshold

    found = untreated_above_threshold(agency=obj.agency, year=obj.year)
    if found:
        return _("Plan a treatment for %(codes)s first: rated above the acceptance threshold.") % {
            "codes": ", ".join(found)
        }
    return None


REPORT = Workflow(
    "risk_evaluation",
    transitions=[
        Transition(ReportStatus.DRAFT, ReportAction.EDIT, ReportStatus.DRAFT, who=rules.keeps),
        Transition(
            ReportStatus.DRAFT,
            ReportAction.FINALIZE,
            ReportStatus.FINAL,
            who=rules.keeps,
            guards=[dated_report, every_high_risk_treated],
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(ReportAction.choices),
    status_labels=dict(ReportStatus.choices),
)
