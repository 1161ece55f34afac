"""Display helpers of the TTHC pages: days as the agency writes them, time limits."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def days(value) -> str:
    """``Decimal("0.50")`` → "0,5" (in Vietnamese), ``Decimal("10.00")`` → "10"; "" for None."""
    if value in (None, ""):
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return number_format(number, use_l10n=True)


@register.filter
def time_limit(procedure) -> str:
    """The statutory time limit of a catalogue entry in words."""
    if procedure.within_the_day:
        return _("Within the day")
    if procedure.time_limit_days is None:
        return "—"
    count = procedure.time_limit_days
    return ngettext("%(n)s day", "%(n)s days", 1 if count == 1 else 2) % {"n": days(count)}
