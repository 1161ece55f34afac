"""The overseer's writes: reminders to announce the QMS, or to announce it again."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.organizations.models import Agency
from eiso.oversight import rules, selectors
from eiso.qms.choices import ReminderKind
from eiso.qms.models import Reminder


@dataclass
class RemindersSent:
    """What a round of reminders did: the agencies reached (one Reminder each) and those where
    nobody could receive it — no active ISO secretary or head account — which were NOT
    reminded (nothing was sent to them) and need someone given that role first."""

    reminded: list[Reminder] = field(default_factory=list)
    unreachable: list[Agency] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reminded)


def default_message(kind: str) -> str:
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


@transaction.atomic
def reminders_send(*, actor, root: Agency, kind: str, message: str = "") -> RemindersSent:
    """Remind every agency under ``root`` that must apply and has not announced its QMS (or
    whose re-announcement is due): its ISO secretaries and heads are notified (in-app and
    e-mail, with a link to the agency's announcements), and one Reminder per agency reached is
    kept and audited. An agency with nobody to receive it is not reminded: it is returned in
    ``unreachable``, so the overseer is told instead of being told it was sent."""
    if not rules.can_remind(actor, root):
        raise NotPermitted(_("Only the overseer of these agencies may send reminders."))
    if kind not in ReminderKind.values:
        text = _("Choose what to remind the agencies of.")
        raise ValidationFailed(text, fields={"kind": [text]})
    agencies = list(selectors.reminder_targets(actor=actor, root=root, kind=kind).order_by("path"))
    result = RemindersSent()
    if not agencies:
        return result
    text = " ".join((message or "").split()) or default_message(kind)
    people = selectors.reminder_recipients(agency_ids=[a.pk for a in agencies])
    now = timezone.now()
    for agency in agencies:
        if not people.get(agency.pk):
            result.unreachable.append(agency)
            continue
        count = notify(
            users=people[agency.pk],
            agency=agency,
            message=text,
            url=f"{reverse('qms:announcements')}?agency={agency.pk}",
            subject=_("e-ISO: reminder about your QMS announcement"),
        )
        result.reminded.append(
            Reminder(
                agency=agency,
                kind=kind,
                message=text,
                sent_by=actor,
                sent_at=now,
                recipients=count,
            )
        )
    Reminder.objects.bulk_create(result.reminded)
    for reminder in result.reminded:
        audit_record(
            actor=actor,
            action="qms.remind",
            obj=reminder,
            changes={"kind": kind, "recipients": reminder.recipients},
        )
    return result
