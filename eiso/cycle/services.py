"""The annual cycle's writes: rule sets prepared and adopted (versioned: an adopted set is never
edited, a change is a new set that ends the old one), the snapshot of every agency's
obligations, and the reminders — before the due date and after it to the agency's ISO
secretary and head, escalated to its overseers after the grace period — each sent once, logged
with the people it reached."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core import evidence, workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.roles import Role
from eiso.cycle import engine, rules, selectors
from eiso.cycle.choices import DueKind, RuleSetAction, RuleSetStatus, Stage
from eiso.cycle.models import ObligationSnapshot, ObligationStatus, ReminderLog, Rule, RuleSet
from eiso.cycle.workflows import RULE_SET
from eiso.organizations.models import Agency

SET_FIELDS = (
    "name",
    "legal_basis",
    "effective_from",
    "effective_to",
    "report_from_month",
    "report_from_day",
    "report_to_month",
    "report_to_day",
    "notes",
)
RULE_FIELDS = (
    "code",
    "title",
    "description",
    "legal_basis",
    "order",
    "due_kind",
    "due_month",
    "due_day",
    "opens_month",
    "opens_day",
    "opens_previous_year",
    "anchor_key",
    "offset_days",
    "trigger_key",
    "within_months",
    "within_days",
    "evidence_key",
    "remind_before_days",
    "escalate_after_days",
)
ONE_DAY = datetime.timedelta(days=1)


# --- rule sets ---------------------------------------------------------------------------------


def _check_dates(effective_from, effective_to) -> None:
    if effective_to is not None and effective_from is not None and effective_to < effective_from:
        message = _("A set cannot end before it starts.")
        raise ValidationFailed(message, fields={"effective_to": [message]})


@transaction.atomic
def rule_set_copy(
    *,
    actor,
    source: RuleSet,
    name: str,
    scope: Agency | None,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    legal_basis: str = "",
) -> RuleSet:
    """A new draft set with every rule of ``source`` (a province adopting the deployment's set
    and changing dates for a year, or the next version of a set)."""
    if not rules.can_keep_rules(actor, scope):
        raise NotPermitted(str(RULE_SET.transitions[0].refusal))
    _check_dates(effective_from, effective_to)
    copy = RuleSet.objects.create(
        name=name.strip() or source.name,
        legal_basis=legal_basis.strip() or source.legal_basis,
        scope=scope,
        effective_from=effective_from,
        effective_to=effective_to,
        based_on=source,
        report_from_month=source.report_from_month,
        report_from_day=source.report_from_day,
        report_to_month=source.report_to_month,
        report_to_day=source.report_to_day,
        notes=source.notes,
        created_by=actor,
    )
    for rule in source.rules.all().prefetch_related("kinds"):
        kinds = list(rule.kinds.all())
        rule.pk = None
        rule.rule_set = copy
        rule.save()
        rule.kinds.set(kinds)
    audit_record(
        actor=actor,
        action="rule_set.copy",
        obj=copy,
        agency=scope,
        changes={"based_on": [None, source.pk], "effective_from": [None, effective_from]},
    )
    return copy


@transaction.atomic
def rule_set_update(*, actor, rule_set: RuleSet, data: dict) -> RuleSet:
    """Change a draft set's name, basis, dates or reporting period."""
    rule_set = workflow.lock(rule_set)
    RULE_SET.check(actor=actor, obj=rule_set, action=RuleSetAction.EDIT)
    before = snapshot(rule_set, SET_FIELDS)
    for name in SET_FIELDS:
        if name in data:
            setattr(rule_set, name, data[name])
    _check_dates(rule_set.effective_from, rule_set.effective_to)
    rule_set.save()
    audit_record(
        actor=actor,
        action="rule_set.update",
        obj=rule_set,
        agency=rule_set.scope,
        changes=changes_between(before, snapshot(rule_set, SET_FIELDS)),
    )
    return rule_set


def _check_rule(rule: Rule) -> None:
    problems: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if evidence.get(rule.evidence_key) is None:
        refuse("evidence_key", _("Choose what meets the obligation."))
    fixed = rule.due_kind in (DueKind.FIXED, DueKind.RELATIVE)
    if fixed and (not rule.due_month or not rule.due_day):
        refuse("due_day", _("Give the day and month it is due."))
    if rule.due_kind == DueKind.RELATIVE and evidence.get(rule.anchor_key) is None:
        refuse("anchor_key", _("Choose what the due date is counted from."))
    if rule.due_kind == DueKind.EVENT:
        if evidence.get(rule.trigger_key) is None:
            refuse("trigger_key", _("Choose the event that starts the time allowed."))
        if not rule.within_months and not rule.within_days:
            refuse("within_months", _("Give the time allowed after the event."))
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], fields=problems)


def _touch(rule_set: RuleSet) -> None:
    rule_set.save(update_fields=["updated_at"])


@transaction.atomic
def rule_update(*, actor, rule: Rule, data: dict, kinds=None) -> Rule:
    """Change one obligation of a draft set (its dates, evidence, reminders)."""
    rule_set = workflow.lock(rule.rule_set)
    RULE_SET.check(actor=actor, obj=rule_set, action=RuleSetAction.EDIT)
    rule = Rule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    _check_rule(rule)
    if Rule.objects.filter(rule_set=rule_set, code=rule.code).exclude(pk=rule.pk).exists():
        message = _("Another obligation of the set has this code.")
        raise ValidationFailed(message, fields={"code": [message]})
    rule.save()
    changes = changes_between(before, snapshot(rule, RULE_FIELDS))
    if kinds is not None:
        old = sorted(k.code for k in rule.kinds.all())
        rule.kinds.set(kinds)
        new = sorted(k.code for k in kinds)
        if old != new:
            changes["kinds"] = [old, new]
    _touch(rule_set)
    audit_record(
        actor=actor, action="rule.update", obj=rule, agency=rule_set.scope, changes=changes
    )
    return rule


@transaction.atomic
def rule_create(*, actor, rule_set: RuleSet, data: dict, kinds=()) -> Rule:
    """Add an obligation to a draft set."""
    rule_set = workflow.lock(rule_set)
    RULE_SET.check(actor=actor, obj=rule_set, action=RuleSetAction.EDIT)
    rule = Rule(rule_set=rule_set, **{k: v for k, v in data.items() if k in RULE_FIELDS})
    _check_rule(rule)
    if Rule.objects.filter(rule_set=rule_set, code=rule.code).exists():
        message = _("Another obligation of the set has this code.")
        raise ValidationFailed(message, fields={"code": [message]})
    rule.save()
    rule.kinds.set(kinds)
    _touch(rule_set)
    audit_record(
        actor=actor,
        action="rule.create",
        obj=rule,
        agency=rule_set.scope,
        changes={"code": [None, rule.code], "title": [None, rule.title]},
    )
    return rule


@transaction.atomic
def rule_delete(*, actor, rule: Rule) -> None:
    """Remove an obligation from a draft set."""
    rule_set = workflow.lock(rule.rule_set)
    RULE_SET.check(actor=actor, obj=rule_set, action=RuleSetAction.EDIT)
    audit_record(
        actor=actor,
        action="rule.delete",
        obj=rule,
        agency=rule_set.scope,
        changes={"code": [rule.code, None], "title": [rule.title, None]},
    )
    rule.delete()
    _touch(rule_set)


@transaction.atomic
def rule_set_adopt(*, actor, rule_set: RuleSet) -> RuleSet:
    """Adopt a draft set: from its first day it judges the years it covers for the agencies of
    its scope. An adopted set of the same scope still in force then ends the day before (kept,
    with its history); one that starts later is a conflict."""
    rule_set = workflow.lock(rule_set)
    RULE_SET.check(actor=actor, obj=rule_set, action=RuleSetAction.ADOPT)
    others = RuleSet.objects.select_for_update().filter(
        status=RuleSetStatus.ADOPTED, scope=rule_set.scope
    )
    later = others.filter(effective_from__gte=rule_set.effective_from)
    if later.exists():
        message = _(
            "Another adopted set of the same scope starts on %(day)s: adopt this one with a "
            "later first day, or prepare a new version of that one."
        ) % {"day": f"{later.order_by('effective_from').first().effective_from:%d/%m/%Y}"}
        raise ValidationFailed(message, fields={"effective_from": [message]})
    ending = rule_set.effective_from - ONE_DAY
    for old in others.filter(effective_from__lt=rule_set.effective_from).exclude(
        effective_to__lt=rule_set.effective_from
    ):
        before = old.effective_to
        old.effective_to = ending
        old.save(update_fields=["effective_to", "updated_at"])
        audit_record(
            actor=actor,
            action="rule_set.end",
            obj=old,
            agency=old.scope,
            changes={"effective_to": [before, ending]},
            reason=str(_("Replaced by %(name)s") % {"name": rule_set.name}),
        )
    rule_set.adopted_by = actor
    rule_set.adopted_at = timezone.now()
    RULE_SET.apply(
        actor=actor,
        obj=rule_set,
        action=RuleSetAction.ADOPT,
        update_fields=["adopted_by", "adopted_at"],
    )
    return rule_set


# --- the snapshot ------------------------------------------------------------------------------


def years_kept(on: datetime.date) -> list[int]:
    """The years whose obligations the snapshot keeps: this one, and last year's during the
    first quarter (late obligations of December, events of the last months)."""
    return [on.year - 1, on.year] if on.month <= 3 else [on.year]


@transaction.atomic
def obligations_refresh(*, on: datetime.date, agency_ids=None, stamps=None) -> int:
    """Compute again, from the evidence, the obligations of ``agency_ids`` (every agency
    concerned when None) and keep them as the snapshot the inbox and the reminders read.
    A cache of what the evidence says: no audit event (it changes nothing people did).
    ``stamps`` (``selectors.versions`` of these agencies), when the caller read them already.
    Returns the number of obligations kept."""
    qs = Agency.objects.all()
    if agency_ids is not None:
        qs = qs.filter(pk__in=list(agency_ids))
    agencies = list(selectors.concerned(qs, on).only("pk", "path", "kind_id"))
    targets = list(agency_ids) if agency_ids is not None else [a.pk for a in agencies]
    if stamps is None:
        stamps = selectors.versions(targets, on) if targets else {}
    rows = []
    for computed in selectors.compute_years(agencies, years=years_kept(on), on=on).values():
        for found in computed.values():
            rows.extend(_status_row(o, on, stamps) for o in found.obligations)
    if agency_ids is None:
        ObligationStatus.objects.all().delete()
        ObligationSnapshot.objects.all().delete()
    else:
        ObligationStatus.objects.filter(agency_id__in=targets).delete()
        ObligationSnapshot.objects.filter(agency_id__in=targets).delete()
    ObligationStatus.objects.bulk_create(rows, batch_size=2000)
    ObligationSnapshot.objects.bulk_create(
        [
            ObligationSnapshot(agency_id=pk, computed_on=on, version=stamps.get(pk, ("", ""))[0])
            for pk in targets
        ],
        batch_size=2000,
    )
    return len(rows)


def _status_row(obligation: engine.Obligation, on, stamps) -> ObligationStatus:
    rule = obligation.rule
    found = obligation.evidence
    return ObligationStatus(
        agency_id=obligation.agency_id,
        year=obligation.year,
        rule_id=rule.pk,
        rule_code=rule.code,
        instance=obligation.instance[:80],
        title=rule.title[:300],
        label=str(obligation.label)[:200],
        opens=obligation.opens,
        due=obligation.due,
        met_on=found.date if found else None,
        evidence_title=(found.title if found else "")[:300],
        evidence_url=(found.url if found else "")[:300],
        remind_before_days=rule.remind_before_days,
        escalate_after_days=rule.escalate_after_days,
        computed_on=on,
        version=stamps.get(obligation.agency_id, ("", ""))[0],
    )


def ensure_fresh(*, agency_ids, on: datetime.date) -> None:
    """Compute again the snapshot of those agencies whose data or rules changed since (one
    query when nothing did)."""
    found = selectors.versions(agency_ids, on)
    stale = [pk for pk, (now, stored) in found.items() if now != stored]
    if stale:
        obligations_refresh(on=on, agency_ids=stale, stamps={pk: found[pk] for pk in stale})


# --- reminders ---------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What one run of the reminders did."""

    on: datetime.date
    computed: int = 0
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unreachable: list[tuple[str, str]] = field(default_factory=list)
    already: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def _stages(status: ObligationStatus, on: datetime.date) -> list[str]:
    if status.met_on is not None:
        return []
    days = (status.due - on).days
    if days < 0:
        stages = [Stage.OVERDUE]
        if -days >= status.escalate_after_days:
            stages.append(Stage.ESCALATION)
        return stages
    if days <= status.remind_before_days:
        return [Stage.BEFORE]
    return []


def _message(stage: str, status: ObligationStatus, agency: Agency, on: datetime.date) -> str:
    values = {
        "title": status.title,
        "period": status.label,
        "due": f"{status.due:%d/%m/%Y}",
        "days": (on - status.due).days,
        "agency": agency.name,
    }
    if stage == Stage.BEFORE:
        return _("“%(title)s” (%(period)s) is due on %(due)s.") % values
    if stage == Stage.OVERDUE:
        return _("“%(title)s” (%(period)s) was due on %(due)s and is not met yet.") % values
    return (
        _("%(agency)s: “%(title)s” (%(period)s) is %(days)s days overdue (due on %(due)s).")
        % values
    )


def _recipients(agencies: dict[int, Agency]):
    """ISO secretaries and heads by agency; overseers of each agency (by its tree path)."""
    keepers: dict[int, list] = defaultdict(list)
    for m in (
        Membership.objects.filter(
            agency_id__in=list(agencies),
            role__in=rules.RECIPIENT_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("agency_id", "role", "user_id")
    ):
        if m.user not in keepers[m.agency_id]:
            keepers[m.agency_id].append(m.user)
    overseers = list(
        Membership.objects.filter(role=Role.OVERSEER, is_active=True, user__is_active=True)
        .select_related("user", "agency")
        .order_by("agency__path", "user_id")
    )
    above: dict[int, list] = {}
    for pk, agency in agencies.items():
        people = []
        for m in overseers:
            if agency.path.startswith(m.agency.path) and m.user not in people:
                people.append(m.user)
        above[pk] = people
    return keepers, above


def reminders_send(*, on: datetime.date | None = None) -> ReminderRun:
    """The day's reminders: compute every agency's obligations again, then remind each
    obligation not met once before its date (within its reminder days), once after it, and
    escalate it once to the agency's overseers after its grace period. Each reminder is its
    own transaction, guarded by a unique row: run twice (beat and cron, two workers), nothing
    is sent twice. An agency nobody could receive a reminder in is named, not logged (it is
    tried again the next day)."""
    on = on or timezone.localdate()
    run = ReminderRun(on=on)
    with translation.override(settings.LANGUAGE_CODE):
        run.computed = obligations_refresh(on=on)
        candidates = [
            (status, stage)
            for status in ObligationStatus.objects.filter(met_on__isnull=True).select_related(
                "agency", "rule"
            )
            for stage in _stages(status, on)
        ]
        if not candidates:
            return run
        sent = set(
            ReminderLog.objects.filter(
                agency_id__in={s.agency_id for s, _ in candidates},
                year__in={s.year for s, _ in candidates},
            ).values_list("agency_id", "year", "rule_code", "instance", "stage")
        )
        agencies = {s.agency_id: s.agency for s, _ in candidates}
        keepers, overseers = _recipients(agencies)
        for status, stage in candidates:
            key = (status.agency_id, status.year, status.rule_code, status.instance, stage)
            if key in sent:
                run.already += 1
                continue
            people = overseers if stage == Stage.ESCALATION else keepers
            users = people.get(status.agency_id, [])
            if not users:
                run.unreachable.append((status.agency.name, status.title))
                continue
            if _send_one(status, stage, on, users):
                run.sent[stage] += 1
            else:
                run.already += 1
    return run


def obligations_url(agency_id: int, year: int) -> str:
    return f"{reverse('cycle:agency')}?{urlencode({'agency': agency_id, 'year': year})}"


def _send_one(status: ObligationStatus, stage: str, on: datetime.date, users) -> bool:
    agency = status.agency
    message = _message(stage, status, agency, on)
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                agency=agency,
                year=status.year,
                rule=status.rule,
                rule_code=status.rule_code,
                instance=status.instance,
                stage=stage,
                due=status.due,
                sent_at=timezone.now(),
                message=message[:500],
                recipient_names="\n".join(
                    f"{u.full_name or u.get_username()} <{u.email}>" if u.email else str(u)
                    for u in users
                ),
            )
            log.recipients.set(users)
            notify(
                users=users,
                agency=agency,
                message=message,
                url=obligations_url(agency.pk, status.year),
            )
            audit_record(
                actor=None,
                action=f"obligation.remind_{stage}",
                obj=log,
                changes={"recipients": [None, [u.get_username() for u in users]]},
            )
    except IntegrityError:
        return False  # sent meanwhile by another run
    return True
