"""The register: risks and opportunities rated on the scale, their treatments and completion
with evidence, re-rating, the review of effectiveness, reopening (as the workflow allows)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import check_upload
from eiso.core.notifications import notify
from eiso.core.workflow import lock
from eiso.risks import rules
from eiso.risks.choices import (
    ProcessKind,
    RiskAction,
    RiskKind,
)
from eiso.risks.models import (
    Risk,
    RiskScale,
    Treatment,
)
from eiso.risks.services._common import (
    EVIDENCE_TYPES,
    RISK_FIELDS,
    TREATMENT_FIELDS,
    _check_year,
    _members,
    _refuse,
    _require_keeper,
    _text,
    default_scale,
)
from eiso.risks.workflows import RISK

# --- risks -------------------------------------------------------------------------------------


def _check_rating(scale: RiskScale, likelihood, impact, *, prefix: str = "") -> tuple[int, int]:
    errors = {}
    values = []
    for name, value, top in (
        ("likelihood", likelihood, scale.max_likelihood),
        ("impact", impact, scale.max_impact),
    ):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not 1 <= number <= top:
            label = _("The likelihood") if name == "likelihood" else _("The impact")
            errors[f"{prefix}{name}"] = [
                _("%(what)s must be a level of the scale, from 1 to %(top)s.")
                % {"what": label, "top": top}
            ]
        values.append(number)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return values[0], values[1]


def _clean_risk(agency, data: dict, scale: RiskScale) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {name: data.get(name) for name in RISK_FIELDS if name in data}
    for name in ("process", "description", "cause", "consequence"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if cleaned.get("kind") not in RiskKind.values:
        errors["kind"] = [_("Say whether it is a risk or an opportunity.")]
    if not cleaned.get("description"):
        errors["description"] = [_("Describe the risk or opportunity.")]
    kind = cleaned.get("process_kind")
    if kind not in ProcessKind.values:
        errors["process_kind"] = [_("Say which process it belongs to.")]
    elif kind == ProcessKind.PROCEDURE:
        procedure = cleaned.get("procedure")
        from eiso.procedures.models import HandledProcedure

        if (
            procedure is None
            or not HandledProcedure.objects.filter(
                agency=agency, procedure=procedure, is_active=True
            ).exists()
        ):
            errors["procedure"] = [_("Choose an administrative procedure this agency handles.")]
        cleaned["department"] = None
    elif kind == ProcessKind.DEPARTMENT:
        department = cleaned.get("department")
        if department is None or department.agency_id != agency.pk:
            errors["department"] = [_("Choose a department of this agency.")]
        cleaned["procedure"] = None
    else:
        if not cleaned.get("process"):
            errors["process"] = [_("Name the internal activity.")]
        cleaned["procedure"] = cleaned["department"] = None
    owner = cleaned.get("owner")
    if owner is not None and owner.pk not in _members(agency):
        errors["owner"] = [_("Choose someone who works in this agency.")]
    try:
        cleaned["likelihood"], cleaned["impact"] = _check_rating(
            scale, cleaned.get("likelihood"), cleaned.get("impact")
        )
    except ValidationFailed as refused:
        errors.update(refused.fields)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


def _next_code(agency, year: int, kind: str) -> str:
    prefix = "R" if kind == RiskKind.RISK else "CH"
    codes = Risk.objects.filter(
        agency=agency, year=year, code__startswith=f"{prefix}-"
    ).values_list("code", flat=True)
    numbers = [int(c.split("-", 1)[1]) for c in codes if c.split("-", 1)[1].isdigit()]
    return f"{prefix}-{(max(numbers, default=0) + 1):02d}"


def _risk_url(risk) -> str:
    return reverse("risks:detail", args=[risk.pk])


@transaction.atomic
def risk_create(*, actor, agency, year, data: dict, code: str = "") -> Risk:
    """Add a risk or an opportunity to the register of ``year``, rated on the default scale."""
    _require_keeper(actor, agency)
    year = _check_year(year)
    scale = default_scale()
    cleaned = _clean_risk(agency, {"process": "", **data}, scale)
    code = (code or "").strip().upper() or _next_code(agency, year, cleaned["kind"])
    if Risk.objects.filter(agency=agency, year=year, code__iexact=code).exists():
        _refuse("code", _("The code %(code)s is already used this year.") % {"code": code})
    risk = Risk.objects.create(
        agency=agency,
        year=year,
        code=code,
        scale=scale,
        rating=cleaned["likelihood"] * cleaned["impact"],
        created_by=actor,
        **cleaned,
    )
    audit_record(
        actor=actor,
        action="risk.create",
        obj=risk,
        changes={**snapshot(risk, ("year", "code", *RISK_FIELDS)), "rating": risk.rating},
    )
    if risk.owner_id and risk.owner_id != actor.pk:
        notify(
            users=[risk.owner],
            agency=agency,
            message=_("You own %(risk)s in the register of risks.") % {"risk": risk},
            url=_risk_url(risk),
        )
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, data: dict) -> Risk:
    locked = lock(risk, related=("scale", "agency"))
    RISK.check(actor=actor, obj=locked, action=RiskAction.EDIT)
    current = snapshot(locked, RISK_FIELDS)
    current.update(
        {"procedure": locked.procedure, "department": locked.department, "owner": locked.owner}
    )
    cleaned = _clean_risk(locked.agency, {**current, **data}, locked.scale)
    before = snapshot(locked, (*RISK_FIELDS, "rating"))
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.rating = locked.likelihood * locked.impact
    locked.save()
    changes = changes_between(before, snapshot(locked, (*RISK_FIELDS, "rating")))
    if changes:
        audit_record(actor=actor, action="risk.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def risk_delete(*, actor, risk: Risk) -> None:
    locked = lock(risk)
    RISK.check(actor=actor, obj=locked, action=RiskAction.EDIT)
    if locked.treatments.filter(done_on__isnull=False).exists():
        _refuse("", _("Treatments of this risk were carried out: it is kept."))
    audit_record(
        actor=actor,
        action="risk.delete",
        obj=locked,
        changes=snapshot(locked, ("year", "code", "description")),
    )
    locked.treatments.all().delete()
    locked.delete()


@transaction.atomic
def risk_rerate(*, actor, risk: Risk, likelihood, impact) -> Risk:
    """The rating after treatment (residual), once every treatment is done."""
    locked = lock(risk, related=("scale",))
    l_value, i_value = _check_rating(locked.scale, likelihood, impact, prefix="residual_")
    before = snapshot(locked, ("residual_likelihood", "residual_impact", "residual_rating"))
    locked.residual_likelihood, locked.residual_impact = l_value, i_value
    locked.residual_rating = l_value * i_value
    after = snapshot(locked, ("residual_likelihood", "residual_impact", "residual_rating"))
    RISK.apply(
        actor=actor, obj=locked, action=RiskAction.RERATE, changes=changes_between(before, after)
    )
    return locked


@transaction.atomic
def risk_review(
    *, actor, risk: Risk, effectiveness: str, reviewed_on: datetime.date | None = None
) -> Risk:
    """The review of the treatments' effectiveness closes the risk for the year."""
    locked = lock(risk)
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        _refuse("reviewed_on", _("The review cannot be dated in the future."))
    locked.effectiveness = (effectiveness or "").strip()
    locked.reviewed_on = reviewed_on
    locked.reviewed_by = actor
    RISK.apply(
        actor=actor,
        obj=locked,
        action=RiskAction.REVIEW,
        changes={"effectiveness": locked.effectiveness, "reviewed_on": reviewed_on},
    )
    return locked


@transaction.atomic
def risk_reopen(*, actor, risk: Risk, reason: str) -> Risk:
    locked = lock(risk)
    if not (reason or "").strip():
        _refuse("reason", _("Say why the risk is reopened."))
    RISK.apply(actor=actor, obj=locked, action=RiskAction.REOPEN, reason=reason.strip())
    return locked


# --- treatments ----------------------------------------------------------------------------------


def _check_due(risk: Risk, due) -> None:
    if due is None:
        _refuse("due_date", _("Say by when the action is done."))
    if due.year != risk.year:
        _refuse(
            "due_date",
            _("A treatment of the %(year)s register must be due within %(year)s.")
            % {"year": risk.year},
        )


def _treatable(actor, risk: Risk) -> None:
    RISK.check(actor=actor, obj=risk, action=RiskAction.TREAT)


@transaction.atomic
def treatment_create(*, actor, risk: Risk, data: dict) -> Treatment:
    locked = lock(risk, related=("agency",))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked)
    action = _text(data, "action")
    if not action:
        _refuse("action", _("Say what will be done."))
    owner = data.get("owner")
    if owner is not None and owner.pk not in _members(locked.agency):
        _refuse("owner", _("Choose someone who works in this agency."))
    _check_due(locked, data.get("due_date"))
    treatment = Treatment.objects.create(
        agency=locked.agency, risk=locked, action=action, owner=owner, due_date=data["due_date"]
    )
    audit_record(
        actor=actor,
        action="treatment.create",
        obj=treatment,
        changes=snapshot(treatment, TREATMENT_FIELDS),
    )
    if owner is not None and owner.pk != actor.pk:
        notify(
            users=[owner],
            agency=locked.agency,
            message=_("A treatment of %(risk)s is yours, due %(due)s.")
            % {"risk": locked.code, "due": treatment.due_date.strftime("%d/%m/%Y")},
            url=_risk_url(locked),
        )
    return treatment


@transaction.atomic
def treatment_update(*, actor, treatment: Treatment, data: dict) -> Treatment:
    locked = lock(treatment, related=("risk", "agency"))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked.risk)
    if "due_date" in data:
        _check_due(locked.risk, data["due_date"])
    owner = data.get("owner", locked.owner)
    if owner is not None and owner.pk not in _members(locked.agency):
        _refuse("owner", _("Choose someone who works in this agency."))
    before = snapshot(locked, TREATMENT_FIELDS)
    if "action" in data:
        if not _text(data, "action"):
            _refuse("action", _("Say what will be done."))
        locked.action = _text(data, "action")
    locked.owner = owner
    if data.get("due_date"):
        locked.due_date = data["due_date"]
    locked.save()
    changes = changes_between(before, snapshot(locked, TREATMENT_FIELDS))
    if changes:
        audit_record(actor=actor, action="treatment.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def treatment_delete(*, actor, treatment: Treatment) -> None:
    locked = lock(treatment, related=("risk",))
    _require_keeper(actor, locked.agency)
    _treatable(actor, locked.risk)
    if locked.done_on is not None:
        _refuse("", _("A treatment carried out is kept."))
    audit_record(
        actor=actor, action="treatment.delete", obj=locked, changes={"action": locked.action}
    )
    locked.delete()


@transaction.atomic
def treatment_complete(
    *,
    actor,
    treatment: Treatment,
    done_on: datetime.date | None = None,
    result: str = "",
    evidence=None,
) -> Treatment:
    """Record a treatment as done (on a day not in the future and not before the year), with
    its result and evidence."""
    locked = lock(treatment, related=("risk", "agency"))
    if not rules.can_complete(actor, locked):
        raise NotPermitted(
            _("Only the treatment's owner, the ISO secretary or the head record it.")
        )
    _treatable(actor, locked.risk)
    if locked.done_on is not None:
        _refuse("done_on", _("This treatment is already recorded as done."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        _refuse("done_on", _("A treatment cannot be done in the future."))
    if done_on.year < locked.risk.year:
        _refuse("done_on", _("The date is before the register's year."))
    if evidence is not None:
        checked = check_upload(evidence, allowed=EVIDENCE_TYPES, field="evidence")
        locked.evidence, locked.evidence_name = checked.content, checked.original_name
    locked.done_on = done_on
    locked.result = (result or "").strip()
    locked.save()
    audit_record(
        actor=actor,
        action="treatment.complete",
        obj=locked,
        changes={"done_on": done_on, "result": locked.result, "evidence": locked.evidence_name},
    )
    return locked
