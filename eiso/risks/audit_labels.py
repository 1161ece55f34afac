"""How the audit trail names what happens to the context, interested parties and the register
of risks and opportunities (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskReport, Treatment

declare(
    groups={
        "context_issue": pgettext_lazy("audit group", "Context issues"),
        "interested_party": pgettext_lazy("audit group", "Interested parties"),
        "risk": pgettext_lazy("audit group", "Risks and opportunities"),
        "treatment": pgettext_lazy("audit group", "Risk treatments"),
        "risks": pgettext_lazy("audit group", "Register of risks"),
        "risk_evaluation": pgettext_lazy("audit group", "Evaluation of risks"),
    },
    actions={
        "context_issue.create": pgettext_lazy("audit action", "Context issue added"),
        "context_issue.update": pgettext_lazy("audit action", "Context issue changed"),
        "context_issue.delete": pgettext_lazy("audit action", "Context issue removed"),
        "interested_party.create": pgettext_lazy("audit action", "Interested party added"),
        "interested_party.update": pgettext_lazy("audit action", "Interested party changed"),
        "interested_party.delete": pgettext_lazy("audit action", "Interested party removed"),
        "risk.create": pgettext_lazy("audit action", "Risk or opportunity registered"),
        "risk.update": pgettext_lazy("audit action", "Risk or opportunity changed"),
        "risk.delete": pgettext_lazy("audit action", "Risk or opportunity removed"),
        "risk.rerate": pgettext_lazy("audit action", "Risk re-rated after treatment"),
        "risk.review": pgettext_lazy("audit action", "Effectiveness of the treatments reviewed"),
        "risk.reopen": pgettext_lazy("audit action", "Risk reopened"),
        "treatment.create": pgettext_lazy("audit action", "Treatment planned"),
        "treatment.update": pgettext_lazy("audit action", "Treatment changed"),
        "treatment.delete": pgettext_lazy("audit action", "Treatment removed"),
        "treatment.complete": pgettext_lazy("audit action", "Treatment done"),
        "risks.copy_last_year": pgettext_lazy("audit action", "Last year's register copied"),
        "risk_evaluation.create": pgettext_lazy("audit action", "Risk evaluation report written"),
        "risk_evaluation.update": pgettext_lazy("audit action", "Risk evaluation report changed"),
        "risk_evaluation.finalize": pgettext_lazy(
            "audit action", "Risk evaluation report finalized"
        ),
        "import.risks": pgettext_lazy(
            "audit action", "Register of risks imported from a spreadsheet"
        ),
    },
    fields={
        "issues": _("Context issues copied"),
        "parties": _("Interested parties copied"),
        "risks": _("Risks and opportunities copied"),
    },
    object_types=[ContextIssue, InterestedParty, Risk, Treatment, RiskReport],
)
