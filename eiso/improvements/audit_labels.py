"""How the audit trail names what happens to nonconformities and corrective actions
(eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.improvements.models import CorrectiveAction, EffectivenessCheck, Nonconformity

declare(
    groups={
        "nonconformity": pgettext_lazy("audit group", "Nonconformities"),
        "corrective_action": pgettext_lazy("audit group", "Corrective actions"),
    },
    actions={
        "nonconformity.raise": pgettext_lazy("audit action", "Nonconformity raised"),
        "nonconformity.update": pgettext_lazy("audit action", "Nonconformity record changed"),
        "nonconformity.submit_plan": pgettext_lazy(
            "audit action", "Corrective-action plan submitted"
        ),
        "nonconformity.return_plan": pgettext_lazy(
            "audit action", "Corrective-action plan returned"
        ),
        "nonconformity.approve_plan": pgettext_lazy(
            "audit action", "Corrective-action plan approved"
        ),
        "nonconformity.work": pgettext_lazy("audit action", "Corrective actions started"),
        "nonconformity.actions_done": pgettext_lazy("audit action", "Every corrective action done"),
        "nonconformity.verify": pgettext_lazy("audit action", "Actions verified effective"),
        "nonconformity.not_effective": pgettext_lazy("audit action", "Actions found not effective"),
        "nonconformity.close": pgettext_lazy("audit action", "Nonconformity closed"),
        "nonconformity.reopen": pgettext_lazy("audit action", "Nonconformity reopened"),
        "nonconformity.edit": pgettext_lazy("audit action", "Nonconformity record changed"),
        "corrective_action.create": pgettext_lazy("audit action", "Corrective action planned"),
        "corrective_action.update": pgettext_lazy("audit action", "Corrective action changed"),
        "corrective_action.delete": pgettext_lazy("audit action", "Corrective action removed"),
        "corrective_action.complete": pgettext_lazy("audit action", "Corrective action done"),
    },
    object_fields={
        "improvements.nonconformity": {
            "effective": _("Effective"),
            "checked_on": _("Checked on"),
            "note": _("What was checked"),
        },
        "improvements.correctiveaction": {"nonconformity": _("Nonconformity")},
    },
    object_types=[Nonconformity, CorrectiveAction, EffectivenessCheck],
)
