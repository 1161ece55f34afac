"""By when a complaint must be answered: the rule in force for its channel on the day it was
received (``AnswerRule``, data with its legal basis), counted in working days (Monday to
Friday after the day of receipt) or calendar days. Public holidays are not subtracted (see
README, "Known limits"): the due date errs on the early side."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.feedback.choices import DayKind
from eiso.feedback.models import AnswerRule

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    date: datetime.date
    rule: AnswerRule

    @property
    def basis(self) -> str:
        """How the date was reached, in words kept on the complaint."""
        return _("%(days)s %(kind)s (%(basis)s)") % {
            "days": self.rule.days,
            "kind": self.rule.get_day_kind_display(),
            "basis": self.rule.legal_basis,
        }


def add_days(start: datetime.date, days: int, kind: str) -> datetime.date:
    """``days`` after ``start``: calendar days, or working days (the first one the day after
    ``start``, weekends skipped)."""
    if kind == DayKind.CALENDAR:
        return start + datetime.timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += DAY
        if day.weekday() < 5:
            left -= 1
    return day


def rule_for(channel: str, on: datetime.date) -> AnswerRule | None:
    """The rule in force on ``on`` for ``channel``: its own, else the one for every channel."""
    rules = (
        AnswerRule.objects.filter(Q(channel=channel) | Q(channel=""), effective_from__lte=on)
        .order_by("-effective_from")
        .only("channel", "days", "day_kind", "effective_from", "legal_basis")
    )
    candidates = list(rules[:20])
    return next((r for r in candidates if r.channel == channel), None) or next(
        (r for r in candidates if r.channel == ""), None
    )


def due_for(channel: str, received_on: datetime.date) -> Due:
    rule = rule_for(channel, received_on)
    if rule is None:
        message = _(
            "No rule says by when complaints received this way are answered: an administrator "
            "adds one (answer rules)."
        )
        raise ValidationFailed(message, fields={"channel": [message]})
    return Due(add_days(received_on, rule.days, rule.day_kind), rule)
