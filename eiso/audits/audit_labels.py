"""How the audit trail names what happens to internal audits (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.audits.choices import Answer, FindingGrade
from eiso.audits.models import AuditProgramme, AuditQuestion, InternalAudit
from eiso.core.audit_display import declare

declare(
    groups={
        "audit_programme": pgettext_lazy("audit group", "Audit programmes"),
        "internal_audit": pgettext_lazy("audit group", "Internal audits"),
        "audit_question": pgettext_lazy("audit group", "Audit question bank"),
    },
    actions={
        "audit_programme.create": pgettext_lazy("audit action", "Audit programme drafted"),
        "audit_programme.update": pgettext_lazy("audit action", "Audit programme changed"),
        "audit_programme.add_line": pgettext_lazy("audit action", "Line added to the programme"),
        "audit_programme.change_line": pgettext_lazy(
            "audit action", "Line of the programme changed"
        ),
        "audit_programme.remove_line": pgettext_lazy(
            "audit action", "Line removed from the programme"
        ),
        "audit_programme.approve": pgettext_lazy("audit action", "Audit programme approved"),
        "audit_programme.revise": pgettext_lazy("audit action", "Audit programme reopened"),
        "audit_programme.edit": pgettext_lazy("audit action", "Audit programme changed"),
        "internal_audit.create": pgettext_lazy("audit action", "Audit plan drafted"),
        "internal_audit.update": pgettext_lazy("audit action", "Audit plan changed"),
        "internal_audit.edit": pgettext_lazy("audit action", "Audit plan changed"),
        "internal_audit.add_auditor": pgettext_lazy("audit action", "Auditor added to the team"),
        "internal_audit.remove_auditor": pgettext_lazy(
            "audit action", "Auditor removed from the team"
        ),
        "internal_audit.add_session": pgettext_lazy("audit action", "Line added to the schedule"),
        "internal_audit.change_session": pgettext_lazy(
            "audit action", "Line of the schedule changed"
        ),
        "internal_audit.remove_session": pgettext_lazy(
            "audit action", "Line removed from the schedule"
        ),
        "internal_audit.approve": pgettext_lazy("audit action", "Audit plan approved"),
        "internal_audit.revise": pgettext_lazy("audit action", "Audit plan reopened for changes"),
        "internal_audit.prepare": pgettext_lazy("audit action", "Checklist prepared"),
        "internal_audit.copy_questions": pgettext_lazy(
            "audit action", "Questions copied from the bank"
        ),
        "internal_audit.add_question": pgettext_lazy(
            "audit action", "Question added to the checklist"
        ),
        "internal_audit.change_question": pgettext_lazy(
            "audit action", "Question of the checklist changed"
        ),
        "internal_audit.remove_question": pgettext_lazy(
            "audit action", "Question removed from the checklist"
        ),
        "internal_audit.start": pgettext_lazy("audit action", "Audit started"),
        "internal_audit.audit": pgettext_lazy("audit action", "Checklist filled"),
        "internal_audit.answer": pgettext_lazy(
            "audit action", "Question of the checklist answered"
        ),
        "internal_audit.record_finding": pgettext_lazy("audit action", "Finding recorded"),
        "internal_audit.reply": pgettext_lazy("audit action", "Finding answered"),
        "internal_audit.write_report": pgettext_lazy("audit action", "Audit report written"),
        "internal_audit.report": pgettext_lazy("audit action", "Audit report issued"),
        "internal_audit.close": pgettext_lazy("audit action", "Internal audit closed"),
        "audit_question.create": pgettext_lazy("audit action", "Question added to the bank"),
        "audit_question.update": pgettext_lazy("audit action", "Question of the bank changed"),
    },
    object_fields={
        "audits.internalaudit": {
            "auditor": _("Auditor"),
            "role": _("Role"),
            "warning": _("Warning"),
            "clauses": _("Clauses"),
            "processes": _("Processes"),
            "questions": _("Questions"),
            "session": _("Session"),
            "question": _("Question"),
            "answer": _("Answer"),
            "note": _("Evidence notes"),
            "files": _("Files"),
            "finding": _("Finding"),
            "grade": _("Grade"),
            "clause": _("Clause"),
            "department": _("Department"),
            "description": _("Finding"),
            "nonconformity": _("Nonconformity"),
            "reply": _("Reply"),
        },
    },
    choices={"answer": Answer, "grade": FindingGrade},
    object_types=[AuditProgramme, InternalAudit, AuditQuestion],
)
