"""Audit plans: scope, criteria, dates, the team (a warning for an auditor without a valid
certificate), the schedule (never an auditor in their own department), the head's approval with
the plan's official number."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits import rules
from eiso.audits.choices import AuditAction, TeamRole
from eiso.audits.models import AuditSession, AuditTeamMember, InternalAudit
from eiso.audits.services._common import (
    certificate_warning,
    check_year,
    keepers,
    members,
    not_in_future,
    refuse,
)
from eiso.audits.workflows import AUDIT
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.numbers import official_number
from eiso.core.workflow import lock

PLAN_FIELDS = ("title", "purpose", "scope", "criteria", "start_date", "end_date", "programme")
TEXT_FIELDS = ("title", "purpose", "scope", "criteria")
SESSION_FIELDS = ("department", "process", "date", "start_time", "end_time", "auditor", "auditee")
DEFAULT_CRITERIA = (
    "Tiêu chuẩn quốc gia TCVN ISO 9001:2015; tài liệu của Hệ thống quản lý chất lượng của cơ "
    "quan (chính sách, mục tiêu chất lượng, các quy trình); văn bản quy phạm pháp luật liên "
    "quan đến các thủ tục hành chính thuộc phạm vi áp dụng."
)


def _session_values(session) -> dict:
    values = snapshot(session, SESSION_FIELDS)
    for name in ("start_time", "end_time"):
        value = getattr(session, name)
        values[name] = value.strftime("%H:%M") if value else None
    return values


def audit_url(audit) -> str:
    return reverse("audits:detail", args=[audit.pk])


def _symbol(agency) -> str:
    from eiso.core.numbers import agency_symbol

    return agency_symbol(agency)


def default_title(year: int, sequence: int) -> str:
    return f"Đánh giá nội bộ Hệ thống quản lý chất lượng năm {year} (đợt {sequence})"


def _clean_plan(agency, data: dict) -> dict:
    cleaned = {name: data[name] for name in PLAN_FIELDS if name in data}
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    errors = {}
    if "scope" in cleaned and not cleaned["scope"]:
        errors["scope"] = [_("Say what the audit covers.")]
    if "criteria" in cleaned and not cleaned["criteria"]:
        errors["criteria"] = [_("Say against what the audit is made.")]
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if "start_date" in cleaned and start is None:
        errors["start_date"] = [_("Give the first day of the audit.")]
    if "end_date" in cleaned and end is None:
        errors["end_date"] = [_("Give the last day of the audit.")]
    if start and end and end < start:
        errors["end_date"] = [_("The audit cannot end before it starts.")]
    programme = cleaned.get("programme")
    if programme is not None and programme.agency_id != agency.pk:
        errors["programme"] = [_("Choose a programme of this agency.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


@transaction.atomic
def audit_create(*, actor, agency, data: dict) -> InternalAudit:
    """Draft an audit plan (the ISO secretary or the head)."""
    if not rules.can_keep(actor, agency):
        raise NotPermitted(
            _("Only the ISO secretary or the head keep the audit programme and plans.")
        )
    data = {"criteria": DEFAULT_CRITERIA, **data}
    cleaned = _clean_plan(
        agency, {**data, "start_date": data.get("start_date"), "end_date": data.get("end_date")}
    )
    year = check_year(cleaned["start_date"].year)
    sequence = (
        InternalAudit.objects.filter(agency=agency, year=year).aggregate(n=Max("sequence"))["n"]
        or 0
    ) + 1
    cleaned["title"] = cleaned.get("title") or default_title(year, sequence)
    audit = InternalAudit.objects.create(
        agency=agency, year=year, sequence=sequence, created_by=actor, **cleaned
    )
    audit_record(
        actor=actor,
        action="internal_audit.create",
        obj=audit,
        changes=snapshot(audit, ("year", "sequence", *PLAN_FIELDS)),
    )
    return audit


@transaction.atomic
def audit_update(*, actor, audit: InternalAudit, data: dict) -> InternalAudit:
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.EDIT)
    current = {"start_date": locked.start_date, "end_date": locked.end_date}
    cleaned = _clean_plan(locked.agency, {**current, **data})
    if cleaned["start_date"].year != locked.year:
        refuse("start_date", _("The audit stays in %(year)s.") % {"year": locked.year})
    if (
        locked.sessions.filter(date__lt=cleaned["start_date"]).exists()
        or locked.sessions.filter(date__gt=cleaned["end_date"]).exists()
    ):
        refuse("start_date", _("Some lines of the schedule fall outside these dates."))
    before = snapshot(locked, PLAN_FIELDS)
    for name, value in cleaned.items():
        if name == "title" and not value:
            continue
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, PLAN_FIELDS))
    if changes:
        audit_record(actor=actor, action="internal_audit.update", obj=locked, changes=changes)
    return locked


# --- the team ---------------------------------------------------------------------------------


@transaction.atomic
def team_add(*, actor, audit: InternalAudit, user, role: str = TeamRole.MEMBER) -> AuditTeamMember:
    """Put ``user`` on the team. Someone without a valid internal-auditor certificate is
    accepted with a warning (kept on the member and returned)."""
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.EDIT)
    if role not in TeamRole.values:
        refuse("role", _("Choose lead auditor or auditor."))
    if user is None or user.pk not in members(locked.agency):
        refuse("user", _("Choose someone who works in this agency."))
    if locked.team.filter(user=user).exists():
        refuse("user", _("%(name)s is on the team already.") % {"name": user})
    if role == TeamRole.LEAD and locked.team.filter(role=TeamRole.LEAD).exists():
        refuse("role", _("The team has a lead auditor already."))
    member = AuditTeamMember.objects.create(
        agency=locked.agency,
        audit=locked,
        user=user,
        role=role,
        warning=certificate_warning(user, locked.start_date),
    )
    audit_record(
        actor=actor,
        action="internal_audit.add_auditor",
        obj=locked,
        changes={"auditor": str(user), "role": role, "warning": member.warning},
    )
    return member


@transaction.atomic
def team_remove(*, actor, member: AuditTeamMember) -> None:
    locked = lock(member, related=("audit", "user"))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.EDIT)
    if AuditSession.objects.filter(audit=locked.audit, auditor=locked.user).exists():
        refuse(
            "",
            _("%(name)s audits lines of the schedule: change them first.") % {"name": locked.user},
        )
    audit_record(
        actor=actor,
        action="internal_audit.remove_auditor",
        obj=locked.audit,
        changes={"auditor": str(locked.user)},
    )
    locked.delete()


# --- the schedule -------------------------------------------------------------------------------


def _clean_session(audit: InternalAudit, data: dict) -> dict:
    cleaned = {name: data.get(name) for name in SESSION_FIELDS}
    for name in ("process", "auditee"):
        cleaned[name] = (cleaned[name] or "").strip()
    errors: dict[str, list[str]] = {}
    department = cleaned["department"]
    if department is not None and department.agency_id != audit.agency_id:
        errors["department"] = [_("Choose a department of this agency.")]
    if department is None and not cleaned["process"]:
        errors["process"] = [_("Say which department or process is audited.")]
    day = cleaned["date"]
    if day is None:
        errors["date"] = [_("Give the day.")]
    elif not audit.start_date <= day <= audit.end_date:
        errors["date"] = [
            _("The day must be within the audit, %(start)s to %(end)s.")
            % {
                "start": audit.start_date.strftime("%d/%m/%Y"),
                "end": audit.end_date.strftime("%d/%m/%Y"),
            }
        ]
    start, end = cleaned["start_time"], cleaned["end_time"]
    if start is None or end is None:
        errors["start_time"] = [_("Give the hours.")]
    elif end <= start:
        errors["end_time"] = [_("The session ends after it starts.")]
    auditor = cleaned["auditor"]
    team = set(audit.team.values_list("user_id", flat=True))
    if auditor is None or auditor.pk not in team:
        errors["auditor"] = [_("Choose an auditor of the team.")]
    elif department is not None:
        own = members(audit.agency).get(auditor.pk, [])
        if department.pk in own:
            errors["auditor"] = [
                _(
                    "%(name)s works in %(department)s: an auditor may not audit their own "
                    "department's work (TCVN ISO 9001:2015, 9.2.2 c)."
                )
                % {"name": auditor.full_name or auditor.username, "department": department.name}
            ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


@transaction.atomic
def session_add(*, actor, audit: InternalAudit, data: dict, clauses=()) -> AuditSession:
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.EDIT)
    cleaned = _clean_session(locked, data)
    session = AuditSession.objects.create(agency=locked.agency, audit=locked, **cleaned)
    session.clauses.set(list(clauses))
    audit_record(
        actor=actor,
        action="internal_audit.add_session",
        obj=locked,
        changes={**_session_values(session), "clauses": [c.code for c in clauses]},
    )
    return session


@transaction.atomic
def session_update(*, actor, session: AuditSession, data: dict, clauses=None) -> AuditSession:
    locked = lock(session, related=("audit", "audit__agency"))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.EDIT)
    current = {name: getattr(locked, name) for name in SESSION_FIELDS}
    cleaned = _clean_session(locked.audit, {**current, **data})
    before = _session_values(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    if clauses is not None:
        locked.clauses.set(list(clauses))
    changes = changes_between(before, _session_values(locked))
    if changes:
        audit_record(
            actor=actor, action="internal_audit.change_session", obj=locked.audit, changes=changes
        )
    return locked


@transaction.atomic
def session_delete(*, actor, session: AuditSession) -> None:
    locked = lock(session, related=("audit",))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.EDIT)
    audit_record(
        actor=actor,
        action="internal_audit.remove_session",
        obj=locked.audit,
        changes=_session_values(locked),
    )
    locked.delete()


# --- approval --------------------------------------------------------------------------------


@transaction.atomic
def audit_approve(
    *, actor, audit: InternalAudit, number: str, date: datetime.date | None
) -> InternalAudit:
    """The head approves the plan, signed on ``date`` with its number ("05" → "05/KH-STP");
    the team is told."""
    locked = lock(audit, related=("agency",))
    if date is None:
        refuse("date", _("Give the date the plan is signed."))
    not_in_future(date, "date", _("A plan cannot be signed on a day to come."))
    locked.plan_number = official_number(number, kind="KH", symbol=_symbol(locked.agency))
    locked.plan_date = date
    locked.approved_by = actor
    AUDIT.apply(
        actor=actor,
        obj=locked,
        action=AuditAction.APPROVE,
        changes={"plan_number": locked.plan_number, "plan_date": date},
    )
    team = [m.user for m in locked.team.select_related("user")]
    notify(
        users=[u for u in team if u.pk != actor.pk],
        agency=locked.agency,
        message=_("You audit in %(audit)s, from %(start)s: the plan is approved.")
        % {"audit": locked.title, "start": locked.start_date.strftime("%d/%m/%Y")},
        url=audit_url(locked),
    )
    return locked


@transaction.atomic
def audit_revise(*, actor, audit: InternalAudit, reason: str) -> InternalAudit:
    locked = lock(audit)
    if not (reason or "").strip():
        refuse("reason", _("Say why the plan is revised."))
    locked.plan_number = ""
    locked.plan_date = None
    locked.approved_by = None
    AUDIT.apply(actor=actor, obj=locked, action=AuditAction.REVISE, reason=reason.strip())
    return locked


def tell_keepers(audit: InternalAudit, message: str, *, actor) -> None:
    users = [u for u in keepers(audit.agency, rules.KEEPERS) if u.pk != actor.pk]
    if users:
        notify(users=users, agency=audit.agency, message=message, url=audit_url(audit))


def today() -> datetime.date:
    return timezone.localdate()
