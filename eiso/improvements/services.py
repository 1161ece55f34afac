"""Writes of nonconformities and corrective actions: raising one (from any module: audits,
inspections, complaints, objectives not met, process monitoring, any staff member), the record
(correction, root cause with its five whys), the plan and its approval, the actions done with
their evidence, the effectiveness check, closing and reopening. The workflow table
(``workflows.NONCONFORMITY``) decides when; keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from eiso.core.notifications import notify
from eiso.core.workflow import lock
from eiso.improvements import rules
from eiso.improvements.choices import CauseCategory, Grade, NcAction, NcSource
from eiso.improvements.models import CorrectiveAction, EffectivenessCheck, Nonconformity
from eiso.improvements.workflows import NONCONFORMITY

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
RECORD_FIELDS = (
    "title",
    "description",
    "evidence_text",
    "department",
    "owner",
    "due_date",
    "grade",
    "correction",
    "correction_on",
    "cause_category",
    "whys",
    "root_cause",
)
TEXT_FIELDS = ("title", "description", "evidence_text", "correction", "root_cause")
ACTION_FIELDS = ("action", "owner", "due_date")
WHYS = 5


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _members(agency) -> set[int]:
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def _keepers(agency):
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, is_active=True, role__in=rules.KEEPERS, user__is_active=True
        ).select_related("user")
    ]


def _url(nc: Nonconformity) -> str:
    return reverse("improvements:detail", args=[nc.pk])


def _tell(users, nc: Nonconformity, message: str, *, actor=None) -> None:
    seen: set[int] = set()
    wanted = []
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        wanted.append(user)
    if wanted:
        notify(users=wanted, agency=nc.agency, message=message, url=_url(nc))


def _check_owner(agency, owner, field: str = "owner") -> None:
    if owner is not None and owner.pk not in _members(agency):
        _refuse(field, _("Choose someone who works in this agency."))


def _check_department(agency, department) -> None:
    if department is not None and department.agency_id != agency.pk:
        _refuse("department", _("Choose a department of this agency."))


def _check_day(value, field: str, message: str) -> None:
    if value is not None and value > timezone.localdate():
        _refuse(field, message)


def _evidence(nc_or_action, evidence, field: str = "evidence") -> None:
    checked = check_upload(evidence, allowed=EVIDENCE_TYPES, field=field)
    nc_or_action.evidence, nc_or_action.evidence_name = checked.content, checked.original_name


def _clean_whys(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    whys = [str(v).strip() for v in value][:WHYS]
    while whys and not whys[-1]:
        whys.pop()
    return whys


# --- raising --------------------------------------------------------------------------------


@transaction.atomic
def nonconformity_raise(
    *,
    actor,
    agency,
    source: str,
    source_ref: str = "",
    title: str,
    description: str,
    department=None,
    due_date: datetime.date | None = None,
    evidence=None,
    evidence_text: str = "",
    owner=None,
    grade: str = "",
    raised_on: datetime.date | None = None,
) -> Nonconformity:
    """Open a nonconformity in ``agency`` (the contract other modules call). ``source`` is one
    of ``NcSource`` ("internal_audit", "inspection", "complaint", "objective", "process",
    "staff"); ``source_ref`` says which audit finding, inspection, complaint… it came from;
    ``evidence`` is an uploaded file (checked by its content) or a text. Anyone who works in
    the agency may raise one; an inspection or a complaint may be raised by whoever reaches the
    agency. The responsible person (``owner``) is told."""
    if source not in NcSource.values:
        _refuse("source", _("Say where the nonconformity was found."))
    if not rules.can_raise(actor, agency, source):
        raise NotPermitted(_("Only people who work in the agency raise its nonconformities."))
    title = (title or "").strip()
    description = (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Say in a few words what does not conform.")]
    if not description:
        errors["description"] = [_("Describe the nonconformity.")]
    if grade and grade not in Grade.values:
        errors["grade"] = [_("Choose major or minor.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    _check_department(agency, department)
    _check_owner(agency, owner)
    today = timezone.localdate()
    raised_on = raised_on or today
    _check_day(raised_on, "raised_on", _("A nonconformity cannot be raised on a day to come."))
    if due_date is not None and due_date < raised_on:
        _refuse("due_date", _("The date to close it by is before the day it was raised."))
    year = raised_on.year
    number = (
        Nonconformity.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    nc = Nonconformity(
        agency=agency,
        year=year,
        number=number,
        source=source,
        source_ref=(source_ref or "").strip()[:300],
        grade=grade or "",
        title=title[:300],
        description=description,
        department=department,
        owner=owner,
        raised_by=actor,
        raised_on=raised_on,
        due_date=due_date,
        evidence_text=(evidence_text or "").strip(),
    )
    if evidence is not None:
        if isinstance(evidence, str):
            nc.evidence_text = "\n".join(t for t in (nc.evidence_text, evidence.strip()) if t)
        else:
            _evidence(nc, evidence)
    nc.save()
    audit_record(
        actor=actor,
        action="nonconformity.raise",
        obj=nc,
        changes={
            **snapshot(nc, ("source", "source_ref", "grade", "title", "department", "owner")),
            "due_date": nc.due_date,
        },
    )
    _tell(
        [owner],
        nc,
        _("Nonconformity %(code)s is yours to answer: %(title)s")
        % {"code": nc.code, "title": nc.title},
        actor=actor,
    )
    if not rules.can_keep(actor, agency):
        _tell(
            _keepers(agency),
            nc,
            _("A nonconformity was raised: %(code)s %(title)s")
            % {"code": nc.code, "title": nc.title},
            actor=actor,
        )
    return nc


# --- the record -------------------------------------------------------------------------------


def _clean_record(nc: Nonconformity, data: dict) -> dict:
    cleaned = {name: data[name] for name in RECORD_FIELDS if name in data}
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    errors = {}
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("Say in a few words what does not conform.")]
    if "description" in cleaned and not cleaned["description"]:
        errors["description"] = [_("Describe the nonconformity.")]
    if cleaned.get("grade") and cleaned["grade"] not in Grade.values:
        errors["grade"] = [_("Choose major or minor.")]
    if cleaned.get("cause_category") and cleaned["cause_category"] not in CauseCategory.values:
        errors["cause_category"] = [_("Choose a cause category.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    for name in ("grade", "cause_category"):
        if name in cleaned:
            cleaned[name] = cleaned[name] or ""
    if "whys" in cleaned:
        cleaned["whys"] = _clean_whys(cleaned["whys"])
    if "department" in cleaned:
        _check_department(nc.agency, cleaned["department"])
    if "owner" in cleaned:
        _check_owner(nc.agency, cleaned["owner"])
    if "correction_on" in cleaned:
        _check_day(
            cleaned["correction_on"],
            "correction_on",
            _("The correction cannot be dated on a day to come."),
        )
    if cleaned.get("due_date") is not None and cleaned["due_date"] < nc.raised_on:
        _refuse("due_date", _("The date to close it by is before the day it was raised."))
    return cleaned


@transaction.atomic
def nonconformity_update(*, actor, nonconformity: Nonconformity, data: dict) -> Nonconformity:
    """Change the record: description, department, responsible person, the correction, the
    cause (category, five whys, root cause). Only while its plan is not approved."""
    locked = lock(nonconformity, related=("agency",))
    NONCONFORMITY.check(actor=actor, obj=locked, action=NcAction.EDIT)
    cleaned = _clean_record(locked, data)
    handing_over = "owner" in cleaned and cleaned["owner"] != locked.owner
    if handing_over and not rules.can_keep(actor, locked.agency):
        raise NotPermitted(_("Only the ISO secretary or the head hand a record to someone."))
    before = snapshot(locked, RECORD_FIELDS)
    old_owner = locked.owner
    for name, value in cleaned.items():
        setattr(locked, name, value)
    if data.get("evidence") is not None and not isinstance(data["evidence"], str):
        _evidence(locked, data["evidence"])
    locked.save()
    changes = changes_between(before, snapshot(locked, RECORD_FIELDS))
    if changes:
        audit_record(actor=actor, action="nonconformity.update", obj=locked, changes=changes)
    if locked.owner is not None and locked.owner != old_owner:
        _tell(
            [locked.owner],
            locked,
            _("Nonconformity %(code)s is yours to answer: %(title)s")
            % {"code": locked.code, "title": locked.title},
            actor=actor,
        )
    return locked


# --- the plan -------------------------------------------------------------------------------------


def _check_due(nc: Nonconformity, due) -> None:
    if due is None:
        _refuse("due_date", _("Say by when the action is done."))
    if due < nc.raised_on:
        _refuse("due_date", _("The action cannot be due before the nonconformity was raised."))


@transaction.atomic
def action_create(*, actor, nonconformity: Nonconformity, data: dict) -> CorrectiveAction:
    locked = lock(nonconformity, related=("agency",))
    NONCONFORMITY.check(actor=actor, obj=locked, action=NcAction.EDIT)
    text = (data.get("action") or "").strip()
    if not text:
        _refuse("action", _("Say what will be done."))
    owner = data.get("owner")
    _check_owner(locked.agency, owner)
    _check_due(locked, data.get("due_date"))
    number = (locked.actions.aggregate(n=Max("number"))["n"] or 0) + 1
    created = CorrectiveAction.objects.create(
        agency=locked.agency,
        nonconformity=locked,
        round=locked.round,
        number=number,
        action=text,
        owner=owner,
        due_date=data["due_date"],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="corrective_action.create",
        obj=created,
        changes={"nonconformity": locked.code, **snapshot(created, ACTION_FIELDS)},
    )
    return created


@transaction.atomic
def action_update(*, actor, action: CorrectiveAction, data: dict) -> CorrectiveAction:
    locked = lock(action, related=("nonconformity", "agency"))
    NONCONFORMITY.check(actor=actor, obj=locked.nonconformity, action=NcAction.EDIT)
    if locked.done_on is not None:
        _refuse("", _("An action carried out is kept as it was."))
    before = snapshot(locked, ACTION_FIELDS)
    if "action" in data:
        text = (data.get("action") or "").strip()
        if not text:
            _refuse("action", _("Say what will be done."))
        locked.action = text
    if "owner" in data:
        _check_owner(locked.agency, data["owner"])
        locked.owner = data["owner"]
    if "due_date" in data:
        _check_due(locked.nonconformity, data["due_date"])
        locked.due_date = data["due_date"]
    locked.save()
    changes = changes_between(before, snapshot(locked, ACTION_FIELDS))
    if changes:
        audit_record(actor=actor, action="corrective_action.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def action_delete(*, actor, action: CorrectiveAction) -> None:
    locked = lock(action, related=("nonconformity",))
    NONCONFORMITY.check(actor=actor, obj=locked.nonconformity, action=NcAction.EDIT)
    if locked.done_on is not None:
        _refuse("", _("An action carried out is kept as it was."))
    audit_record(
        actor=actor,
        action="corrective_action.delete",
        obj=locked,
        changes={"action": locked.action},
    )
    locked.delete()


@transaction.atomic
def plan_submit(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    """Send the correction, cause and plan to the ISO secretary and the head for approval."""
    locked = lock(nonconformity, related=("agency",))
    locked.plan_submitted_by = actor
    NONCONFORMITY.apply(actor=actor, obj=locked, action=NcAction.SUBMIT_PLAN)
    _tell(
        _keepers(locked.agency),
        locked,
        _("The corrective-action plan of %(code)s waits for approval.") % {"code": locked.code},
        actor=actor,
    )
    return locked


@transaction.atomic
def plan_return(*, actor, nonconformity: Nonconformity, reason: str) -> Nonconformity:
    locked = lock(nonconformity, related=("agency",))
    if not (reason or "").strip():
        _refuse("reason", _("Say what the plan lacks."))
    NONCONFORMITY.apply(actor=actor, obj=locked, action=NcAction.RETURN_PLAN, reason=reason.strip())
    _tell(
        [locked.owner, locked.plan_submitted_by],
        locked,
        _("The plan of %(code)s was returned: %(reason)s")
        % {"code": locked.code, "reason": reason.strip()},
        actor=actor,
    )
    return locked


@transaction.atomic
def plan_approve(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    """Approve the plan: from now on its actions may be carried out."""
    locked = lock(nonconformity, related=("agency",))
    locked.plan_approved_by = actor
    locked.plan_approved_on = timezone.localdate()
    NONCONFORMITY.apply(
        actor=actor,
        obj=locked,
        action=NcAction.APPROVE_PLAN,
        changes={"plan_approved_on": locked.plan_approved_on},
    )
    owners = [a.owner for a in locked.actions.filter(round=locked.round).select_related("owner")]
    _tell(
        [locked.owner, *owners],
        locked,
        _("The plan of %(code)s is approved: carry out its actions.") % {"code": locked.code},
        actor=actor,
    )
    return locked


@transaction.atomic
def action_complete(
    *,
    actor,
    action: CorrectiveAction,
    done_on: datetime.date | None = None,
    result: str = "",
    evidence=None,
) -> CorrectiveAction:
    """Record an action done (not on a day to come, not before the plan was approved), with
    its result and evidence. The first starts the work; the last sends the record for
    verification."""
    locked = lock(action, related=("agency",))
    nc = lock(locked.nonconformity, related=("agency",))
    locked.nonconformity = nc
    if not rules.can_complete(actor, locked):
        raise NotPermitted(
            _("Only the action's owner, the person responsible or the keepers record it done.")
        )
    if NONCONFORMITY.find(nc.status, NcAction.WORK) is None:
        raise InvalidTransition(_("The actions cannot start before the plan is approved."))
    if locked.done_on is not None:
        _refuse("done_on", _("This action is already recorded as done."))
    today = timezone.localdate()
    done_on = done_on or today
    _check_day(done_on, "done_on", _("An action cannot be done on a day to come."))
    if nc.plan_approved_on is not None and done_on < nc.plan_approved_on:
        _refuse("done_on", _("An action cannot be done before the plan was approved."))
    if evidence is not None:
        _evidence(locked, evidence)
    locked.done_on = done_on
    locked.result = (result or "").strip()
    locked.save()
    audit_record(
        actor=actor,
        action="corrective_action.complete",
        obj=locked,
        changes={"done_on": done_on, "result": locked.result, "evidence": locked.evidence_name},
    )
    if NONCONFORMITY.target(nc.status, NcAction.WORK) != nc.status:
        NONCONFORMITY.apply(actor=actor, obj=nc, action=NcAction.WORK)
    else:
        NONCONFORMITY.check(actor=actor, obj=nc, action=NcAction.WORK)
    if not nc.actions.filter(done_on__isnull=True).exists():
        NONCONFORMITY.apply(actor=actor, obj=nc, action=NcAction.ACTIONS_DONE)
        _tell(
            _keepers(nc.agency),
            nc,
            _("Every action of %(code)s is done: verify that they were effective.")
            % {"code": nc.code},
            actor=actor,
        )
    return locked


# --- verification, closing, reopening ------------------------------------------------------------


@transaction.atomic
def nonconformity_verify(
    *,
    actor,
    nonconformity: Nonconformity,
    effective: bool,
    note: str,
    checked_on: datetime.date | None = None,
) -> EffectivenessCheck:
    """Record the effectiveness check (never by the person responsible). Not effective: the
    record goes back to its owner for a new round of cause and actions, the earlier ones
    kept."""
    locked = lock(nonconformity, related=("agency",))
    action = NcAction.VERIFY if effective else NcAction.NOT_EFFECTIVE
    NONCONFORMITY.check(actor=actor, obj=locked, action=action)
    note = (note or "").strip()
    if not note:
        _refuse("note", _("Say what was checked and what was found."))
    checked_on = checked_on or timezone.localdate()
    _check_day(checked_on, "checked_on", _("A check cannot be dated on a day to come."))
    check = EffectivenessCheck.objects.create(
        agency=locked.agency,
        nonconformity=locked,
        round=locked.round,
        checked_by=actor,
        checked_on=checked_on,
        effective=bool(effective),
        note=note,
    )
    changes = {"effective": bool(effective), "checked_on": checked_on, "note": note}
    if effective:
        NONCONFORMITY.apply(actor=actor, obj=locked, action=action, changes=changes)
        _tell(
            [locked.owner],
            locked,
            _("The actions of %(code)s were found effective.") % {"code": locked.code},
            actor=actor,
        )
    else:
        locked.round += 1
        locked.plan_approved_by = None
        locked.plan_approved_on = None
        NONCONFORMITY.apply(actor=actor, obj=locked, action=action, changes=changes, reason=note)
        _tell(
            [locked.owner],
            locked,
            _(
                "The actions of %(code)s were not effective: find the cause again and plan new "
                "actions."
            )
            % {"code": locked.code},
            actor=actor,
        )
    return check


@transaction.atomic
def nonconformity_close(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    """Close the record: every action done and verified effective by someone other than the
    person responsible."""
    locked = lock(nonconformity, related=("agency",))
    today = timezone.localdate()
    locked.closed_on = today
    locked.days_to_close = (today - locked.raised_on).days
    NONCONFORMITY.apply(
        actor=actor,
        obj=locked,
        action=NcAction.CLOSE,
        changes={"closed_on": today, "days_to_close": locked.days_to_close},
    )
    _tell(
        [locked.owner, locked.raised_by],
        locked,
        _("Nonconformity %(code)s is closed.") % {"code": locked.code},
        actor=actor,
    )
    return locked


@transaction.atomic
def nonconformity_reopen(*, actor, nonconformity: Nonconformity, reason: str) -> Nonconformity:
    """Reopen a closed record (the problem came back): a new round of cause and actions, the
    earlier ones and their checks kept."""
    locked = lock(nonconformity, related=("agency",))
    if not (reason or "").strip():
        _refuse("reason", _("Say why the record is reopened."))
    NONCONFORMITY.check(actor=actor, obj=locked, action=NcAction.REOPEN)
    locked.round += 1
    locked.closed_on = None
    locked.days_to_close = None
    locked.plan_approved_by = None
    locked.plan_approved_on = None
    NONCONFORMITY.apply(
        actor=actor,
        obj=locked,
        action=NcAction.REOPEN,
        changes={"round": locked.round},
        reason=reason.strip(),
    )
    _tell(
        [locked.owner],
        locked,
        _("Nonconformity %(code)s was reopened: %(reason)s")
        % {"code": locked.code, "reason": reason.strip()},
        actor=actor,
    )
    return locked
