"""The year's audit programme: what is audited, when and how often, approved by the head."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits import rules
from eiso.audits.choices import ProgrammeAction
from eiso.audits.models import AuditProgramme, ProgrammeItem
from eiso.audits.services._common import check_year, refuse
from eiso.audits.workflows import PROGRAMME
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted
from eiso.core.workflow import lock

PROGRAMME_FIELDS = ("objectives", "basis")
ITEM_FIELDS = ("department", "process", "month", "times", "basis")


def _clean_item(agency, data: dict) -> dict:
    cleaned = {name: data.get(name) for name in ITEM_FIELDS if name in data}
    for name in ("process", "basis"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    department = cleaned.get("department")
    if department is not None and department.agency_id != agency.pk:
        refuse("department", _("Choose a department of this agency."))
    if department is None and not cleaned.get("process"):
        refuse("process", _("Say which department or process is audited."))
    try:
        month = int(cleaned.get("month"))
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        refuse("month", _("Give the month, from 1 to 12."))
    cleaned["month"] = month
    try:
        times = int(cleaned.get("times") or 1)
    except (TypeError, ValueError):
        times = 0
    if not 1 <= times <= 12:
        refuse("times", _("Audited from once to twelve times a year."))
    cleaned["times"] = times
    return cleaned


@transaction.atomic
def programme_create(*, actor, agency, year, data: dict | None = None) -> AuditProgramme:
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head keep the audit programme."))
    year = check_year(year)
    if AuditProgramme.objects.filter(agency=agency, year=year).exists():
        refuse("year", _("The programme of %(year)s exists already.") % {"year": year})
    data = data or {}
    programme = AuditProgramme.objects.create(
        agency=agency,
        year=year,
        objectives=(data.get("objectives") or "").strip(),
        basis=(data.get("basis") or "").strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="audit_programme.create",
        obj=programme,
        changes=snapshot(programme, ("year", *PROGRAMME_FIELDS)),
    )
    return programme


@transaction.atomic
def programme_update(*, actor, programme: AuditProgramme, data: dict) -> AuditProgramme:
    locked = lock(programme)
    PROGRAMME.check(actor=actor, obj=locked, action=ProgrammeAction.EDIT)
    before = snapshot(locked, PROGRAMME_FIELDS)
    for name in PROGRAMME_FIELDS:
        if name in data:
            setattr(locked, name, (data[name] or "").strip())
    locked.save()
    changes = changes_between(before, snapshot(locked, PROGRAMME_FIELDS))
    if changes:
        audit_record(actor=actor, action="audit_programme.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def programme_item_add(*, actor, programme: AuditProgramme, data: dict) -> ProgrammeItem:
    locked = lock(programme, related=("agency",))
    PROGRAMME.check(actor=actor, obj=locked, action=ProgrammeAction.EDIT)
    cleaned = _clean_item(locked.agency, data)
    number = (locked.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = ProgrammeItem.objects.create(
        agency=locked.agency, programme=locked, number=number, **cleaned
    )
    audit_record(
        actor=actor,
        action="audit_programme.add_line",
        obj=locked,
        changes=snapshot(item, ITEM_FIELDS),
    )
    return item


@transaction.atomic
def programme_item_update(*, actor, item: ProgrammeItem, data: dict) -> ProgrammeItem:
    locked = lock(item, related=("programme", "agency"))
    PROGRAMME.check(actor=actor, obj=locked.programme, action=ProgrammeAction.EDIT)
    current = {"department": locked.department, **snapshot(locked, ITEM_FIELDS[1:])}
    cleaned = _clean_item(locked.agency, {**current, **data})
    before = snapshot(locked, ITEM_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, ITEM_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="audit_programme.change_line", obj=locked.programme, changes=changes
        )
    return locked


@transaction.atomic
def programme_item_delete(*, actor, item: ProgrammeItem) -> None:
    locked = lock(item, related=("programme",))
    PROGRAMME.check(actor=actor, obj=locked.programme, action=ProgrammeAction.EDIT)
    audit_record(
        actor=actor,
        action="audit_programme.remove_line",
        obj=locked.programme,
        changes=snapshot(locked, ITEM_FIELDS),
    )
    locked.delete()


@transaction.atomic
def programme_approve(*, actor, programme: AuditProgramme) -> AuditProgramme:
    locked = lock(programme)
    locked.approved_by = actor
    locked.approved_on = timezone.localdate()
    PROGRAMME.apply(
        actor=actor,
        obj=locked,
        action=ProgrammeAction.APPROVE,
        changes={"approved_on": locked.approved_on},
    )
    return locked


@transaction.atomic
def programme_revise(*, actor, programme: AuditProgramme) -> AuditProgramme:
    locked = lock(programme)
    locked.approved_by = None
    locked.approved_on = None
    PROGRAMME.apply(actor=actor, obj=locked, action=ProgrammeAction.REVISE)
    return locked
