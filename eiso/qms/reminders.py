"""Reminders from the overseer: announce the QMS, or announce it again. One service (the write)
and the reads of the reminders sent."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations.models import Agency
from eiso.qms import rules, selectors
from eiso.qms.choices import ReminderKind
from eiso.qms.models import Reminder

RECIPIENT_ROLES = (Role.ISO_SECRETARY, Role.HEAD)


def _default_message(kind: str) -> str:
    if kind == ReminderKind.NOT_ANNOUNCED:
        return _(
            "Reminder from the overseer: your agency must apply TCVN ISO 9001 and has not yet "
            "announced its quality management system. Please announce it and send the decision."
        )
    return _(
        "Reminder from the overseer: your agency's quality management system must be announced "
        "again (its scope, standard version or organisation changed). Please issue a "
        "re-announcement and send the decision."
    )


def reminder_targets(*, actor, root: Agency, kind: str) -> QuerySet[Agency]:
    """The active agencies under ``root`` the actor oversees that must apply and have not
    announced (``not_announced``) or whose re-announcement is due (``reannouncement_due``:
    flagged on the QMS record, or procedures changed since the last announcement)."""
    qs = (
        selectors.registry(user=actor, root=root)
        .filter(user_scope(actor, Action.MANAGE_AGENCIES).q(""))
        .filter(must_apply=True)
    )
    if kind == ReminderKind.NOT_ANNOUNCED:
        return qs.filter(last_kind__isnull=True)
    if kind == ReminderKind.REANNOUNCEMENT_DUE:
        return qs.filter(last_kind__isnull=False).filter(
            (Q(qms_flag__isnull=False) & ~Q(qms_flag="")) | Q(scope_changed=True)
        )
    message = _("Choose what to remind the agencies of.")
    raise ValidationFailed(message, fields={"kind": [message]})


@transaction.atomic
def reminders_send(*, actor, root: Agency, kind: str, message: str = "") -> int:
    """Remind every agency under ``root`` that has not announced its QMS (or whose
    re-announcement is due): its ISO secretaries and heads are notified (in-app and e-mail),
    one Reminder row per agency is kept and audited. Returns how many agencies were reminded."""
    if not rules.can_receive(actor, root):
        raise NotPermitted(_("Only the overseer of these agencies may send reminders."))
    agencies = list(reminder_targets(actor=actor, root=root, kind=kind).order_by("path"))
    if not agencies:
        return 0
    text = " ".join((message or "").split()) or _default_message(kind)
    people = defaultdict(list)
    for membership in Membership.objects.filter(
        agency__in=[a.pk for a in agencies], role__in=RECIPIENT_ROLES, is_active=True
    ).select_related("user"):
        people[membership.agency_id].append(membership.user)
    now = timezone.now()
    reminders = []
    for agency in agencies:
        count = notify(
            users=people[agency.pk],
            agency=agency,
            message=text,
            subject=_("e-ISO: reminder about your QMS announcement"),
        )
        reminders.append(
            Reminder(
                agency=agency,
                kind=kind,
                message=text,
                sent_by=actor,
                sent_at=now,
                recipients=count,
            )
        )
    Reminder.objects.bulk_create(reminders)
    for reminder in reminders:
        audit_record(
            actor=actor,
            action="qms.remind",
            obj=reminder,
            changes={"kind": kind, "recipients": reminder.recipients},
        )
    return len(reminders)


def reminder_list(
    *, user, root: Agency | None = None, kind: str = "", q: str = ""
) -> QuerySet[Reminder]:
    """Reminders sent to agencies the user oversees (newest first)."""
    qs = Reminder.objects.visible_to(user, action=Action.MANAGE_AGENCIES).select_related(
        "agency", "agency__kind", "sent_by"
    )
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(agency__search_text__contains=vn_fold(q))
    return qs.order_by("-sent_at", "-id")
