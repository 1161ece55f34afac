"""Writes of internal audits: the programme, the plans (team, schedule, approval), the checklist
(copied from the question bank, filled), findings (a nonconformity opens its corrective-action
record), the report and closing; the question bank. Keyword-only, one transaction each,
audited; the workflow tables (``eiso.audits.workflows``) decide when."""

from eiso.audits.services.checklist import (
    checklist_answer,
    checklist_copy,
    checklist_item_add,
    checklist_item_delete,
    checklist_item_update,
)
from eiso.audits.services.findings import (
    audit_close,
    audit_report,
    finding_record,
    finding_reply,
    report_save,
)
from eiso.audits.services.plans import (
    DEFAULT_CRITERIA,
    audit_approve,
    audit_create,
    audit_revise,
    audit_update,
    session_add,
    session_delete,
    session_update,
    team_add,
    team_remove,
)
from eiso.audits.services.programmes import (
    programme_approve,
    programme_create,
    programme_item_add,
    programme_item_delete,
    programme_item_update,
    programme_revise,
    programme_update,
)
from eiso.audits.services.questions import can_keep_bank, question_create, question_update

__all__ = [
    "DEFAULT_CRITERIA",
    "audit_approve",
    "audit_close",
    "audit_create",
    "audit_report",
    "audit_revise",
    "audit_update",
    "can_keep_bank",
    "checklist_answer",
    "checklist_copy",
    "checklist_item_add",
    "checklist_item_delete",
    "checklist_item_update",
    "finding_record",
    "finding_reply",
    "programme_approve",
    "programme_create",
    "programme_item_add",
    "programme_item_delete",
    "programme_item_update",
    "programme_revise",
    "programme_update",
    "question_create",
    "question_update",
    "report_save",
    "session_add",
    "session_delete",
    "session_update",
    "team_add",
    "team_remove",
]
