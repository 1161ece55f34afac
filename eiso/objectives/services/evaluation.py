"""The evaluation report of a year: the secretary's words per objective, then finalized with
the results frozen."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted
from eiso.core.workflow import lock
from eiso.objectives import rules
from eiso.objectives.choices import ReportAction
from eiso.objectives.models import (
    EvaluationReport,
    ObjectiveAssessment,
)
from eiso.objectives.services._common import _check_year, _refuse
from eiso.objectives.workflows import REPORT

# --- the evaluation report --------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *,
    actor,
    agency,
    year,
    report_date: datetime.date | None = None,
    summary: str = "",
    signer_name: str = "",
    signer_title: str = "",
    assessments: dict | None = None,
) -> EvaluationReport:
    """Write (or rewrite) the draft evaluation report of ``year``: the general assessment and,
    per objective (by its lineage), the assessment and the causes when it was not met."""
    from eiso.objectives.selectors import report_objectives

    if not rules.can_draft(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head write the evaluation report."))
    year = _check_year(year)
    if report_date is not None and report_date > timezone.localdate():
        _refuse("report_date", _("The report cannot be dated in the future."))
    if report_date is not None and report_date.year != year:
        _refuse("report_date", _("The report on %(year)s is dated in %(year)s.") % {"year": year})
    report, created = EvaluationReport.objects.select_for_update(of=("self",)).get_or_create(
        agency=agency,
        year=year,
        defaults={
            "created_by": actor,
            "signer_name": agency.head_name,
            "signer_title": agency.head_title.upper(),
        },
    )
    REPORT.check(actor=actor, obj=report, action=ReportAction.EDIT)
    fields = ("report_date", "summary", "signer_name", "signer_title")
    before = snapshot(report, fields)
    report.report_date = report_date
    report.summary = (summary or "").strip()
    if signer_name.strip():
        report.signer_name = signer_name.strip()
    if signer_title.strip():
        report.signer_title = signer_title.strip()
    report.save()
    changes = changes_between(before, snapshot(report, fields))
    objectives = {str(o.lineage): o for o in report_objectives(agency=agency, year=year)}
    written = 0
    for lineage, words in (assessments or {}).items():
        objective = objectives.get(str(lineage))
        if objective is None:
            continue
        ObjectiveAssessment.objects.update_or_create(
            report=report,
            lineage=objective.lineage,
            defaults={
                "agency": agency,
                "objective": objective,
                "assessment": (words.get("assessment") or "").strip(),
                "causes": (words.get("causes") or "").strip(),
            },
        )
        written += 1
    audit_record(
        actor=actor,
        action="objective_evaluation.create" if created else "objective_evaluation.update",
        obj=report,
        changes={**changes, "assessments": written},
    )
    return report


@transaction.atomic
def evaluation_finalize(*, actor, report: EvaluationReport) -> EvaluationReport:
    """Freeze the report: each objective's result and values as they stand."""
    from eiso.objectives.selectors import report_rows

    locked = lock(report, related=("agency",))
    REPORT.check(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    for row in report_rows(report=locked):
        ObjectiveAssessment.objects.update_or_create(
            report=locked,
            lineage=row.lineage,
            defaults={
                "agency": locked.agency,
                "objective": row.objective,
                "assessment": row.assessment,
                "causes": row.causes,
                "result": row.result,
                "values": row.values_text[:500],
            },
        )
    locked.finalized_by = actor
    locked.finalized_at = timezone.now()
    REPORT.apply(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    return locked
