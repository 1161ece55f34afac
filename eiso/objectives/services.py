"""Writes of quality objectives: the year's objectives (new, copied from last year, from the
framework model's templates), their objectives and plan, the workflow (submit, return, approve,
issue, change mid-year), measurements and the evaluation report. Keyword-only, one
transaction each, audited; the workflow table (workflows.py) decides what may happen when."""

from __future__ import annotations

import calendar
import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import measures
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from eiso.core.notifications import notify
from eiso.core.numbers import official_number
from eiso.core.roles import Role
from eiso.core.text import clashes
from eiso.core.workflow import lock
from eiso.documents.outputs import number_suffix
from eiso.objectives import periods as period_math
from eiso.objectives import rules
from eiso.objectives.choices import Comparator, Frequency, ReportAction, SetAction, SetStatus
from eiso.objectives.models import (
    EvaluationReport,
    Measurement,
    ObjectiveAssessment,
    ObjectiveSet,
    ObjectiveTemplate,
    PlanAction,
    QualityObjective,
)
from eiso.objectives.workflows import OBJECTIVE_SET, REPORT

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
OBJECTIVE_FIELDS = (
    "number",
    "department",
    "statement",
    "indicator",
    "comparator",
    "target",
    "unit",
    "frequency",
    "owner",
    "source",
    "processes",
)
ACTION_FIELDS = ("number", "what", "resources", "responsible", "due_date", "evaluation")
FIRST_YEAR = 2000


# --- helpers ---------------------------------------------------------------------------------


def _people(agency, roles) -> list:
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, role__in=list(roles), is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        _refuse("year", _("Give the year as a number, e.g. 2026."))
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= latest:
        _refuse(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
        )
    return year


def _members(agency):
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def _set_url(objective_set) -> str:
    return reverse("objectives:set_detail", args=[objective_set.pk])


def _objective_url(objective) -> str:
    return reverse("objectives:detail", args=[objective.pk])


def _editable(actor, objective_set: ObjectiveSet) -> None:
    """Refuse unless the table allows editing this revision now, by this person."""
    OBJECTIVE_SET.check(actor=actor, obj=objective_set, action=SetAction.EDIT)


def clean_objective(agency, data: dict) -> dict:
    """Check and normalise an objective's fields; every problem is refused at once, on its
    field. Foreign keys must belong to ``agency``."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for name in ("statement", "indicator", "unit", "processes"):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip()
    if "statement" in cleaned and not cleaned["statement"]:
        errors["statement"] = [_("Say what the objective is.")]
    if "indicator" in cleaned and not cleaned["indicator"]:
        errors["indicator"] = [_("Give the measurable indicator.")]
    if "comparator" in cleaned and cleaned["comparator"] not in Comparator.values:
        errors["comparator"] = [_("Choose how the value is compared with the target (≥, ≤, =).")]
    if "unit" in cleaned and not cleaned["unit"]:
        errors["unit"] = [_("Give the unit of the target (%, days, dossiers…).")]
    if "target" in cleaned:
        try:
            target = Decimal(str(cleaned["target"]).replace(",", "."))
            if not target.is_finite() or abs(target) >= Decimal("1e12"):
                raise InvalidOperation
            cleaned["target"] = target
        except (InvalidOperation, ValueError):
            errors["target"] = [_("Give the target as a number.")]
    if "frequency" in cleaned and cleaned["frequency"] not in Frequency.values:
        errors["frequency"] = [_("Choose how often the objective is measured.")]
    if "source" in cleaned:
        cleaned["source"] = cleaned["source"] or measures.MANUAL
        if measures.get(cleaned["source"]) is None:
            errors["source"] = [_("Unknown source of measurements.")]
    department = cleaned.get("department")
    if department is not None and department.agency_id != agency.pk:
        errors["department"] = [_("Choose a department of this agency.")]
    owner = cleaned.get("owner")
    if owner is not None and owner.pk not in _members(agency):
        errors["owner"] = [_("Choose someone who works in this agency.")]
    procedures = cleaned.get("procedures")
    if procedures:
        from eiso.procedures.models import HandledProcedure

        handled = set(
            HandledProcedure.objects.filter(agency=agency, is_active=True).values_list(
                "procedure_id", flat=True
            )
        )
        if any(p.pk not in handled for p in procedures):
            errors["procedures"] = [_("Choose procedures this agency handles.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)
    return cleaned


def _check_due(objective_set: ObjectiveSet, due: datetime.date | None) -> None:
    if due is None:
        _refuse("due_date", _("Say by when the action is done."))
    if due.year != objective_set.year:
        _refuse(
            "due_date",
            _("An action of the %(year)s plan must be due within %(year)s.")
            % {"year": objective_set.year},
        )


def _next_number(queryset) -> int:
    last = queryset.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


# --- the objectives of a year ---------------------------------------------------------------


def _shift_year(day: datetime.date, year: int) -> datetime.date:
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def _copy_objective(source: QualityObjective, target_set: ObjectiveSet, *, same_lineage: bool):
    """A copy of ``source`` (and its plan) in ``target_set``: the next version of the same
    objective (a new revision) or a new objective (another year)."""
    year = target_set.year
    members = None if same_lineage else _members(target_set.agency)
    owner_id = source.owner_id
    if members is not None and owner_id not in members:
        owner_id = None
    department_id = source.department_id
    if department_id is not None and not same_lineage and not source.department.is_active:
        department_id = None
    copy = QualityObjective.objects.create(
        agency=target_set.agency,
        objective_set=target_set,
        lineage=source.lineage if same_lineage else uuid.uuid4(),
        previous=source if same_lineage else None,
        number=source.number,
        department_id=department_id,
        statement=source.statement,
        indicator=source.indicator,
        comparator=source.comparator,
        target=source.target,
        unit=source.unit,
        frequency=source.frequency,
        owner_id=owner_id,
        source=source.source if measures.get(source.source) else measures.MANUAL,
        processes=source.processes,
    )
    copy.procedures.set(source.procedures.all())
    PlanAction.objects.bulk_create(
        [
            PlanAction(
                agency=target_set.agency,
                objective=copy,
                number=action.number,
                what=action.what,
                resources=action.resources,
                responsible=action.responsible,
                due_date=action.due_date if same_lineage else _shift_year(action.due_date, year),
                evaluation=action.evaluation,
            )
            for action in source.actions.order_by("number", "pk")
        ]
    )
    return copy


def _from_template(template: ObjectiveTemplate, target_set: ObjectiveSet) -> QualityObjective:
    year = target_set.year
    objective = QualityObjective.objects.create(
        agency=target_set.agency,
        objective_set=target_set,
        number=template.number,
        statement=template.statement,
        indicator=template.indicator,
        comparator=template.comparator,
        target=template.target,
        unit=template.unit,
        frequency=template.frequency,
        source=template.source if measures.get(template.source) else measures.MANUAL,
    )
    actions = []
    for number, spec in enumerate(template.actions or [], start=1):
        month = min(max(int(spec.get("month", 12)), 1), 12)
        actions.append(
            PlanAction(
                agency=target_set.agency,
                objective=objective,
                number=number,
                what=spec.get("what", ""),
                resources=spec.get("resources", ""),
                responsible=spec.get("responsible", ""),
                due_date=datetime.date(year, month, calendar.monthrange(year, month)[1]),
                evaluation=spec.get("evaluation", ""),
            )
        )
    PlanAction.objects.bulk_create(actions)
    return objective


START_EMPTY, START_LAST_YEAR, START_TEMPLATE = "empty", "last_year", "template"


@transaction.atomic
def objective_set_create(*, actor, agency, year, start: str = START_EMPTY) -> ObjectiveSet:
    """Start the objectives of ``year`` as a draft: empty, from last year's objectives and plan
    ("copy last year": due dates moved to the new year) or from the framework model's typical
    objectives for the agency's kind."""
    if not rules.can_draft(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head prepare the quality objectives."))
    year = _check_year(year)
    if ObjectiveSet.objects.filter(agency=agency, year=year).exists():
        _refuse(
            "year",
            _(
                "The objectives of %(year)s already exist; change them from their page "
                "(a new revision once issued)."
            )
            % {"year": year},
        )
    sources: list = []
    templates: list = []
    if start == START_LAST_YEAR:
        from eiso.objectives.selectors import last_year_source

        previous = last_year_source(agency=agency, year=year)
        if previous is None:
            _refuse("year", _("There are no objectives of %(year)s to copy.") % {"year": year - 1})
        sources = list(
            previous.objectives.select_related("department")
            .prefetch_related("procedures", "actions")
            .order_by("number")
        )
    elif start == START_TEMPLATE:
        templates = list(ObjectiveTemplate.objects.filter(kind_id=agency.kind_id))
        if not templates:
            _refuse("start", _("The framework model has no typical objectives for this kind."))
    elif start != START_EMPTY:
        _refuse("start", _("Choose how to start the objectives."))
    objective_set = ObjectiveSet.objects.create(
        agency=agency,
        year=year,
        created_by=actor,
        signer_name=agency.head_name,
        signer_title=agency.head_title.upper(),
    )
    for source in sources:
        _copy_objective(source, objective_set, same_lineage=False)
    for template in templates:
        _from_template(template, objective_set)
    audit_record(
        actor=actor,
        action="objective_set.create",
        obj=objective_set,
        changes={"year": year, "start": start, "objectives": len(sources) + len(templates)},
    )
    return objective_set


@transaction.atomic
def objective_set_update(*, actor, objective_set: ObjectiveSet, data: dict) -> ObjectiveSet:
    """Change what a draft revision says beside its objectives: what changed, the signer."""
    locked = lock(objective_set)
    _editable(actor, locked)
    fields = ("change_summary", "signer_name", "signer_title")
    before = snapshot(locked, fields)
    for name in fields:
        if name in data:
            setattr(locked, name, (data[name] or "").strip())
    changes = changes_between(before, snapshot(locked, fields))
    if changes:
        locked.save()
        audit_record(actor=actor, action="objective_set.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def objective_set_delete(*, actor, objective_set: ObjectiveSet) -> None:
    """Drop a draft that was never submitted (a first revision only: a draft change of issued
    objectives is dropped the same way, and the issued ones stay in force)."""
    locked = lock(objective_set)
    _editable(actor, locked)
    if locked.submitted_at is not None:
        _refuse("", _("These objectives were submitted once: they are kept."))
    audit_record(
        actor=actor,
        action="objective_set.delete",
        obj=locked,
        changes={"year": locked.year, "revision": locked.revision},
    )
    for objective in locked.objectives.all():
        objective.procedures.clear()
        objective.actions.all().delete()
    locked.objectives.all().delete()
    locked.delete()


@transaction.atomic
def objective_set_submit(
    *, actor, objective_set: ObjectiveSet, change_summary: str | None = None
) -> ObjectiveSet:
    locked = lock(objective_set, related=("agency",))
    if change_summary is not None:
        locked.change_summary = change_summary.strip()
    locked.submitted_by = actor
    locked.submitted_at = timezone.now()
    locked.return_comment = ""
    OBJECTIVE_SET.apply(actor=actor, obj=locked, action=SetAction.SUBMIT)
    notify(
        users=_people(locked.agency, [Role.HEAD]),
        agency=locked.agency,
        message=_("%(set)s submitted for your approval.") % {"set": locked},
        url=_set_url(locked),
    )
    return locked


@transaction.atomic
def objective_set_return(*, actor, objective_set: ObjectiveSet, reason: str) -> ObjectiveSet:
    locked = lock(objective_set, related=("agency", "submitted_by"))
    if not (reason or "").strip():
        _refuse("reason", _("Say what must be changed."))
    locked.return_comment = reason.strip()
    OBJECTIVE_SET.apply(actor=actor, obj=locked, action=SetAction.RETURN, reason=reason.strip())
    notify(
        users=[locked.submitted_by],
        agency=locked.agency,
        message=_("%(set)s returned for changes: %(reason)s")
        % {"set": locked, "reason": reason.strip()},
        url=_set_url(locked),
    )
    return locked


@transaction.atomic
def objective_set_approve(*, actor, objective_set: ObjectiveSet) -> ObjectiveSet:
    locked = lock(objective_set, related=("agency", "submitted_by"))
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    OBJECTIVE_SET.apply(actor=actor, obj=locked, action=SetAction.APPROVE)
    notify(
        users=[locked.submitted_by],
        agency=locked.agency,
        message=_("%(set)s approved: issue the decision.") % {"set": locked},
        url=_set_url(locked),
    )
    return locked


@transaction.atomic
def objective_set_issue(
    *,
    actor,
    objective_set: ObjectiveSet,
    number: str,
    date: datetime.date | None,
    signer_name: str = "",
    signer_title: str = "",
) -> ObjectiveSet:
    """Issue the approved objectives by the decision ``number`` of ``date``; the revision in
    force until now is superseded (kept with its measurements)."""
    locked = lock(objective_set, related=("agency", "submitted_by"))
    number = official_number(number, symbol=number_suffix(locked.agency), field="number")
    if date is None:
        _refuse("date", _("Give the decision's date."))
    if date > timezone.localdate():
        _refuse("date", _("The decision cannot be dated in the future."))
    if date.year not in (locked.year - 1, locked.year):
        _refuse(
            "date",
            _("A decision on the objectives of %(year)s is dated in %(previous)s or %(year)s.")
            % {"year": locked.year, "previous": locked.year - 1},
        )
    taken = (
        ObjectiveSet.objects.filter(agency=locked.agency, decision_date__year=date.year)
        .exclude(pk=locked.pk)
        .values_list("decision_number", flat=True)
    )
    if clashes(number, taken):
        _refuse("number", _("The decision number %(number)s is already used.") % {"number": number})
    locked.decision_number = number
    locked.decision_date = date
    locked.issued_by = actor
    if signer_name.strip():
        locked.signer_name = signer_name.strip()
    if signer_title.strip():
        locked.signer_title = signer_title.strip()
    OBJECTIVE_SET.apply(
        actor=actor,
        obj=locked,
        action=SetAction.ISSUE,
        changes={"decision_number": number, "decision_date": date},
    )
    previous = (
        ObjectiveSet.objects.select_for_update(of=("self",))
        .filter(agency=locked.agency, year=locked.year, status=SetStatus.ISSUED)
        .exclude(pk=locked.pk)
    )
    for old in previous:
        OBJECTIVE_SET.apply(actor=actor, obj=old, action=SetAction.SUPERSEDE, reason=str(locked))
    owners = {o.owner for o in locked.objectives.select_related("owner") if o.owner_id}
    notify(
        users=[*owners, locked.submitted_by],
        agency=locked.agency,
        message=_("%(set)s issued by decision %(number)s: measure your objectives each period.")
        % {"set": locked, "number": number},
        url=_set_url(locked),
    )
    return locked


@transaction.atomic
def objective_set_amend(
    *, actor, objective_set: ObjectiveSet, change_summary: str = ""
) -> ObjectiveSet:
    """Change issued objectives mid-year: the next revision starts as a draft holding the next
    version of every objective (and its plan). The issued revision stays in force, and is kept
    once the new one is issued."""
    locked = lock(objective_set, related=("agency",))
    OBJECTIVE_SET.apply(
        actor=actor, obj=locked, action=SetAction.AMEND, save=False, reason=change_summary
    )
    draft = ObjectiveSet.objects.create(
        agency=locked.agency,
        year=locked.year,
        revision=locked.revision + 1,
        change_summary=change_summary.strip(),
        created_by=actor,
        signer_name=locked.signer_name,
        signer_title=locked.signer_title,
    )
    for objective in (
        locked.objectives.select_related("department")
        .prefetch_related("procedures", "actions")
        .order_by("number")
    ):
        _copy_objective(objective, draft, same_lineage=True)
    audit_record(
        actor=actor,
        action="objective_set.create",
        obj=draft,
        changes={"year": draft.year, "revision": draft.revision, "amends": str(locked)},
    )
    return draft


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


# --- measurements ---------------------------------------------------------------------------


def _period_of(objective: QualityObjective, period) -> period_math.Period:
    try:
        index = int(period)
    except (TypeError, ValueError):
        index = 0
    found = period_math.period(objective.objective_set.year, objective.frequency, index)
    if found is None:
        _refuse(
            "period",
            _("There is no such period in %(year)s: a measurement must fall within the year.")
            % {"year": objective.objective_set.year},
        )
    return found


def _check_measurable(actor, objective: QualityObjective, period: period_math.Period) -> None:
    if not rules.can_measure(actor, objective):
        raise NotPermitted(
            _("Only the objective's owner, the ISO secretary or the head record its measurements.")
        )
    OBJECTIVE_SET.check(actor=actor, obj=objective.objective_set, action=SetAction.MEASURE)
    if not period.started_by(timezone.localdate()):
        _refuse("period", _("%(period)s has not started yet.") % {"period": period.label})


def _save_measurement(
    *, actor, objective, period, value: Decimal, source: str, evidence=None, note: str = ""
) -> Measurement:
    checked = None
    if evidence is not None:
        checked = check_upload(evidence, allowed=EVIDENCE_TYPES, field="evidence")
    existing = (
        Measurement.objects.select_for_update(of=("self",))
        .filter(lineage=objective.lineage, period_start=period.start)
        .first()
    )
    met = objective.meets(value)
    if existing is None:
        measurement = Measurement(
            agency=objective.agency,
            objective=objective,
            lineage=objective.lineage,
            period=period.index,
            period_start=period.start,
            period_end=period.end,
        )
        before = {}
    else:
        measurement = existing
        before = snapshot(existing, ("value", "met", "note", "evidence_name"))
    measurement.objective = objective
    measurement.value = value
    measurement.met = met
    measurement.source = source
    measurement.note = (note or "").strip()
    measurement.recorded_by = actor
    if checked is not None:
        measurement.evidence = checked.content
        measurement.evidence_name = checked.original_name
    measurement.save()
    after = snapshot(measurement, ("value", "met", "note", "evidence_name"))
    audit_record(
        actor=actor,
        action="measurement.record" if existing is None else "measurement.update",
        obj=measurement,
        changes={"period": period.label, **changes_between(before, after)},
    )
    return measurement


@transaction.atomic
def measurement_record(
    *,
    actor,
    objective: QualityObjective,
    period,
    value,
    evidence=None,
    note: str = "",
) -> Measurement:
    """Record (or correct) the value of ``period`` (1-based within the objective's year),
    with its evidence; it is judged against the objective's target."""
    locked = lock(objective, related=("objective_set", "agency"))
    found = _period_of(locked, period)
    _check_measurable(actor, locked, found)
    try:
        number = Decimal(str(value).replace(",", ".")) if value not in (None, "") else None
        if number is not None and not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        number = None
    if number is None:
        _refuse("value", _("Give the measured value as a number."))
    return _save_measurement(
        actor=actor,
        objective=locked,
        period=found,
        value=number,
        source=measures.MANUAL,
        evidence=evidence,
        note=note,
    )


@transaction.atomic
def measurement_compute(*, actor, objective: QualityObjective, period) -> Measurement:
    """Compute the value of ``period`` from the objective's source (data the platform has)."""
    locked = lock(objective, related=("objective_set", "agency"))
    found = _period_of(locked, period)
    _check_measurable(actor, locked, found)
    source = measures.get(locked.source)
    if source is None or source.manual:
        _refuse("period", _("This objective is typed in: record its value by hand."))
    end = min(found.end, timezone.localdate())
    value = measures.compute(locked.source, locked.agency, found.start, end)
    if value is None:
        _refuse(
            "period",
            _("%(source)s has no data for %(period)s.")
            % {"source": source.label, "period": found.label},
        )
    return _save_measurement(
        actor=actor,
        objective=locked,
        period=found,
        value=value,
        source=locked.source,
        note=_("Computed from: %(source)s") % {"source": source.label},
    )


# --- the evaluation report --------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *,
    actor,
    agency,
    year,
    report_date: datetime.date | None = None,
    summary: str = "",
    signer_name: str = "",
    signer_title: str = "",
    assessments: dict | None = None,
) -> EvaluationReport:
    """Write (or rewrite) the draft evaluation report of ``year``: the general assessment and,
    per objective (by its lineage), the assessment and the causes when it was not met."""
    from eiso.objectives.selectors import report_objectives

    if not rules.can_draft(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head write the evaluation report."))
    year = _check_year(year)
    if report_date is not None and report_date > timezone.localdate():
        _refuse("report_date", _("The report cannot be dated in the future."))
    if report_date is not None and report_date.year != year:
        _refuse("report_date", _("The report on %(year)s is dated in %(year)s.") % {"year": year})
    report, created = EvaluationReport.objects.select_for_update(of=("self",)).get_or_create(
        agency=agency,
        year=year,
        defaults={
            "created_by": actor,
            "signer_name": agency.head_name,
            "signer_title": agency.head_title.upper(),
        },
    )
    REPORT.check(actor=actor, obj=report, action=ReportAction.EDIT)
    fields = ("report_date", "summary", "signer_name", "signer_title")
    before = snapshot(report, fields)
    report.report_date = report_date
    report.summary = (summary or "").strip()
    if signer_name.strip():
        report.signer_name = signer_name.strip()
    if signer_title.strip():
        report.signer_title = signer_title.strip()
    report.save()
    changes = changes_between(before, snapshot(report, fields))
    objectives = {str(o.lineage): o for o in report_objectives(agency=agency, year=year)}
    written = 0
    for lineage, words in (assessments or {}).items():
        objective = objectives.get(str(lineage))
        if objective is None:
            continue
        ObjectiveAssessment.objects.update_or_create(
            report=report,
            lineage=objective.lineage,
            defaults={
                "agency": agency,
                "objective": objective,
                "assessment": (words.get("assessment") or "").strip(),
                "causes": (words.get("causes") or "").strip(),
            },
        )
        written += 1
    audit_record(
        actor=actor,
        action="objective_evaluation.create" if created else "objective_evaluation.update",
        obj=report,
        changes={**changes, "assessments": written},
    )
    return report


@transaction.atomic
def evaluation_finalize(*, actor, report: EvaluationReport) -> EvaluationReport:
    """Freeze the report: each objective's result and values as they stand."""
    from eiso.objectives.selectors import report_rows

    locked = lock(report, related=("agency",))
    REPORT.check(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    for row in report_rows(report=locked):
        ObjectiveAssessment.objects.update_or_create(
            report=locked,
            lineage=row.lineage,
            defaults={
                "agency": locked.agency,
                "objective": row.objective,
                "assessment": row.assessment,
                "causes": row.causes,
                "result": row.result,
                "values": row.values_text[:500],
            },
        )
    locked.finalized_by = actor
    locked.finalized_at = timezone.now()
    REPORT.apply(actor=actor, obj=locked, action=ReportAction.FINALIZE)
    return locked
