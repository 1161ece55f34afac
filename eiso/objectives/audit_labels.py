"""How the audit trail names what happens to quality objectives (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.objectives.models import (
    EvaluationReport,
    Measurement,
    ObjectiveSet,
    PlanAction,
    QualityObjective,
)

declare(
    groups={
        "objective_set": pgettext_lazy("audit group", "Quality objectives of a year"),
        "objective": pgettext_lazy("audit group", "Quality objectives"),
        "plan_action": pgettext_lazy("audit group", "Plans of the objectives"),
        "measurement": pgettext_lazy("audit group", "Measurements of the objectives"),
        "objective_evaluation": pgettext_lazy("audit group", "Evaluation of the objectives"),
    },
    actions={
        "objective_set.create": pgettext_lazy("audit action", "Objectives of a year drafted"),
        "objective_set.update": pgettext_lazy("audit action", "Draft objectives changed"),
        "objective_set.delete": pgettext_lazy("audit action", "Draft objectives deleted"),
        "objective_set.submit": pgettext_lazy("audit action", "Objectives submitted for approval"),
        "objective_set.return": pgettext_lazy("audit action", "Objectives returned for changes"),
        "objective_set.approve": pgettext_lazy("audit action", "Objectives approved"),
        "objective_set.issue": pgettext_lazy("audit action", "Objectives issued by decision"),
        "objective_set.amend": pgettext_lazy("audit action", "Objectives changed mid-year"),
        "objective_set.supersede": pgettext_lazy("audit action", "Objectives superseded"),
        "objective.create": pgettext_lazy("audit action", "Objective added"),
        "objective.update": pgettext_lazy("audit action", "Objective changed"),
        "objective.delete": pgettext_lazy("audit action", "Objective removed"),
        "plan_action.create": pgettext_lazy("audit action", "Plan action added"),
        "plan_action.update": pgettext_lazy("audit action", "Plan action changed"),
        "plan_action.delete": pgettext_lazy("audit action", "Plan action removed"),
        "measurement.record": pgettext_lazy("audit action", "Measurement recorded"),
        "measurement.update": pgettext_lazy("audit action", "Measurement corrected"),
        "objective_evaluation.create": pgettext_lazy(
            "audit action", "Objectives evaluation report written"
        ),
        "objective_evaluation.update": pgettext_lazy(
            "audit action", "Objectives evaluation report changed"
        ),
        "objective_evaluation.finalize": pgettext_lazy(
            "audit action", "Objectives evaluation report finalized"
        ),
        "import.objectives": pgettext_lazy(
            "audit action", "Quality objectives imported from a spreadsheet"
        ),
    },
    fields={
        "start": _("Started from"),
        "objectives": _("Objectives"),
        "amends": _("Changes"),
        "assessments": _("Objectives assessed"),
    },
    object_types=[ObjectiveSet, QualityObjective, PlanAction, Measurement, EvaluationReport],
)
