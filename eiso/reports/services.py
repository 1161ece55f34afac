"""The reports' writes, each one service guarded by its workflow table and audited: the annual
report started (its figures generated from the reporting period), edited, approved, submitted
with the signed file (its signatures checked, its lateness fixed), received or returned,
corrected as a new version; the province's summary report started, edited, sent with its signed
file (its figures fixed), corrected as a new version."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core import signatures, workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ConcurrentEdit, NotPermitted, ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.numbers import agency_symbol, official_number
from eiso.core.roles import Role
from eiso.cycle import selectors as cycle
from eiso.reports import annual, provincial, rules
from eiso.reports.choices import ReportAction, ReportStatus, SummaryAction, SummaryStatus
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.workflows import ANNUAL, SUMMARY

REPORT_KIND = "BC"
ANNUAL_EVIDENCE = "reports.annual_report"
NARRATIVE = (
    "assessment",
    "difficulties",
    "recommendations",
    "signer_name",
    "signer_title",
)
SUMMARY_NARRATIVE = (
    "direction",
    "results",
    "limits",
    "proposals",
    "signer_name",
    "signer_title",
    "recipients",
    "as_of",
)


def annual_url(report) -> str:
    return reverse("reports:annual_detail", args=[report.pk])


def provincial_url(report) -> str:
    return reverse("reports:provincial_detail", args=[report.pk])


def _keepers(agency) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, role__in=rules.KEEPERS, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _heads(agency) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, role=Role.HEAD, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _overseers(agency) -> list:
    """The people who oversee ``agency``: overseers of it or of an agency above it."""
    ancestors = [agency.path[:end] for end in range(len(agency.path)) if agency.path[end] == "/"]
    paths = [f"{p}/" for p in ancestors]
    return [
        m.user
        for m in Membership.objects.filter(
            agency__path__in=paths, role=Role.OVERSEER, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _check_number(number: str, agency, field: str = "number") -> str:
    return official_number(number, kind=REPORT_KIND, symbol=agency_symbol(agency), field=field)


def _check_date(day: datetime.date | None, field: str = "report_date") -> datetime.date:
    if day is None:
        message = _("Give the report's date.")
        raise ValidationFailed(message, fields={field: [message]})
    if day > timezone.localdate():
        message = _("A report cannot be dated in the future.")
        raise ValidationFailed(message, fields={field: [message]})
    return day


def _check_signed_file(upload):
    if upload is None:
        message = _("Attach the signed file (PDF signed digitally, or a scan).")
        raise ValidationFailed(message, fields={"signed_file": [message]})
    checked = check_upload(upload, allowed=(PDF, PNG, JPEG), field="signed_file")
    result = signatures.check_pdf(checked.content.read())
    checked.content.seek(0)
    if result.kind == signatures.INVALID:
        message = _("The file's digital signature is not valid: %(why)s") % {
            "why": result.summary()
        }
        raise ValidationFailed(message, fields={"signed_file": [message]})
    return checked, result


def _check_version(report, edit_version: int | None) -> None:
    if edit_version is not None and int(edit_version) != report.edit_version:
        raise ConcurrentEdit()


# --- the agency's annual report ----------------------------------------------------------------


def _generate(report: AnnualReport) -> None:
    report.data = annual.generate(
        report.agency, report.year, report.period_start, report.period_end
    )
    report.generated_at = timezone.now()


@transaction.atomic
def annual_report_start(*, actor, agency, year: int) -> AnnualReport:
    """The year's report as a draft, its figures generated from the reporting period (the
    set of obligations in force says which: 15/12 of the previous year to 14/12 by default)."""
    if not rules.can_draft(actor, agency):
        raise NotPermitted(str(ANNUAL.transitions[0].refusal))
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        message = _("The report of %(year)s exists already: open it.") % {"year": year}
        raise ValidationFailed(message, fields={"year": [message]})
    if year > timezone.localdate().year or year < 2000:
        message = _("Choose this year or an earlier one.")
        raise ValidationFailed(message, fields={"year": [message]})
    start, end = cycle.reporting_period(agency=agency, year=year)
    report = AnnualReport(
        agency=agency,
        year=year,
        period_start=start,
        period_end=end,
        signer_name=agency.head_name,
        signer_title=agency.head_title.upper(),
        created_by=actor,
    )
    _generate(report)
    report.save()
    audit_record(
        actor=actor,
        action="annual_report.create",
        obj=report,
        changes={"year": [None, year], "period": [None, f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"]},
    )
    return report


@transaction.atomic
def annual_report_regenerate(*, actor, report: AnnualReport) -> AnnualReport:
    """Read the period's figures again (a draft only: what was approved is what is sent)."""
    report = workflow.lock(report)
    ANNUAL.check(actor=actor, obj=report, action=ReportAction.EDIT)
    _generate(report)
    report.edit_version += 1
    report.save(update_fields=["data", "generated_at", "edit_version", "updated_at"])
    audit_record(actor=actor, action="annual_report.regenerate", obj=report)
    return report


@transaction.atomic
def annual_report_update(
    *, actor, report: AnnualReport, data: dict, edit_version: int | None = None
) -> AnnualReport:
    """The narrative (assessment, difficulties, recommendations) and the signer, typed by the
    secretary while the report is a draft."""
    report = workflow.lock(report)
    ANNUAL.check(actor=actor, obj=report, action=ReportAction.EDIT)
    _check_version(report, edit_version)
    before = snapshot(report, NARRATIVE)
    for name in NARRATIVE:
        if name in data and data[name] is not None:
            setattr(report, name, str(data[name]).strip())
    report.edit_version += 1
    report.save()
    audit_record(
        actor=actor,
        action="annual_report.update",
        obj=report,
        changes=changes_between(before, snapshot(report, NARRATIVE)),
    )
    return report


@transaction.atomic
def annual_report_approve(*, actor, report: AnnualReport) -> AnnualReport:
    report = workflow.lock(report)
    report.approved_by = actor
    report.approved_at = timezone.now()
    ANNUAL.apply(
        actor=actor,
        obj=report,
        action=ReportAction.APPROVE,
        update_fields=["approved_by", "approved_at"],
    )
    notify(
        users=[u for u in _keepers(report.agency) if u.pk != actor.pk],
        agency=report.agency,
        message=_("The head approved %(report)s: submit it with the signed file.")
        % {"report": report},
        url=annual_url(report),
    )
    return report


@transaction.atomic
def annual_report_reopen(*, actor, report: AnnualReport) -> AnnualReport:
    report = workflow.lock(report)
    report.approved_by = None
    report.approved_at = None
    ANNUAL.apply(
        actor=actor,
        obj=report,
        action=ReportAction.REOPEN,
        update_fields=["approved_by", "approved_at"],
    )
    return report


@transaction.atomic
def annual_report_submit(
    *, actor, report: AnnualReport, number: str, report_date: datetime.date | None, upload
) -> AnnualReport:
    """Submit the approved report to the overseer with its signed file: the number in its
    official shape, the date not in the future, the file's digital signatures checked (a scan
    of a paper signature is accepted and recorded as such; a broken signature is refused), the
    due date and whether it is late fixed now. The overseers are told."""
    report = workflow.lock(report, related=["agency"])
    ANNUAL.check(actor=actor, obj=report, action=ReportAction.SUBMIT)
    report.number = _check_number(number, report.agency)
    report.report_date = _check_date(report_date)
    checked, result = _check_signed_file(upload)
    report.signed_file = checked.content
    report.signed_file_name = checked.original_name
    report.signature = result.as_dict()
    report.submitted_by = actor
    report.submitted_on = timezone.localdate()
    report.due = cycle.due_of(agency=report.agency, year=report.year, evidence_key=ANNUAL_EVIDENCE)
    report.late = bool(report.due and report.submitted_on > report.due)
    ANNUAL.apply(
        actor=actor,
        obj=report,
        action=ReportAction.SUBMIT,
        changes={
            "number": [None, report.number],
            "signed_file": [None, checked.original_name],
            "signature": [None, result.kind],
            "late": [None, report.late],
        },
    )
    message = _("%(agency)s submitted %(report)s: please acknowledge receipt.")
    if report.late:
        message = _("%(agency)s submitted %(report)s late: please acknowledge receipt.")
    notify(
        users=_overseers(report.agency),
        agency=report.agency,
        message=message % {"agency": report.agency.name, "report": report},
        url=annual_url(report),
    )
    return report


@transaction.atomic
def annual_report_receive(*, actor, report: AnnualReport) -> AnnualReport:
    report = workflow.lock(report, related=["agency"])
    report.received_on = timezone.localdate()
    report.received_by = actor
    ANNUAL.apply(
        actor=actor,
        obj=report,
        action=ReportAction.RECEIVE,
        update_fields=["received_on", "received_by"],
    )
    notify(
        users=_keepers(report.agency),
        agency=report.agency,
        message=_("%(report)s was received by the overseer.") % {"report": report},
        url=annual_url(report),
    )
    return report


@transaction.atomic
def annual_report_return(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    """Return the submitted report for correction, with the reason (the agency is told)."""
    reason = (reason or "").strip()
    report = workflow.lock(report, related=["agency"])
    ANNUAL.check(actor=actor, obj=report, action=ReportAction.RETURN)
    if not reason:
        message = _("Say what must be corrected.")
        raise ValidationFailed(message, fields={"reason": [message]})
    report.return_reason = reason
    report.returned_by = actor
    report.returned_on = timezone.localdate()
    ANNUAL.apply(
        actor=actor,
        obj=report,
        action=ReportAction.RETURN,
        reason=reason,
        update_fields=["return_reason", "returned_by", "returned_on"],
    )
    notify(
        users=_keepers(report.agency),
        agency=report.agency,
        message=_("%(report)s was returned for correction: %(reason)s")
        % {"report": report, "reason": reason},
        url=annual_url(report),
    )
    return report


@transaction.atomic
def annual_report_correct(*, actor, report: AnnualReport) -> AnnualReport:
    """A new version of a returned report, as a draft: the narrative carried over, the
    figures generated again. The returned version stays as it was."""
    report = workflow.lock(report, related=["agency"])
    ANNUAL.check(actor=actor, obj=report, action=ReportAction.CORRECT)
    corrected = AnnualReport(
        agency=report.agency,
        year=report.year,
        version=report.version + 1,
        previous=report,
        period_start=report.period_start,
        period_end=report.period_end,
        created_by=actor,
        **{name: getattr(report, name) for name in NARRATIVE},
    )
    _generate(corrected)
    corrected.save()
    audit_record(
        actor=actor,
        action="annual_report.correct",
        obj=corrected,
        changes={"version": [report.version, corrected.version]},
        reason=report.return_reason,
    )
    return corrected


# --- the province's summary report -------------------------------------------------------------


@transaction.atomic
def provincial_report_start(
    *, actor, agency, year: int, as_of: datetime.date | None = None
) -> ProvincialReport:
    """A draft summary of ``agency``'s subtree for ``year`` (figures as of ``as_of``: by
    default 14/12 of the year, or today if earlier)."""
    if not rules.oversees(actor, agency):
        raise NotPermitted(str(SUMMARY.transitions[0].refusal))
    today = timezone.localdate()
    if year > today.year or year < 2000:
        message = _("Choose this year or an earlier one.")
        raise ValidationFailed(message, fields={"year": [message]})
    if ProvincialReport.objects.filter(agency=agency, year=year).exists():
        message = _("The summary of %(year)s exists already: open it.") % {"year": year}
        raise ValidationFailed(message, fields={"year": [message]})
    as_of = as_of or min(today, datetime.date(year, 12, 14))
    _check_as_of(as_of, year)
    report = ProvincialReport.objects.create(
        agency=agency,
        year=year,
        as_of=as_of,
        signer_name=agency.head_name,
        signer_title=agency.head_title.upper(),
        recipients="Ủy ban nhân dân tỉnh;\nBộ Khoa học và Công nghệ;\nLưu: VT.",
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="provincial_report.create",
        obj=report,
        changes={"year": [None, year], "as_of": [None, as_of]},
    )
    return report


def _check_as_of(as_of, year: int) -> None:
    if as_of is None or as_of > timezone.localdate() or as_of.year not in (year, year + 1):
        message = _(
            "The figures' day must be in the year reported (or the next) and not after today."
        )
        raise ValidationFailed(message, fields={"as_of": [message]})


@transaction.atomic
def provincial_report_update(
    *, actor, report: ProvincialReport, data: dict, edit_version: int | None = None
) -> ProvincialReport:
    report = workflow.lock(report)
    SUMMARY.check(actor=actor, obj=report, action=SummaryAction.EDIT)
    _check_version(report, edit_version)
    before = snapshot(report, SUMMARY_NARRATIVE)
    for name in SUMMARY_NARRATIVE:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(report, name, value.strip() if isinstance(value, str) else value)
    _check_as_of(report.as_of, report.year)
    report.edit_version += 1
    report.save()
    audit_record(
        actor=actor,
        action="provincial_report.update",
        obj=report,
        changes=changes_between(before, snapshot(report, SUMMARY_NARRATIVE)),
    )
    return report


@transaction.atomic
def provincial_report_submit(
    *,
    actor,
    report: ProvincialReport,
    number: str,
    report_date: datetime.date | None,
    upload,
) -> ProvincialReport:
    """Send the summary with its signed file: the figures as of its day are fixed in the
    report (what was sent stays what was sent)."""
    report = workflow.lock(report, related=["agency"])
    SUMMARY.check(actor=actor, obj=report, action=SummaryAction.SUBMIT)
    report.number = _check_number(number, report.agency)
    report.report_date = _check_date(report_date)
    checked, result = _check_signed_file(upload)
    report.signed_file = checked.content
    report.signed_file_name = checked.original_name
    report.signature = result.as_dict()
    report.data = provincial.compute(
        user=actor, root=report.agency, year=report.year, on=report.as_of
    ).as_json()
    report.submitted_by = actor
    report.submitted_on = timezone.localdate()
    SUMMARY.apply(
        actor=actor,
        obj=report,
        action=SummaryAction.SUBMIT,
        changes={
            "number": [None, report.number],
            "signed_file": [None, checked.original_name],
            "signature": [None, result.kind],
        },
    )
    return report


@transaction.atomic
def provincial_report_correct(*, actor, report: ProvincialReport) -> ProvincialReport:
    report = workflow.lock(report, related=["agency"])
    SUMMARY.check(actor=actor, obj=report, action=SummaryAction.CORRECT)
    corrected = ProvincialReport.objects.create(
        agency=report.agency,
        year=report.year,
        version=report.version + 1,
        previous=report,
        created_by=actor,
        **{name: getattr(report, name) for name in SUMMARY_NARRATIVE},
    )
    audit_record(
        actor=actor,
        action="provincial_report.correct",
        obj=corrected,
        changes={"version": [report.version, corrected.version]},
    )
    return corrected


def is_editable(report) -> bool:
    return report.status in (ReportStatus.DRAFT, SummaryStatus.DRAFT)
