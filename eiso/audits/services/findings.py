"""Findings, the report and closing: a finding graded, tied to its clause, department and
evidence; a major or minor nonconformity opens its corrective-action record (the improvements
module's ``nonconformity_raise``); the others wait for the department's reply. The report is
issued once every question is answered; the audit closes once every finding is answered."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.choices import NONCONFORMITY_GRADES, AuditAction, FindingGrade
from eiso.audits.models import Finding, InternalAudit
from eiso.audits.services._common import not_in_future, refuse
from eiso.audits.services.checklist import begin
from eiso.audits.services.plans import audit_url, tell_keepers
from eiso.audits.workflows import AUDIT
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ValidationFailed
from eiso.core.notifications import notify
from eiso.core.numbers import official_number
from eiso.core.workflow import lock
from eiso.improvements import services as improvements

REPORT_FIELDS = ("report_number", "report_date", "strengths", "conclusion", "recommendations")


@transaction.atomic
def finding_record(*, actor, audit: InternalAudit, data: dict) -> Finding:
    """Record a finding. A nonconformity is raised at once in the corrective-action module,
    for ``owner`` (the department's person who answers it) when given."""
    locked = lock(audit, related=("agency",))
    begin(actor, locked)
    grade = data.get("grade")
    errors = {}
    if grade not in FindingGrade.values:
        errors["grade"] = [_("Grade the finding.")]
    if data.get("clause") is None:
        errors["clause"] = [_("Say which clause of the standard it concerns.")]
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = [_("Describe the finding.")]
    department = data.get("department")
    if department is not None and department.agency_id != locked.agency_id:
        errors["department"] = [_("Choose a department of this agency.")]
    item = data.get("item")
    if item is not None and item.audit_id != locked.pk:
        errors["item"] = [_("Choose a question of this audit's checklist.")]
    evidence = (data.get("evidence") or "").strip()
    if grade in NONCONFORMITY_GRADES and not evidence:
        errors["evidence"] = [_("A nonconformity needs its objective evidence.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    number = (locked.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding(
        agency=locked.agency,
        audit=locked,
        item=item,
        number=number,
        grade=grade,
        clause=data["clause"],
        department=department,
        description=description,
        evidence=evidence,
        recorded_by=actor,
        recorded_on=timezone.localdate(),
    )
    if grade in NONCONFORMITY_GRADES:
        finding.nonconformity = improvements.nonconformity_raise(
            actor=actor,
            agency=locked.agency,
            source="internal_audit",
            source_ref=f"{locked.label} — {finding.code} ({data['clause'].code})",
            title=description.splitlines()[0][:300],
            description=description,
            department=department,
            due_date=data.get("due_date"),
            evidence=evidence,
            owner=data.get("owner"),
            grade=grade,
        )
    finding.save()
    audit_record(
        actor=actor,
        action="internal_audit.record_finding",
        obj=locked,
        changes={
            "finding": finding.code,
            "grade": grade,
            "clause": finding.clause.code,
            "department": str(department or ""),
            "description": description,
            "nonconformity": finding.nonconformity.code if finding.nonconformity else "",
        },
    )
    return finding


@transaction.atomic
def finding_reply(*, actor, finding: Finding, reply: str) -> Finding:
    """The department's answer to an observation or an opportunity for improvement (a
    nonconformity is answered by its corrective-action plan)."""
    locked = lock(finding, related=("audit", "agency"))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.REPLY)
    if locked.is_nonconformity:
        refuse("reply", _("A nonconformity is answered by its corrective-action record."))
    reply = (reply or "").strip()
    if not reply:
        refuse("reply", _("Write the reply."))
    before = locked.reply
    locked.reply = reply
    locked.replied_by = actor
    locked.replied_on = timezone.localdate()
    locked.save()
    audit_record(
        actor=actor,
        action="internal_audit.reply",
        obj=locked.audit,
        changes={"finding": locked.code, "reply": [before, reply]},
    )
    if locked.recorded_by_id != actor.pk:
        notify(
            users=[locked.recorded_by],
            agency=locked.agency,
            message=_("%(code)s of %(audit)s was answered.")
            % {"code": locked.code, "audit": locked.audit.label},
            url=audit_url(locked.audit) + "#findings",
        )
    return locked


def _clean_report(audit: InternalAudit, data: dict) -> dict:
    cleaned = {}
    for name in ("strengths", "conclusion", "recommendations"):
        if name in data:
            cleaned[name] = (data[name] or "").strip()
    if data.get("report_number"):
        cleaned["report_number"] = official_number(
            data["report_number"],
            kind="BC",
            symbol=_symbol(audit.agency),
            field="report_number",
        )
    if "report_date" in data:
        day = data["report_date"]
        not_in_future(day, "report_date", _("A report cannot be dated on a day to come."))
        if day is not None and day < audit.start_date:
            refuse("report_date", _("The report cannot be dated before the audit started."))
        cleaned["report_date"] = day
    return cleaned


def _symbol(agency) -> str:
    from eiso.core.numbers import agency_symbol

    return agency_symbol(agency)


@transaction.atomic
def report_save(*, actor, audit: InternalAudit, data: dict) -> InternalAudit:
    """Write the report while the audit is in progress (strengths, conclusion,
    recommendations, number and date)."""
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.WRITE_REPORT)
    cleaned = _clean_report(locked, data)
    before = snapshot(locked, REPORT_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, REPORT_FIELDS))
    if changes:
        audit_record(actor=actor, action="internal_audit.write_report", obj=locked, changes=changes)
    return locked


@transaction.atomic
def audit_report(*, actor, audit: InternalAudit, data: dict | None = None) -> InternalAudit:
    """Issue the report: every question answered, the conclusion written, number and date."""
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.WRITE_REPORT)
    for name, value in _clean_report(locked, data or {}).items():
        setattr(locked, name, value)
    AUDIT.apply(
        actor=actor,
        obj=locked,
        action=AuditAction.REPORT,
        changes=snapshot(locked, REPORT_FIELDS),
    )
    tell_keepers(
        locked,
        _("The report of %(audit)s is issued: %(n)s finding(s).")
        % {"audit": locked.label, "n": locked.findings.count()},
        actor=actor,
    )
    return locked


@transaction.atomic
def audit_close(*, actor, audit: InternalAudit) -> InternalAudit:
    """Close the audit once every finding is answered."""
    locked = lock(audit)
    locked.closed_on = timezone.localdate()
    AUDIT.apply(
        actor=actor, obj=locked, action=AuditAction.CLOSE, changes={"closed_on": locked.closed_on}
    )
    return locked
