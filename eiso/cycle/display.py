"""How the cycle says things: a rule's due date in words, the colour and icon of a state. One
place for the pages, the API and the files."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eiso.core import evidence
from eiso.cycle.choices import DueKind, ObligationState

BADGES = {
    ObligationState.NOT_YET_DUE: ("text-bg-light border", "hourglass"),
    ObligationState.DUE_SOON: ("text-bg-warning", "alarm"),
    ObligationState.OVERDUE: ("text-bg-danger", "exclamation-triangle"),
    ObligationState.MET_ON_TIME: ("text-bg-success", "check2-circle"),
    ObligationState.MET_LATE: ("text-bg-info", "check2"),
}


def badge(state: str) -> tuple[str, str]:
    """``(css classes, bootstrap icon)`` of a state."""
    return BADGES.get(state, ("text-bg-light border", "dash"))


def kind_label(key: str) -> str:
    found = evidence.get(key)
    return str(found.label) if found else key


def _day_month(day, month) -> str:
    return f"{day:02d}/{month:02d}" if day and month else "—"


def _span(months: int, days: int) -> str:
    parts = []
    if months:
        parts.append(ngettext("%(n)s month", "%(n)s months", months) % {"n": months})
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    return " ".join(parts) or "0"


def describe_due(rule) -> str:
    """ "by 31/01 (from 01/12 of the previous year)", "every quarter", "1 day before: Internal
    audit scheduled (31/10 while there is none)", "within 3 months of each: …"."""
    if rule.due_kind == DueKind.QUARTERLY:
        return _("every quarter, by its last day")
    if rule.due_kind == DueKind.EVENT:
        return _("within %(span)s of each: %(event)s") % {
            "span": _span(rule.within_months, rule.within_days),
            "event": kind_label(rule.trigger_key),
        }
    due = _day_month(rule.due_day, rule.due_month)
    if rule.due_kind == DueKind.RELATIVE:
        offset = rule.offset_days
        if offset < 0:
            when = ngettext("%(n)s day before", "%(n)s days before", -offset) % {"n": -offset}
        elif offset > 0:
            when = ngettext("%(n)s day after", "%(n)s days after", offset) % {"n": offset}
        else:
            when = _("on the day of")
        return _("%(when)s: %(anchor)s (%(due)s while there is none)") % {
            "when": when,
            "anchor": kind_label(rule.anchor_key),
            "due": due,
        }
    opens = _day_month(rule.opens_day, rule.opens_month)
    if rule.opens_previous_year:
        return _("by %(due)s (from %(opens)s of the previous year)") % {"due": due, "opens": opens}
    if (rule.opens_day, rule.opens_month) != (1, 1):
        return _("by %(due)s (from %(opens)s)") % {"due": due, "opens": opens}
    return _("by %(due)s") % {"due": due}
