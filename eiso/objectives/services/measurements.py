"""Measurements of objectives in force: typed in with their evidence, or computed by the
objective's registered measurement source (eiso.core.measures)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import measures
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted
from eiso.core.files import check_upload
from eiso.core.workflow import lock
from eiso.objectives import periods as period_math
from eiso.objectives import rules
from eiso.objectives.choices import SetAction
from eiso.objectives.models import (
    Measurement,
    QualityObjective,
)
from eiso.objectives.services._common import EVIDENCE_TYPES, _refuse
from eiso.objectives.workflows import OBJECTIVE_SET

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
