"""Writes to the agency tree and departments. Every function is keyword-only, takes the actor,
runs in one transaction and writes its audit event."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ConcurrentEdit, NotPermitted, ValidationFailed
from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope
from eiso.core.text import ranked_search_text
from eiso.organizations.models import PATH_STEP, Agency, AgencyKind, Department

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "tier",
    "must_apply",
    "parent",
    "address",
    "head_name",
    "head_title",
    "phone",
    "email",
    "active_from",
    "active_to",
)
DEPARTMENT_FIELDS = ("code", "name", "kind", "is_active")


def _path_for(parent: Agency | None, pk: int) -> str:
    step = f"{pk:0{PATH_STEP}d}/"
    return f"{parent.path}{step}" if parent else step


def _check_may_place(actor, parent: Agency | None) -> None:
    if parent is None:
        if not user_scope(actor, Action.MANAGE_AGENCIES).everything:
            raise NotPermitted(_("Only a system administrator can create a top-level agency."))
    elif not user_may(actor, Action.MANAGE_AGENCIES, parent):
        raise NotPermitted(_("You cannot manage agencies under %(parent)s.") % {"parent": parent})


def _check_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    qs = Agency.objects.filter(code__iexact=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationFailed(
            _("The code %(code)s is already used by another agency.") % {"code": code},
            fields={"code": [_("This code is already used.")]},
        )


def _search_text(agency: Agency) -> str:
    """The code and names ranked by a search (``core.search.field_rank``), then the address."""
    return ranked_search_text(agency.code, [agency.name, agency.short_name], [agency.address])


@transaction.atomic
def agency_create(
    *,
    actor,
    code: str,
    name: str,
    kind: AgencyKind,
    parent: Agency | None,
    short_name: str = "",
    tier: str | None = None,
    must_apply: bool | None = None,
    address: str = "",
    head_name: str = "",
    head_title: str = "",
    phone: str = "",
    email: str = "",
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
    reason: str = "",
) -> Agency:
    """Create an agency under ``parent``; tier and must-apply default from the kind."""
    code = code.strip()
    _check_may_place(actor, parent)
    _check_code_free(code)
    if parent is not None and not parent.is_active:
        raise ValidationFailed(
            _("The parent agency is inactive."), fields={"parent": [_("Choose an active agency.")]}
        )
    agency = Agency(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        tier=tier or kind.default_tier,
        must_apply=kind.must_apply if must_apply is None else must_apply,
        parent=parent,
        address=address,
        head_name=head_name,
        head_title=head_title,
        phone=phone,
        email=email,
        active_from=active_from,
        active_to=active_to,
        path=f"tmp-{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
    )
    agency.search_text = _search_text(agency)
    agency.save()
    agency.path = _path_for(parent, agency.pk)
    agency.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action="agency.create",
        obj=agency,
        agency=agency,
        changes=snapshot(agency, AGENCY_FIELDS),
        reason=reason,
    )
    return agency


def _move_subtree(agency: Agency, new_parent: Agency | None) -> None:
    if new_parent is not None and new_parent.path.startswith(agency.path):
        raise ValidationFailed(
            _("An agency cannot be placed under itself or one of its own sub-agencies."),
            fields={"parent": [_("This would make a cycle in the tree.")]},
        )
    old_path = agency.path
    new_path = _path_for(new_parent, agency.pk)
    depth_delta = ((new_parent.depth + 1) if new_parent else 0) - agency.depth
    Agency.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
        depth=F("depth") + depth_delta,
    )
    agency.path = new_path
    agency.depth += depth_delta


@transaction.atomic
def agency_update(
    *, actor, agency: Agency, data: dict, expected_version: int | None = None, reason: str = ""
) -> Agency:
    """Change an agency's fields (those in AGENCY_FIELDS present in ``data``); moving it to a
    new parent moves its whole subtree."""
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if not user_may(actor, Action.MANAGE_AGENCIES, locked):
        raise NotPermitted(_("You cannot change this agency."))
    if expected_version is not None and expected_version != locked.version:
        raise ConcurrentEdit()
    before = snapshot(locked, AGENCY_FIELDS)
    if "code" in data and data["code"].strip().lower() != locked.code.lower():
        _check_code_free(data["code"].strip(), exclude_pk=locked.pk)
    new_parent = data.get("parent", locked.parent)
    if "parent" in data and new_parent != locked.parent:
        _check_may_place(actor, new_parent)
        _move_subtree(locked, new_parent)
    for name in AGENCY_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.search_text = _search_text(locked)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    changes = changes_between(before, snapshot(locked, AGENCY_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="agency.update",
            obj=locked,
            agency=locked,
            changes=changes,
            reason=reason,
        )
    return locked


@transaction.atomic
def agency_deactivate(
    *, actor, agency: Agency, on: datetime.date | None = None, reason: str = ""
) -> Agency:
    """Deactivate an agency (agencies are never deleted: their history stays)."""
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if not user_may(actor, Action.MANAGE_AGENCIES, locked):
        raise NotPermitted(_("You cannot change this agency."))
    if not locked.is_active:
        raise ValidationFailed(_("This agency is already inactive."))
    if locked.children.filter(is_active=True).exists():
        raise ValidationFailed(_("Deactivate or move its active sub-agencies first."))
    previous_end = locked.active_to
    locked.is_active = False
    locked.active_to = on or timezone.localdate()
    locked.version = F("version") + 1
    locked.save(update_fields=["is_active", "active_to", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="agency.deactivate",
        obj=locked,
        agency=locked,
        changes={"is_active": [True, False], "active_to": [previous_end, locked.active_to]},
        reason=reason,
    )
    return locked


@transaction.atomic
def agency_reactivate(*, actor, agency: Agency, reason: str = "") -> Agency:
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if not user_may(actor, Action.MANAGE_AGENCIES, locked):
        raise NotPermitted(_("You cannot change this agency."))
    if locked.is_active:
        raise ValidationFailed(_("This agency is already active."))
    if locked.parent is not None and not locked.parent.is_active:
        raise ValidationFailed(_("Reactivate its parent agency first."))
    locked.is_active = True
    locked.active_to = None
    locked.version = F("version") + 1
    locked.save(update_fields=["is_active", "active_to", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action="agency.reactivate",
        obj=locked,
        agency=locked,
        changes={"is_active": [False, True]},
        reason=reason,
    )
    return locked


def _check_may_manage_departments(actor, agency: Agency) -> None:
    """The agency's own ISO secretary or head, or an administrator (not its overseers)."""
    if not user_may(actor, Action.MANAGE_STRUCTURE, agency):
        raise NotPermitted(_("You cannot manage the departments of this agency."))


def _check_department_name_free(agency: Agency, name: str, exclude_pk: int | None = None) -> None:
    qs = Department.objects.filter(agency=agency, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationFailed(
            _("This agency already has a department named %(name)s.") % {"name": name},
            fields={"name": [_("This name is already used in this agency.")]},
        )


@transaction.atomic
def department_create(
    *, actor, agency: Agency, name: str, code: str = "", kind: str = "office"
) -> Department:
    """Add a department to an agency (by its ISO secretary or head, or an administrator)."""
    _check_may_manage_departments(actor, agency)
    if not agency.is_active:
        raise ValidationFailed(_("The agency is inactive."))
    name = name.strip()
    _check_department_name_free(agency, name)
    department = Department.objects.create(agency=agency, name=name, code=code.strip(), kind=kind)
    audit_record(
        actor=actor,
        action="department.create",
        obj=department,
        changes=snapshot(department, DEPARTMENT_FIELDS),
    )
    return department


@transaction.atomic
def department_update(*, actor, department: Department, data: dict) -> Department:
    locked = (
        Department.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=department.pk)
    )
    _check_may_manage_departments(actor, locked.agency)
    before = snapshot(locked, DEPARTMENT_FIELDS)
    if "name" in data:
        data = {**data, "name": data["name"].strip()}
        _check_department_name_free(locked.agency, data["name"], exclude_pk=locked.pk)
    for name in DEPARTMENT_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.save()
    changes = changes_between(before, snapshot(locked, DEPARTMENT_FIELDS))
    if changes:
        audit_record(actor=actor, action="department.update", obj=locked, changes=changes)
    return locked


def agency_move_under(*, agency: Agency, new_parent: Agency) -> Agency:
    """Move ``agency`` and its whole subtree under ``new_parent`` (paths, depths, parent).
    No permission check and no audit event: for services that check and audit the move as
    part of a larger change (mergers, splits)."""
    _move_subtree(agency, new_parent)
    agency.parent = new_parent
    Agency.objects.filter(pk=agency.pk).update(parent=new_parent, version=F("version") + 1)
    return agency
