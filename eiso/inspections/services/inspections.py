"""Writes of one agency's inspection: the checklist started with what the platform knows, each
item's result (a correction of the platform's data says why), findings sent back as
nonconformities, the conclusion and the record, the agency's remediation report and the team's
follow-up. Keyword-only, one transaction each, audited; ``workflows.INSPECTION`` decides when."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import changes_between, snapshot
from eiso.core.workflow import lock
from eiso.inspections import facts
from eiso.inspections.choices import InspectionAction, Result
from eiso.inspections.models import ChecklistAnswer, Finding, Inspection
from eiso.inspections.services._common import (
    agency_keepers,
    inspection_url,
    not_in_future,
    refuse,
    signed_file,
    team_users,
    tell,
)
from eiso.inspections.workflows import INSPECTION

RELATED = ("agency", "plan", "plan__agency")


def _lock(inspection: Inspection) -> Inspection:
    return lock(inspection, related=RELATED)


def _platform(answer: ChecklistAnswer, agency, on: datetime.date) -> None:
    found = facts.read(answer.fact, agency, on)
    answer.platform_text = found.text
    answer.platform_result = found.result
    answer.platform_url = found.url[:300]


@transaction.atomic
def inspection_start(*, actor, inspection: Inspection) -> Inspection:
    """Start the checklist: the items of the plan's inspection content, each pre-filled with
    what the platform knows about the agency today."""
    inspection = _lock(inspection)
    today = timezone.localdate()
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.START)
    questions = inspection.plan.checklist_version.questions.order_by("order", "pk")
    answers = []
    for q in questions:
        answer = ChecklistAnswer(
            agency=inspection.agency,
            inspection=inspection,
            question=q,
            section=q.section,
            section_title=q.section_title,
            number=q.number,
            order=q.order,
            text=q.text,
            guidance=q.guidance,
            fact=q.fact,
        )
        _platform(answer, inspection.agency, today)
        answers.append(answer)
    ChecklistAnswer.objects.bulk_create(answers)
    inspection.started_on = today
    inspection.facts_read_on = today
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.START,
        changes={"items": len(answers), "facts_read_on": today},
    )
    return inspection


@transaction.atomic
def inspection_refresh(*, actor, inspection: Inspection) -> int:
    """Read again what the platform knows, for the items without a result yet."""
    inspection = _lock(inspection)
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.REFRESH)
    today = timezone.localdate()
    pending = list(inspection.answers.filter(result=""))
    for answer in pending:
        _platform(answer, inspection.agency, today)
    ChecklistAnswer.objects.bulk_update(
        pending, ["platform_text", "platform_result", "platform_url", "updated_at"]
    )
    inspection.facts_read_on = today
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.REFRESH,
        changes={"items": len(pending), "facts_read_on": today},
    )
    return len(pending)


@transaction.atomic
def answer_give(*, actor, answer: ChecklistAnswer, result: str, note: str = "") -> ChecklistAnswer:
    """Give an item its result: confirm what the platform shows, or correct it — with a note
    saying why; a requirement not met says what is missing."""
    inspection = _lock(answer.inspection)
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.ANSWER)
    answer = lock(answer)
    if answer.inspection_id != inspection.pk:
        refuse("result", _("This item belongs to another inspection."))
    if result not in Result.values:
        refuse("result", _("Choose meets, does not meet or not applicable."))
    note = (note or "").strip()
    if answer.platform_result and result != answer.platform_result and not note:
        refuse("note", _("Say why the result differs from what the platform shows."))
    if result == Result.FAIL and not note:
        refuse("note", _("Say what does not meet the requirement."))
    before = snapshot(answer, ("result", "note"))
    answer.result, answer.note = result, note
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.save(update_fields=["result", "note", "answered_by", "answered_at", "updated_at"])
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.ANSWER,
        changes={
            "item": answer.number,
            **changes_between(before, snapshot(answer, ("result", "note"))),
            "corrected": answer.corrected,
        },
    )
    return answer


@transaction.atomic
def finding_record(
    *,
    actor,
    inspection: Inspection,
    description: str,
    due_date: datetime.date | None,
    requirement: str = "",
    answer: ChecklistAnswer | None = None,
) -> Finding:
    """Record a finding; it goes back to the agency as a nonconformity (source "inspection")
    to remedy by ``due_date`` — when the corrective-action module is installed."""
    inspection = _lock(inspection)
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.RECORD_FINDING)
    description = (description or "").strip()
    requirement = (requirement or "").strip()
    if not description:
        refuse("description", _("Describe what was found."))
    today = timezone.localdate()
    if due_date is None:
        refuse("due_date", _("Give the date to remedy it by."))
    if due_date <= today:
        refuse("due_date", _("The date to remedy it by is after today."))
    if answer is not None and answer.inspection_id != inspection.pk:
        refuse("answer", _("Choose an item of this inspection's checklist."))
    number = (inspection.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding(
        agency=inspection.agency,
        inspection=inspection,
        answer=answer,
        number=number,
        description=description,
        requirement=requirement,
        due_date=due_date,
        recorded_by=actor,
        recorded_on=today,
    )
    if apps.is_installed("eiso.improvements"):
        from eiso.improvements.services import nonconformity_raise

        plan = inspection.plan
        finding.nonconformity = nonconformity_raise(
            actor=actor,
            agency=inspection.agency,
            source="inspection",
            source_ref=f"{finding.code} · {plan.title}"[:300],
            title=description.splitlines()[0][:300],
            description=description
            + (f"\n{_('Requirement not met')}: {requirement}" if requirement else ""),
            due_date=due_date,
            evidence_text=f"{answer.number} {answer.text}" if answer is not None else "",
        )
    finding.save()
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.RECORD_FINDING,
        changes={
            "finding": finding.code,
            "due_date": due_date,
            "nonconformity": finding.nonconformity.code if finding.nonconformity_id else "",
        },
    )
    return finding


@transaction.atomic
def inspection_write(
    *, actor, inspection: Inspection, conclusion: str, recommendations: str = ""
) -> Inspection:
    inspection = _lock(inspection)
    before = snapshot(inspection, ("conclusion", "recommendations"))
    inspection.conclusion = (conclusion or "").strip()
    inspection.recommendations = (recommendations or "").strip()
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.WRITE,
        changes=changes_between(before, snapshot(inspection, ("conclusion", "recommendations"))),
    )
    return inspection


@transaction.atomic
def inspection_conclude(
    *,
    actor,
    inspection: Inspection,
    record_date: datetime.date | None,
    conclusion: str | None = None,
    recommendations: str | None = None,
) -> Inspection:
    """Make the inspection record (biên bản kiểm tra): every item has its result, the
    conclusion is written; the agency is told what it has to remedy."""
    inspection = _lock(inspection)
    if not INSPECTION.may(actor, inspection, InspectionAction.CONCLUDE):
        INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.CONCLUDE)
    every_item = inspection.answers.filter(result="").count()
    if every_item:  # said before the record's own fields
        INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.CONCLUDE)
    if conclusion is not None:
        inspection.conclusion = conclusion.strip()
    if recommendations is not None:
        inspection.recommendations = recommendations.strip()
    if record_date is None:
        refuse("record_date", _("Give the date of the inspection record."))
    not_in_future(record_date, "record_date", _("A record cannot be dated in the future."))
    if inspection.started_on and record_date < inspection.started_on:
        refuse("record_date", _("The record cannot be dated before the inspection started."))
    inspection.record_date = record_date
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.CONCLUDE,
        changes=snapshot(inspection, ("record_date", "conclusion", "recommendations")),
    )
    count = inspection.findings.count()
    message = (
        _(
            "The inspection record of %(agency)s is made: %(n)s finding(s) to remedy; report the "
            "remediation on its page."
        )
        if count
        else _("The inspection record of %(agency)s is made, without findings.")
    ) % {"agency": inspection.agency, "n": count}
    tell(
        agency_keepers(inspection.agency),
        agency=inspection.agency,
        message=message,
        url=inspection_url(inspection),
        actor=actor,
    )
    return inspection


@transaction.atomic
def record_attach(*, actor, inspection: Inspection, file) -> Inspection:
    """Attach the signed inspection record (a digitally signed PDF, or a scan)."""
    inspection = _lock(inspection)
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.ATTACH_RECORD)
    checked = signed_file(file, "file")
    inspection.record_file, inspection.record_file_name = checked.content, checked.original_name
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.ATTACH_RECORD,
        changes={"file": checked.original_name},
    )
    return inspection


@transaction.atomic
def remediation_report(*, actor, inspection: Inspection, report: str, file=None) -> Inspection:
    """The agency reports how it remedied the findings; the team is told."""
    inspection = _lock(inspection)
    INSPECTION.check(actor=actor, obj=inspection, action=InspectionAction.REPORT_REMEDIATION)
    report = (report or "").strip()
    if not report:
        refuse("report", _("Say what was done about each finding."))
    inspection.remediation_report = report
    if file is not None:
        checked = signed_file(file, "file")
        inspection.remediation_file = checked.content
        inspection.remediation_file_name = checked.original_name
    inspection.remediation_on = timezone.localdate()
    inspection.remediation_by = actor
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.REPORT_REMEDIATION,
        changes={"remediation_report": report},
    )
    tell(
        team_users(inspection.plan),
        agency=inspection.agency,
        message=_("%(agency)s reported the remediation of the inspection's findings.")
        % {"agency": inspection.agency},
        url=inspection_url(inspection, "remediation"),
        actor=actor,
    )
    return inspection


@transaction.atomic
def remediation_return(*, actor, inspection: Inspection, note: str) -> Inspection:
    """The team sends the remediation report back with what is still missing."""
    inspection = _lock(inspection)
    note = (note or "").strip()
    if not note:
        refuse("note", _("Say what is still missing."))
    inspection.follow_up_note = note
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.RETURN,
        changes={"follow_up_note": note},
    )
    tell(
        agency_keepers(inspection.agency),
        agency=inspection.agency,
        message=_("The inspection team returned the remediation report: %(note)s") % {"note": note},
        url=inspection_url(inspection, "remediation"),
        actor=actor,
    )
    return inspection


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection, note: str = "") -> Inspection:
    """The team closes the loop: the remediation is accepted (or there was nothing to remedy)."""
    inspection = _lock(inspection)
    note = (note or "").strip()
    if note:
        inspection.follow_up_note = note
    inspection.closed_on = timezone.localdate()
    INSPECTION.apply(
        actor=actor,
        obj=inspection,
        action=InspectionAction.CLOSE,
        changes={"follow_up_note": note} if note else None,
    )
    tell(
        agency_keepers(inspection.agency),
        agency=inspection.agency,
        message=_("The inspection of %(agency)s is closed.") % {"agency": inspection.agency},
        url=inspection_url(inspection),
        actor=actor,
    )
    return inspection
