"""The risk and opportunity evaluation report of a year, finalized with the register frozen."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.workflow import lock
from eiso.risks.choices import (
    ReportAction,
)
from eiso.risks.models import (
    RiskReport,
)
from eiso.risks.services._common import _check_year, _refuse, _require_keeper
from eiso.risks.workflows import REPORT

# --- the evaluation report --------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    actor,
    agency,
    year,
    report_date: datetime.date | None = None,
    summary: str = "",
    signer_name: str = "",
    signer_title: str = "",
) -> RiskReport:
    _require_keeper(actor, agency)
    year = _check_year(year)
    if report_date is not None and report_date > timezone.localdate():
        _refuse("report_date", _("The report cannot be dated in the future."))
    if report_date is not None and report_date.year != year:
        _refuse("report_date", _("The report on %(year)s is dated in %(year)s.") % {"year": year})
    report, created = RiskReport.objects.select_for_update(of=("self",)).get_or_create(
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
    audit_record(
        actor=actor,
        action="risk_evaluation.create" if created else "risk_evaluation.update",
        obj=report,
        changes=changes_between(before, snapshot(report, fields)),
    )
    return report


@transaction.atomic
def report_finalize(*, actor, report: RiskReport) -> RiskReport:
    """Freeze the report with the register as it stands."""
    from eiso.risks.selectors import report_rows

    locked = lock(report, related=("agency",))
    REPORT.check(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    locked.snapshot = report_rows(report=locked)
    locked.finalized_by = actor
    locked.finalized_at = timezone.now()
    REPORT.apply(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    return locked
