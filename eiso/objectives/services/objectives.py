"""Objectives and their plan, while their revision may be edited (draft or returned)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core import measures
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ValidationFailed
from eiso.core.workflow import lock
from eiso.objectives.models import (
    ObjectiveSet,
    PlanAction,
    QualityObjective,
)
from eiso.objectives.services._common import (
    ACTION_FIELDS,
    OBJECTIVE_FIELDS,
    _check_due,
    _editable,
    _next_number,
    _refuse,
    clean_objective,
)

# --- objectives and their plan ------------------------------------------------------------------


@transaction.atomic
def objective_create(
    *, actor, objective_set: ObjectiveSet, data: dict, plan: list[dict] | None = None
) -> QualityObjective:
    """Add an objective to a draft revision, with its plan when given (every action due within
    the year)."""
    locked = lock(objective_set, related=("agency",))
    _editable(actor, locked)
    required = ("statement", "indicator", "comparator", "target", "unit", "frequency")
    missing = {name: [_("This field is required.")] for name in required if not data.get(name)}
    if missing:
        labels = {
            "comparator": _("A target needs its comparator (≥, ≤, =)."),
            "unit": _("A target needs its unit (%, days, dossiers…)."),
        }
        first = next(iter(missing))
        message = labels.get(first, _("Fill in the objective's required fields."))
        for name, text in labels.items():
            if name in missing:
                missing[name] = [text]
        raise ValidationFailed(message, fields=missing)
    cleaned = clean_objective(locked.agency, {"source": measures.MANUAL, **data})
    procedures = cleaned.pop("procedures", None)
    number = cleaned.pop("number", None) or _next_number(locked.objectives.all())
    if locked.objectives.filter(number=number).exists():
        _refuse("number", _("Number %(n)s is already used in these objectives.") % {"n": number})
    objective = QualityObjective.objects.create(
        agency=locked.agency,
        objective_set=locked,
        number=number,
        **{k: v for k, v in cleaned.items() if k in OBJECTIVE_FIELDS},
    )
    if procedures:
        objective.procedures.set(procedures)
    audit_record(
        actor=actor,
        action="objective.create",
        obj=objective,
        changes=snapshot(objective, OBJECTIVE_FIELDS),
    )
    for number, action_data in enumerate(plan or [], start=1):
        _add_action(actor, objective, {"number": number, **action_data})
    return objective


@transaction.atomic
def objective_update(*, actor, objective: QualityObjective, data: dict) -> QualityObjective:
    """Change an objective of a draft (or returned) revision. An issued objective is changed
    through a new revision (``objective_set_amend``)."""
    locked = lock(objective, related=("objective_set", "agency"))
    _editable(actor, locked.objective_set)
    cleaned = clean_objective(locked.agency, data)
    for name in ("statement", "indicator", "unit"):
        if name in cleaned and not cleaned[name]:
            _refuse(name, _("This field is required."))
    procedures = cleaned.pop("procedures", None)
    number = cleaned.get("number")
    if number and (
        QualityObjective.objects.filter(objective_set=locked.objective_set, number=number)
        .exclude(pk=locked.pk)
        .exists()
    ):
        _refuse("number", _("Number %(n)s is already used in these objectives.") % {"n": number})
    before = snapshot(locked, OBJECTIVE_FIELDS)
    before_procedures = sorted(locked.procedures.values_list("code", flat=True))
    for name, value in cleaned.items():
        if name in OBJECTIVE_FIELDS and value is not None:
            setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, OBJECTIVE_FIELDS))
    if procedures is not None:
        locked.procedures.set(procedures)
        after = sorted(p.code for p in procedures)
        if after != before_procedures:
            changes["procedures"] = [before_procedures, after]
    if changes:
        audit_record(actor=actor, action="objective.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def objective_delete(*, actor, objective: QualityObjective) -> None:
    locked = lock(objective, related=("objective_set",))
    _editable(actor, locked.objective_set)
    audit_record(
        actor=actor,
        action="objective.delete",
        obj=locked,
        changes=snapshot(locked, ("number", "statement")),
    )
    locked.procedures.clear()
    locked.actions.all().delete()
    locked.delete()


@transaction.atomic
def plan_action_create(*, actor, objective: QualityObjective, data: dict) -> PlanAction:
    locked = lock(objective, related=("objective_set",))
    _editable(actor, locked.objective_set)
    return _add_action(actor, locked, data)


def _add_action(actor, locked: QualityObjective, data: dict) -> PlanAction:
    what = (data.get("what") or "").strip()
    if not what:
        _refuse("what", _("Say what the action is."))
    responsible = (data.get("responsible") or "").strip()
    if not responsible:
        _refuse("responsible", _("Say who carries the action out."))
    _check_due(locked.objective_set, data.get("due_date"))
    action = PlanAction.objects.create(
        agency=locked.agency,
        objective=locked,
        number=data.get("number") or _next_number(locked.actions.all()),
        what=what,
        resources=(data.get("resources") or "").strip(),
        responsible=responsible,
        due_date=data["due_date"],
        evaluation=(data.get("evaluation") or "").strip(),
    )
    audit_record(
        actor=actor,
        action="plan_action.create",
        obj=action,
        changes=snapshot(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic
def plan_action_update(*, actor, action: PlanAction, data: dict) -> PlanAction:
    locked = lock(action, related=("objective", "objective__objective_set"))
    _editable(actor, locked.objective.objective_set)
    if "due_date" in data:
        _check_due(locked.objective.objective_set, data["due_date"])
    for name in ("what", "responsible"):
        if name in data and not (data[name] or "").strip():
            _refuse(name, _("This field is required."))
    before = snapshot(locked, ACTION_FIELDS)
    for name in ACTION_FIELDS:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.save()
    changes = changes_between(before, snapshot(locked, ACTION_FIELDS))
    if changes:
        audit_record(actor=actor, action="plan_action.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def plan_action_delete(*, actor, action: PlanAction) -> None:
    locked = lock(action, related=("objective", "objective__objective_set"))
    _editable(actor, locked.objective.objective_set)
    audit_record(
        actor=actor, action="plan_action.delete", obj=locked, changes={"what": locked.what}
    )
    locked.delete()
