"""The objectives of a year: started empty, from last year's (copy last year) or from the
framework model's templates; submitted, returned, approved and issued by decision; changed
mid-year as the next revision (the issued one superseded and kept)."""

from __future__ import annotations

import calendar
import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import measures
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted
from eiso.core.notifications import notify
from eiso.core.numbers import agency_symbol, official_number
from eiso.core.roles import Role
from eiso.core.text import clashes
from eiso.core.workflow import lock
from eiso.objectives import rules
from eiso.objectives.choices import SetAction, SetStatus
from eiso.objectives.models import (
    ObjectiveSet,
    ObjectiveTemplate,
    PlanAction,
    QualityObjective,
)
from eiso.objectives.services._common import (
    _check_year,
    _editable,
    _members,
    _people,
    _refuse,
    _set_url,
)
from eiso.objectives.workflows import OBJECTIVE_SET

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
    number = official_number(number, symbol=agency_symbol(locked.agency), field="number")
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
