"""Writes of the context, interested parties and the risk register: issues and parties, risks
rated on the scale, treatments and their completion with evidence, re-rating and the review of
effectiveness (the workflow table decides when), "copy last year", the evaluation report.
Keyword-only, one transaction each, audited."""

from eiso.risks.services._common import (
    EVIDENCE_TYPES,
    FIRST_YEAR,
    ISSUE_FIELDS,
    PARTY_FIELDS,
    RISK_FIELDS,
    TREATMENT_FIELDS,
    default_scale,
)
from eiso.risks.services.context import (
    copy_last_year,
    issue_create,
    issue_delete,
    issue_update,
    party_create,
    party_delete,
    party_update,
)
from eiso.risks.services.register import (
    risk_create,
    risk_delete,
    risk_reopen,
    risk_rerate,
    risk_review,
    risk_update,
    treatment_complete,
    treatment_create,
    treatment_delete,
    treatment_update,
)
from eiso.risks.services.report import report_finalize, report_save

__all__ = [
    "EVIDENCE_TYPES",
    "FIRST_YEAR",
    "ISSUE_FIELDS",
    "PARTY_FIELDS",
    "RISK_FIELDS",
    "TREATMENT_FIELDS",
    "copy_last_year",
    "default_scale",
    "issue_create",
    "issue_delete",
    "issue_update",
    "party_create",
    "party_delete",
    "party_update",
    "report_finalize",
    "report_save",
    "risk_create",
    "risk_delete",
    "risk_reopen",
    "risk_rerate",
    "risk_review",
    "risk_update",
    "treatment_complete",
    "treatment_create",
    "treatment_delete",
    "treatment_update",
]
