"""Writes of quality objectives: the year's objectives (new, copied from last year, from the
framework model's templates), their objectives and plan, the workflow (submit, return, approve,
issue, change mid-year), measurements and the evaluation report. Keyword-only, one
transaction each, audited; the workflow table (workflows.py) decides what may happen when."""

from eiso.objectives.services._common import (
    ACTION_FIELDS,
    EVIDENCE_TYPES,
    FIRST_YEAR,
    OBJECTIVE_FIELDS,
    clean_objective,
)
from eiso.objectives.services.evaluation import evaluation_finalize, evaluation_save
from eiso.objectives.services.measurements import measurement_compute, measurement_record
from eiso.objectives.services.objectives import (
    objective_create,
    objective_delete,
    objective_update,
    plan_action_create,
    plan_action_delete,
    plan_action_update,
)
from eiso.objectives.services.sets import (
    START_EMPTY,
    START_LAST_YEAR,
    START_TEMPLATE,
    objective_set_amend,
    objective_set_approve,
    objective_set_create,
    objective_set_delete,
    objective_set_issue,
    objective_set_return,
    objective_set_submit,
    objective_set_update,
)

__all__ = [
    "ACTION_FIELDS",
    "EVIDENCE_TYPES",
    "FIRST_YEAR",
    "OBJECTIVE_FIELDS",
    "START_EMPTY",
    "START_LAST_YEAR",
    "START_TEMPLATE",
    "clean_objective",
    "evaluation_finalize",
    "evaluation_save",
    "measurement_compute",
    "measurement_record",
    "objective_create",
    "objective_delete",
    "objective_set_amend",
    "objective_set_approve",
    "objective_set_create",
    "objective_set_delete",
    "objective_set_issue",
    "objective_set_return",
    "objective_set_submit",
    "objective_set_update",
    "objective_update",
    "plan_action_create",
    "plan_action_delete",
    "plan_action_update",
]
